"""The health check for monitoring and the bare floor view the benchmarks compare pages with.

They live with the project's configuration (not in ``core``) because they probe what the settings wire
together: the database, the Celery broker, the file storage and the antivirus.
"""

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.db import connection
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from core.antivirus import antivirus_state
from core.storage import storage_state


@login_required
def ping(request):
    """A bare authenticated view through the whole middleware stack: the floor the benchmarks compare
    every page with, and a check that a monitoring session is still signed in."""
    return JsonResponse({"user": request.user.username})


def _database_state() -> str:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as exc:
        return f"error: {exc.__class__.__name__}"
    return "ok"


def _broker_state() -> str:

    if settings.CELERY_TASK_ALWAYS_EAGER:
        return "eager"
    try:
        from config.celery import app

        with app.connection_for_write() as conn:
            conn.ensure_connection(max_retries=1, timeout=2)
    except Exception as exc:
        return f"error: {exc.__class__.__name__}"
    return "ok"


@never_cache
@require_GET
def healthz(request):
    """For monitoring: the state of the database, the broker (ok, eager, or an error), the file storage
    (local folder or bucket) and the antivirus (ok, disabled, or an error). 503 if any of them is down; a
    required antivirus that is disabled or down is a failure: uploads are refused meanwhile (core.antivirus,
    fail closed)."""

    states = {
        "database": _database_state(),
        "broker": _broker_state(),
        "storage": storage_state(),
        "antivirus": antivirus_state(),
    }
    healthy = (
        states["database"] == "ok"
        and states["broker"] in ("ok", "eager")
        and states["storage"] == "ok"
        and (states["antivirus"] == "ok" or (states["antivirus"] == "disabled" and not settings.ANTIVIRUS_REQUIRED))
    )
    return JsonResponse(states, status=200 if healthy else 503)
