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
from django.urls import reverse
from django.utils.http import urlencode
from django.views.decorators.http import require_GET

from core.exports import EXPORT_CHUNK, Table, requested_format, stream_csv_response, table_export
from core.perms import require

from . import selectors
from .dating import parse_registry_date, registry_date
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
from .network_map import map_shapes as network_map_shapes
from .network_map import place as place_on_map
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


# Like every other export (core.exports): French headers, ";" and a BOM (issue 17, item 7).
QUOTA_CSV_HEADERS = ["Code région", "Région", "Tranche", "Quota (annexe 2)", "Labellisés", "En cours", "Restant"]


@require_GET
@login_required
def quotas_csv(request):
    require(registry_access(request.user))
    rows = (
        [row.region_code, row.region, row.tranche, row.quota, row.labelled, row.in_progress, row.remaining]
        for row in selectors.quota_rows()
    )
    return stream_csv_response(QUOTA_CSV_HEADERS, rows, "quotas-crc-sep")


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
            for c in selectors.network_crmr_rows(on, region).iterator(chunk_size=EXPORT_CHUNK)
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
            for c in selectors.network_ccmr_rows(on, region).iterator(chunk_size=EXPORT_CHUNK)
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
            for c in selectors.network_crcsep_rows(on, region).iterator(chunk_size=EXPORT_CHUNK)
        )
    return headers, rows


def network_export_table(user, params) -> Table:
    """One section of the network on the date read (the registry is readable by every signed-in user)."""
    when = parse_registry_date(params.get("date"))
    section = params.get("section") or "crmr"
    region = Region.objects.filter(code=params.get("region")).first() if params.get("region") else None
    headers, rows = _network_dataset(section, when.on, region)
    title = f"{NETWORK_SECTIONS[section]} au {when.on:%d-%m-%Y}"
    filename = f"reseau-{section}-au-{when.on.isoformat()}" + (f"-{region.code}" if region else "")
    return Table(headers, rows, title, filename)


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
        return table_export(request, network_export_table, fmt)
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


# --- The network map (issue 17, item 4) ----------------------------------------------------------------


def _map_label(region: selectors.MapRegion, own: bool) -> str:
    """The accessible name of a region's shape: its figures, not its colour."""
    quota = (
        f"{region.labelled} CRC SEP labellisé(s) sur un quota de {region.quota}"
        if region.quota
        else (f"{region.labelled} CRC SEP labellisé(s), pas de quota à l'annexe 2")
    )
    mine = " (votre région)" if own else ""
    return (
        f"{region.name}{mine} : {quota}, {region.crmr_sites} site(s) de CRMR, {region.ccmr} centre(s) de "
        "compétences. Ouvrir le registre de la région."
    )


MARKER_SIZE = 26  # half the side of a marker, in the drawing's units (about 9 px on a desktop screen)


def _move_figures_off_markers(regions: list[dict], markers: list[dict]) -> None:
    """A region's figures move below a marker they would cover (the markers stay at their city)."""
    for region in regions:
        if region["label_x"] is None:
            continue
        for marker in markers:
            if (
                abs(marker["x"] - region["label_x"]) < 3 * MARKER_SIZE
                and abs(marker["y"] - region["label_y"]) < 2 * MARKER_SIZE
            ):
                region["label_y"] = marker["y"] + 3 * MARKER_SIZE


@require_GET
@login_required
def network_map(request):
    """The network on a date as a map of the regions: CRC SEP labelled against the Annexe 2 quota, CRMR sites
    and CCMR placed at their establishment's city; each region opens its registry (the network page filtered
    on it, at the same date). The table beside it carries the same figures."""
    require(registry_access(request.user))
    when = registry_date(request)
    own_region = default_region(request.user)
    shapes = network_map_shapes()
    dated = {"date": when.param} if when.param else {}
    regions = []
    for region in selectors.network_map_regions(when.on):
        own = own_region is not None and region.code == own_region.code
        query = urlencode({"region": region.code, **dated})
        label_x, label_y = shapes.labels.get(region.code, (None, None))
        regions.append(
            {
                "figures": region,
                "own": own,
                "path": shapes.paths.get(region.code, ""),
                "label_x": label_x,
                "label_y": label_y,
                "inset": shapes.insets.get(region.code),
                "accessible_name": _map_label(region, own),
                "registry_url": f"{reverse('centres:network')}?{query}",
                "lists_query": query,
            }
        )
    markers, unplaced = [], []
    for establishment in selectors.network_map_establishments(when.on):
        if establishment.latitude is None or establishment.longitude is None:
            unplaced.append(establishment)
            continue
        x, y = place_on_map(establishment.latitude, establishment.longitude, establishment.region_code)
        # Side by side when the establishment hosts both: the circle (CRMR sites) left, the square (CCMR) right.
        both = bool(establishment.crmr_sites and establishment.ccmr)
        markers.append(
            {
                "establishment": establishment,
                "x": x,
                "y": y,
                "circle_x": x - MARKER_SIZE if both else x,
                "square_x": x + MARKER_SIZE if both else x,
                "square_left": x if both else x - MARKER_SIZE,
                "square_top": y - MARKER_SIZE,
            }
        )
    _move_figures_off_markers(regions, markers)
    totals = {
        key: sum(getattr(r["figures"], key) for r in regions) for key in ("quota", "labelled", "crmr_sites", "ccmr")
    }
    return render(
        request,
        "centres/network_map.html",
        {
            "title": f"Carte du réseau au {when.on:%d/%m/%Y}",
            "when": when,
            "view_box": shapes.view_box,
            "regions": regions,
            # The own region drawn last, so that no neighbour covers its thick outline.
            "shapes_in_order": sorted(regions, key=lambda r: r["own"]),
            "markers": markers,
            "unplaced": unplaced,
            "totals": totals,
            "own_region": own_region,
            "marker_size": MARKER_SIZE,
            "marker_side": 2 * MARKER_SIZE,
        },
    )
