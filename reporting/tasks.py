"""Thin tasks: ids in, re-fetch, call a service. Late acknowledgement + idempotent services mean a
worker killed mid-task leaves the work to be done exactly once by the next one."""

import logging

from celery import shared_task
from django.utils import timezone

logger = logging.getLogger(__name__)


def _mark_export_failed(job_id: int, exc: Exception) -> None:
    from .models import ExportJob

    ExportJob.objects.filter(pk=job_id).update(status=ExportJob.Status.FAILED, error=str(exc)[:300])


@shared_task(bind=True, acks_late=True, reject_on_worker_lost=True, time_limit=300, soft_time_limit=280)
def build_letters_export(self, job_id: int) -> int:
    """Plan the export and fan the parts out to the workers; the chord's body assembles the ZIP."""
    from celery import chord

    from .services import export_job_plan

    try:
        plan = export_job_plan(job_id=job_id)
    except Exception as exc:
        _mark_export_failed(job_id, exc)
        raise
    if plan is None:
        return 0
    if not plan:
        assemble_letters_export.delay([], job_id)
        return 0
    chord(build_letters_export_part.si(job_id, index, ids) for index, ids in enumerate(plan))(
        assemble_letters_export.s(job_id)
    )
    return len(plan)


@shared_task(
    bind=True,
    acks_late=True,
    reject_on_worker_lost=True,
    autoretry_for=(OSError,),
    retry_backoff=2,
    max_retries=3,
    time_limit=300,
    soft_time_limit=280,
)
def build_letters_export_part(self, job_id: int, index: int, letter_ids: list[int]) -> dict:
    from .services import export_part_build

    try:
        return export_part_build(job_id=job_id, index=index, letter_ids=letter_ids)
    except Exception as exc:
        if not isinstance(exc, OSError) or self.request.retries >= self.max_retries:
            _mark_export_failed(job_id, exc)
        raise


@shared_task(acks_late=True, reject_on_worker_lost=True, time_limit=600, soft_time_limit=580)
def assemble_letters_export(parts: list[dict], job_id: int) -> int:
    from .services import export_job_assemble

    try:
        return export_job_assemble(job_id=job_id, parts=parts).total
    except Exception as exc:
        _mark_export_failed(job_id, exc)
        raise


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


def _mail_retry_delay(retries: int) -> int:
    """Seconds before the next try of a refused mail: EMAIL_RETRY_DELAY, doubled at each try, at most 1 h."""
    from django.conf import settings

    return min(settings.EMAIL_RETRY_DELAY * 2**retries, 3600)


@shared_task(bind=True, acks_late=True, reject_on_worker_lost=True, max_retries=None, time_limit=120)
def send_notification(self, notification_id: int) -> bool:
    """Send one instant notification; retried while the SMTP server refuses or cannot be reached."""
    from smtplib import SMTPException

    from django.conf import settings

    from .notifications import notification_send

    try:
        return notification_send(notification_id=notification_id)
    except (SMTPException, OSError) as exc:
        # In-process (no broker, `make run`) a retry would block the request: the row waits for the sweep.
        if self.request.is_eager or self.request.retries >= settings.EMAIL_MAX_RETRIES:
            logger.error(
                "Notification %s still unsent after %s tries: left to the sweep",
                notification_id,
                self.request.retries + 1,
            )
            raise
        raise self.retry(exc=exc, countdown=_mail_retry_delay(self.request.retries)) from exc


@shared_task(acks_late=True, time_limit=300)
def dispatch_pending_notifications(older_than_seconds: int = 3600) -> int:
    """Beat: queue again the instant notifications still unsent (broker outage, retries exhausted)."""
    from .notifications import notifications_requeue

    return notifications_requeue(older_than=timezone.timedelta(seconds=older_than_seconds))


@shared_task(bind=True, acks_late=True, max_retries=None, time_limit=600)
def send_daily_digests(self, user_ids: list[int] | None = None) -> int:
    """Beat, once a day: the digest of pending notifications and open alerts. The digests the SMTP server
    refused are tried again later, for those users only (the others are not sent twice)."""
    from django.conf import settings

    from .alerts import alerts_refresh
    from .notifications import DigestIncomplete, digest_send

    if user_ids is None:
        alerts_refresh()
    try:
        return digest_send(user_ids=user_ids)
    except DigestIncomplete as exc:
        if self.request.is_eager or self.request.retries >= settings.EMAIL_MAX_RETRIES:
            raise
        raise self.retry(
            args=(), kwargs={"user_ids": exc.user_ids}, exc=exc, countdown=_mail_retry_delay(self.request.retries)
        ) from exc
