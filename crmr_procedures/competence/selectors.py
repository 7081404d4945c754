"""Reads of the CCMR procedure: each actor's inbox and the requests a user may see."""

from __future__ import annotations

from django.db.models import F, Q, QuerySet

from .models import CcmrRequest
from .states import OPEN_STATES, State

DGOS_STATES = (State.SUBMITTED, State.AWAITING_OFFICIALISATION, State.AWAITING_ORPHANET)
ARS_STATES = (State.AWAITING_DOCUMENTS, State.AWAITING_CPOM)  # steps 4–5


def _base() -> QuerySet[CcmrRequest]:
    return CcmrRequest.objects.select_related(
        "crmr", "crmr__coordinating_establishment", "establishment", "establishment__region", "ccmr"
    )


def ccmr_requests_visible_to(user) -> QuerySet[CcmrRequest]:
    """Every request the user may read (mirrors ``perms.request_access``)."""
    from accounts.services import coordinated_crmrs

    qs = _base().exclude(state=State.DRAFT)
    if not user.is_authenticated:
        return qs.none()
    if user.is_national:
        return qs
    if user.is_ars:
        return qs.filter(
            Q(establishment__region_id=user.region_id) | Q(crmr__coordinating_establishment__region_id=user.region_id)
        )
    if user.is_coordinator:
        return qs.filter(crmr__in=coordinated_crmrs(user))
    if user.is_establishment:
        return qs.filter(
            Q(establishment_id=user.establishment_id) | Q(crmr__coordinating_establishment_id=user.establishment_id)
        )
    return qs.none()


def ccmr_inbox(user) -> QuerySet[CcmrRequest]:
    """What waits for the user: DGOS its steps 2, 3 and 6; the groupe permanent the requests awaiting its
    opinion; the ARS the requests in steps 4–5 in its region; the coordinator the open requests of his or
    her CRMR; an establishment direction the open requests concerning its establishment."""
    qs = ccmr_requests_visible_to(user)
    if user.is_dgos:
        return qs.filter(state__in=DGOS_STATES)
    if user.is_gp:
        return qs.filter(state=State.AWAITING_OPINION)
    if user.is_ars:
        return qs.filter(state__in=ARS_STATES, establishment__region_id=user.region_id)
    if user.is_coordinator or user.is_establishment:
        return qs.filter(state__in=CcmrRequest.OPEN_STATES)
    return qs.none()


def awaiting_bulk(requests, directory):
    """``perms.awaiting`` of many requests at once: (request, account pks), from ``accounts.directory``."""
    from accounts.models import Role

    national = (State.SUBMITTED, State.AWAITING_OFFICIALISATION, State.AWAITING_ORPHANET)
    # only what this and ``__str__`` read (a deferred field would cost a query per request)
    open_requests = (
        requests.filter(state__in=OPEN_STATES)
        .select_related("ccmr")
        .only("state", "kind", "proposed_name", "establishment", "crmr", "ccmr__name")
    )
    for request in open_requests.annotate(awaiting_region=F("establishment__region")):
        if request.state in national:
            yield request, directory.with_role(Role.DGOS)
        elif request.state == State.AWAITING_OPINION:
            yield request, directory.with_role(Role.GROUPE_PERMANENT)
        elif request.state == State.AWAITING_CPOM:
            yield request, directory.in_region(Role.ARS, request.awaiting_region)
        else:  # awaiting the documents
            directions = directory.in_establishment(Role.ESTABLISHMENT, request.establishment_id)
            yield request, [*directions, *directory.crmr_coordinators(request.crmr_id)]
