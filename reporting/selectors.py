"""Reads of the reporting app shared by its pages and jobs: the letters of a bulk export, a user's alerts."""

from __future__ import annotations

from letters.models import Letter

from .models import Alert


def letters_for_export(filters: dict):
    """The issued letters matching an export's filters (period, letter kind, region)."""
    qs = Letter.objects.filter(status=Letter.Status.ISSUED).order_by("issued_on", "reference")
    if filters.get("date_from"):
        qs = qs.filter(issued_on__gte=filters["date_from"])
    if filters.get("date_to"):
        qs = qs.filter(issued_on__lte=filters["date_to"])
    if filters.get("kind"):
        qs = qs.filter(kind=filters["kind"])
    if filters.get("region"):
        qs = qs.filter(region__code=filters["region"])
    return qs


def alerts_of(user):
    """A user's own alerts, soonest due first (the alerts page; the index on user and due date serves it)."""
    return Alert.objects.filter(user=user).order_by("due_on", "kind", "pk")
