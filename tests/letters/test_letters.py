"""The official-letter engine: numbering, frozen content, PDF with its hash, idempotent production."""

import subprocess

import pytest
from django.db import IntegrityError, connection, transaction

from letters.engine import (
    dgos_sender,
    letter_compose,
    letter_issue,
    letter_produce,
    letter_render_pdf,
    letter_verify,
)
from letters.models import Letter
from tests.factories import dgos_user

pytestmark = pytest.mark.django_db


def compose(user, **kw):
    return letter_compose(
        kind=Letter.Kind.OTHER,
        sender=dgos_sender(),
        subject=kw.pop("subject", "Information du groupe permanent"),
        body_template="letters/layout/test_body.html",
        context={"message": kw.pop("message", "Corps du courrier de test.")},
        addressees=["Madame la présidente du directoire du CHU de Rennes"],
        copies=["Agence régionale de santé Bretagne"],
        created_by=user,
        **kw,
    )


def pdf_text(data: bytes, tmp_path) -> str:
    path = tmp_path / "letter.pdf"
    path.write_bytes(data)
    return subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True).stdout


def test_letter_references_are_sequential_per_sender_and_year():
    user = dgos_user()
    first = letter_issue(compose(user))
    second = letter_issue(compose(user))
    assert (first.year, first.number + 1) == (second.year, second.number)
    assert first.reference == f"DGOS-PF2/{first.year}/{first.number:05d}"


@pytest.mark.rule("CRMR-lettre-signature-delegation")
def test_issued_letter_pdf_contains_reference_objet_and_signature_block(tmp_path, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        letter = letter_issue(compose(dgos_user(), message="Le Pr Dupont succède au Pr Martin."))
    letter.refresh_from_db()
    assert letter.status == Letter.Status.ISSUED  # eager mode in tests: produced on commit
    assert letter_verify(letter)
    with letter.pdf.open("rb") as handle:
        text = pdf_text(handle.read(), tmp_path)
    for expected in (
        letter.reference,
        "Objet",
        "Information du groupe permanent",
        "Pour la ministre et par délégation",
        "Le Pr Dupont succède au Pr Martin.",
        "Copie",
    ):
        assert expected in text


def test_every_page_footer_carries_the_reference_and_the_page_count(tmp_path):
    letter = letter_produce(letter_issue(compose(dgos_user(), message="Long développement. " * 400)).pk)
    with letter.pdf.open("rb") as handle:
        pages = pdf_text(handle.read(), tmp_path).split("\f")
    pages = [page for page in pages if page.strip()]
    assert len(pages) >= 2
    for number, page in enumerate(pages, start=1):
        assert f"{letter.reference} — page {number} / {len(pages)}" in page


def test_letter_production_is_idempotent():
    letter = letter_produce(letter_issue(compose(dgos_user())).pk)
    sha, name = letter.sha256, letter.pdf.name
    again = letter_produce(letter.pk)
    assert (again.sha256, again.pdf.name) == (sha, name)
    assert Letter.objects.count() == 1


def test_letter_pdf_embeds_marianne_font(tmp_path):
    path = tmp_path / "l.pdf"
    path.write_bytes(letter_render_pdf(compose(dgos_user())))
    fonts = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, check=True).stdout
    assert "Marianne" in fonts


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL trigger")
def test_issued_letter_cannot_be_updated_or_deleted_in_the_database():
    letter = letter_produce(letter_issue(compose(dgos_user())).pk)
    with pytest.raises(IntegrityError), transaction.atomic():
        Letter.objects.filter(pk=letter.pk).update(subject="Modifié")
    with pytest.raises(IntegrityError), transaction.atomic():
        Letter.objects.filter(pk=letter.pk).delete()
