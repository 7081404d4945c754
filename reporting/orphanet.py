"""The Orphanet feed (2013 instruction: "la DGOS informe Orphanet"): every change of coordinator and every
CCMR created or abrogated, with effective date, letter reference and the communication tracking."""

from __future__ import annotations

import datetime

from django.db.models import Q

from centres.models import RegistryEvent

ORPHANET_KINDS = (
    RegistryEvent.Kind.COORDINATOR_CHANGED,
    RegistryEvent.Kind.CCMR_CREATED,
    RegistryEvent.Kind.CCMR_ABROGATED,
)


def region_q(region, prefix: str = "") -> Q:
    """Events concerning ``region``: the CCMR's establishment, the CRMR's coordinating establishment,
    or the establishment named on the event."""
    return (
        Q(**{f"{prefix}ccmr__establishment__region": region})
        | Q(**{f"{prefix}ccmr__isnull": True, f"{prefix}crmr__coordinating_establishment__region": region})
        | Q(**{f"{prefix}ccmr__isnull": True, f"{prefix}crmr__isnull": True, f"{prefix}establishment__region": region})
    )


def orphanet_events(
    user,
    *,
    since: datetime.date | None = None,
    pending: bool | None = None,
    kind: str = "",
    on: datetime.date | None = None,
):
    """The feed as ``user`` may see it: national roles everything, an ARS its region only. With ``on``
    (the registry's date parameter), only the changes in force on that day (effective on or before it)."""
    qs = RegistryEvent.objects.filter(kind__in=ORPHANET_KINDS).select_related(
        "orphanet_notice", "crmr", "ccmr__establishment", "establishment"
    )
    if user.is_ars:
        qs = qs.filter(region_q(user.region))
    elif not (user.is_dgos or user.is_platform_admin):
        return qs.none()
    if since:
        qs = qs.filter(effective_on__gte=since)
    if on:
        qs = qs.filter(effective_on__lte=on)
    if kind in ORPHANET_KINDS:
        qs = qs.filter(kind=kind)
    if pending is True:
        qs = qs.filter(Q(orphanet_notice__isnull=True) | Q(orphanet_notice__communicated_on__isnull=True))
    elif pending is False:
        qs = qs.filter(orphanet_notice__communicated_on__isnull=False)
    return qs.order_by("-effective_on", "-recorded_at")
