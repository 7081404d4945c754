"""Labellisation letters produced by a real Celery worker on Redis (not eager mode)."""

import subprocess
import time

import pytest

from labellisation import services
from labellisation.models import Application
from letters.engine import letter_verify
from letters.models import Letter
from tests.factories import ars_user

from .factories import make_application

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]


def wait_until_issued(pk: int, timeout: float = 60.0) -> Letter:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        letter = Letter.objects.get(pk=pk)
        if letter.status == Letter.Status.ISSUED:
            return letter
        time.sleep(0.2)
    raise AssertionError(f"letter {pk} not issued after {timeout}s")


def test_labellisation_decision_letter_is_rendered_by_the_worker_once(celery_app, celery_worker, tmp_path):
    app = services.application_label(
        application=make_application(state=Application.State.UNDER_REVIEW), user=ars_user("53")
    )
    pending = Letter.objects.get(object_id=app.pk, kind=Letter.Kind.CRCSEP_LABELLING)
    letter = wait_until_issued(pending.pk)
    assert letter_verify(letter)
    path = tmp_path / "letter.pdf"
    with letter.pdf.open("rb") as handle:
        path.write_bytes(handle.read())
    text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout
    flat = " ".join(text.split())
    for expected in (
        "CHU de Rennes",
        letter.reference,
        "je labellise",
        "Hôpital Pontchaillou",
        "100 000 € par an",
        "après la date limite",
        "Agence régionale de santé",
    ):
        assert expected in flat, expected
    # A second run of the task (a redelivery) changes nothing.
    from letters.tasks import render_letter

    assert render_letter.delay(letter.pk).get(timeout=30) == letter.sha256
    again = Letter.objects.get(pk=letter.pk)
    assert (again.pdf.name, again.sha256, again.rendered_at) == (letter.pdf.name, letter.sha256, letter.rendered_at)
    assert Letter.objects.filter(object_id=app.pk).count() == 1
