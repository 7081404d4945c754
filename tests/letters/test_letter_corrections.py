"""Corrections (issue 13, item 1): the sender issues a letter that "annule et remplace" an issued one,
with a required reason, through preview, outbox and worker; the old letter stays, marked replaced; both
are linked, in the dossier's timeline, in the lists and in the exports."""

import csv
import io
import subprocess

import pytest
from django.urls import reverse
from django_fsm_log.models import StateLog

from labellisation.services import application_letter_draft
from letters.engine import letter_issue, letter_produce
from letters.models import Letter
from reporting.services import export_job_build, export_job_request
from tests.factories import ars_user, dgos_user, establishment_user
from tests.labellisation.factories import make_application

pytestmark = pytest.mark.django_db


def pdf_text(data: bytes, tmp_path) -> str:
    path = tmp_path / "letter.pdf"
    path.write_bytes(data)
    text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout
    return " ".join(text.split())


@pytest.fixture
def issued(db):
    """A CRC SEP labelling letter of ARS Bretagne, issued and rendered."""
    ars = ars_user("53")
    app = make_application()
    draft = application_letter_draft(application=app, decision="label", user=ars)
    letter = letter_produce(letter_issue(draft, establishments=[app.establishment]).pk)
    return letter, ars, app


def _post(client, letter, **data):
    payload = {"reason": "Erreur sur le nom du site.", "subject": letter.subject, "body": "Paragraphe corrigé."}
    payload.update(data)
    return client.post(reverse("letters:letter_correction", args=[letter.pk]), payload)


def test_the_sender_previews_then_issues_a_correction_that_annuls_and_replaces(
    client, issued, tmp_path, django_capture_on_commit_callbacks
):
    letter, ars, app = issued
    client.force_login(ars)
    page = client.get(reverse("letters:letter_correction", args=[letter.pk]))
    assert page.status_code == 200 and "Paragraphe" not in page.content.decode()
    assert "je labellise" in page.content.decode()  # the body to correct, as plain paragraphs

    preview = _post(client, letter, preview="1")
    assert preview["Content-Type"] == "application/pdf"
    text = pdf_text(preview.content, tmp_path)
    assert "PROJET" in text and f"annule et remplace le courrier n° {letter.reference}" in text
    assert "Erreur sur le nom du site." in text and "Paragraphe corrigé." in text
    assert Letter.objects.count() == 1  # a preview issues nothing

    with django_capture_on_commit_callbacks(execute=True):
        response = _post(client, letter)
    correction = Letter.objects.get(cites=letter)
    assert response.status_code == 302 and response["Location"] == correction.get_absolute_url()
    correction.refresh_from_db()
    assert correction.status == Letter.Status.ISSUED  # the outbox and the task rendered it
    assert correction.sender_code == letter.sender_code and correction.kind == letter.kind
    assert correction.addressees == letter.addressees and correction.copies == letter.copies
    assert set(correction.readers.values_list("party", flat=True)) == set(
        letter.readers.values_list("party", flat=True)
    )
    with correction.pdf.open("rb") as handle:
        text = pdf_text(handle.read(), tmp_path)
    assert f"annule et remplace le courrier n° {letter.reference} du" in text

    before = Letter.objects.get(pk=letter.pk)
    assert (before.sha256, before.pdf.name) == (letter.sha256, letter.pdf.name)  # the old one is unchanged
    old_page = client.get(letter.get_absolute_url()).content.decode()
    assert "remplacé par le courrier" in old_page and correction.reference in old_page
    new_page = client.get(correction.get_absolute_url()).content.decode()
    assert letter.reference in new_page and "Erreur sur le nom du site." in new_page

    log = StateLog.objects.for_(app).get(transition="correct_letter")
    assert letter.reference in log.description and correction.reference in log.description and log.by == ars


def test_a_correction_needs_a_reason_and_keeps_what_was_typed(client, issued):
    letter, ars, _app = issued
    client.force_login(ars)
    response = _post(client, letter, reason="  ", body="Mon texte corrigé à garder.")
    page = response.content.decode()
    assert response.status_code == 200 and "Indiquez le motif de la correction." in page
    assert "Mon texte corrigé à garder." in page
    assert not Letter.objects.filter(cites=letter).exists()


def test_only_the_sender_corrects_readers_get_403_outsiders_404(client, issued):
    letter, _ars, app = issued
    url = reverse("letters:letter_correction", args=[letter.pk])
    client.force_login(establishment_user(app.establishment))  # the addressee reads, does not correct
    assert client.get(url).status_code == 403
    client.force_login(dgos_user())  # DGOS is copied: reads, does not correct an ARS letter
    assert client.get(url).status_code == 403
    client.force_login(ars_user("52"))  # another region: not a reader at all
    assert client.get(url).status_code == 404


def test_a_replaced_letter_cannot_be_corrected_twice_but_its_correction_can(
    client, issued, django_capture_on_commit_callbacks
):
    letter, ars, _app = issued
    client.force_login(ars)
    with django_capture_on_commit_callbacks(execute=True):
        _post(client, letter)
    correction = Letter.objects.get(cites=letter)
    assert _post(client, letter).status_code == 403
    with django_capture_on_commit_callbacks(execute=True):
        assert _post(client, correction, reason="Seconde erreur.").status_code == 302
    assert Letter.objects.filter(cites=correction).count() == 1


def test_both_letters_are_in_the_list_and_the_exports_with_their_link(
    client, issued, django_capture_on_commit_callbacks
):
    letter, ars, _app = issued
    client.force_login(ars)
    with django_capture_on_commit_callbacks(execute=True):
        _post(client, letter)
    correction = Letter.objects.get(cites=letter)
    listing = client.get(reverse("letters:letter_list")).content.decode()
    assert f"Remplacé par {correction.reference}" in listing and f"Annule et remplace {letter.reference}" in listing
    assert letter.sha256 in listing and correction.sha256 in listing  # full hashes
    exported = client.get(reverse("letters:letter_list"), {"export": "csv"}).content.decode("utf-8-sig")
    rows = {row[0]: row for row in csv.reader(io.StringIO(exported), delimiter=";" if ";" in exported else ",")}
    assert rows[letter.reference][-1] == correction.reference
    assert rows[correction.reference][-2] == letter.reference

    job = export_job_build(job_id=export_job_request(user=dgos_user(), filters={}).pk)
    import zipfile

    with job.file.open("rb") as handle, zipfile.ZipFile(handle) as archive:
        index = list(csv.reader(io.StringIO(archive.read("index.csv").decode("utf-8-sig")), delimiter=";"))
    by_ref = {row[0]: row for row in index[1:]}
    assert by_ref[letter.reference][6] == correction.reference
    assert by_ref[correction.reference][5] == letter.reference
