"""A Celery worker killed in the middle of a letter: after a restart the letter exists exactly once
(late acknowledgement + idempotent task). Issue 7, reliability."""

import os
import shutil
import signal
import subprocess

import pytest
from django.db import transaction

from config.celery import app as celery_app
from letters.models import Letter
from tests.factories import dgos_user

from .helpers import free_port, issue_letter, start_redis, start_worker, wait_for
from .test_broker_outage import reset_broker_connections

pytestmark = [
    pytest.mark.worker,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(shutil.which("redis-server") is None, reason="redis-server not installed"),
]

LONG_BODY = " ".join(["Le présent courrier reprend l'ensemble des pièces du dossier."] * 3000)


def unacked(port: int) -> int:
    out = subprocess.run(["redis-cli", "-p", str(port), "hlen", "unacked"], capture_output=True, text=True).stdout
    return int(out.strip() or 0)


def test_letter_exists_exactly_once_after_its_worker_is_killed_mid_rendering(tmp_path, settings):
    port = free_port()
    url = f"redis://127.0.0.1:{port}/0"
    redis = start_redis(port, tmp_path)
    previous = celery_app.conf.broker_url, celery_app.conf.task_always_eager
    celery_app.conf.update(broker_url=url, task_always_eager=False)
    reset_broker_connections()
    first = second = None
    try:
        first = start_worker(url, CELERY_VISIBILITY_TIMEOUT=4, CELERY_RESTORE_INTERVAL=2, CELERY_RESTORE_THROTTLE=1)
        with transaction.atomic():
            letter = issue_letter(dgos_user(), message=LONG_BODY, subject="Courrier long")
        assert wait_for(lambda: unacked(port) == 1, 30), "the worker never took the task"
        os.killpg(first.pid, signal.SIGKILL)  # the whole worker, mid-rendering
        first.wait(timeout=10)
        assert Letter.objects.get(pk=letter.pk).status == Letter.Status.PENDING
        assert unacked(port) == 1  # late acknowledgement: the message was not lost

        second = start_worker(url, CELERY_VISIBILITY_TIMEOUT=4, CELERY_RESTORE_INTERVAL=2, CELERY_RESTORE_THROTTLE=1)
        assert wait_for(lambda: Letter.objects.get(pk=letter.pk).status == Letter.Status.ISSUED, 60)
        letter.refresh_from_db()
        files = list((settings.MEDIA_ROOT / "letters").rglob("*.pdf"))
        assert [f.name for f in files] == [letter.pdf.name.rsplit("/", 1)[-1]]
        assert Letter.objects.count() == 1
        from letters.engine import letter_verify

        assert letter_verify(letter)
    finally:
        for proc in (first, second):
            if proc and proc.poll() is None:
                os.killpg(proc.pid, signal.SIGTERM)
                proc.wait(timeout=20)
        celery_app.conf.update(broker_url=previous[0], task_always_eager=previous[1])
        reset_broker_connections()
        redis.terminate()
        redis.wait(timeout=10)
