"""Shared building blocks: choice labels looked up in O(1), an uploaded document with its checks and fingerprint."""

from functools import cache

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import models
from django.utils.hashable import make_hashable
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from .uploads import clean_filename, private_upload_path, sha256_hex, validate_pdf_upload


@cache
def _choice_labels(field, language: str | None) -> dict:
    """``{value: translated label}`` of a choice field, built once per field and language."""
    return {make_hashable(value): str(label) for value, label in field.flatchoices}


class ChoiceLabels:
    """Model mixin: ``get_FOO_display()`` from a per-field, per-language table.

    Django's own implementation rebuilds the dict of every choice (translating each lazy label) at each
    call; a list of 25 dossiers with three labelled columns paid for 75 × 12 translations. Same result."""

    def _get_FIELD_display(self, field):
        value = getattr(self, field.attname)
        return _choice_labels(field, get_language()).get(make_hashable(value), value)


class UploadedDocument(ChoiceLabels, models.Model):
    """A checked PDF, stored outside the web root under an opaque name, served only through a view
    that asks the owning app's ``perms.py``."""

    file = models.FileField(_("fichier"), upload_to=private_upload_path, max_length=200)
    original_name = models.CharField(_("nom du fichier"), max_length=120)
    size = models.PositiveIntegerField(_("taille (octets)"))
    sha256 = models.CharField(max_length=64)
    uploaded_at = models.DateTimeField(_("déposé le"), auto_now_add=True)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        abstract = True

    def attach(self, upload) -> None:
        """Validate ``upload`` (raises ValidationError in French) and set the file fields; no save."""
        data = validate_pdf_upload(upload)
        self.original_name = clean_filename(getattr(upload, "name", "document.pdf"))
        self.size = len(data)
        self.sha256 = sha256_hex(data)
        self.file.save(self.original_name, ContentFile(data), save=False)
