"""GET /healthz: the state of the database, the broker and the file storage, for monitoring."""

import pytest
from django.db import connection

pytestmark = pytest.mark.django_db


def test_healthz_answers_json_with_database_and_broker_state(client, settings):
    settings.CELERY_TASK_ALWAYS_EAGER = True
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert response.json() == {"database": "ok", "broker": "eager", "storage": "ok", "antivirus": "ok"}


def test_healthz_needs_no_sign_in_and_is_never_cached(client):
    response = client.get("/healthz")
    assert response.status_code in (200, 503)
    assert "no-cache" in response["Cache-Control"] or "max-age=0" in response["Cache-Control"]


def test_healthz_reaches_the_real_broker_when_not_eager(client, settings):
    settings.CELERY_TASK_ALWAYS_EAGER = False
    response = client.get("/healthz")
    assert response.json()["broker"] == "ok"  # Redis of the test run
    assert response.status_code == 200


def test_healthz_is_503_when_the_database_check_fails(client, monkeypatch):
    def broken_cursor(*args, **kwargs):
        raise ConnectionError("database unreachable")

    monkeypatch.setattr(connection, "cursor", broken_cursor)
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["database"] == "error: ConnectionError"


def test_healthz_is_503_when_the_broker_is_down(client, settings, monkeypatch):
    from config.celery import app

    settings.CELERY_TASK_ALWAYS_EAGER = False

    def refuse(*args, **kwargs):
        raise OSError("broker unreachable")

    monkeypatch.setattr(app, "connection_for_write", refuse)
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json() == {"database": "ok", "broker": "error: OSError", "storage": "ok", "antivirus": "ok"}


def test_healthz_reports_the_bucket_and_is_503_when_it_is_unreachable(client, settings, s3_bucket, s3_server):
    settings.CELERY_TASK_ALWAYS_EAGER = True
    response = client.get("/healthz")
    assert response.status_code == 200 and response.json()["storage"] == "ok"
    s3_server.client().delete_bucket(Bucket=s3_bucket)  # the bucket is gone (or our keys lost their access)
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["storage"] == "error: NoSuchBucket"


def test_healthz_is_503_when_the_media_folder_is_not_writable(client, settings, tmp_path):
    settings.CELERY_TASK_ALWAYS_EAGER = True
    settings.MEDIA_ROOT = tmp_path / "file-not-folder"
    settings.MEDIA_ROOT.write_text("x")  # a file where the folder should be
    response = client.get("/healthz")
    assert response.status_code == 503 and response.json()["storage"].startswith("error: ")


def test_healthz_is_503_when_the_required_antivirus_does_not_answer(client, settings, tmp_path):
    settings.CELERY_TASK_ALWAYS_EAGER = True
    settings.CLAMD_SOCKET = str(tmp_path / "absent.sock")
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["antivirus"].startswith("error")


def test_healthz_says_the_antivirus_is_disabled_in_development_and_stays_up(client, settings):
    settings.CELERY_TASK_ALWAYS_EAGER = True
    settings.CLAMD_SOCKET = ""
    settings.ANTIVIRUS_REQUIRED = False
    response = client.get("/healthz")
    assert (response.status_code, response.json()["antivirus"]) == (200, "disabled")
    settings.ANTIVIRUS_REQUIRED = True  # production without a scanner: monitoring must see it
    assert client.get("/healthz").status_code == 503
