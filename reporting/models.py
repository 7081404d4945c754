"""Reporting: bulk export jobs, pending notifications and deadline alerts."""

from django.conf import settings
from django.db import models
from django.utils import timezone

from core.models import ChoiceLabels


class ExportJob(ChoiceLabels, models.Model):
    """A ZIP of issued letters, or a long list as XLSX/ODS (``kind``), built by Celery tasks; kept
    ``EXPORT_TTL`` then deleted by beat."""

    class Kind(models.TextChoices):
        LETTERS = "letters", "Archive des courriers"
        TABLE = "table", "Liste"

    class Status(models.TextChoices):
        QUEUED = "queued", "En attente"
        RUNNING = "running", "En cours"
        DONE = "done", "Terminé"
        FAILED = "failed", "Échec"

    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="export_jobs")
    kind = models.CharField("nature", max_length=10, choices=Kind.choices, default=Kind.LETTERS)
    filters = models.JSONField("filtres", default=dict)
    status = models.CharField("statut", max_length=10, choices=Status.choices, default=Status.QUEUED)
    done = models.PositiveIntegerField(default=0)
    total = models.PositiveIntegerField(default=0)
    file = models.FileField(max_length=200, blank=True)
    error = models.CharField(max_length=300, blank=True)
    # The ZIP's parts: how many were planned, and the indexes of those already on storage (each counted once
    # however often its task ran); the task finishing the last one queues the assembly.
    parts_total = models.PositiveIntegerField(default=0)
    parts_done = models.JSONField(default=list, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    expires_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = "export de courriers"
        indexes = [models.Index(fields=["expires_at"])]

    @property
    def percent(self) -> int:
        if self.status == self.Status.DONE:
            return 100
        return int(100 * self.done / self.total) if self.total else 0

    @property
    def is_table(self) -> bool:
        return self.kind == self.Kind.TABLE

    @property
    def format(self) -> str:
        return self.filters.get("format", "zip") if self.is_table else "zip"

    @property
    def is_downloadable(self) -> bool:
        return (
            self.status == self.Status.DONE
            and bool(self.file)
            and (self.expires_at is None or self.expires_at > timezone.now())
        )


# --- Notifications and alerts --------------------------------------------------------------------


class PendingNotification(models.Model):
    """A message for one user, kept until a mail carrying it was accepted by the SMTP server: sent at once
    by a Celery task (``instant``, retried while the server refuses) or in the daily digest (users who
    chose the digest). ``sent_at`` is set only after the server accepted the mail."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="pending_notifications")
    subject = models.CharField(max_length=300)
    body = models.TextField()
    url = models.CharField(max_length=300, blank=True)
    instant = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["created_at"]
        indexes = [models.Index(fields=["sent_at", "user"])]


class Alert(ChoiceLabels, models.Model):
    """A deadline alert for one user, recomputed by a beat task (``reporting.alerts``)."""

    class Kind(models.TextChoices):
        SUCCESSION = "succession", "Succession non officialisée"
        TRANCHE = "tranche", "Échéance de tranche"
        REPORT_DUE = "report_due", "Rapport d'activité attendu"
        WAITING = "waiting", "Dossier en attente"

    # no index of its own: the unique (user, key) and the (user, due date…) index both start with the user
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="alerts", db_index=False)
    key = models.CharField(max_length=120)
    kind = models.CharField("nature", max_length=20, choices=Kind.choices)
    message = models.CharField("alerte", max_length=500)
    url = models.CharField(max_length=300, blank=True)
    due_on = models.DateField("échéance", null=True, blank=True)
    # What the alerts page filters on: the procedure (``app_label.model`` of its workflow model) and the
    # dossier's region (an ARS officer's scope).
    procedure = models.CharField("procédure", max_length=100, blank=True)
    region = models.ForeignKey(
        "centres.Region",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="région",
        db_index=False,  # filtered within one user's alerts only
    )
    computed_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["due_on", "kind", "pk"]
        constraints = [models.UniqueConstraint(fields=["user", "key"], name="unique_alert_user_key")]
        indexes = [models.Index(fields=["user", "due_on", "kind", "id"], name="alert_user_due_idx")]
