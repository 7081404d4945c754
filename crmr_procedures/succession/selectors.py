"""Reads of the succession procedure: each role's inbox (Annexe 1, who acts when)."""

from __future__ import annotations

from django.db.models import Exists, F, OuterRef, Q, QuerySet

from accounts.services import coordinated_crmrs
from centres.models import CrmrSite

from .models import Project, RegionalCall, Succession
from .states import AWAITING_ROLE, State


def _base() -> QuerySet[Succession]:
    return Succession.objects.select_related(
        "crmr", "crmr__filiere", "former_coordinator", "former_establishment", "successor"
    )


def _states_for(role: str) -> list[str]:
    return [state for state, who in AWAITING_ROLE.items() if who == role]


def _has_site(**lookups) -> Exists:
    """The succession's CRMR has a site matching ``lookups`` (a semi-join: no duplicate rows, no DISTINCT)."""
    return Exists(CrmrSite.objects.filter(crmr=OuterRef("crmr_id"), **lookups))


def _has_call(**lookups) -> Exists:
    """The succession has a regional call for projects matching ``lookups`` (a semi-join, as above)."""
    return Exists(RegionalCall.objects.filter(succession=OuterRef("pk"), **lookups))


def succession_inbox(user) -> QuerySet[Succession]:
    """The successions a user deals with, those waiting for him or her first (by notice deadline)."""
    qs = _base()
    if user.is_dgos or user.is_platform_admin:
        # Drafts are the coordinator's (no waiver of the 6-month notice for DGOS to grant).
        return qs.exclude(state=State.DRAFT).order_by(F("effective_on").asc(nulls_last=True), "-created_at")
    if user.is_gp:
        return qs.exclude(state=State.DRAFT).order_by(F("session_date").asc(nulls_last=True), "effective_on")
    if user.is_coordinator:
        return qs.filter(crmr__in=coordinated_crmrs(user)).order_by("-created_at")
    if user.is_ars:
        return (
            qs.exclude(state=State.DRAFT)
            .filter(_has_call(region=user.region_id) | _has_site(establishment__region=user.region_id))
            .order_by(F("effective_on").asc(nulls_last=True), "-created_at")
        )
    if user.is_establishment:
        est = user.establishment_id
        return (
            qs.exclude(state=State.DRAFT)
            .filter(
                Q(former_establishment=est)
                | Q(successor_establishment=est)
                | _has_site(establishment=est)
                | Exists(Project.objects.filter(succession=OuterRef("pk"), establishment=est))
            )
            .order_by("-created_at")
        )
    return qs.none()


def waiting_for(user, qs: QuerySet[Succession]) -> QuerySet[Succession]:
    """Of ``qs``, those where the user's role must act now."""
    if user.is_dgos:
        return qs.filter(state__in=_states_for("dgos"))
    if user.is_gp:
        return qs.filter(state__in=_states_for("gp"))
    if user.is_ars:
        return qs.filter(_has_call(region=user.region_id, transmitted_at__isnull=True), state=State.CALL_OPEN)
    if user.is_coordinator:
        return qs.filter(state__in=_states_for("coordinator"))
    return qs.none()


def projects_awaiting_opinion() -> QuerySet[Project]:
    return Project.objects.filter(
        succession__state=State.PROJECTS_RECEIVED, transmitted_at__isnull=False, gp_opinion=""
    ).select_related("succession__crmr", "candidate", "establishment", "region")


def succession_waiting_count(user) -> int:
    return waiting_for(user, succession_inbox(user)).count() if user.is_authenticated else 0


def awaiting_bulk(successions, directory):
    """``perms.awaiting`` of many successions at once: (succession, account pks), from ``accounts.directory``
    and one read of the calls for projects still open."""
    from accounts.models import Role

    def open_calls() -> dict:
        regions = {}
        for succession_id, region_id in RegionalCall.objects.filter(transmitted_at__isnull=True).values_list(
            "succession_id", "region_id"
        ):
            regions.setdefault(succession_id, []).append(region_id)
        return regions

    # only what this, ``__str__`` and the alerts read (a deferred field would cost a query per succession)
    successions = successions.select_related("crmr").only("state", "effective_on", "crmr__name")
    for succession in successions.filter(state__in=list(AWAITING_ROLE)):
        role = AWAITING_ROLE[succession.state]
        if role == "coordinator":
            yield succession, directory.crmr_coordinators(succession.crmr_id)
        elif role == "ars":
            calls = directory.cached("succession_open_calls", open_calls).get(succession.pk, ())
            yield succession, [pk for region_id in calls for pk in directory.in_region(Role.ARS, region_id)]
        else:
            yield succession, directory.with_role(role)
