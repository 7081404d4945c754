"""Electronic signature of issued letters (issue 13, item 3): PAdES with pyHanko, the sender's PKCS#12
from the environment or a generated demonstration certificate; signed before hashing."""

import datetime
import io
import subprocess

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import NameOID
from django.core.exceptions import ImproperlyConfigured
from pyhanko.keys import load_cert_from_pemder
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko_certvalidator import ValidationContext

from core.uploads import sha256_hex
from letters.engine import dgos_sender, letter_compose, letter_issue, letter_produce, letter_verify
from letters.models import Letter
from letters.signing import signing_certificate
from tests.factories import dgos_user

pytestmark = pytest.mark.django_db


def _produce() -> Letter:
    draft = letter_compose(
        kind=Letter.Kind.OTHER,
        sender=dgos_sender(),
        subject="Courrier signé",
        body_template="letters/layout/test_body.html",
        context={"message": "Corps du courrier signé."},
        addressees=["Destinataire"],
        created_by=dgos_user(),
    )
    return letter_produce(letter_issue(draft).pk)


def _data(letter) -> bytes:
    with letter.pdf.open("rb") as handle:
        return handle.read()


def _status(data: bytes, trust_root):
    reader = PdfFileReader(io.BytesIO(data), strict=False)
    return validate_pdf_signature(reader.embedded_signatures[0], ValidationContext(trust_roots=[trust_root]))


def _text(data: bytes, tmp_path) -> str:
    path = tmp_path / "l.pdf"
    path.write_bytes(data)
    return " ".join(subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True).stdout.split())


def test_an_issued_letter_carries_a_valid_pades_signature_and_its_hash_is_the_signed_files(tmp_path):
    letter = _produce()
    data = _data(letter)
    status = _status(data, signing_certificate(letter.sender_code))
    assert status.intact and status.valid and status.trusted
    assert status.bottom_line
    assert sha256_hex(data) == letter.sha256 and letter_verify(letter)
    assert letter.signature_demo
    assert "signature de démonstration" in _text(data, tmp_path)


def test_a_tampered_file_is_detected():
    letter = _produce()
    data = _data(letter)
    position = data.index(b"Courrier sign") if b"Courrier sign" in data else len(data) // 3
    tampered = bytearray(data)
    tampered[position] ^= 0x01
    try:
        status = _status(bytes(tampered), signing_certificate(letter.sender_code))
        detected = not (status.intact and status.valid)
    except Exception:  # pyHanko refusing a broken file is a detection too
        detected = True
    assert detected
    assert sha256_hex(bytes(tampered)) != letter.sha256


def test_a_signed_byte_range_change_breaks_the_signature():
    """Flip a byte inside the signed content (the first byte range): pyHanko reports it not intact."""
    letter = _produce()
    data = bytearray(_data(letter))
    start = data.index(b"stream", 200) + 10  # inside the first content stream, covered by /ByteRange
    data[start] ^= 0x20
    status = _status(bytes(data), signing_certificate(letter.sender_code))
    assert not status.intact


def _pkcs12(tmp_path, passphrase: bytes):
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "DGOS bureau PF2 (test)")])
    now = datetime.datetime.now(datetime.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(days=1))
        .not_valid_after(now + datetime.timedelta(days=30))
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    path = tmp_path / "pf2.p12"
    path.write_bytes(
        pkcs12.serialize_key_and_certificates(
            b"pf2", key, cert, None, serialization.BestAvailableEncryption(passphrase)
        )
    )
    pem = tmp_path / "pf2.pem"
    pem.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    return path, load_cert_from_pemder(str(pem))


def test_a_sender_certificate_from_the_environment_signs_and_is_no_demonstration(tmp_path, monkeypatch):
    path, cert = _pkcs12(tmp_path, b"secret")
    monkeypatch.setenv("LETTER_SIGNING_P12_DGOS_PF2", str(path))
    monkeypatch.setenv("LETTER_SIGNING_PASSPHRASE_DGOS_PF2", "secret")
    letter = _produce()
    data = _data(letter)
    status = _status(data, cert)
    assert status.intact and status.valid and status.trusted
    assert not letter.signature_demo and "signature de démonstration" not in _text(data, tmp_path)
    assert sha256_hex(data) == letter.sha256


def test_the_platform_certificate_applies_when_the_sender_has_none(tmp_path, monkeypatch):
    path, cert = _pkcs12(tmp_path, b"platform")
    monkeypatch.setenv("LETTER_SIGNING_P12", str(path))
    monkeypatch.setenv("LETTER_SIGNING_PASSPHRASE", "platform")
    letter = _produce()
    assert _status(_data(letter), cert).trusted and not letter.signature_demo


def test_a_missing_certificate_file_fails_loudly(monkeypatch, tmp_path):
    monkeypatch.setenv("LETTER_SIGNING_P12", str(tmp_path / "absent.p12"))
    draft = letter_issue(
        letter_compose(
            kind=Letter.Kind.OTHER,
            sender=dgos_sender(),
            subject="x",
            body_template="letters/layout/test_body.html",
            context={"message": "x"},
            addressees=["x"],
            created_by=dgos_user(),
        )
    )
    with pytest.raises(ImproperlyConfigured):
        letter_produce(draft.pk)
    assert Letter.objects.get(pk=draft.pk).status == Letter.Status.PENDING  # stays in the outbox
