"""Thin tasks of the registry."""

from celery import shared_task


@shared_task(acks_late=True, time_limit=300)
def refresh_registry_current() -> int:
    """Each night: today's values kept on the CRMR rows follow the acts whose effective date has come
    (``centres.services.registry_refresh_current``, idempotent). The registry pages do not depend on it:
    they read the dated rows."""
    from .services import registry_refresh_current

    return registry_refresh_current()
