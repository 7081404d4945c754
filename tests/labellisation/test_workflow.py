"""Every transition × every source state, built from the workflow declared on the model."""

import pytest
from django.contrib.contenttypes.models import ContentType
from django_fsm_log.models import StateLog

from core.workflow import TransitionRefused, act
from labellisation import services
from labellisation.models import Application
from tests.factories import ars_user, establishment_user
from tests.workflow_matrix import declared_transitions, transition_matrix

from .factories import chu, make_application

pytestmark = pytest.mark.django_db

TRANSITIONS = declared_transitions(Application)
CASES = sorted((c.transition, c.state, c.allowed) for c in transition_matrix(Application))


def actor_for(name: str):
    """The right user: the applicant submits, the region's ARS decides."""
    return establishment_user(chu()) if name == "submit" else ars_user("53")


def prepare(state: str) -> Application:
    app = make_application(state=state)
    if state in (Application.State.LABELLED, Application.State.WITHDRAWN):
        from centres.models import CrcSepCentre

        app.centre = CrcSepCentre.objects.create(
            name=app.centre_name,
            establishment=app.establishment,
            hospital=app.hospital,
            region=app.region,
            tranche=app.tranche,
            labelled_on="2016-09-01",
            status="labelled" if state == Application.State.LABELLED else "withdrawn",
        )
        app.save()
    return app


def test_the_workflow_declares_the_expected_transitions():
    assert {t.name for t in TRANSITIONS} == {"submit", "review", "send_back", "label", "reject", "withdraw"}
    assert all("label" in t.custom for t in TRANSITIONS)


@pytest.mark.parametrize(("name", "state", "allowed"), CASES, ids=[f"{n}-from-{s}" for n, s, _ in CASES])
def test_transition_from_each_state(name, state, allowed):
    app = prepare(state)
    user = actor_for(name)
    comment = "Motif de la décision"
    if allowed:
        result = act(app, name, user=user, comment=comment, from_button=True)
        target = {t.target for t in TRANSITIONS if t.name == name}.pop()
        assert result.state == target
        log = StateLog.objects.get(content_type=ContentType.objects.get_for_model(Application), object_id=app.pk)
        assert (log.by, log.source_state, log.state, log.description) == (user, state, target, comment)
    else:
        with pytest.raises(TransitionRefused) as exc:
            act(app, name, user=user, comment=comment, from_button=True)
        assert "n'est pas possible lorsque le dossier est à l'état" in exc.value.reasons[0]
        app.refresh_from_db()
        assert app.state == state
        assert not StateLog.objects.filter(object_id=app.pk).exists()


def test_sent_back_dossier_can_be_submitted_again_by_the_applicant():
    app = make_application(state=Application.State.SUBMITTED)
    services.application_send_back(application=app, user=ars_user("53"), comment="Joindre la convention OFSEP")
    app = services.application_submit(application=app, user=establishment_user(chu()))
    assert app.state == Application.State.SUBMITTED
    logs = StateLog.objects.filter(object_id=app.pk).order_by("timestamp")
    assert [(log.source_state, log.state) for log in logs] == [("submitted", "sent_back"), ("sent_back", "submitted")]
    assert logs[0].description == "Joindre la convention OFSEP"
