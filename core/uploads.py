"""Checking uploaded documents: size-limited, scanned by ClamAV (core.antivirus), PDF only (``%PDF-`` at
byte 0), not encrypted, readable, and without active content. Active content is found by walking every
object that pypdf parses (names are decoded, so ``/J#61vaScript`` is ``/JavaScript``; objects packed in
compressed object streams are read through the cross-reference table), not by searching the raw bytes.
Every refusal is a French ValidationError; nothing is stored before the whole check has passed."""

from __future__ import annotations

import hashlib
import io
import logging
import unicodedata
import uuid
from pathlib import PurePosixPath

from django.conf import settings
from django.core.exceptions import ValidationError

logger = logging.getLogger(__name__)

PDF_MAGIC = b"%PDF-"
# Keys whose mere presence means code, automatic behaviour or a file inside the file.
_ACTIVE_KEYS = frozenset(
    {"/JS", "/JavaScript", "/OpenAction", "/AA", "/Launch", "/EmbeddedFile", "/EmbeddedFiles", "/EF", "/XFA"}
    | {"/RichMedia", "/RichMediaContent", "/RichMediaSettings"}
)
# Action types (``/S``) refused wherever they appear. Internal links (/GoTo, /GoToDp) and web links (/URI,
# which a reader opens only on a click, after asking) are ordinary in documents and are accepted.
_ACTIVE_ACTIONS = frozenset(
    {"/JavaScript", "/Launch", "/SubmitForm", "/ImportData", "/ResetForm", "/GoToR", "/GoToE", "/Rendition"}
    | {"/Sound", "/Movie", "/GoTo3DView", "/RichMediaExecute"}
)
_ACTIVE_TYPES = frozenset({"/EmbeddedFile", "/Filespec", "/RichMedia"})
MAX_PDF_OBJECTS = 200_000  # a file of 10 MB with more objects is a decompression bomb, not a document


def clean_filename(name: str) -> str:
    """A safe display name: no directories, no control characters, at most 120 characters."""
    name = unicodedata.normalize("NFC", str(name or "")).replace("\\", "/")
    name = PurePosixPath(name).name
    name = "".join(ch for ch in name if ch.isprintable() and ch not in '<>:"|?*')
    name = name.strip(". ") or "document.pdf"
    return name[-120:]


def validate_pdf_upload(upload) -> bytes:
    """Return the file's bytes if it is an acceptable PDF; raise ValidationError (French) otherwise."""
    max_bytes = settings.UPLOAD_MAX_BYTES
    size = getattr(upload, "size", None)
    if size is not None and size > max_bytes:
        raise ValidationError(
            f"Le fichier dépasse la taille maximale autorisée ({max_bytes // (1024 * 1024)} Mo).",
            code="too_large",
        )
    upload.seek(0)
    data = upload.read(max_bytes + 1)
    if len(data) > max_bytes:
        raise ValidationError(
            f"Le fichier dépasse la taille maximale autorisée ({max_bytes // (1024 * 1024)} Mo).",
            code="too_large",
        )
    if not data:
        raise ValidationError("Le fichier est vide.", code="empty")
    from .antivirus import scan_bytes

    scan_bytes(data)  # before any parser reads the bytes
    # At byte 0: a file with anything before the header (an HTML page, a script) is a polyglot that
    # another program would read as something else, although PDF readers tolerate it.
    if not data.startswith(PDF_MAGIC):
        raise ValidationError(
            "Seuls les documents PDF sont acceptés : ce fichier n'est pas un PDF, quel que soit son nom.",
            code="not_pdf",
        )
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
        if reader.is_encrypted:
            raise ValidationError(
                "Le PDF est protégé par un mot de passe ou chiffré : déposez une version non protégée.",
                code="encrypted",
            )
        page_count = len(reader.pages)
        active = _active_content(reader)
    except ValidationError:
        raise
    except (PdfReadError, ValueError, KeyError, TypeError, AttributeError, IndexError, RecursionError, OSError) as exc:
        logger.info("Unreadable PDF refused: %s", exc)
        raise ValidationError("Le PDF est illisible ou endommagé.", code="broken") from None
    if page_count == 0:
        raise ValidationError("Le PDF ne contient aucune page.", code="no_pages")
    if active:
        logger.info("PDF with active content refused: %s", active)
        raise ValidationError(
            "Le PDF contient du code actif (JavaScript, lancement ou fichier joint) : il est refusé.",
            code="active_content",
        )
    return data


def _active_content(reader) -> str | None:
    """The first active element found among every object of the file (``None`` if there is none): the
    trailer and catalogue, then each object of the cross-reference tables, including those stored in
    compressed object streams, walked with their nested dictionaries and arrays."""
    from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject, NameObject

    pending: list = [reader.trailer]
    for generation, entries in reader.xref.items():
        pending.extend(IndirectObject(number, generation, reader) for number in entries)
    pending.extend(IndirectObject(number, 0, reader) for number in reader.xref_objStm)
    seen_refs: set[tuple[int, int]] = set()
    visited = 0
    while pending:
        obj = pending.pop()
        visited += 1
        if visited > MAX_PDF_OBJECTS:
            raise ValueError("too many PDF objects")
        if isinstance(obj, IndirectObject):
            key = (obj.idnum, obj.generation)
            if key in seen_refs:
                continue
            seen_refs.add(key)
            obj = obj.get_object()
        if isinstance(obj, DictionaryObject):  # also a stream's dictionary
            for name, value in obj.items():
                if name in _ACTIVE_KEYS:
                    return name
                if name == "/S" and isinstance(value, NameObject) and value in _ACTIVE_ACTIONS:
                    return f"/S {value}"
                if name == "/Type" and isinstance(value, NameObject) and value in _ACTIVE_TYPES:
                    return f"/Type {value}"
                pending.append(value)
        elif isinstance(obj, ArrayObject):
            pending.extend(obj)
    return None


def sha256_hex(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def private_upload_path(instance, filename: str) -> str:
    """Uploads are stored under an opaque name; the original name is kept in the row."""
    return f"private/{instance._meta.app_label}/{uuid.uuid4().hex}.pdf"
