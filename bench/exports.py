"""The bulk ZIP export of letters (reporting.services, reporting.export_jobs), measured end to end."""

from __future__ import annotations

import time

from django.db import transaction


def _filters_for(count: int) -> dict:
    """A period holding about ``count`` issued letters."""
    from letters.models import Letter

    dates = list(
        Letter.objects.filter(status=Letter.Status.ISSUED).order_by("issued_on").values_list("issued_on", flat=True)
    )
    end = dates[min(count, len(dates)) - 1]
    return {"date_from": dates[0].isoformat(), "date_to": end.isoformat()}


def run_exports(*, letters: int, jobs: int) -> float:
    """Seconds from the requests to the last finished ZIP of ``jobs`` exports of ``letters`` letters each
    (several at once, as several officers would ask: throughput), on whatever workers are consuming.

    The end is the ``finished_at`` the last assembly wrote, not the moment the poll noticed it."""
    from django.utils import timezone

    from accounts.models import User
    from reporting.models import ExportJob
    from reporting.services import export_job_request

    user = User.objects.get(username="admin")
    filters = _filters_for(letters)
    started = timezone.now()
    with transaction.atomic():
        ids = [export_job_request(user=user, filters=filters).pk for _ in range(jobs)]
    deadline = time.monotonic() + 600
    while time.monotonic() < deadline:
        rows = list(ExportJob.objects.filter(pk__in=ids).values_list("status", "error", "finished_at"))
        if any(status == ExportJob.Status.FAILED for status, _, _ in rows):
            raise RuntimeError(f"export failed: {rows}")
        if all(status == ExportJob.Status.DONE for status, _, _ in rows):
            elapsed = (max(finished for _, _, finished in rows) - started).total_seconds()
            _discard(ids)
            return elapsed
        time.sleep(0.25)  # the end is read from the rows, so a slow poll costs no accuracy, only less CPU
    raise RuntimeError("exports did not finish within 10 minutes")


def _discard(ids: list[int]) -> None:
    """Delete the measured exports and their ZIPs: a run must not leave gigabytes for the disk to write
    back during the next one (the application itself keeps an export 24 hours)."""
    from reporting.models import ExportJob

    for job in ExportJob.objects.filter(pk__in=ids):
        if job.file:
            job.file.delete(save=False)
        job.delete()
