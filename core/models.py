"""Shared building blocks: choice labels looked up in O(1), an uploaded document with its checks and fingerprint."""

from functools import cache

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import models
from django.utils.hashable import make_hashable
from django.utils.translation import get_language

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

    file = models.FileField("fichier", upload_to=private_upload_path, max_length=200)
    original_name = models.CharField("nom du fichier", max_length=120)
    size = models.PositiveIntegerField("taille (octets)")
    sha256 = models.CharField(max_length=64)
    uploaded_at = models.DateTimeField("déposé le", auto_now_add=True)
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


class AdminChange(models.Model):
    """One change made in the administration interface: who, when, which object, and its fields before and
    after (Django's own LogEntry keeps only a message). Append-only (database trigger on PostgreSQL) and
    read-only in the admin (core.admin)."""

    class Action(models.TextChoices):
        ADD = "add", "Ajout"
        CHANGE = "change", "Modification"
        DELETE = "delete", "Suppression"

    at = models.DateTimeField("le", auto_now_add=True, db_index=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="par")
    action = models.CharField("action", max_length=10, choices=Action.choices)
    content_type = models.ForeignKey(
        "contenttypes.ContentType", on_delete=models.PROTECT, related_name="+", verbose_name="type d'objet"
    )
    object_id = models.CharField("identifiant", max_length=64)
    object_repr = models.CharField("objet", max_length=300)
    before = models.JSONField("avant", null=True, blank=True)
    after = models.JSONField("après", null=True, blank=True)

    class Meta:
        ordering = ["-at", "-pk"]
        indexes = [models.Index(fields=["content_type", "object_id"], name="core_adminchange_object")]
        verbose_name = "modification dans l'administration"
        verbose_name_plural = "journal des modifications dans l'administration"

    def __str__(self):
        return f"{self.get_action_display()} — {self.object_repr}"

    @property
    def changed_fields(self) -> list[str]:
        before, after = self.before or {}, self.after or {}
        return sorted(k for k in before.keys() | after.keys() if before.get(k) != after.get(k))


class LastTransition(models.Model):
    """When each dossier last moved: the time of its last logged transition, one row per dossier.

    What the dashboards read instead of the whole transition log (issue 15, item 4), so their cost follows
    the number of dossiers and not the length of their history. Kept by a database trigger on every row
    added to django-fsm-log's log (``core.db.last_transition_trigger``: transitions, bulk inserts and
    imports alike) and filled from the existing log by its migration; a derived table, never edited."""

    content_type = models.ForeignKey("contenttypes.ContentType", on_delete=models.CASCADE, related_name="+")
    object_id = models.PositiveIntegerField()
    at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["content_type", "object_id"], name="core_lasttransition_one_per_dossier")
        ]

    def __str__(self):
        return f"{self.content_type_id}/{self.object_id}: {self.at:%Y-%m-%d %H:%M}"
