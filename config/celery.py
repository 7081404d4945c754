"""The Celery application. Tasks stay thin: ids in, re-fetch, call a service."""

import os

from celery import Celery
from celery.signals import task_prerun

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.base")

app = Celery("crmr")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@task_prerun.connect
def _database_connection_as_for_a_request(task=None, **_kwargs) -> None:
    """Before each task, what Django does before each request: drop a connection that is past
    CONN_MAX_AGE or unusable (database restarted), keep a healthy one (see CELERY_DB_REUSE_MAX).
    Not for eager tasks: they run inside the caller's request and transaction."""
    if task is None or getattr(task.request, "is_eager", False):
        return
    from django.db import close_old_connections

    close_old_connections()
