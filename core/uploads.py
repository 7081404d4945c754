"""Checking uploaded documents: PDF only (sniffed from the content), size-limited, not encrypted,
no embedded JavaScript, readable. Every refusal is a French ValidationError; nothing is stored before
the whole check has passed."""

from __future__ import annotations

import hashlib
import io
import logging
import unicodedata
import uuid
from pathlib import PurePosixPath

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

logger = logging.getLogger(__name__)

PDF_MAGIC = b"%PDF-"
_JS_MARKERS = (b"/JavaScript", b"/JS", b"/Launch", b"/EmbeddedFile")


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
            _("Le fichier dépasse la taille maximale autorisée (%(max)s Mo).") % {"max": max_bytes // (1024 * 1024)},
            code="too_large",
        )
    upload.seek(0)
    data = upload.read(max_bytes + 1)
    if len(data) > max_bytes:
        raise ValidationError(
            _("Le fichier dépasse la taille maximale autorisée (%(max)s Mo).") % {"max": max_bytes // (1024 * 1024)},
            code="too_large",
        )
    if not data:
        raise ValidationError(_("Le fichier est vide."), code="empty")
    if PDF_MAGIC not in data[:1024]:  # the PDF header may sit anywhere in the first 1024 bytes
        raise ValidationError(
            _("Seuls les documents PDF sont acceptés : ce fichier n'est pas un PDF, quel que soit son nom."),
            code="not_pdf",
        )
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
        if reader.is_encrypted:
            raise ValidationError(
                _("Le PDF est protégé par un mot de passe ou chiffré : déposez une version non protégée."),
                code="encrypted",
            )
        page_count = len(reader.pages)
    except ValidationError:
        raise
    except (PdfReadError, ValueError, KeyError, TypeError, AttributeError, IndexError, RecursionError, OSError) as exc:
        logger.info("Unreadable PDF refused: %s", exc)
        raise ValidationError(_("Le PDF est illisible ou endommagé."), code="broken") from None
    if page_count == 0:
        raise ValidationError(_("Le PDF ne contient aucune page."), code="no_pages")
    if any(marker in data for marker in _JS_MARKERS):
        raise ValidationError(
            _("Le PDF contient du code actif (JavaScript, lancement ou fichier joint) : il est refusé."),
            code="active_content",
        )
    return data


def sha256_hex(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def private_upload_path(instance, filename: str) -> str:
    """Uploads are stored under an opaque name; the original name is kept in the row."""
    return f"private/{instance._meta.app_label}/{uuid.uuid4().hex}.pdf"
