"""SITE_URL: the public address e-mail links are built on; read from the environment and validated (a bad
value stops the start). Each case runs in a clean subprocess so the test run's environment does not leak."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core import mail

from reporting.notifications import notification_dispatch
from tests.factories import UserFactory

ROOT = Path(__file__).resolve().parents[2]


def _site_url(value: str | None) -> subprocess.CompletedProcess:
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": os.environ.get("HOME", "/tmp"),
        "DJANGO_SETTINGS_MODULE": "config.settings.base",
        "DEBUG": "1",
        "DATABASE_URL": os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/crmr"),
    }
    if value is not None:
        env["SITE_URL"] = value
    code = "from django.conf import settings; print(settings.SITE_URL)"
    return subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", code],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_site_url_defaults_to_the_local_development_server():
    result = _site_url(None)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == "http://127.0.0.1:8000"


def test_site_url_is_read_from_the_environment_without_its_trailing_slash():
    result = _site_url("https://centres-experts.sante.gouv.fr/")
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == "https://centres-experts.sante.gouv.fr"


@pytest.mark.parametrize("value", ["centres-experts.sante.gouv.fr", "ftp://example.gouv.fr", "https://"])
def test_a_site_url_without_http_scheme_stops_the_start(value):
    result = _site_url(value)
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr and "must start with http:// or https://" in result.stderr


@pytest.mark.django_db
def test_step_mail_links_are_absolute_on_site_url(settings, django_capture_on_commit_callbacks):
    settings.SITE_URL = "https://centres-experts.sante.gouv.fr"
    user = UserFactory()
    with django_capture_on_commit_callbacks(execute=True):
        notification_dispatch(users=[user], subject="Action attendue", summary="Un dossier attend.", url="/dossiers/7/")
    message = mail.outbox[0]
    assert "https://centres-experts.sante.gouv.fr/dossiers/7/" in message.body
    assert 'href="https://centres-experts.sante.gouv.fr/dossiers/7/"' in message.alternatives[0][0]
