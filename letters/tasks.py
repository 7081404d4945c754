"""Thin tasks of the letters outbox: render a pending letter, re-queue those a broker outage left behind."""

import logging

from celery import shared_task
from django.utils import timezone

logger = logging.getLogger(__name__)


@shared_task(
    bind=True,
    acks_late=True,
    reject_on_worker_lost=True,
    autoretry_for=(Exception,),
    retry_backoff=5,
    retry_backoff_max=300,
    max_retries=8,
    time_limit=120,
    soft_time_limit=100,
)
def render_letter(self, letter_id: int) -> str:
    from .engine import letter_produce

    letter = letter_produce(letter_id)
    return letter.sha256


@shared_task(acks_late=True, time_limit=120)
def dispatch_pending_letters(older_than_seconds: int = 30) -> int:
    """The outbox sweep: queue again every letter still pending (the broker was down, a task was lost)."""
    from .engine import enqueue_letter_rendering
    from .models import Letter

    cutoff = timezone.now() - timezone.timedelta(seconds=older_than_seconds)
    ids = list(Letter.objects.filter(status=Letter.Status.PENDING, created_at__lte=cutoff).values_list("pk", flat=True))
    queued = sum(1 for pk in ids if enqueue_letter_rendering(pk))
    if ids:
        logger.info("Pending letters re-queued: %s of %s", queued, len(ids))
    return queued
