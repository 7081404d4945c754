"""Redis down when a decision is taken: the decision and its letter row are kept, and the letter is
produced once Redis is back (outbox swept by ``dispatch_pending_letters``). Issue 7, reliability.

A private redis-server is started on its own port, so that stopping it disturbs nothing else."""

import shutil
import time

import pytest
from django.db import transaction

from config.celery import app as celery_app
from letters.models import Letter
from letters.tasks import dispatch_pending_letters
from tests.factories import dgos_user

from .helpers import free_port, issue_letter, start_redis, start_worker, wait_for

pytestmark = [
    pytest.mark.worker,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(shutil.which("redis-server") is None, reason="redis-server not installed"),
]


def reset_broker_connections():
    """Drop pooled connections so a new broker URL takes effect (configuration change, not recovery).

    kombu keeps its connection pools in a process-wide registry keyed by the connection's address: a pool
    closed here must also leave that registry, or the next test that queues a task on the same address
    gets the closed pool back ("Acquire on closed pool") whatever the order the tests run in."""
    from kombu import pools

    if celery_app._pool is not None:
        celery_app._pool.force_close_all()
    pools.reset()
    celery_app._pool = None
    celery_app.amqp._producer_pool = None


@pytest.fixture
def private_broker(tmp_path):
    port = free_port()
    url = f"redis://127.0.0.1:{port}/0"
    previous = celery_app.conf.broker_url, celery_app.conf.task_always_eager
    celery_app.conf.update(broker_url=url, task_always_eager=False)
    reset_broker_connections()
    yield port, url
    celery_app.conf.update(broker_url=previous[0], task_always_eager=previous[1])
    reset_broker_connections()


def test_decision_taken_while_redis_is_down_is_kept_and_its_letter_follows(private_broker, tmp_path):
    port, url = private_broker
    user = dgos_user()
    # Redis is down: nothing listens on the port.
    started = time.monotonic()
    with transaction.atomic():
        letter = issue_letter(user, subject="Décision prise pendant la panne")
    assert time.monotonic() - started < 15, "publishing must fail fast, not hang"
    letter.refresh_from_db()
    assert letter.status == Letter.Status.PENDING  # the decision's letter row is committed: nothing lost

    # Redis comes back, a worker starts, the beat sweep re-queues the pending letter.
    redis = start_redis(port, tmp_path)
    worker = start_worker(url)
    try:
        # No reset here: the same process must reconnect by itself once Redis is back.
        assert dispatch_pending_letters(older_than_seconds=0) == 1
        issued = wait_for(lambda: Letter.objects.get(pk=letter.pk).status == Letter.Status.ISSUED, 60)
        assert issued, "the letter was not produced once Redis was back"
        letter.refresh_from_db()
        assert letter.sha256 and Letter.objects.count() == 1
    finally:
        worker.terminate()
        worker.wait(timeout=20)
        redis.terminate()
        redis.wait(timeout=10)
