"""The letters ZIP built by a real Celery worker on Redis."""

import time

import pytest

from letters.models import Letter
from reporting.models import ExportJob
from reporting.services import export_job_request
from tests.factories import dgos_user

from .test_letter_export import issue

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]


def wait_for(predicate, timeout=60.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(0.2)
    raise AssertionError("timed out")


def test_worker_builds_the_export_in_parts_and_reports_progress(celery_app, celery_worker, settings):
    settings.LETTER_EXPORT_CHUNK = 1  # three parts, assembled by the chord's body
    user = dgos_user()
    letters = [issue(user) for _ in range(3)]
    wait_for(lambda: Letter.objects.filter(pk__in=[x.pk for x in letters], status="issued").count() == 3)
    job = export_job_request(user=user, filters={})
    wait_for(lambda: ExportJob.objects.get(pk=job.pk).status == ExportJob.Status.DONE)
    job.refresh_from_db()
    assert (job.done, job.total, job.is_downloadable) == (3, 3, True)
    import zipfile

    with zipfile.ZipFile(job.file.open("rb")) as archive:
        assert archive.testzip() is None and len(archive.namelist()) == 4
