"""Reads of the CRC SEP labellisation: inboxes scoped to the viewer, with counts per state."""

from __future__ import annotations

from django.db.models import Count, QuerySet

from .models import Application
from .states import EDITABLE_STATES, State


def applications_visible_to(user) -> QuerySet[Application]:
    """The applications the user may see (same scope as ``perms.application_access``)."""
    qs = Application.objects.select_related("establishment", "hospital", "region", "tranche")
    if not getattr(user, "is_authenticated", False):
        return qs.none()
    if user.is_ars and user.region_id:
        return qs.filter(region_id=user.region_id)
    if user.is_establishment and user.establishment_id:
        return qs.filter(establishment_id=user.establishment_id)
    if user.is_dgos or user.is_platform_admin:
        return qs
    return qs.none()


def applications_filtered(user, *, state: str = "", tranche: str = "") -> QuerySet[Application]:
    qs = applications_visible_to(user)
    if state in Application.State.values:
        qs = qs.filter(state=state)
    if tranche.isdigit():
        qs = qs.filter(tranche__number=int(tranche))
    return qs.order_by("-updated_at", "-pk")


def state_counts(user) -> list[tuple[str, str, int]]:
    """(state, label, count) for every state, in the workflow's order, one query."""
    counts = dict(
        applications_visible_to(user).order_by().values_list("state").annotate(n=Count("pk")).values_list("state", "n")
    )
    return [(value, label, counts.get(value, 0)) for value, label in Application.State.choices]


def awaiting_count(user) -> int:
    """How many dossiers wait for this user ("ce qui vous attend")."""
    qs = applications_visible_to(user)
    if user.is_ars:
        return qs.filter(state__in=[Application.State.SUBMITTED, Application.State.UNDER_REVIEW]).count()
    if user.is_establishment:
        return qs.filter(state__in=Application.EDITABLE_STATES).count()
    return 0


def awaiting_bulk(applications, directory):
    """``perms.awaiting`` of many applications at once: (application, account pks), from ``accounts.directory``
    (inactive accounts included, as ``awaiting()`` does)."""
    from accounts.models import Role

    reviewed = (State.SUBMITTED, State.UNDER_REVIEW)
    # only what this and ``__str__`` read (a deferred field would cost a query per application)
    applications = applications.select_related("establishment").only(
        "state", "centre_name", "region", "establishment__name"
    )
    for app in applications.filter(state__in=(*EDITABLE_STATES, *reviewed)):
        if app.state in EDITABLE_STATES:
            yield app, directory.in_establishment(Role.ESTABLISHMENT, app.establishment_id, active_only=False)
        else:
            yield app, directory.in_region(Role.ARS, app.region_id, active_only=False)
