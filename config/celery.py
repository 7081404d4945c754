"""The Celery application. Tasks stay thin: ids in, re-fetch, call a service."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.base")

app = Celery("crmr")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
