"""Reads of the reporting part: the alerts page."""

from __future__ import annotations

from .models import Alert


def alerts_of(user):
    """A user's own alerts, soonest due first (the alerts page; the index on user and due date serves it)."""
    return Alert.objects.filter(user=user).order_by("due_on", "kind", "pk")
