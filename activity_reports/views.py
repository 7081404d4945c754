"""Annual activity reports of the CRC SEP (2016 instruction, Annexe 1 §4): list, form, OFSEP bilan, workflow."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from centres.models import CrcSepCentre, Region
from core.exports import EXPORT_CHUNK, Table, requested_format, table_export
from core.perms import Access, require
from core.storage import private_file_response
from core.workflow import TransitionRefused, act, available_actions, dossier_or_404, refusal_messages, timeline

from .forms import ActivityReportForm, AdministrativePartForm, OfsepBilanForm
from .models import ActivityReport, OfsepBilan
from .perms import (
    activity_centre_access,
    activity_centres_visible,
    activity_report_access,
    activity_reports_visible,
    may_edit_activity,
    may_edit_administrative,
)
from .selectors import activity_report_comparison, last_activity_year
from .services import activity_report_attach_bilan, activity_report_start, activity_report_update


def _report_for(request, pk, needed=Access.READ) -> tuple[ActivityReport, Access]:
    report = dossier_or_404(request.user, ActivityReport, pk, needed)
    return report, activity_report_access(request.user, report)


def _reports_listed(user, params):
    reports = activity_reports_visible(user, ActivityReport.objects.all()).select_related(
        "centre__region", "centre__establishment"
    )
    year, state, region = params.get("year", ""), params.get("state", ""), params.get("region", "")
    if year.isdigit():
        reports = reports.filter(year=int(year))
    if state in ActivityReport.State.values:
        reports = reports.filter(state=state)
    if region:
        reports = reports.filter(centre__region__code=region)
    return reports


def report_export_table(user, params) -> Table:
    """The list the page shows (same scope and filters), every row, read by chunks (core.exports)."""
    reports = _reports_listed(user, params)
    fields = (*ActivityReport.FIGURE_FIELDS, *ActivityReport.ADMINISTRATIVE_FIELDS)  # §4: DIM/DAF part too
    headers = ["Année", "CRC SEP", "Région", "Établissement", "État"] + [
        str(ActivityReport._meta.get_field(f).verbose_name) for f in fields
    ]
    rows = (
        [r.year, r.centre.name, r.centre.region.name, r.centre.establishment.name, r.get_state_display()]
        + [getattr(r, f) for f in fields]
        for r in reports.iterator(chunk_size=EXPORT_CHUNK)
    )
    return Table(headers, rows, "Rapports d'activité", "rapports-activite", count=reports.count)


@login_required
def report_list(request):
    user = request.user
    if not (user.is_dgos or user.is_platform_admin or user.is_ars or user.is_establishment or user.is_crcsep_team):
        raise Http404
    year, state, region = request.GET.get("year", ""), request.GET.get("state", ""), request.GET.get("region", "")
    reports = _reports_listed(user, request.GET)
    if fmt := requested_format(request):
        return table_export(request, report_export_table, fmt)
    page = Paginator(reports, 25).get_page(request.GET.get("page"))
    centres = []
    if request.user.is_establishment or request.user.is_crcsep_team:
        centres = activity_centres_visible(request.user, CrcSepCentre.objects.filter(status="labelled"))
    return render(
        request,
        "activity_reports/report_list.html",
        {
            "title": "Rapports annuels d'activité",
            "page_obj": page,
            "centres": centres,
            "default_year": last_activity_year(),
            "states": ActivityReport.State.choices,
            "regions": Region.objects.all() if not request.user.is_ars else [],
            "filters": {"year": year, "state": state, "region": region},
        },
    )


@login_required
@require_POST
def report_start(request):
    centre = get_object_or_404(CrcSepCentre.objects.select_related("establishment"), pk=request.POST.get("centre"))
    require(activity_centre_access(request.user, centre), Access.WRITE)
    try:
        year = int(request.POST.get("year", ""))
        report = activity_report_start(centre=centre, year=year, user=request.user)
    except (ValueError, ValidationError) as exc:
        messages.error(request, " ".join(getattr(exc, "messages", ["Année invalide."])))
        return redirect("activity_reports:report_list")
    return redirect("activity_reports:report_edit", report.pk)


@login_required
def report_detail(request, pk):
    report, access = _report_for(request, pk)
    previous, rows = activity_report_comparison(report)
    return render(
        request,
        "activity_reports/report_detail.html",
        {
            "title": str(report),
            "report": report,
            "previous": previous,
            "rows": rows,
            "can_edit": may_edit_activity(request.user, report),
            "can_edit_administrative": may_edit_administrative(request.user, report),
            "mission_rows": _mission_rows(rows),
            "administrative": [
                (ActivityReport._meta.get_field(name).verbose_name, getattr(report, name))
                for name in ActivityReport.ADMINISTRATIVE_FIELDS
            ],
            "bilans": report.ofsep_bilans.all(),
            "actions": available_actions(report, request.user),
            "action_url": reverse("activity_reports:report_action", args=[report.pk]),
            "timeline": timeline(report),
        },
    )


def _mission_rows(rows) -> list[tuple[str, list]]:
    """The comparison rows grouped by mission of Annexe 1 §2 (the §4 report is "la mise en œuvre de leurs
    missions")."""
    by_name = dict(zip(ActivityReport.FIGURE_FIELDS, rows, strict=True))
    return [(legend, [by_name[name] for name in names if name in by_name]) for legend, names in ActivityReport.MISSIONS]


def _require_part(allowed: bool) -> None:
    """Within scope (checked first: outsiders got 404) but not this part's writer now: 403."""
    if not allowed:
        raise PermissionDenied


@login_required
def report_edit(request, pk):
    """The team's part: activity per mission (Annexe 1 §4, "l'équipe en charge du centre")."""
    report, _access = _report_for(request, pk)
    _require_part(may_edit_activity(request.user, report))
    form = ActivityReportForm(request.POST or None, instance=report)
    if request.method == "POST" and form.is_valid():
        activity_report_update(report=report, form=form, user=request.user)
        messages.success(request, "Le rapport a été enregistré.")
        return redirect(report)
    return render(
        request,
        "activity_reports/report_form.html",
        {"title": f"Saisir le {report}", "report": report, "form": form, "bilan_form": OfsepBilanForm()},
    )


@login_required
def report_administrative_edit(request, pk):
    """The direction's part: DIM and DAF (Annexe 1 §4, "services administratifs compétents")."""
    report, _access = _report_for(request, pk)
    _require_part(may_edit_administrative(request.user, report))
    form = AdministrativePartForm(request.POST or None, instance=report)
    if request.method == "POST" and form.is_valid():
        activity_report_update(report=report, form=form, user=request.user)
        messages.success(request, "Le volet DIM / DAF a été enregistré.")
        return redirect(report)
    return render(
        request,
        "activity_reports/report_administrative_form.html",
        {"title": f"Volet DIM / DAF — {report}", "report": report, "form": form},
    )


@login_required
@require_POST
def report_bilan_upload(request, pk):
    report, _access = _report_for(request, pk)
    _require_part(may_edit_activity(request.user, report))
    form = OfsepBilanForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            activity_report_attach_bilan(
                report=report,
                semester=form.cleaned_data["semester"],
                upload=form.cleaned_data["file"],
                user=request.user,
            )
            messages.success(request, "Le bilan OFSEP a été joint au rapport.")
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
    else:
        # Say why (e.g. "Le fichier soumis est vide."), not only what was expected.
        reasons = [error for errors in form.errors.values() for error in errors]
        messages.error(request, " ".join(["Choisissez le semestre et un fichier PDF.", *reasons]))
    return redirect("activity_reports:report_edit", report.pk)


@login_required
def report_bilan_download(request, pk, bilan_pk):
    report, _access = _report_for(request, pk)
    bilan = get_object_or_404(OfsepBilan, pk=bilan_pk, report=report)
    return private_file_response(bilan.file, filename=bilan.original_name, content_type="application/pdf")


@login_required
@require_POST
def report_action(request, pk):
    report, _access = _report_for(request, pk)
    try:
        act(
            report,
            request.POST.get("transition", ""),
            user=request.user,
            comment=request.POST.get("comment", ""),
            from_button=True,
        )
    except TransitionRefused as refused:
        refusal_messages(request, refused)
        return redirect(report)
    report.refresh_from_db()
    messages.success(request, f"Action effectuée : le rapport est désormais « {report.get_state_display()} ».")
    return redirect(report)
