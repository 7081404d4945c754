"""Reads of the pilotage part: report comparison, reports due, letter lists."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.utils import timezone

from centres.models import CrcSepCentre

from .models import ActivityReport
from .states import State

# A labelled centre's report for year N is expected by 30 June of N+1 (our reading of §4 "annuellement").
REPORT_DUE_MONTH_DAY = (6, 30)


@dataclass(frozen=True)
class ComparisonRow:
    label: str
    current: int | None
    previous: int | None

    @property
    def difference(self) -> int | None:
        if self.current is None or self.previous is None:
            return None
        return self.current - self.previous

    @property
    def percent(self) -> str:
        diff = self.difference
        if not diff or not self.previous:
            return ""
        return f"{diff / self.previous:+.0%}".replace("%", " %")


def activity_report_comparison(report: ActivityReport) -> tuple[ActivityReport | None, list[ComparisonRow]]:
    """The report beside the previous year's report of the same centre, figure by figure."""
    previous = ActivityReport.objects.filter(centre_id=report.centre_id, year=report.year - 1).first()
    rows = [
        ComparisonRow(
            label=_sentence(ActivityReport._meta.get_field(name).verbose_name),
            current=getattr(report, name),
            previous=getattr(previous, name) if previous else None,
        )
        for name in ActivityReport.FIGURE_FIELDS
    ]
    return previous, rows


def report_due_date(year: int) -> datetime.date:
    month, day = REPORT_DUE_MONTH_DAY
    return datetime.date(year + 1, month, day)


def centres_owing_report(year: int, centres=None):
    """The centres that owe a report for ``year`` (Annexe 1 §4): labelled now, and before the end of ``year``."""
    centres = centres if centres is not None else CrcSepCentre.objects.all()
    return centres.filter(status=CrcSepCentre.Status.LABELLED, labelled_on__lte=datetime.date(year, 12, 31))


def centres_missing_report(year: int, centres=None):
    """Labelled centres (labelled before the end of ``year``) with no confirmed report for ``year``."""
    return (
        centres_owing_report(year, centres)
        .exclude(activity_reports__year=year, activity_reports__state=ActivityReport.State.CONFIRMED)
        .select_related("region", "establishment")
    )


def last_activity_year(today: datetime.date | None = None) -> int:
    return (today or timezone.localdate()).year - 1


def _sentence(text) -> str:
    """Capitalise the first letter only (keeps acronyms such as RCP, ETP, OFSEP)."""
    text = str(text)
    return text[:1].upper() + text[1:]


def awaiting_bulk(reports, directory):
    """``perms.awaiting`` of many reports at once: (report, account pks), from ``accounts.directory``."""
    from accounts.models import Role

    awaited = (State.DRAFT, State.SUBMITTED, State.VALIDATED)
    # only what this and ``__str__`` read (a deferred field would cost a query per report)
    reports = reports.select_related("centre").only(
        "state", "year", "centre__name", "centre__establishment", "centre__region"
    )
    for report in reports.filter(state__in=awaited):
        if report.state == State.DRAFT:
            yield report, directory.in_centre(Role.CRCSEP_TEAM, report.centre_id)
        elif report.state == State.SUBMITTED:
            yield report, directory.in_establishment(Role.ESTABLISHMENT, report.centre.establishment_id)
        else:
            yield report, directory.in_region(Role.ARS, report.centre.region_id)
