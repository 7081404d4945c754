"""Every uploaded file is scanned by ClamAV through clamd's socket (protocol ``zINSTREAM``), before any
parser reads it. Fail closed: a scanner that is configured but does not answer refuses the upload; with no
scanner configured the upload is refused too unless ``ANTIVIRUS_REQUIRED`` is off (the default only under
``DEBUG``, so that ``make run`` needs no daemon; /healthz then says ``"antivirus": "disabled"``).

``CLAMD_SOCKET`` is the path of clamd's local socket (``LocalSocket``) or ``tcp://host:port``
(``TCPSocket``, e.g. the clamav container of docker-compose)."""

from __future__ import annotations

import logging
import socket
import struct

from django.conf import settings
from django.core.exceptions import ValidationError

logger = logging.getLogger(__name__)

CHUNK = 64 * 1024


class ScannerUnavailable(Exception):
    """clamd is not configured, unreachable, or answered something else than OK / FOUND."""


def _connect() -> socket.socket:
    address = settings.CLAMD_SOCKET
    timeout = settings.CLAMD_TIMEOUT
    if not address:
        raise ScannerUnavailable("no CLAMD_SOCKET configured")
    try:
        if address.startswith("tcp://"):
            host, _sep, port = address[len("tcp://") :].rstrip("/").rpartition(":")
            return socket.create_connection((host, int(port)), timeout=timeout)
        sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        sock.settimeout(timeout)
        sock.connect(address)
        return sock
    except (OSError, ValueError) as exc:
        raise ScannerUnavailable(f"{type(exc).__name__}: {exc}") from None


def _ask(command: bytes, payload: bytes | None = None) -> str:
    with _connect() as sock:
        try:
            sock.sendall(b"z" + command + b"\0")
            if payload is not None:
                for start in range(0, len(payload), CHUNK):
                    chunk = payload[start : start + CHUNK]
                    sock.sendall(struct.pack("!L", len(chunk)) + chunk)
                sock.sendall(struct.pack("!L", 0))
            answer = b""
            while not answer.endswith(b"\0"):
                part = sock.recv(4096)
                if not part:
                    break
                answer += part
        except OSError as exc:
            raise ScannerUnavailable(f"{type(exc).__name__}: {exc}") from None
    return answer.rstrip(b"\0").decode("utf-8", "replace").strip()


def antivirus_state() -> str:
    """For /healthz: ``ok``, ``disabled`` (no scanner configured) or ``error: …``."""
    if not settings.CLAMD_SOCKET:
        return "disabled"
    try:
        answer = _ask(b"PING")
    except ScannerUnavailable as exc:
        return f"error: {str(exc).split(':')[0]}"
    return "ok" if answer == "PONG" else "error: unexpected answer"


def scan_bytes(data: bytes) -> None:
    """Raise a French ValidationError if ClamAV finds a virus, or if no scanner could say the file is clean
    (fail closed). Returns None for a clean file."""
    if not settings.CLAMD_SOCKET and not settings.ANTIVIRUS_REQUIRED:
        logger.warning("Upload accepted without an antivirus scan: CLAMD_SOCKET is not set (development).")
        return
    try:
        answer = _ask(b"INSTREAM", data)
    except ScannerUnavailable as exc:
        logger.error("Upload refused: the antivirus did not answer (%s).", exc)
        raise ValidationError(
            (
                "L'analyse antivirus est indisponible : par précaution, le fichier est refusé. "
                "Réessayez plus tard ; si le problème persiste, prévenez l'administrateur."
            ),
            code="antivirus_unavailable",
        ) from None
    # "stream: OK", "stream: <signature> FOUND" or "<message> ERROR" (e.g. a size limit of clamd).
    if answer.endswith("FOUND"):
        signature = answer.split(":", 1)[-1].removesuffix("FOUND").strip()
        logger.warning("Upload refused: ClamAV found %s.", signature)
        raise ValidationError(
            f"Le fichier contient un virus ou un code malveillant ({signature}) : il est refusé.",
            code="virus",
        )
    if not answer.endswith("OK"):
        logger.error("Upload refused: unexpected antivirus answer %r.", answer)
        raise ValidationError(
            (
                "L'analyse antivirus n'a pas pu se terminer : par précaution, le fichier est refusé. "
                "Réessayez plus tard ; si le problème persiste, prévenez l'administrateur."
            ),
            code="antivirus_unavailable",
        )
