"""Who reads and writes an annual activity report: the centre's team, its direction, its ARS, the DGOS."""

from __future__ import annotations

from core.perms import Access


def _is_team(user, centre) -> bool:
    return bool(user.is_crcsep_team and user.crc_sep_centre_id == centre.pk)


def _is_direction(user, centre) -> bool:
    return bool(user.is_establishment and user.establishment_id == centre.establishment_id)


def activity_centre_access(user, centre) -> Access:
    """May ``user`` see (READ) or file (WRITE: open a report, fill its part) the reports of a CRC SEP?"""
    if not user.is_authenticated or centre is None:
        return Access.NONE
    if _is_team(user, centre) or _is_direction(user, centre):
        return Access.WRITE
    if user.is_dgos or user.is_platform_admin:
        return Access.READ
    if user.is_ars and user.region_id == centre.region_id:
        return Access.READ
    return Access.NONE


def may_edit_activity(user, report) -> bool:
    """The team fills the activity per mission and the OFSEP bilan while the report is a draft."""
    return report.state == report.State.DRAFT and _is_team(user, report.centre)


def may_edit_administrative(user, report) -> bool:
    """The direction fills the DIM/DAF part until it validates (draft or transmitted)."""
    return report.state in (report.State.DRAFT, report.State.SUBMITTED) and _is_direction(user, report.centre)


def activity_report_access(user, report) -> Access:
    """WRITE while the user may fill a part of the report now, READ otherwise (within scope)."""
    access = activity_centre_access(user, report.centre)
    if access == Access.WRITE and not (may_edit_activity(user, report) or may_edit_administrative(user, report)):
        return Access.READ
    return access


def activity_reports_visible(user, queryset):
    """The reports (or centres, with ``prefix=""``) a user may list: same rules as above."""
    return _scope(user, queryset, "centre__")


def activity_centres_visible(user, queryset):
    return _scope(user, queryset, "")


def _scope(user, queryset, prefix: str):
    if not user.is_authenticated:
        return queryset.none()
    if user.is_dgos or user.is_platform_admin:
        return queryset
    if user.is_ars:
        return queryset.filter(**{f"{prefix}region_id": user.region_id})
    if user.is_establishment:
        return queryset.filter(**{f"{prefix}establishment_id": user.establishment_id})
    if user.is_crcsep_team:
        return queryset.filter(**{f"{prefix}pk": user.crc_sep_centre_id})
    return queryset.none()
