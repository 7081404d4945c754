"""config.celery: workers keep their database connection between tasks, as web processes do."""

import time
from types import SimpleNamespace

import pytest
from django.db import connection, transaction

from config.celery import _database_connection_as_for_a_request, app


def _task(eager: bool):
    return SimpleNamespace(request=SimpleNamespace(is_eager=eager))


def test_celery_does_not_close_the_connection_after_every_task():
    # Celery's Django fixup closes it before and after each task unless DB_REUSE_MAX is set
    assert app.conf.get("CELERY_DB_REUSE_MAX") >= 100


@pytest.mark.django_db
def test_an_eager_task_leaves_the_callers_transaction_and_connection_alone():
    with transaction.atomic():
        connection.ensure_connection()
        raw = connection.connection
        _database_connection_as_for_a_request(task=_task(eager=True))
        assert connection.connection is raw and connection.in_atomic_block


@pytest.mark.django_db(transaction=True)
def test_a_worker_task_keeps_a_fresh_connection_and_drops_an_obsolete_one():
    connection.ensure_connection()
    raw = connection.connection
    connection.close_at = time.monotonic() + 60
    _database_connection_as_for_a_request(task=_task(eager=False))
    assert connection.connection is raw  # reused: no new PostgreSQL backend per task
    connection.close_at = time.monotonic() - 1  # past CONN_MAX_AGE
    _database_connection_as_for_a_request(task=_task(eager=False))
    assert connection.connection is None
