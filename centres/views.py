"""Registry pages: home, lists with search and filters, details with history, the Annexe 2 quota table.

Read-only for every signed-in account (see ``perms.py``); writes go through the Django admin."""

from __future__ import annotations

import csv

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Model
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils.http import urlencode
from django.views.decorators.http import require_GET

from core.perms import require
from reporting.exports import neutralise_row

from . import selectors
from .filters import CcmrFilter, CrcSepFilter, CrmrFilter, EstablishmentFilter, PersonFilter
from .models import Ccmr, CrcSepCentre, Crmr, CrmrSite, Establishment, Hospital, Person
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


def _registry_list(request, *, queryset, filterset_class, template: str, title: str):
    require(registry_access(request.user))
    data = request.GET.copy()
    region = default_region(request.user)
    region_defaulted = region is not None and "region" not in data
    if region_defaulted:
        data["region"] = region.code  # an ARS officer starts on the own region; removable
    filterset = filterset_class(data, queryset=queryset, request=request)
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
        },
    )


@require_GET
@login_required
def index(request):
    require(registry_access(request.user))
    region = default_region(request.user)
    return render(
        request,
        "centres/index.html",
        {
            "title": "Registre",
            "counts": selectors.registry_counts(),
            "region": region,
            "region_counts": selectors.registry_counts(region) if region else None,
        },
    )


@require_GET
@login_required
def establishment_list(request):
    return _registry_list(
        request,
        queryset=selectors.establishment_list(),
        filterset_class=EstablishmentFilter,
        template="centres/establishment_list.html",
        title="Établissements de santé",
    )


@require_GET
@login_required
def crcsep_list(request):
    return _registry_list(
        request,
        queryset=selectors.crcsep_list(),
        filterset_class=CrcSepFilter,
        template="centres/crcsep_list.html",
        title="Centres de ressources et de compétences SEP",
    )


@require_GET
@login_required
def crmr_list(request):
    return _registry_list(
        request,
        queryset=selectors.crmr_list(),
        filterset_class=CrmrFilter,
        template="centres/crmr_list.html",
        title="Centres de référence maladies rares",
    )


@require_GET
@login_required
def ccmr_list(request):
    return _registry_list(
        request,
        queryset=selectors.ccmr_list(),
        filterset_class=CcmrFilter,
        template="centres/ccmr_list.html",
        title="Centres de compétences maladies rares",
    )


@require_GET
@login_required
def person_list(request):
    return _registry_list(
        request,
        queryset=selectors.person_list(),
        filterset_class=PersonFilter,
        template="centres/person_list.html",
        title="Personnes",
    )


def _detail(request, obj, template: str, context: dict, history_of: list):
    require(registry_object_access(request.user, obj))
    context = {
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
    data = selectors.establishment_detail_data(establishment)
    history = [establishment, Hospital.history.filter(establishment=establishment)]
    return _detail(request, establishment, "centres/establishment_detail.html", data, history)


@require_GET
@login_required
def crcsep_detail(request, pk: int):
    centre = get_object_or_404(
        CrcSepCentre.objects.select_related("establishment__region", "hospital", "region", "tranche", "coordinator"),
        pk=pk,
    )
    data = {"events": centre.events.select_related("recorded_by")}
    return _detail(request, centre, "centres/crcsep_detail.html", data, [centre])


@require_GET
@login_required
def crmr_detail(request, pk: int):
    crmr = get_object_or_404(Crmr.objects.select_related("filiere", "coordinating_establishment__region"), pk=pk)
    data = selectors.crmr_detail_data(crmr)
    history = [crmr, CrmrSite.history.filter(crmr=crmr)]
    return _detail(request, crmr, "centres/crmr_detail.html", data, history)


@require_GET
@login_required
def ccmr_detail(request, pk: int):
    ccmr = get_object_or_404(
        Ccmr.objects.select_related("crmr__filiere", "crmr__coordinating_establishment", "establishment__region"),
        pk=pk,
    )
    data = {"events": ccmr.events.select_related("recorded_by")}
    return _detail(request, ccmr, "centres/ccmr_detail.html", data, [ccmr])


@require_GET
@login_required
def person_detail(request, pk: int):
    person = get_object_or_404(Person, pk=pk)
    data = {
        "mandates": person.mandates.select_related("crmr", "establishment").order_by("-start"),
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


CSV_COLUMNS = ["region_code", "region", "tranche", "quota", "labelled", "in_progress", "remaining"]


@require_GET
@login_required
def quotas_csv(request):
    require(registry_access(request.user))
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="quotas-crc-sep.csv"'
    writer = csv.writer(response, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for row in selectors.quota_rows():
        writer.writerow(
            neutralise_row(
                [row.region_code, row.region, row.tranche, row.quota, row.labelled, row.in_progress, row.remaining]
            )
        )
    return response
