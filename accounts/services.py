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


def coordinator_access_sync(*, on=None, person_ids=None) -> int:
    """Coordinator accounts follow the registry's mandates (2013 instruction, Annexe 1, officialisation): an account
    is bound to a CRMR where its person holds a mandate in force on ``on`` (today) or decided to start
    later (the incoming coordinator prepares), and unbound where all of its person's mandates have ended.
    Grants on CRMR where the person never held a mandate are left alone. Idempotent; run after each
    officialisation and each night. Returns the number of grants changed."""
    from django.db.models import Q
    from django.utils import timezone

    from accounts.models import Role, User
    from centres.models import CoordinatorMandate, Crmr

    on = on or timezone.localdate()
    accounts = User.objects.filter(role=Role.COORDINATOR, person__isnull=False)
    if person_ids is not None:
        accounts = accounts.filter(person_id__in=person_ids)
    changed = 0
    for account in accounts:
        mandates = CoordinatorMandate.objects.filter(person_id=account.person_id)
        open_ids = set(mandates.filter(Q(end__isnull=True) | Q(end__gt=on)).values_list("crmr_id", flat=True))
        past_ids = set(mandates.values_list("crmr_id", flat=True)) - open_ids
        bound = set(coordinated_crmrs(account).values_list("pk", flat=True))
        for crmr in Crmr.objects.filter(pk__in=open_ids - bound):
            bind_coordinator(user=account, crmr=crmr)
            changed += 1
        for crmr in Crmr.objects.filter(pk__in=past_ids & bound):
            unbind_coordinator(user=account, crmr=crmr)
            changed += 1
    return changed
