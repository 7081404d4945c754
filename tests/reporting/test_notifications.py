"""E-mails at each step that asks something of someone: instant or daily digest, French templates."""

import pytest
from django.core import mail

from accounts.models import User
from core.workflow import run_transition
from reporting.models import PendingNotification
from reporting.notifications import digest_send, notification_dispatch
from tests.activity_reports.factories import filled_report, labelled_centre, team_user
from tests.factories import UserFactory, ars_user, establishment_user

pytestmark = pytest.mark.django_db


def test_instant_user_receives_a_french_mail_with_text_and_html(django_capture_on_commit_callbacks):
    user = UserFactory(notification_mode=User.Digest.INSTANT)
    with django_capture_on_commit_callbacks(execute=True):  # the mail is queued once the row is committed
        notification_dispatch(
            users=[user], subject="Action attendue : dossier", summary="Le dossier attend votre avis.", url="/x/"
        )
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert PendingNotification.objects.get(user=user).sent_at is not None
    assert message.to == [user.email] and "Action attendue" in message.subject
    assert "Bonjour" in message.body and "Le dossier attend votre avis." in message.body
    html, mimetype = message.alternatives[0]
    assert mimetype == "text/html" and 'lang="fr"' in html


def test_digest_user_gets_nothing_now_and_one_mail_in_the_digest():
    user = UserFactory(notification_mode=User.Digest.DAILY)
    notification_dispatch(users=[user], subject="A", summary="Premier dossier en attente.")
    notification_dispatch(users=[user], subject="B", summary="Second dossier en attente.")
    assert mail.outbox == [] and PendingNotification.objects.filter(user=user, sent_at=None).count() == 2
    assert digest_send() == 1
    assert len(mail.outbox) == 1
    body = mail.outbox[0].body
    assert "Premier dossier" in body and "Second dossier" in body and "récapitulatif" in mail.outbox[0].subject
    assert digest_send() == 0  # already sent


def test_users_without_email_are_skipped():
    user = UserFactory(email="")
    assert notification_dispatch(users=[user], subject="A", summary="B") == 0
    assert mail.outbox == []


def test_a_transition_mails_the_accounts_that_must_act_next_but_not_the_actor(django_capture_on_commit_callbacks):
    centre = labelled_centre("53")
    etab = establishment_user(centre.establishment)
    team = team_user(centre)
    ars = ars_user("53")
    report = filled_report(centre, 2024, etab)
    with django_capture_on_commit_callbacks(execute=True):
        report = run_transition(report, "submit", user=team)
    assert [m.to for m in mail.outbox] == [[etab.email]]  # the direction validates next (Annexe 1 §4)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        report = run_transition(report, "return_to_centre", user=etab, comment="File active à revoir")
    assert [m.to for m in mail.outbox] == [[team.email]]  # back to the team, not to the actor
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        report = run_transition(report, "submit", user=team)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        run_transition(report, "validate", user=etab)
    assert [m.to for m in mail.outbox] == [[ars.email]]
    assert "Validé par l'établissement" in mail.outbox[0].body
    assert report.get_absolute_url() in mail.outbox[0].body


def test_preferences_page_switches_to_the_daily_digest(client):
    user = UserFactory()
    client.force_login(user)
    page = client.get("/pilotage/preferences/").content.decode()
    assert 'value="instant" checked' in page and "Un récapitulatif quotidien" in page
    response = client.post("/pilotage/preferences/", {"notification_mode": "daily"})
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.notification_mode == User.Digest.DAILY


def test_daily_digest_task_refreshes_alerts_then_sends_the_pending_lines():
    from reporting.models import Alert
    from reporting.tasks import send_daily_digests

    centre = labelled_centre("53")
    user = establishment_user(centre.establishment, notification_mode=User.Digest.DAILY)
    notification_dispatch(users=[user], subject="A", summary="Un rapport attend votre validation.")
    Alert.objects.create(user=user, key="stale", kind=Alert.Kind.TRANCHE, message="Échéance passée")
    send_daily_digests.delay()
    assert not Alert.objects.filter(key="stale").exists()  # recomputed before sending
    assert len(mail.outbox) == 1
    assert "Un rapport attend votre validation." in mail.outbox[0].body
    assert "Échéance passée" not in mail.outbox[0].body
