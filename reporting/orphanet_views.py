"""Orphanet feed pages: the list for DGOS (and an ARS, read-only, for its region), exports, and the
recording of a communication."""

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from centres.dating import parse_registry_date
from centres.models import OrphanetNotice
from core.exports import EXPORT_CHUNK, Table, requested_format, table_export
from core.perms import Access, require

from .forms import OrphanetCommunicationForm
from .orphanet import ORPHANET_KINDS, orphanet_events
from .perms import orphanet_access
from .services import orphanet_notice_record


def _since(params):
    try:
        return datetime.date.fromisoformat(params.get("since", ""))
    except ValueError:
        return None


def _events(user, params):
    pending = {"a-communiquer": True, "communiques": False}.get(params.get("statut", ""))
    when = parse_registry_date(params.get("date"))
    return orphanet_events(
        user,
        since=_since(params),
        pending=pending,
        kind=params.get("kind", ""),
        on=when.on if params.get("date") and not when.error else None,
    )


def orphanet_export_table(user, params) -> Table:
    """The feed the page shows (same scope and filters), every row, read by chunks (core.exports)."""
    events = _events(user, params)
    headers = [
        "Nature",
        "Date d'effet",
        "Résumé",
        "CRMR",
        "Centre de compétences",
        "Référence du courrier",
        "Communiqué le",
        "Référence de la communication",
    ]

    def row(e):
        notice = getattr(e, "orphanet_notice", None)
        return [
            e.get_kind_display(),
            e.effective_on,
            e.summary,
            e.crmr or "",
            e.ccmr or "",
            e.letter_reference,
            notice.communicated_on if notice else "",
            notice.reference if notice else "",
        ]

    return Table(headers, (row(e) for e in events.iterator(chunk_size=EXPORT_CHUNK)), "Orphanet", "orphanet")


@login_required
def orphanet(request):
    access = orphanet_access(request.user)
    require(access, Access.READ)
    if fmt := requested_format(request):
        return table_export(request, orphanet_export_table, fmt)
    events = _events(request.user, request.GET)
    when = parse_registry_date(request.GET.get("date"))
    page = Paginator(events, 25).get_page(request.GET.get("page"))
    return render(
        request,
        "reporting/orphanet.html",
        {
            "title": "Information d'Orphanet",
            "page_obj": page,
            "can_record": access == Access.WRITE,
            "form": OrphanetCommunicationForm(initial={"communicated_on": datetime.date.today()}),
            "kinds": [(k.value, k.label) for k in ORPHANET_KINDS],
            "filters": request.GET,
            "when": when,
        },
    )


@login_required
@require_POST
def orphanet_record(request, pk):
    require(orphanet_access(request.user), Access.WRITE)
    notice = get_object_or_404(OrphanetNotice.objects.select_related("event"), pk=pk)
    form = OrphanetCommunicationForm(request.POST)
    if form.is_valid():
        orphanet_notice_record(notice=notice, user=request.user, **form.cleaned_data)
        messages.success(request, "La communication à Orphanet est enregistrée.")
    else:
        messages.error(request, "Indiquez la date et la référence de la communication.")
    return redirect("reporting:orphanet")
