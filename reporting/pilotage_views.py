"""Alerts inbox, notification preferences, letters list and registry exports."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render

from centres.dating import parse_registry_date
from centres.models import Ccmr, Establishment, Region
from centres.selectors import ccmr_list, crcsep_list, crmr_in_region, crmr_list
from core.exports import EXPORT_CHUNK, Table, requested_format, table_export

from .filters import AlertFilter
from .forms import NotificationPreferenceForm
from .selectors import alerts_of

ALERTS_PAGE_SIZE = 50


@login_required
def alerts(request):
    """The user's own alerts (never another's), filtered and paginated."""
    filterset = AlertFilter(request.GET, queryset=alerts_of(request.user), request=request)
    page = Paginator(filterset.qs, ALERTS_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "reporting/alerts.html",
        {"title": "Alertes et échéances", "filter": filterset, "page_obj": page},
    )


@login_required
def preferences(request):
    form = NotificationPreferenceForm(
        request.POST or None, initial={"notification_mode": request.user.notification_mode}
    )
    if request.method == "POST" and form.is_valid():
        request.user.notification_mode = form.cleaned_data["notification_mode"]
        request.user.save(update_fields=["notification_mode"])
        messages.success(request, "Vos préférences de notification sont enregistrées.")
        return redirect("reporting:preferences")
    return render(request, "reporting/preferences.html", {"title": "Préférences de notification", "form": form})


# --- Letters list ----------------------------------------------------------------------------


# --- Registry exports (the registry is readable by every signed-in user; an ARS exports its region) --


def _export_region(user, params):
    """An ARS always exports its own region; national roles may choose one (``?region=53``)."""
    if user.is_ars:
        return user.region
    code = params.get("region")
    return Region.objects.filter(code=code).first() if code else None


def _registry_establishments(region, today):
    qs = Establishment.objects.select_related("region")
    if region:
        qs = qs.filter(region=region)
    headers = ["FINESS EJ", "Raison sociale", "Type", "Ville", "Région"]
    return headers, (
        [e.finess_ej, e.name, e.get_kind_display(), e.city, e.region.name] for e in qs.iterator(chunk_size=EXPORT_CHUNK)
    )


def _registry_crcsep(region, on):
    qs = crcsep_list(on).order_by("region__name", "name")
    if region:
        qs = qs.filter(region=region)
    statuses = {"labelled": "Labellisé", "withdrawn": "Labellisation retirée", "planned": "À venir"}
    headers = [
        "CRC SEP",
        "Établissement",
        "Région",
        "Tranche",
        "Statut",
        "Labellisé le",
        "Coordonnateur",
        "Financement annuel (€)",
    ]
    return headers, (
        [
            c.name,
            c.establishment.name,
            c.region.name,
            c.tranche.label,
            statuses[c.status_at],
            c.labelled_on,
            c.mandates_on[0].person if c.mandates_on else "",
            float(c.annual_funding),
        ]
        for c in qs.iterator(chunk_size=EXPORT_CHUNK)
    )


def _registry_crmr(region, on):
    qs = crmr_list(on).order_by("name")
    if region:
        qs = qs.filter(crmr_in_region(region.code, on))
    headers = [
        "CRMR",
        "Filière",
        "Type",
        "Établissement coordonnateur",
        "Région",
        "Coordonnateur",
        "Depuis le",
        "Dotation MIG (€)",
        "Changement à venir le",
    ]

    def row(c):
        mandate = c.current_mandate()
        return [
            c.name,
            c.filiere.name,
            c.get_kind_display(),
            c.coord_establishment_name or "",
            c.coord_region_name or "",
            mandate.person if mandate else "",
            mandate.start if mandate else "",
            float(c.mig_on),
            c.next_change or "",
        ]

    return headers, (row(c) for c in qs.iterator(chunk_size=EXPORT_CHUNK))


def _registry_ccmr(region, on):
    qs = ccmr_list(on).order_by("name")
    if region:
        qs = qs.filter(establishment__region=region)
    headers = [
        "Centre de compétences",
        "CRMR",
        "Établissement",
        "Région",
        "Responsable",
        "Statut",
        "Créé le",
        "Abrogé le",
    ]
    return headers, (
        [
            c.name,
            c.crmr.name,
            c.establishment.name,
            c.establishment.region.name,
            c.team_lead or "",
            Ccmr.STATUS_LABELS[c.status_at],
            c.created_on,
            c.abrogated_on,
        ]
        for c in qs.iterator(chunk_size=EXPORT_CHUNK)
    )


REGISTRY_EXPORTS = {
    "etablissements": ("Établissements", _registry_establishments),
    "crc-sep": ("CRC SEP", _registry_crcsep),
    "crmr": ("CRMR", _registry_crmr),
    "centres-de-competences": ("Centres de compétences", _registry_ccmr),
}


@login_required
def registry_export(request, kind=None):
    """``/registre/``: the list of downloads; ``/registre/<kind>/?export=csv``: one list in one format."""
    if kind is not None and kind not in REGISTRY_EXPORTS:
        raise Http404
    region = _export_region(request.user, request.GET)
    fmt = requested_format(request)
    if fmt is None or kind is None:
        return render(
            request,
            "reporting/registry_exports.html",
            {
                "title": "Exports du registre",
                "exports": REGISTRY_EXPORTS,
                "region": region,
                "regions": [] if request.user.is_ars else Region.objects.all(),
                "current": kind,
            },
        )
    return table_export(request, registry_export_table, fmt, {**request.GET.dict(), "registre": kind})


def registry_export_table(user, params) -> Table:
    """One registry list in the viewer's region (an ARS) or the chosen one, on the date read."""
    kind = params["registre"]
    region = _export_region(user, params)
    when = parse_registry_date(params.get("date"))
    title, build = REGISTRY_EXPORTS[kind]
    headers, rows = build(region, when.on)
    filename = (
        f"registre-{kind}" + (f"-{region.code}" if region else "") + ("" if when.is_today else f"-au-{when.param}")
    )
    return Table(headers, rows, title, filename)
