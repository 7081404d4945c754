"""Writes on accounts: binding a coordinator account to the CRMR it coordinates (django-guardian)."""

from guardian.shortcuts import assign_perm, get_objects_for_user, remove_perm

COORDINATE = "centres.coordinate_crmr"


def bind_coordinator(*, user, crmr) -> None:
    assign_perm(COORDINATE, user, crmr)


def unbind_coordinator(*, user, crmr) -> None:
    remove_perm(COORDINATE, user, crmr)


def coordinated_crmrs(user):
    """The CRMR a coordinator account is bound to (a queryset; empty for other roles)."""
    from centres.models import Crmr

    if not user.is_authenticated or not user.is_coordinator:
        return Crmr.objects.none()
    return get_objects_for_user(user, COORDINATE, klass=Crmr, accept_global_perms=False)
