"""Letters produced by a real Celery worker on Redis (not eager mode)."""

import time

import pytest

from letters.engine import dgos_sender, letter_compose, letter_issue, letter_verify
from letters.models import Letter
from tests.factories import dgos_user

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]


def wait_until_issued(pk: int, timeout: float = 30.0) -> Letter:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        letter = Letter.objects.get(pk=pk)
        if letter.status == Letter.Status.ISSUED:
            return letter
        time.sleep(0.2)
    raise AssertionError(f"letter {pk} not issued after {timeout}s")


def test_worker_renders_issued_letter_once(celery_app, celery_worker):
    user = dgos_user()
    draft = letter_compose(
        kind=Letter.Kind.OTHER,
        sender=dgos_sender(),
        subject="Courrier produit par le worker",
        body_template="letters/layout/test_body.html",
        context={"message": "Worker"},
        addressees=["Destinataire"],
        created_by=user,
    )
    letter = wait_until_issued(letter_issue(draft).pk)
    assert letter_verify(letter)
    # A second run of the task (a redelivery) changes nothing.
    from letters.tasks import render_letter

    assert render_letter.delay(letter.pk).get(timeout=30) == letter.sha256
    assert Letter.objects.get(pk=letter.pk).pdf.name == letter.pdf.name
