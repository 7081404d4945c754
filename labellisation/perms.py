"""Who may see, edit and decide a CRC SEP application.

- the applicant establishment's accounts and the ARS officers of the dossier's region see it;
- the applicant (or the region's ARS officer, on its behalf) edits it only as a draft or when sent back;
- only the ARS officers of the dossier's region take decisions (review, label, reject, send back, withdraw);
- DGOS and administrators read everything; anyone else gets nothing (404).
"""

from __future__ import annotations

from core.perms import Access

from .states import EDITABLE_STATES, State


def _is_regional_ars(user, app) -> bool:
    return bool(user.is_ars and user.region_id and user.region_id == app.region_id)


def _is_applicant(user, app) -> bool:
    return bool(user.is_establishment and user.establishment_id and user.establishment_id == app.establishment_id)


def application_access(user, app) -> Access:
    """READ for those concerned and DGOS; WRITE when the viewer may edit the content now."""
    if not getattr(user, "is_authenticated", False):
        return Access.NONE
    if _is_regional_ars(user, app) or _is_applicant(user, app):
        return Access.WRITE if app.state in EDITABLE_STATES else Access.READ
    if user.is_dgos or user.is_platform_admin:
        return Access.READ
    return Access.NONE


def may_edit_content(app, user) -> bool:
    """fsm permission (instance, user): edit or submit a draft or a dossier sent back."""
    return application_access(user, app) == Access.WRITE


def may_decide(app, user) -> bool:
    """fsm permission (instance, user): only the ARS of the dossier's region decides."""
    return _is_regional_ars(user, app)


def may_create(user) -> bool:
    """A CHU's direction applies for itself; an ARS officer may prepare an application on a CHU's behalf."""
    if not getattr(user, "is_authenticated", False):
        return False
    return bool(user.is_ars or (user.is_establishment and user.establishment_id))


def may_see_inbox(user) -> bool:
    return bool(getattr(user, "is_authenticated", False) and (user.is_ars or user.is_dgos or user.is_platform_admin))


def campaign_access(user) -> Access:
    """Tranche campaigns (Annexe 2): DGOS opens them (WRITE); ARS officers and administrators read them."""
    if not getattr(user, "is_authenticated", False):
        return Access.NONE
    if user.is_dgos:
        return Access.WRITE
    if user.is_ars or user.is_platform_admin:
        return Access.READ
    return Access.NONE


def may_manage_campaigns(user) -> bool:
    return campaign_access(user) == Access.WRITE


def awaiting(application) -> list:
    """The accounts that must act now: the applicant while editable, the region's ARS while instructed."""
    from accounts.models import Role, User

    if application.state in EDITABLE_STATES:
        return list(User.objects.filter(role=Role.ESTABLISHMENT, establishment_id=application.establishment_id))
    if application.state in (State.SUBMITTED, State.UNDER_REVIEW):
        return list(User.objects.filter(role=Role.ARS, region_id=application.region_id))
    return []
