"""Who reads and writes an annual activity report: the centre's team, its direction, its ARS, the DGOS."""

from __future__ import annotations

from core.perms import Access

from .states import State


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
    return report.state == State.DRAFT and _is_team(user, report.centre)


def may_edit_administrative(user, report) -> bool:
    """The direction fills the DIM/DAF part until it validates (draft or transmitted)."""
    return report.state in (State.DRAFT, State.SUBMITTED) and _is_direction(user, report.centre)


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


# --- Transition permissions: callables of (report, user), named in the transitions of models.py -------


def may_act_as_team(report, user) -> bool:
    """The account of the centre's team (Annexe 1 §4, "l'équipe en charge du centre")."""
    return bool(user.is_authenticated and _is_team(user, report.centre))


def may_act_as_direction(report, user) -> bool:
    return bool(user.is_authenticated and _is_direction(user, report.centre))


def may_act_as_region_ars(report, user) -> bool:
    return bool(user.is_authenticated and user.is_ars and user.region_id == report.centre.region_id)


def awaiting(report) -> list:
    """The accounts that must act now on ``report`` (inboxes, notifications, alerts)."""
    from accounts.models import Role, User

    if report.state == State.DRAFT:
        return list(User.objects.filter(role=Role.CRCSEP_TEAM, crc_sep_centre_id=report.centre_id, is_active=True))
    if report.state == State.SUBMITTED:
        return list(
            User.objects.filter(
                role=Role.ESTABLISHMENT, establishment_id=report.centre.establishment_id, is_active=True
            )
        )
    if report.state == State.VALIDATED:
        return list(User.objects.filter(role=Role.ARS, region_id=report.centre.region_id, is_active=True))
    return []
