"""Public verification of a letter (issue 13, item 2).

Each issued letter carries, in its footer, its reference, a short verification code, the address of the
public page and a QR code of that address. Anyone holding the letter checks it there without signing in,
by reference + code or by uploading the PDF (its SHA-256 compared with the stored one). The answer says
only: genuine or not, date, sender, object, replaced or not, and the full SHA-256.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from urllib.parse import urlencode

from django.conf import settings
from django.core.cache import cache
from django.urls import reverse

from .models import Letter

# Crockford-like alphabet: no 0/O, 1/I/L, U; 8 characters ≈ 39 bits, against a rate-limited page.
ALPHABET = "ABCDEFGHJKMNPQRSTVWXYZ23456789"
MAX_UPLOAD_BYTES = 10 * 1024 * 1024


def new_verification_code() -> str:
    raw = "".join(secrets.choice(ALPHABET) for _ in range(8))
    return f"{raw[:4]}-{raw[4:]}"


def normalise_code(code: str) -> str:
    raw = "".join(ch for ch in (code or "").upper() if ch.isalnum())
    return f"{raw[:4]}-{raw[4:]}" if len(raw) == 8 else raw


def verification_page_url() -> str:
    return f"{settings.SITE_URL}{reverse('letter_verification')}"


def verification_url(letter: Letter) -> str:
    query = urlencode({"reference": letter.reference, "code": letter.verification_code})
    return f"{verification_page_url()}?{query}"


def qr_data_uri(letter: Letter) -> str:
    """The QR code of the verification address, as a PNG data URI for the PDF footer (segno; a PNG costs
    WeasyPrint far less than an SVG of a few hundred modules)."""
    import segno

    return segno.make(verification_url(letter), error="m").png_data_uri(scale=3, border=0, dark="#161616")


@dataclass(frozen=True)
class Answer:
    """What the public page may say about a letter, and nothing else."""

    genuine: bool
    reference: str = ""
    issued_on: object = None
    sender: str = ""
    subject: str = ""
    replaced: bool = False
    sha256: str = ""


NOT_FOUND = Answer(genuine=False)


def _answer(letter: Letter | None) -> Answer:
    if letter is None:
        return NOT_FOUND
    return Answer(
        genuine=True,
        reference=letter.reference,
        issued_on=letter.issued_on,
        sender=letter.sender_label,
        subject=letter.subject,
        replaced=letter.corrections.exists(),
        sha256=letter.sha256,
    )


def verify_by_code(reference: str, code: str) -> Answer:
    """Genuine only for an issued letter whose reference AND code match (the same answer for an unknown
    reference and a wrong code: the page is no oracle of references)."""
    code = normalise_code(code)
    if not reference or not code:
        return NOT_FOUND
    letter = Letter.objects.filter(
        reference=reference.strip(), status=Letter.Status.ISSUED, verification_code=code
    ).first()
    if letter is not None and not secrets.compare_digest(letter.verification_code, code):
        letter = None
    return _answer(letter)


def verify_by_file(data: bytes) -> Answer:
    """Genuine when the uploaded bytes are exactly an issued letter's PDF (same SHA-256)."""
    digest = hashlib.sha256(data).hexdigest()
    return _answer(Letter.objects.filter(sha256=digest, status=Letter.Status.ISSUED).first())


def rate_limited(ip: str) -> bool:
    """At most LETTER_VERIFY_LIMIT checks per client address per LETTER_VERIFY_WINDOW seconds."""
    limit = getattr(settings, "LETTER_VERIFY_LIMIT", 20)
    window = getattr(settings, "LETTER_VERIFY_WINDOW", 600)
    key = f"letter-verify:{hashlib.sha256(ip.encode()).hexdigest()[:32]}"
    cache.add(key, 0, timeout=window)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=window)
        count = 1
    return count > limit
