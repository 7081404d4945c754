"""Who may see and act on a succession (Annexe 1). Outsiders get 404, readers who write get 403.

- DGOS PF2 (and administrators): every succession, read and write (their steps are transitions).
- The groupe permanent: every succession once DGOS has it (not the coordinator's drafts), read; writes
  are its own steps (session date, opinions per project).
- The coordinator bound to the CRMR (django-guardian): the procedures of his or her CRMR, read and write.
- An ARS officer: successions of a CRMR with a site in the region, or whose call for projects concerns
  the region; writes only the projects of its region while the call is open.
- An establishment direction: successions involving its establishment (CRMR site, successor, project), read.
"""

from __future__ import annotations

from accounts.services import coordinated_crmrs
from core.perms import Access

from .states import AWAITING_ROLE, DOSSIER_OPEN_STATES, SPECIAL_SOURCES, State


def is_crmr_coordinator(user, crmr) -> bool:
    return bool(user.is_authenticated and user.is_coordinator and coordinated_crmrs(user).filter(pk=crmr.pk).exists())


def crmr_coordinator_accounts(crmr):
    from guardian.shortcuts import get_users_with_perms

    from accounts.models import Role

    return get_users_with_perms(crmr, only_with_perms_in=["coordinate_crmr"], with_superusers=False).filter(
        role=Role.COORDINATOR, is_active=True
    )


def _ars_concerned(user, succession) -> bool:
    if succession.regional_calls.filter(region_id=user.region_id).exists():
        return True
    return succession.crmr.sites.filter(establishment__region_id=user.region_id).exists()


def _establishment_concerned(user, succession) -> bool:
    est = user.establishment_id
    return bool(
        est
        and (
            succession.former_establishment_id == est
            or succession.successor_establishment_id == est
            or succession.crmr.sites.filter(establishment_id=est).exists()
            or succession.projects.filter(establishment_id=est).exists()
        )
    )


def succession_access(user, succession) -> Access:
    if not user.is_authenticated:
        return Access.NONE
    if user.is_dgos or user.is_platform_admin:
        return Access.WRITE
    if user.is_coordinator:
        return Access.WRITE if is_crmr_coordinator(user, succession.crmr) else Access.NONE
    if succession.state == State.DRAFT and succession.created_by_id != user.pk:
        return Access.NONE  # a notice in preparation is the coordinator's
    if user.is_gp:
        return Access.WRITE if succession.state in (State.SPECIAL_FORWARDED, State.PROJECTS_RECEIVED) else Access.READ
    if user.is_ars:
        if not _ars_concerned(user, succession):
            return Access.NONE
        return Access.WRITE if _ars_may_edit_projects(user, succession) else Access.READ
    if user.is_establishment:
        return Access.READ if _establishment_concerned(user, succession) else Access.NONE
    return Access.NONE


def _ars_may_edit_projects(user, succession) -> bool:
    return (
        succession.state == State.CALL_OPEN
        and succession.regional_calls.filter(region_id=user.region_id, transmitted_at__isnull=True).exists()
    )


def notice_access(user, succession) -> Access:
    """The notice form: the coordinator while it is a draft."""
    access = succession_access(user, succession)
    if access and user.is_coordinator and succession.state == State.DRAFT:
        return Access.WRITE
    return min(access, Access.READ)


def dossier_access(user, succession) -> Access:
    """The successor's dossier and CV: the coordinator while DGOS waits for it (normal path)."""
    access = succession_access(user, succession)
    if access and user.is_coordinator and succession.path == "normal" and succession.state in DOSSIER_OPEN_STATES:
        return Access.WRITE
    return min(access, Access.READ)


def projects_access(user, succession) -> Access:
    """Projects of a region during the call: its ARS writes them; DGOS and GP read."""
    access = succession_access(user, succession)
    if access and user.is_ars and _ars_may_edit_projects(user, succession):
        return Access.WRITE
    return min(access, Access.READ)


def opinion_access(user, succession) -> Access:
    """The groupe permanent records its opinion per project while the projects are in examination."""
    access = succession_access(user, succession)
    if access and user.is_gp and succession.state == State.PROJECTS_RECEIVED:
        return Access.WRITE
    return min(access, Access.READ)


def session_access(user, succession) -> Access:
    access = succession_access(user, succession)
    if access and user.is_gp and succession.state == State.SPECIAL_FORWARDED:
        return Access.WRITE
    return min(access, Access.READ)


def dgos_access(user, succession) -> Access:
    """DGOS-only steps (special case, officialisation, Orphanet)."""
    access = succession_access(user, succession)
    if access and (user.is_dgos or user.is_platform_admin):
        return Access.WRITE
    return min(access, Access.READ)


def special_case_access(user, succession) -> Access:
    """Annexe 1, special cases, step 1: DGOS records a letter it received; the coordinator sends his or her
    own letter through the platform (e.g. a sudden departure, "Autres"), while the succession can still turn."""
    access = succession_access(user, succession)
    if access and succession.state in SPECIAL_SOURCES and (user.is_dgos or user.is_coordinator):
        return Access.WRITE
    return min(access, Access.READ)


def mig_agreement_access(user, succession) -> Access:
    """The establishments' agreement on the MIG (normal-path transfer): the coordinator with the dossier,
    DGOS until the officialisation."""
    access = succession_access(user, succession)
    if not access or succession.path != "normal" or succession.case != "transfer":
        return min(access, Access.READ)
    if user.is_dgos and succession.state != State.OFFICIALISED:
        return Access.WRITE
    return dossier_access(user, succession)


def may_start_succession(user, crmr) -> bool:
    return is_crmr_coordinator(user, crmr)


# --- Transition permissions: callables of (succession, user), named in the transitions of models.py --


def may_act_as_coordinator(instance, user) -> bool:
    return is_crmr_coordinator(user, instance.crmr)


def may_act_as_dgos(instance, user) -> bool:
    return user.is_authenticated and user.is_dgos


def may_act_as_gp(instance, user) -> bool:
    return user.is_authenticated and user.is_gp


def may_declare_special_case(instance, user) -> bool:
    """Annexe 1, special cases, step 1: "la DGOS est informée de la difficulté de succession par un courrier
    du coordonnateur ou du président du directoire": DGOS records a letter it received, or the coordinator
    sends his or hers through the platform."""
    return may_act_as_dgos(instance, user) or may_act_as_coordinator(instance, user)


def may_act_as_concerned_ars(instance, user) -> bool:
    return (
        user.is_authenticated
        and user.is_ars
        and instance.regional_calls.filter(region_id=user.region_id, transmitted_at__isnull=True).exists()
    )


def awaiting(succession) -> list:
    """The accounts that must act now on ``succession`` (inboxes, notifications, alerts)."""
    from accounts.models import Role, User

    role = AWAITING_ROLE.get(succession.state)
    if role == "coordinator":
        return list(crmr_coordinator_accounts(succession.crmr))
    if role == "ars":
        regions = succession.regional_calls.filter(transmitted_at__isnull=True).values("region")
        return list(User.objects.filter(role=Role.ARS, region__in=regions, is_active=True))
    if role in ("dgos", "gp"):
        return list(User.objects.filter(role=role, is_active=True))
    return []
