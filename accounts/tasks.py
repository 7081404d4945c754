"""Thin tasks of the accounts."""

from celery import shared_task


@shared_task(acks_late=True, time_limit=300)
def sync_coordinator_access() -> int:
    """Each night: coordinator accounts follow the mandates whose dates have come (idempotent)."""
    from .services import coordinator_access_sync

    return coordinator_access_sync()
