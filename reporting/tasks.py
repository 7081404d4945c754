"""Thin tasks: ids in, re-fetch, call a service. Late acknowledgement + idempotent services mean a
worker killed mid-task leaves the work to be done exactly once by the next one."""

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
    from .letters import letter_produce

    letter = letter_produce(letter_id)
    return letter.sha256


@shared_task(acks_late=True, time_limit=120)
def dispatch_pending_letters(older_than_seconds: int = 30) -> int:
    """The outbox sweep: queue again every letter still pending (the broker was down, a task was lost)."""
    from .letters import enqueue_letter_rendering
    from .models import Letter

    cutoff = timezone.now() - timezone.timedelta(seconds=older_than_seconds)
    ids = list(Letter.objects.filter(status=Letter.Status.PENDING, created_at__lte=cutoff).values_list("pk", flat=True))
    queued = sum(1 for pk in ids if enqueue_letter_rendering(pk))
    if ids:
        logger.info("Pending letters re-queued: %s of %s", queued, len(ids))
    return queued


@shared_task(
    bind=True,
    acks_late=True,
    reject_on_worker_lost=True,
    autoretry_for=(OSError,),
    retry_backoff=5,
    max_retries=3,
    time_limit=1800,
    soft_time_limit=1700,
)
def build_letters_export(self, job_id: int) -> int:
    """Build the ZIP of an export job (idempotent: a finished job is left as is)."""
    from .models import ExportJob
    from .services import export_job_build

    try:
        job = export_job_build(job_id=job_id)
    except Exception as exc:
        if not isinstance(exc, OSError) or self.request.retries >= self.max_retries:
            ExportJob.objects.filter(pk=job_id).update(status=ExportJob.Status.FAILED, error=str(exc)[:300])
        raise
    return job.total


@shared_task(acks_late=True, time_limit=300)
def purge_expired_exports() -> int:
    """Beat: delete the ZIP files of letter exports past their expiry."""
    from .services import export_jobs_purge

    return export_jobs_purge()


@shared_task(acks_late=True, time_limit=600)
def compute_alerts() -> int:
    """Beat: recompute the deadline alerts of every user (``reporting.alerts``)."""
    from .alerts import alerts_refresh

    return alerts_refresh()


@shared_task(acks_late=True, time_limit=600)
def send_daily_digests() -> int:
    """Beat, once a day: the digest of pending notifications and open alerts."""
    from .alerts import alerts_refresh
    from .notifications import digest_send

    alerts_refresh()
    return digest_send()
