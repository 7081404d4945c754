"""E-mails on the real workflows: a real transition tells exactly the accounts of ``awaiting()`` (never
the actor), in French (subject, text and HTML bodies) with an absolute link built on ``SITE_URL``; a
daily-digest account gets nothing at once, then one digest."""

from __future__ import annotations

import pytest
from django.core import mail

from accounts.models import User
from core.workflow import TransitionRefused, awaiting, run_transition
from crmr_procedures.succession.models import State as SuccessionState
from labellisation.models import Application
from reporting.models import PendingNotification
from reporting.tasks import send_daily_digests
from tests.crmr_procedures.competence.conftest import create_request, world  # noqa: F401  (fixture)
from tests.crmr_procedures.succession.helpers import Journey
from tests.factories import ars_user, dgos_user, establishment_user, gp_user
from tests.labellisation.factories import make_application

pytestmark = pytest.mark.django_db

SITE = "https://centres-experts.sante.gouv.fr"


@pytest.fixture(autouse=True)
def site_url(settings):
    settings.SITE_URL = SITE


def assert_step_mail(message, user, dossier, step_label: str) -> None:
    """The French step mail: subject, text and HTML bodies, absolute link to the dossier."""
    link = f"{SITE}{dossier.get_absolute_url()}"
    assert message.to == [user.email]
    assert message.subject == f"[Centres experts] Action attendue : {dossier}"
    assert message.body.startswith("Bonjour ")
    assert f"« {dossier} »" in message.body and f"à l'étape « {step_label} »" in message.body
    assert f"Pour consulter le dossier : {link}" in message.body
    html, mimetype = message.alternatives[0]
    assert mimetype == "text/html" and '<html lang="fr">' in html
    assert f'<a href="{link}"' in html and "Consulter le dossier" in html


def assert_one_digest(user, dossier) -> None:
    mail.outbox.clear()
    send_daily_digests.delay()
    mine = [m for m in mail.outbox if m.to == [user.email]]
    assert len(mine) == 1
    assert "récapitulatif" in mine[0].subject
    assert f"{SITE}{dossier.get_absolute_url()}" in mine[0].body
    assert not PendingNotification.objects.filter(user=user, sent_at=None).exists()


def test_a_submitted_application_mails_the_ars_officers_of_its_region(django_capture_on_commit_callbacks):
    app = make_application()  # CHU de Rennes, Bretagne (53)
    applicant = establishment_user(app.establishment)
    ars, ars_digest = ars_user("53"), ars_user("53", username="ars-53-bis", notification_mode=User.Digest.DAILY)
    ars_user("11"), dgos_user()  # neither must hear of it
    with django_capture_on_commit_callbacks(execute=True):
        app = run_transition(app, "submit", user=applicant)
    assert {u.pk for u in awaiting(app)} == {ars.pk, ars_digest.pk}
    assert len(mail.outbox) == 1
    assert_step_mail(mail.outbox[0], ars, app, str(Application.State.SUBMITTED.label))
    assert PendingNotification.objects.filter(user=ars_digest, sent_at=None).count() == 1
    assert_one_digest(ars_digest, app)


@pytest.mark.rule("CRMR-lettre-demandes-dgos-pf2")
def test_a_succession_notice_sent_mails_dgos_not_the_coordinator(django_capture_on_commit_callbacks):
    journey = Journey()
    dgos_digest = dgos_user(username="dgos-bis", notification_mode=User.Digest.DAILY)
    ars_user("53")
    journey.notice()
    with django_capture_on_commit_callbacks(execute=True):
        succession = run_transition(journey.s, "send_notice", user=journey.coordinator)
    assert succession.state == SuccessionState.NOTICE_RECEIVED
    assert {u.pk for u in awaiting(succession)} == {journey.dgos.pk, dgos_digest.pk}
    step_mails = [m for m in mail.outbox if "Action attendue" in m.subject]
    assert [m.to for m in step_mails] == [[journey.dgos.email]]
    assert_step_mail(step_mails[0], journey.dgos, succession, str(SuccessionState.NOTICE_RECEIVED.label))
    assert_one_digest(dgos_digest, succession)


@pytest.mark.rule("CRMR-lettre-demandes-dgos-pf2")
def test_a_succession_dossier_submitted_mails_dgos(django_capture_on_commit_callbacks):
    journey = Journey()
    journey.to(SuccessionState.NOTICE_FORWARDED)
    journey.dossier()
    with django_capture_on_commit_callbacks(execute=True):
        succession = run_transition(journey.s, "submit_dossier", user=journey.coordinator)
    assert succession.state == SuccessionState.DOSSIER_SUBMITTED
    step_mails = [m for m in mail.outbox if "Action attendue" in m.subject]
    assert [m.to for m in step_mails] == [[journey.dgos.email]]
    assert_step_mail(step_mails[0], journey.dgos, succession, str(SuccessionState.DOSSIER_SUBMITTED.label))


def test_a_ccmr_request_awaiting_opinion_mails_the_groupe_permanent(world, django_capture_on_commit_callbacks):  # noqa: F811
    request = create_request(world)
    gp_digest = gp_user(username="gp-bis", notification_mode=User.Digest.DAILY)
    with django_capture_on_commit_callbacks(execute=True):
        request = run_transition(request, "transmit_for_opinion", user=world.dgos)
    assert request.state == request.State.AWAITING_OPINION
    assert {u.pk for u in awaiting(request)} == {world.gp.pk, gp_digest.pk}
    step_mails = [m for m in mail.outbox if "Action attendue" in m.subject]
    assert [m.to for m in step_mails] == [[world.gp.email]]
    assert_step_mail(step_mails[0], world.gp, request, str(request.State.AWAITING_OPINION.label))
    assert_one_digest(gp_digest, request)


def test_the_actor_is_never_mailed_even_when_his_or_her_role_acts_next(django_capture_on_commit_callbacks):
    journey = Journey()
    colleague = dgos_user(username="dgos-collegue")
    journey.to(SuccessionState.DOSSIER_SUBMITTED)
    with django_capture_on_commit_callbacks(execute=True):
        succession = run_transition(journey.s, "check_complete", user=journey.dgos)
    assert succession.state == SuccessionState.DOSSIER_COMPLETE  # DGOS again
    assert journey.dgos in awaiting(succession)
    assert [m.to for m in mail.outbox if "Action attendue" in m.subject] == [[colleague.email]]


def test_a_refused_transition_sends_nothing(django_capture_on_commit_callbacks):
    app = make_application(complete=False)
    applicant = establishment_user(app.establishment)
    ars_user("53")
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(TransitionRefused):
        run_transition(app, "submit", user=applicant)
    assert mail.outbox == []
    assert not PendingNotification.objects.exists()
