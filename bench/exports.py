"""The bulk ZIP export of letters (reporting.services), measured end to end through the workers."""

from __future__ import annotations

import time

from django.db import transaction


def _filters_for(count: int) -> dict:
    """A period holding about ``count`` issued letters."""
    from reporting.models import Letter

    dates = list(
        Letter.objects.filter(status=Letter.Status.ISSUED).order_by("issued_on").values_list("issued_on", flat=True)
    )
    end = dates[min(count, len(dates)) - 1]
    return {"date_from": dates[0].isoformat(), "date_to": end.isoformat()}


def run_exports(*, letters: int) -> float:
    """Seconds from the request to the finished ZIP, waiting on whatever workers are running."""
    from accounts.models import User
    from reporting.models import ExportJob
    from reporting.services import export_job_request

    user = User.objects.get(username="admin")
    filters = _filters_for(letters)
    started = time.perf_counter()
    with transaction.atomic():
        job = export_job_request(user=user, filters=filters)
    deadline = time.monotonic() + 600
    while time.monotonic() < deadline:
        job.refresh_from_db()
        if job.status == ExportJob.Status.DONE:
            return time.perf_counter() - started
        if job.status == ExportJob.Status.FAILED:
            raise RuntimeError(f"export failed: {job.error}")
        time.sleep(0.05)
    raise RuntimeError("export did not finish within 10 minutes")
