"""Official letters: numbered, frozen once issued, rendered to PDF in the background.

A letter row is written in the same transaction as the decision it carries (status ``pending``): it
is the outbox. A Celery task renders the PDF and stores its SHA-256; a periodic task re-queues any
letter still pending, so a broker outage delays a letter but never loses it. Once rendered, the row
cannot change (PostgreSQL trigger, see migrations); a correction is a new letter that ``cites`` it.
"""

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _


class LetterCounter(models.Model):
    """Last number given per sender and year (row locked while numbering)."""

    sender_code = models.CharField(max_length=30)
    year = models.PositiveSmallIntegerField()
    last_number = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["sender_code", "year"], name="unique_counter_sender_year")]


class Letter(models.Model):
    class Kind(models.TextChoices):
        CRCSEP_LABELLING = "crcsep_labelling", _("Décision de labellisation CRC SEP")
        CRCSEP_REFUSAL = "crcsep_refusal", _("Refus de labellisation CRC SEP")
        CRCSEP_WITHDRAWAL = "crcsep_withdrawal", _("Retrait de labellisation CRC SEP")
        GP_TRANSMISSION = "gp_transmission", _("Transmission au groupe permanent")
        CALL_FOR_PROJECTS = "call_for_projects", _("Appel à projets")
        SUCCESSION_OFFICIALISATION = "succession", _("Officialisation d'un coordonnateur")
        CCMR_OPINION = "ccmr_opinion", _("Officialisation de l'avis sur un centre de compétences")
        CPOM_NOTIFICATION = "cpom", _("Notification par avenant au CPOM")
        ORPHANET_INFORMATION = "orphanet", _("Information d'Orphanet")
        OTHER = "other", _("Autre courrier")

    class Status(models.TextChoices):
        PENDING = "pending", _("En cours de production")
        ISSUED = "issued", _("Émis")

    reference = models.CharField(_("référence"), max_length=60, unique=True)
    sender_code = models.CharField(_("expéditeur (code)"), max_length=30)
    year = models.PositiveSmallIntegerField()
    number = models.PositiveIntegerField()
    kind = models.CharField(_("nature"), max_length=30, choices=Kind.choices)
    issued_on = models.DateField(_("date"))
    sender_label = models.CharField(_("expéditeur"), max_length=300)
    sender_lines = models.JSONField(_("bloc expéditeur"), default=list, blank=True)
    addressees = models.JSONField(_("destinataires"), default=list)
    copies = models.JSONField(_("copies"), default=list, blank=True)
    subject = models.CharField(_("objet"), max_length=500)
    references_line = models.CharField(_("références"), max_length=500, blank=True)
    attachments = models.JSONField(_("pièces jointes"), default=list, blank=True)
    body_html = models.TextField(_("corps"))
    signature_formula = models.CharField(_("formule"), max_length=200, blank=True)
    signatory_name = models.CharField(_("signataire"), max_length=200)
    signatory_function = models.CharField(_("fonction du signataire"), max_length=300)

    region = models.ForeignKey(
        "centres.Region", on_delete=models.PROTECT, null=True, blank=True, related_name="letters"
    )
    establishments = models.ManyToManyField("centres.Establishment", blank=True, related_name="letters")
    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, null=True, blank=True)
    object_id = models.PositiveBigIntegerField(null=True, blank=True)
    dossier = GenericForeignKey("content_type", "object_id")
    cites = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="corrections",
        verbose_name=_("corrige le courrier"),
    )
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    pdf = models.FileField(max_length=200, blank=True)
    sha256 = models.CharField(max_length=64, blank=True)
    rendered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-issued_on", "-number"]
        verbose_name = _("courrier")
        constraints = [
            models.UniqueConstraint(fields=["sender_code", "year", "number"], name="unique_letter_number"),
        ]
        indexes = [
            models.Index(fields=["content_type", "object_id"]),
            models.Index(fields=["status", "created_at"]),
            models.Index(fields=["kind", "issued_on"]),
        ]

    def __str__(self):
        return f"{self.reference} — {self.subject}"

    def get_absolute_url(self):
        return reverse("reporting:letter_detail", args=[self.pk])

    @property
    def is_issued(self) -> bool:
        return self.status == self.Status.ISSUED
