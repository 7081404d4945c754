"""Registry pages: home, lists with search and filters, details with history, the Annexe 2 quota table,
and the network on a date.

Every list and detail page reads the registry on a date: today by default, any past or future day with
``?date=AAAA-MM-JJ`` (``centres.dating``); changes decided for later show as "à venir le …". Read-only for
every signed-in account (see ``perms.py``); writes go through ``centres.services``."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Model
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.utils.http import urlencode
from django.views.decorators.http import require_GET

from core.perms import require
from reporting.exports import dataset_from_rows, export_response, requested_format

from . import selectors
from .dating import registry_date
from .filters import CcmrFilter, CrcSepFilter, CrmrFilter, EstablishmentFilter, PersonFilter
from .models import (
    Ccmr,
    CoordinatorMandate,
    CrcSepCentre,
    CrcSepMandate,
    Crmr,
    CrmrSite,
    Establishment,
    Hospital,
    MigAllocation,
    Person,
    Region,
)
from .perms import can_edit_in_admin, default_region, registry_access, registry_object_access

PAGE_SIZE = 25


def _active_filters(request, filterset, data) -> list[dict]:
    """The filters in force, each with the link that removes it (DSFR tags)."""
    active = []
    if not filterset.form.is_valid():
        return active
    for name, value in filterset.form.cleaned_data.items():
        if value in (None, ""):
            continue
        field = filterset.form.fields[name]
        if isinstance(value, Model):
            display = str(value)
        elif hasattr(field, "choices"):
            display = dict(field.choices).get(value, value)
        else:
            display = value
        remaining = {k: v for k, v in data.items() if k not in (name, "page") and v}
        remaining[name] = ""
        active.append({"label": field.label, "value": display, "remove_url": "?" + urlencode(remaining)})
    return active


def _registry_list(request, *, selector, filterset_class, template: str, title: str):
    require(registry_access(request.user))
    when = registry_date(request)
    data = request.GET.copy()
    region = default_region(request.user)
    region_defaulted = region is not None and "region" not in data
    if region_defaulted:
        data["region"] = region.code  # an ARS officer starts on the own region ("ma région"); removable
    filterset = filterset_class(data, queryset=selector(when.on), request=request, on=when.on)
    page = Paginator(filterset.qs, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        template,
        {
            "title": title,
            "filter": filterset,
            "page_obj": page,
            "active_filters": _active_filters(request, filterset, data),
            "region_defaulted": region_defaulted,
            "default_region": region,
            "when": when,
        },
    )


@require_GET
@login_required
def index(request):
    require(registry_access(request.user))
    when = registry_date(request)
    region = default_region(request.user)
    return render(
        request,
        "centres/index.html",
        {
            "title": "Registre",
            "counts": selectors.registry_counts(on=when.on),
            "region": region,
            "region_counts": selectors.registry_counts(region, on=when.on) if region else None,
            "when": when,
        },
    )


@require_GET
@login_required
def establishment_list(request):
    return _registry_list(
        request,
        selector=selectors.establishment_list,
        filterset_class=EstablishmentFilter,
        template="centres/establishment_list.html",
        title="Établissements de santé",
    )


@require_GET
@login_required
def crcsep_list(request):
    return _registry_list(
        request,
        selector=selectors.crcsep_list,
        filterset_class=CrcSepFilter,
        template="centres/crcsep_list.html",
        title="Centres de ressources et de compétences SEP",
    )


@require_GET
@login_required
def crmr_list(request):
    return _registry_list(
        request,
        selector=selectors.crmr_list,
        filterset_class=CrmrFilter,
        template="centres/crmr_list.html",
        title="Centres de référence maladies rares",
    )


@require_GET
@login_required
def ccmr_list(request):
    return _registry_list(
        request,
        selector=selectors.ccmr_list,
        filterset_class=CcmrFilter,
        template="centres/ccmr_list.html",
        title="Centres de compétences maladies rares",
    )


@require_GET
@login_required
def person_list(request):
    return _registry_list(
        request,
        selector=selectors.person_list,
        filterset_class=PersonFilter,
        template="centres/person_list.html",
        title="Personnes",
    )


def _detail(request, obj, template: str, context: dict, history_of: list, when=None):
    require(registry_object_access(request.user, obj))
    context = {
        "when": when or registry_date(request),
        "object": obj,
        "title": str(obj),
        "history": selectors.history_rows(*history_of),
        "can_edit": can_edit_in_admin(request.user),
        "admin_url": f"admin:centres_{obj._meta.model_name}_change",
        **context,
    }
    return render(request, template, context)


@require_GET
@login_required
def establishment_detail(request, pk: int):
    establishment = get_object_or_404(Establishment.objects.select_related("region"), pk=pk)
    when = registry_date(request)
    data = selectors.establishment_detail_data(establishment, when.on)
    history = [establishment, Hospital.history.filter(establishment=establishment)]
    return _detail(request, establishment, "centres/establishment_detail.html", data, history, when)


@require_GET
@login_required
def crcsep_detail(request, pk: int):
    centre = get_object_or_404(
        CrcSepCentre.objects.select_related("establishment__region", "hospital", "region", "tranche", "coordinator"),
        pk=pk,
    )
    when = registry_date(request)
    centre.status_at = centre.status_on(when.on)
    data = selectors.crcsep_detail_data(centre, when.on)
    return _detail(
        request, centre, "centres/crcsep_detail.html", data, [centre, CrcSepMandate.history.filter(centre=centre)], when
    )


@require_GET
@login_required
def crmr_detail(request, pk: int):
    crmr = get_object_or_404(Crmr.objects.select_related("filiere"), pk=pk)
    when = registry_date(request)
    data = selectors.crmr_detail_data(crmr, when.on)
    history = [
        crmr,
        CrmrSite.history.filter(crmr=crmr),
        CoordinatorMandate.history.filter(crmr=crmr),
        MigAllocation.history.filter(crmr=crmr),
    ]
    return _detail(request, crmr, "centres/crmr_detail.html", data, history, when)


@require_GET
@login_required
def ccmr_detail(request, pk: int):
    ccmr = get_object_or_404(
        Ccmr.objects.select_related("crmr__filiere", "crmr__coordinating_establishment", "establishment__region"),
        pk=pk,
    )
    when = registry_date(request)
    ccmr.status_at = ccmr.status_on(when.on)
    data = {"events": ccmr.events.select_related("recorded_by")}
    return _detail(request, ccmr, "centres/ccmr_detail.html", data, [ccmr], when)


@require_GET
@login_required
def person_detail(request, pk: int):
    person = get_object_or_404(Person, pk=pk)
    data = {
        "mandates": person.mandates.select_related("crmr", "establishment").order_by("-start"),
        "crcsep_mandates": person.crcsep_mandates.select_related("centre").order_by("-start"),
        "led_sites": person.led_sites.select_related("crmr", "establishment"),
        "ccmrs": person.ccmrs.select_related("crmr", "establishment"),
        "crcsep_centres": person.crc_sep_centres.select_related("establishment"),
    }
    return _detail(request, person, "centres/person_detail.html", data, [person])


@require_GET
@login_required
def quotas(request):
    require(registry_access(request.user))
    table = selectors.quota_table()
    region = default_region(request.user)
    return render(
        request,
        "centres/quotas.html",
        {"title": "Quotas de CRC SEP par région (annexe 2)", "table": table, "own_region": region},
    )


# Like every other export (reporting.exports): French headers, ";" and a BOM (issue 17, item 7).
QUOTA_CSV_HEADERS = ["Code région", "Région", "Tranche", "Quota (annexe 2)", "Labellisés", "En cours", "Restant"]


@require_GET
@login_required
def quotas_csv(request):
    require(registry_access(request.user))
    rows = (
        [row.region_code, row.region, row.tranche, row.quota, row.labelled, row.in_progress, row.remaining]
        for row in selectors.quota_rows()
    )
    return export_response(dataset_from_rows(QUOTA_CSV_HEADERS, rows, title="Quotas CRC SEP"), "csv", "quotas-crc-sep")


# --- The network on a date ---------------------------------------------------------------------------

NETWORK_SECTIONS = {"crmr": "CRMR", "ccmr": "Centres de compétences", "crc-sep": "CRC SEP"}


def _network_dataset(section: str, on, region):
    """Rows of one section of the network on ``on`` (for the page and the CSV/XLSX/ODS export)."""
    if section == "crmr":
        headers = [
            "CRMR",
            "Filière",
            "Coordonnateur",
            "Établissement coordonnateur",
            "Région",
            "Sites constitutifs",
            "Dotation MIG (€)",
        ]
        rows = (
            [
                c.name,
                c.filiere.name,
                c.coordinator or "",
                c.coord_establishment_name or "",
                c.coord_region_name or "",
                ", ".join(s.establishment.name for s in c.sites_on if not s.is_coordinating),
                float(c.mig_on),
            ]
            for c in selectors.network_crmr_rows(on, region)
        )
    elif section == "ccmr":
        headers = ["Centre de compétences", "CRMR", "Établissement", "Région", "Responsable", "En activité depuis le"]
        rows = (
            [
                c.name,
                c.crmr.name,
                c.establishment.name,
                c.establishment.region.name,
                c.team_lead or "",
                c.created_on,
            ]
            for c in selectors.network_ccmr_rows(on, region)
        )
    else:
        headers = ["CRC SEP", "Établissement", "Région", "Tranche", "Coordonnateur", "Labellisé le"]
        rows = (
            [
                c.name,
                c.establishment.name,
                c.region.name,
                c.tranche.label,
                c.mandates_on[0].person if c.mandates_on else "",
                c.labelled_on,
            ]
            for c in selectors.network_crcsep_rows(on, region)
        )
    return headers, rows


@require_GET
@login_required
def network(request):
    """ "Le réseau au …": CRMR (coordinator, coordinating and constitutive sites, MIG), CCMR and CRC SEP in
    force on the date read, one section at a time, exportable."""
    require(registry_access(request.user))
    when = registry_date(request)
    section = request.GET.get("section") or "crmr"
    if section not in NETWORK_SECTIONS:
        raise Http404
    region = Region.objects.filter(code=request.GET.get("region")).first() if request.GET.get("region") else None
    fmt = requested_format(request)
    if fmt:
        headers, rows = _network_dataset(section, when.on, region)
        title = f"{NETWORK_SECTIONS[section]} au {when.on:%d-%m-%Y}"
        filename = f"reseau-{section}-au-{when.on.isoformat()}" + (f"-{region.code}" if region else "")
        return export_response(dataset_from_rows(headers, rows, title), fmt, filename)
    getter = {
        "crmr": selectors.network_crmr_rows,
        "ccmr": selectors.network_ccmr_rows,
        "crc-sep": selectors.network_crcsep_rows,
    }[section]
    page = Paginator(getter(when.on, region), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "centres/network.html",
        {
            "title": f"Le réseau au {when.on:%d/%m/%Y}",
            "when": when,
            "section": section,
            "section_label": NETWORK_SECTIONS[section],
            "sections": NETWORK_SECTIONS,
            "region": region,
            "regions": Region.objects.order_by("name"),
            "own_region": default_region(request.user),
            "page_obj": page,
        },
    )
