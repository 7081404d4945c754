"""Notifications over SMTP (EMAIL_URL), received and parsed by a real local server (aiosmtpd): French
subject and bodies, text and HTML parts, no HTML escaping in headers; a refused or impossible send is
retried by Celery and the notification is marked sent only once the server accepted the mail."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from accounts.models import User
from core.workflow import run_transition
from reporting.mailing import DigestIncomplete, digest_send
from reporting.models import PendingNotification
from reporting.notifications import notification_dispatch
from tests.factories import UserFactory, ars_user, establishment_user
from tests.labellisation.factories import chu, make_application

from .conftest import free_port

ROOT = Path(__file__).resolve().parents[2]
ANGERS = "490000031"  # CHU d'Angers: an apostrophe in every mail about it (a CHU that may host a CRC SEP)


def _wait(condition, timeout: float = 30.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if value := condition():
            return value
        time.sleep(0.1)
    raise AssertionError("condition not met in time")


@pytest.mark.django_db
def test_a_transition_mails_over_smtp_in_french_with_text_and_html_parts(
    smtp_settings, settings, django_capture_on_commit_callbacks
):
    settings.SITE_URL = "https://centres-experts.sante.gouv.fr"
    app = make_application(establishment=chu(ANGERS), name="CRC SEP d'Angers")
    applicant = establishment_user(app.establishment)
    ars = ars_user("52")  # Pays de la Loire
    with django_capture_on_commit_callbacks(execute=True):
        app = run_transition(app, "submit", user=applicant)

    assert len(smtp_settings.messages) == 1
    message = smtp_settings.messages[0]
    assert message["To"] == ars.email and message["From"] == settings.DEFAULT_FROM_EMAIL
    # The header is decoded text, exactly the dossier's name: no HTML entity in it. (Django folds a long
    # encoded subject onto the next line; the unfolded value starts with that line's space.)
    assert message["Subject"].strip() == f"[Centres experts] Action attendue : {app}"
    assert "CHU d'Angers" in message["Subject"]
    headers = message.raw.split(b"\r\n\r\n", 1)[0]
    assert b"&#x27;" not in headers and b"&amp;" not in headers and b"=26=23x27" not in headers
    assert message.get_content_type() == "multipart/alternative"
    text = message.get_body(("plain",)).get_content()
    html = message.get_body(("html",)).get_content()
    assert text.startswith("Bonjour ") and f"« {app} »" in text and "CHU d'Angers" in text
    assert f"https://centres-experts.sante.gouv.fr{app.get_absolute_url()}" in text
    assert '<html lang="fr">' in html and "Consulter le dossier" in html
    assert "CHU d&#x27;Angers" in html  # escaped where it belongs: in the HTML body
    assert PendingNotification.objects.get(user=ars).sent_at is not None


@pytest.mark.django_db
def test_server_unreachable_keeps_the_notification_and_the_sweep_sends_it_later(
    smtp_settings, settings, smtp_server, django_capture_on_commit_callbacks
):
    user = UserFactory(notification_mode=User.Digest.INSTANT)
    settings.EMAIL_PORT = free_port()  # nothing listens there
    with django_capture_on_commit_callbacks(execute=True):
        notification_dispatch(users=[user], subject="Action attendue : CHU d'Angers", summary="Un dossier attend.")
    row = PendingNotification.objects.get(user=user)
    assert row.sent_at is None and row.attempts == 1 and "ConnectionRefusedError" in row.last_error
    assert smtp_settings.messages == []

    settings.EMAIL_PORT = smtp_server.port  # the server is back
    from reporting.tasks import dispatch_pending_notifications

    assert dispatch_pending_notifications.delay(older_than_seconds=0).get() == 1
    row.refresh_from_db()
    assert row.sent_at is not None and row.attempts == 2 and row.last_error == ""
    assert [m["Subject"].strip() for m in smtp_settings.messages] == [
        "[Centres experts] Action attendue : CHU d'Angers"
    ]
    assert dispatch_pending_notifications.delay(older_than_seconds=0).get() == 0  # nothing sent twice


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_a_refused_mail_is_retried_by_the_worker_and_marked_sent_only_after_success(
    smtp_settings, celery_app, celery_worker
):
    smtp_settings.refuse = 10_000  # the server answers 451 until told otherwise
    user = UserFactory(notification_mode=User.Digest.INSTANT)
    notification_dispatch(users=[user], subject="Action attendue", summary="Un dossier attend votre avis.")
    row = PendingNotification.objects.get(user=user)
    _wait(lambda: PendingNotification.objects.get(pk=row.pk).attempts >= 2)  # tried, refused, tried again
    row.refresh_from_db()
    assert row.sent_at is None and "451" in row.last_error and smtp_settings.messages == []

    smtp_settings.refuse = 0
    row = _wait(lambda: PendingNotification.objects.filter(pk=row.pk, sent_at__isnull=False).first())
    assert row.last_error == "" and row.attempts >= 3
    assert len(smtp_settings.messages) == 1
    assert "Un dossier attend votre avis." in smtp_settings.messages[0].get_body(("plain",)).get_content()


@pytest.mark.django_db
def test_a_refused_digest_keeps_its_lines_and_is_retried_for_that_user_only(smtp_settings):
    kept = UserFactory(notification_mode=User.Digest.DAILY)
    refused = UserFactory(notification_mode=User.Digest.DAILY)
    notification_dispatch(users=[kept, refused], subject="A", summary="Le dossier du CHU d'Angers attend.")
    smtp_settings.refuse_to = {refused.email}
    with pytest.raises(DigestIncomplete) as info:
        digest_send()
    assert info.value.sent == 1 and info.value.user_ids == [refused.pk]
    assert [m["To"] for m in smtp_settings.messages] == [kept.email]
    assert PendingNotification.objects.get(user=refused).sent_at is None

    smtp_settings.refuse_to = set()
    assert digest_send(user_ids=info.value.user_ids) == 1
    assert [m["To"] for m in smtp_settings.messages] == [kept.email, refused.email]
    assert "CHU d'Angers" in smtp_settings.messages[1].get_body(("plain",)).get_content()
    assert not PendingNotification.objects.filter(sent_at=None).exists()


def test_email_url_selects_smtp(smtp_server):
    """EMAIL_URL=smtp://host:port (django-environ) is all the production needs to send over SMTP."""
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "DJANGO_SETTINGS_MODULE": "config.settings.base",
        "DEBUG": "1",
        "EMAIL_URL": f"smtp://127.0.0.1:{smtp_server.port}",
        "DEFAULT_FROM_EMAIL": "ne-pas-repondre@sante.gouv.fr",
    }
    code = (
        "from django.core.mail import send_mail; "
        "send_mail(\"Décision : CHU d'Angers\", 'Corps en français : é à ç', None, ['agent@ars.sante.fr'])"
    )
    result = subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", code],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    (message,) = smtp_server.handler.messages
    assert message["Subject"] == "Décision : CHU d'Angers" and message["To"] == "agent@ars.sante.fr"
    assert message.get_content().strip() == "Corps en français : é à ç"
