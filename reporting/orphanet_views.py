"""Orphanet feed pages: the list for DGOS (and an ARS, read-only, for its region), exports, and the
recording of a communication."""

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from centres.dating import parse_registry_date
from centres.models import OrphanetNotice
from core.exports import dataset_from_rows, export_response, requested_format
from core.perms import Access, require

from .forms import OrphanetCommunicationForm
from .orphanet import ORPHANET_KINDS, orphanet_events
from .perms import orphanet_access
from .services import orphanet_notice_record


def _since(request):
    try:
        return datetime.date.fromisoformat(request.GET.get("since", ""))
    except ValueError:
        return None


@login_required
def orphanet(request):
    access = orphanet_access(request.user)
    require(access, Access.READ)
    pending = {"a-communiquer": True, "communiques": False}.get(request.GET.get("statut", ""))
    when = parse_registry_date(request.GET.get("date"))
    events = orphanet_events(
        request.user,
        since=_since(request),
        pending=pending,
        kind=request.GET.get("kind", ""),
        on=when.on if request.GET.get("date") and not when.error else None,
    )
    if fmt := requested_format(request):
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
        rows = []
        for e in events:
            notice = getattr(e, "orphanet_notice", None)
            rows.append(
                [
                    e.get_kind_display(),
                    e.effective_on,
                    e.summary,
                    e.crmr or "",
                    e.ccmr or "",
                    e.letter_reference,
                    notice.communicated_on if notice else "",
                    notice.reference if notice else "",
                ]
            )
        return export_response(dataset_from_rows(headers, rows, "Orphanet"), fmt, "orphanet")
    page = Paginator(events, 25).get_page(request.GET.get("page"))
    return render(
        request,
        "reporting/orphanet.html",
        {
            "title": _("Information d'Orphanet"),
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
        messages.success(request, _("La communication à Orphanet est enregistrée."))
    else:
        messages.error(request, _("Indiquez la date et la référence de la communication."))
    return redirect("reporting:orphanet")
