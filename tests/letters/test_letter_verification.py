"""Public verification of a letter (issue 13, item 2): reference + code or the PDF itself, without
sign-in, rate-limited, answering only genuine or not, date, sender, object, replaced or not, SHA-256."""

import html
import subprocess
from urllib.parse import urlencode

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from letters import verification
from letters.engine import dgos_sender, letter_compose, letter_issue, letter_produce
from letters.models import Letter
from letters.services import letter_correct
from tests.factories import dgos_user

pytestmark = pytest.mark.django_db

URL = "/verifier/"
SECRET_BODY = "Le corps confidentiel du courrier ne doit jamais apparaître."


@pytest.fixture(autouse=True)
def _local_cache(settings):
    """The rate limit's counters in a fresh in-process cache for each test."""
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "verify"}}
    from django.core.cache import cache

    cache.clear()


def _issued() -> Letter:
    draft = letter_compose(
        kind=Letter.Kind.OTHER,
        sender=dgos_sender(),
        subject="Transmission au groupe permanent",
        body_template="letters/layout/test_body.html",
        context={"message": SECRET_BODY},
        addressees=["Madame Secrète, destinataire confidentielle"],
        copies=["Copie confidentielle"],
        created_by=dgos_user(),
    )
    return letter_produce(letter_issue(draft).pk)


def _pdf(letter) -> bytes:
    with letter.pdf.open("rb") as handle:
        return handle.read()


def test_the_url_is_public_and_reversible():
    assert reverse("letter_verification") == URL


def test_a_genuine_letter_is_confirmed_with_only_the_allowed_facts(client):
    letter = _issued()
    response = client.get(URL, {"reference": letter.reference, "code": letter.verification_code.lower()})
    page = html.unescape(response.content.decode())
    assert response.status_code == 200 and "Courrier authentique" in page
    for shown in (letter.reference, "Transmission au groupe permanent", letter.sender_label, letter.sha256):
        assert shown in page
    assert "Non" in page  # not replaced
    for hidden in (SECRET_BODY, "Madame Secrète", "Copie confidentielle", letter.signatory_name):
        assert hidden not in page  # no data leak to an anonymous user
    assert response["Cache-Control"] == "no-store"


@pytest.mark.parametrize("case", ["unknown reference", "wrong code", "pending letter", "empty code"])
def test_unknown_reference_wrong_code_and_pending_letters_are_not_recognised_alike(client, case):
    letter = _issued()
    reference, code = letter.reference, letter.verification_code
    if case == "unknown reference":
        reference = "DGOS-PF2/2099/99999"
    elif case == "wrong code":
        code = "AAAA-AAAA" if code != "AAAA-AAAA" else "BBBB-BBBB"
    elif case == "pending letter":
        pending = letter_issue(
            letter_compose(
                kind=Letter.Kind.OTHER,
                sender=dgos_sender(),
                subject="En production",
                body_template="letters/layout/test_body.html",
                context={"message": "x"},
                addressees=["x"],
                created_by=dgos_user(username="dgos2"),
            )
        )
        reference, code = pending.reference, pending.verification_code
    elif case == "empty code":
        code = ""
    page = client.get(URL, {"reference": reference, "code": code}).content.decode()
    assert "Courrier authentique" not in page and letter.sha256 not in page
    if case != "empty code":
        assert "Courrier non reconnu" in page


def test_a_replaced_letter_is_reported_as_replaced(client, django_capture_on_commit_callbacks):
    letter = _issued()
    with django_capture_on_commit_callbacks(execute=True):
        letter_correct(letter=letter, user=dgos_user(username="dgos-b"), reason="Erreur", subject="", body="Corrigé.")
    page = client.get(URL, {"reference": letter.reference, "code": letter.verification_code}).content.decode()
    assert "Courrier authentique" in page and "Oui : ce courrier a été annulé et remplacé" in page


def test_checks_are_rate_limited_per_client(client, settings):
    settings.LETTER_VERIFY_LIMIT = 3
    letter = _issued()
    params = {"reference": letter.reference, "code": "WRONG-CODE"}
    assert [client.get(URL, params).status_code for _ in range(3)] == [200, 200, 200]
    limited = client.get(URL, params)
    assert limited.status_code == 429 and "Trop de vérifications" in limited.content.decode()
    assert client.get(URL).status_code == 200  # the empty page is not a check


def test_uploading_the_pdf_compares_its_sha256(client):
    letter = _issued()
    data = _pdf(letter)
    page = client.post(URL, {"file": SimpleUploadedFile("courrier.pdf", data)}).content.decode()
    assert "Courrier authentique" in page and letter.sha256 in page
    tampered = data[:-20] + bytes(b ^ 1 for b in data[-20:])
    page = client.post(URL, {"file": SimpleUploadedFile("courrier.pdf", tampered)}).content.decode()
    assert "Courrier non reconnu" in page


def test_an_upload_that_is_not_a_pdf_or_too_large_is_refused_in_french(client, monkeypatch):
    page = client.post(URL, {"file": SimpleUploadedFile("courrier.pdf", b"GIF89a not a pdf")}).content.decode()
    assert "Le fichier n&#x27;est pas un PDF." in page or "Le fichier n'est pas un PDF." in page
    monkeypatch.setattr(verification, "MAX_UPLOAD_BYTES", 100)
    page = client.post(URL, {"file": SimpleUploadedFile("c.pdf", b"%PDF-" + b"0" * 200)}).content.decode()
    assert "dépasse 10 Mo" in page


def test_the_footer_carries_reference_code_address_and_a_qr_code(tmp_path):
    letter = _issued()
    path = tmp_path / "letter.pdf"
    path.write_bytes(_pdf(letter))
    text = " ".join(subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True).stdout.split())
    # pdftotext may split a word where two glyphs kern ("5Q JT-2YW7"); the verification page ignores spaces
    # in a typed code (verification.normalise_code), so compare without them.
    assert f"codedevérification{letter.verification_code}" in "".join(text.split())
    assert verification.normalise_code(letter.verification_code.replace("-", " - ")) == verification.normalise_code(
        letter.verification_code
    )
    assert "http://127.0.0.1:8000/verifier/" in text or "/verifier/" in text
    images = subprocess.run(["pdfimages", "-list", str(path)], capture_output=True, text=True).stdout
    assert len([line for line in images.splitlines()[2:] if line.strip()]) >= 2  # Marianne + QR code
    assert urlencode({"reference": letter.reference}) in verification.verification_url(letter)


def test_the_letter_page_shows_the_full_sha256(client):
    letter = _issued()
    client.force_login(dgos_user(username="dgos-reader"))
    assert letter.sha256 in client.get(letter.get_absolute_url()).content.decode()
