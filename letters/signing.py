"""Electronic signature of issued letters (issue 13, item 3): PAdES with pyHanko.

The sender's certificate comes from the environment, as a PKCS#12 file and its passphrase:
``LETTER_SIGNING_P12_<SENDER>`` / ``LETTER_SIGNING_PASSPHRASE_<SENDER>`` for one sender (``<SENDER>`` is
the sender code with "-" as "_", e.g. ``ARS_53``, ``DGOS_PF2``), else ``LETTER_SIGNING_P12`` /
``LETTER_SIGNING_PASSPHRASE`` for the whole platform. With none configured (``make run``, tests) a local
demonstration certificate is generated once (``cryptography``, self-signed) and the letter says it
carries a "signature de démonstration". The letter is signed before it is hashed: the stored SHA-256 is
the signed file's.
"""

from __future__ import annotations

import asyncio
import datetime
import os
import threading
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from io import BytesIO
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

DEMO_COMMON_NAME = "Signature de démonstration — plateforme CRMR / CRC SEP"
_lock = threading.Lock()


@dataclass(frozen=True)
class SigningConfig:
    path: Path
    passphrase: bytes | None
    demo: bool


def _env_key(sender_code: str) -> str:
    return sender_code.upper().replace("-", "_")


def signing_config(sender_code: str) -> SigningConfig:
    """The PKCS#12 of ``sender_code`` (or the platform's), else the demonstration certificate."""
    key = _env_key(sender_code)
    for suffix in (f"_{key}", ""):
        path = os.environ.get(f"LETTER_SIGNING_P12{suffix}", "").strip()
        if path:
            if not Path(path).is_file():
                raise ImproperlyConfigured(f"LETTER_SIGNING_P12{suffix}={path!r}: fichier introuvable.")
            passphrase = os.environ.get(f"LETTER_SIGNING_PASSPHRASE{suffix}", "")
            return SigningConfig(Path(path), passphrase.encode() if passphrase else None, demo=False)
    return SigningConfig(demo_pkcs12_path(), None, demo=True)


def demo_pkcs12_path() -> Path:
    """A self-signed certificate (key usage digitalSignature + nonRepudiation) made once per installation.

    Kept in ``LETTER_SIGNING_DEMO_DIR`` (beside the local database), never in the media storage.
    """
    path = Path(settings.LETTER_SIGNING_DEMO_DIR) / "demo-signature.p12"
    if path.is_file():
        return path
    with _lock:
        if path.is_file():
            return path
        from cryptography import x509
        from cryptography.hazmat.primitives import hashes, serialization
        from cryptography.hazmat.primitives.asymmetric import ec
        from cryptography.hazmat.primitives.serialization import pkcs12
        from cryptography.x509.oid import NameOID

        key = ec.generate_private_key(ec.SECP256R1())
        name = x509.Name(
            [
                x509.NameAttribute(NameOID.COUNTRY_NAME, "FR"),
                x509.NameAttribute(NameOID.ORGANIZATION_NAME, "Démonstration (sans valeur)"),
                x509.NameAttribute(NameOID.COMMON_NAME, DEMO_COMMON_NAME),
            ]
        )
        now = datetime.datetime.now(datetime.UTC)
        cert = (
            x509.CertificateBuilder()
            .subject_name(name)
            .issuer_name(name)
            .public_key(key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(now - datetime.timedelta(days=1))
            .not_valid_after(now + datetime.timedelta(days=3650))
            .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
            .add_extension(
                x509.KeyUsage(
                    digital_signature=True,
                    content_commitment=True,  # nonRepudiation
                    key_encipherment=False,
                    data_encipherment=False,
                    key_agreement=False,
                    key_cert_sign=True,
                    crl_sign=False,
                    encipher_only=False,
                    decipher_only=False,
                ),
                critical=True,
            )
            .sign(key, hashes.SHA256())
        )
        data = pkcs12.serialize_key_and_certificates(b"demo", key, cert, None, serialization.NoEncryption())
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(f".{os.getpid()}.tmp")
        tmp.write_bytes(data)
        os.replace(tmp, path)
    return path


def _signer(config: SigningConfig):
    from pyhanko.sign import signers

    signer = signers.SimpleSigner.load_pkcs12(str(config.path), passphrase=config.passphrase)
    if signer is None:
        raise ImproperlyConfigured(f"{config.path}: PKCS#12 illisible ou phrase secrète incorrecte.")
    return signer


def sign_pdf(data: bytes, *, sender_code: str, config: SigningConfig | None = None) -> bytes:
    """PAdES signature (pyHanko) of a rendered letter; returns the signed file's bytes."""
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign import fields, signers

    config = config or signing_config(sender_code)
    meta = signers.PdfSignatureMetadata(
        field_name="Signature",
        md_algorithm="sha256",
        subfilter=fields.SigSeedSubFilter.PADES,
        reason="Courrier officiel" + (" — signature de démonstration" if config.demo else ""),
    )
    signer = _signer(config)

    def sign() -> bytes:
        writer = IncrementalPdfFileWriter(BytesIO(data), strict=False)
        return signers.sign_pdf(writer, meta, signer=signer).getvalue()

    # pyHanko's synchronous API runs its own event loop (asyncio.run), which Python refuses inside a
    # thread whose loop is already running (an ASGI server, a Playwright session): sign in a fresh thread.
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return sign()
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(sign).result()


def signing_certificate(sender_code: str):
    """The certificate (asn1crypto) letters of ``sender_code`` are signed with: tests use it as trust root."""
    return _signer(signing_config(sender_code)).signing_cert
