"""Issue 7, reliability: a decision taken while the broker is down stands; its letter follows later."""

import pytest
from kombu.exceptions import OperationalError

from labellisation import services
from labellisation.models import Application
from letters.models import Letter
from letters.tasks import dispatch_pending_letters, render_letter
from tests.factories import ars_user

from .factories import make_application

pytestmark = pytest.mark.django_db(transaction=True)


def test_labelling_while_redis_is_down_keeps_the_decision_and_the_letter_follows(monkeypatch):
    def broker_down(*args, **kwargs):
        raise OperationalError("Error 111 connecting to redis")

    monkeypatch.setattr(render_letter, "delay", broker_down)
    app = services.application_label(
        application=make_application(state=Application.State.UNDER_REVIEW), user=ars_user("53")
    )
    assert Application.objects.get(pk=app.pk).state == Application.State.LABELLED
    letter = Letter.objects.get(object_id=app.pk)
    assert letter.status == Letter.Status.PENDING

    monkeypatch.undo()  # Redis is back: the outbox sweep queues the pending letter again.
    assert dispatch_pending_letters(older_than_seconds=0) == 1
    letter.refresh_from_db()
    assert letter.status == Letter.Status.ISSUED and letter.sha256
