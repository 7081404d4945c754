"""Thin tasks: ids in, re-fetch, call a service. Late acknowledgement + idempotent services mean a
worker killed mid-task leaves the work to be done exactly once by the next one."""

import datetime
import logging

from celery import shared_task
from django.utils import timezone

from .export_jobs import (
    export_job_assemble,
    export_job_plan,
    export_jobs_purge,
    export_part_build,
    table_export_build,
)
from .mailing import DigestIncomplete, digest_send, notification_send
from .models import PendingNotification

logger = logging.getLogger(__name__)


def notification_enqueue(notification_id: int) -> bool:
    """Queue the sending task; a broker outage (or, in-process, a refused mail) is logged, never raised: the
    row stays unsent and the sweep queues it again."""
    try:
        send_notification.delay(notification_id)
    except Exception as exc:
        logger.warning("Notification %s not sent now (%s): the sweep will retry", notification_id, exc)
        return False
    return True


def notifications_requeue(*, older_than: datetime.timedelta) -> int:
    """The sweep: queue again the instant notifications still unsent after ``older_than``."""
    cutoff = timezone.now() - older_than
    ids = PendingNotification.objects.filter(instant=True, sent_at=None, created_at__lte=cutoff).values_list(
        "pk", flat=True
    )
    return sum(1 for pk in ids if notification_enqueue(pk))


def _mark_export_failed(job_id: int, exc: Exception) -> None:
    from .models import ExportJob

    ExportJob.objects.filter(pk=job_id).update(status=ExportJob.Status.FAILED, error=str(exc)[:300])


# The export tasks keep no result (ignore_result): the parts and their index rows go to storage, the job
# row records which parts are there, and the task storing the last one queues the assembly (issue 15,
# item 6): no chord, nothing kept in the broker's result backend.


@shared_task(
    bind=True, acks_late=True, reject_on_worker_lost=True, ignore_result=True, time_limit=300, soft_time_limit=280
)
def build_letters_export(self, job_id: int) -> None:
    """Plan the export and fan the parts out to the workers (built in parallel)."""
    try:
        plan = export_job_plan(job_id=job_id)
    except Exception as exc:
        _mark_export_failed(job_id, exc)
        raise
    if plan is None:
        return
    if not plan:
        assemble_letters_export.delay(job_id)
        return
    for index, ids in enumerate(plan):
        build_letters_export_part.delay(job_id, index, ids)


@shared_task(
    bind=True,
    acks_late=True,
    reject_on_worker_lost=True,
    ignore_result=True,
    autoretry_for=(OSError,),
    retry_backoff=2,
    max_retries=3,
    time_limit=300,
    soft_time_limit=280,
)
def build_letters_export_part(self, job_id: int, index: int, letter_ids: list[int]) -> None:
    try:
        last = export_part_build(job_id=job_id, index=index, letter_ids=letter_ids)
    except Exception as exc:
        if not isinstance(exc, OSError) or self.request.retries >= self.max_retries:
            _mark_export_failed(job_id, exc)
        raise
    if last:
        assemble_letters_export.delay(job_id)


@shared_task(acks_late=True, reject_on_worker_lost=True, ignore_result=True, time_limit=600, soft_time_limit=580)
def assemble_letters_export(job_id: int) -> None:
    try:
        export_job_assemble(job_id=job_id)
    except Exception as exc:
        _mark_export_failed(job_id, exc)
        raise


@shared_task(acks_late=True, reject_on_worker_lost=True, ignore_result=True, time_limit=1800, soft_time_limit=1780)
def build_table_export(job_id: int) -> None:
    """A long list as XLSX/ODS, written row by row (``export_jobs.table_export_build``)."""
    try:
        table_export_build(job_id=job_id)
    except Exception as exc:
        _mark_export_failed(job_id, exc)
        raise


@shared_task(acks_late=True, time_limit=300)
def purge_expired_exports() -> int:
    """Beat: delete the ZIP files of letter exports past their expiry."""
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
    return notifications_requeue(older_than=timezone.timedelta(seconds=older_than_seconds))


@shared_task(bind=True, acks_late=True, max_retries=None, time_limit=600)
def send_daily_digests(self, user_ids: list[int] | None = None) -> int:
    """Beat, once a day: the digest of pending notifications and open alerts. The digests the SMTP server
    refused are tried again later, for those users only (the others are not sent twice)."""
    from django.conf import settings

    from .alerts import alerts_refresh

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
