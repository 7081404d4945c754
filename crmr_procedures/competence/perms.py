"""Who may see and act on a CCMR request (Annexe 2). Views call these; outsiders get 404, readers 403.

Scope per role:
- DGOS: every request (steps 2, 3, 6); the groupe permanent: every request (its opinion, step 2);
- the coordinator: requests of the CRMR he or she coordinates (step 1; may send step 4's documents on the
  centre's behalf);
- the ARS of the CCMR's region acts (steps 4–5); the ARS of the CRMR's region reads (copied on step 3);
- the direction of the CCMR's establishment acts in step 4; the CRMR's establishment direction reads.
"""

from __future__ import annotations

from core.perms import Access

from .states import State


def _coordinates(user, crmr_id) -> bool:
    from accounts.services import coordinated_crmrs

    if not user.is_coordinator:
        return False
    cache = getattr(user, "_ccmr_crmr_ids", None)
    if cache is None:
        cache = set(coordinated_crmrs(user).values_list("pk", flat=True))
        user._ccmr_crmr_ids = cache
    return crmr_id in cache


def _crmr_establishment_id(request) -> int:
    return request.crmr.coordinating_establishment_id


def request_access(user, request) -> Access:
    if not user.is_authenticated:
        return Access.NONE
    if user.is_dgos or user.is_gp:
        return Access.WRITE
    if user.is_platform_admin:
        return Access.READ
    if user.is_ars:
        if request.establishment.region_id == user.region_id:
            return Access.WRITE
        if request.crmr.coordinating_establishment.region_id == user.region_id:
            return Access.READ
        return Access.NONE
    if user.is_coordinator:
        return Access.WRITE if _coordinates(user, request.crmr_id) else Access.NONE
    if user.is_establishment:
        if user.establishment_id == request.establishment_id:
            return Access.WRITE
        if user.establishment_id == _crmr_establishment_id(request):
            return Access.READ
    return Access.NONE


def document_access(user, document) -> Access:
    """Annexe 2, step 4, "pas de copie à la DGOS": the cahier des charges and the contract are seen by the
    ARS of the centre's region and by the centre (its direction, the CRMR coordinator) only — not by DGOS,
    the groupe permanent or administrators. The coordinator's letter follows the request's access."""
    request = document.request
    if not document.is_ars_only:
        return Access.READ if request_access(user, request) >= Access.READ else Access.NONE
    if not user.is_authenticated:
        return Access.NONE
    if user.is_ars and user.region_id == request.establishment.region_id:
        return Access.READ
    if user.is_establishment and user.establishment_id == request.establishment_id:
        return Access.READ
    if user.is_coordinator and _coordinates(user, request.crmr_id):
        return Access.READ
    return Access.NONE


def may_create_request(user) -> bool:
    return user.is_authenticated and user.is_coordinator


def may_upload_documents(user, request) -> bool:
    """Step 4 reading: the direction of the CCMR's establishment uploads, or the coordinator on its behalf."""
    return may_send_documents(request, user)


# --- transition permissions (instance, user), declared on the model ------------------------------


def may_submit(request, user) -> bool:
    return _coordinates(user, request.crmr_id)


def is_dgos(request, user) -> bool:
    return user.is_dgos


def is_gp(request, user) -> bool:
    return user.is_gp


def may_send_documents(request, user) -> bool:
    if user.is_establishment:
        return user.establishment_id == request.establishment_id
    return _coordinates(user, request.crmr_id)


def is_ars_of_centre(request, user) -> bool:
    return user.is_ars and user.region_id == request.establishment.region_id


def awaiting(request) -> list:
    """The accounts that must act now on ``request`` (inboxes, notifications, alerts)."""
    from accounts.models import Role, User
    from accounts.services import COORDINATE

    state = request.state
    if state in (State.SUBMITTED, State.AWAITING_OFFICIALISATION, State.AWAITING_ORPHANET):
        return list(User.objects.filter(role=Role.DGOS, is_active=True))
    if state == State.AWAITING_OPINION:
        return list(User.objects.filter(role=Role.GROUPE_PERMANENT, is_active=True))
    if state == State.AWAITING_CPOM:
        return list(User.objects.filter(role=Role.ARS, region_id=request.establishment.region_id, is_active=True))
    if state == State.AWAITING_DOCUMENTS:
        from guardian.shortcuts import get_users_with_perms

        coordinators = [
            u
            for u in get_users_with_perms(request.crmr, only_with_perms_in=[COORDINATE.split(".")[1]])
            if u.is_active and u.is_coordinator
        ]
        directions = User.objects.filter(
            role=Role.ESTABLISHMENT, establishment_id=request.establishment_id, is_active=True
        )
        return [*directions, *coordinators]
    return []
