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

from core.models import ChoiceLabels


class SenderIdentity(models.Model):
    """Who sends a letter: a DGOS bureau or a regional health agency (issue 12, item 11).

    Reference data, editable in the admin (never a constant): the lines of the bloc-marque, the seat
    city of the place-and-date line, the postal address, and for a DGOS bureau the instruction it
    issued, which letters applying that text cite (2013 instruction header: DGOS/PF2/2013/308; the 2016 CRC SEP
    instruction is DGOS/R4/2016/176, see docs/decisions.md)."""

    class Kind(models.TextChoices):
        DGOS = "dgos", "Bureau de la DGOS"
        ARS = "ars", "Agence régionale de santé"

    code = models.CharField("code", max_length=30, unique=True, help_text="DGOS-PF2, DGOS-R4, ARS-53…")
    kind = models.CharField("nature", max_length=4, choices=Kind.choices)
    region = models.OneToOneField(
        "centres.Region",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="sender_identity",
        verbose_name="région (ARS)",
    )
    name = models.CharField("nom", max_length=200, help_text="Nom employé dans les copies et les pages.")
    lines = models.TextField("bloc expéditeur", help_text="Une ligne par niveau (direction, sous-direction…).")
    seat_city = models.CharField("ville du siège", max_length=100)
    postal_address = models.TextField("adresse postale", help_text="Une ligne par ligne d'adresse.")
    contact = models.CharField("contact", max_length=200, blank=True)
    instruction_reference = models.CharField(
        "instruction émise",
        max_length=200,
        blank=True,
        help_text="Pour un bureau de la DGOS : l'instruction dont il est l'auteur (numéro et date).",
    )
    instruction_subject = models.CharField("objet de l'instruction", max_length=300, blank=True)

    class Meta:
        db_table = "reporting_senderidentity"  # the table kept its name when the model left reporting
        ordering = ["kind", "code"]
        verbose_name = "expéditeur"

    def __str__(self):
        return self.name

    @property
    def line_list(self) -> list[str]:
        return [line.strip() for line in self.lines.splitlines() if line.strip()]

    @property
    def address_lines(self) -> list[str]:
        return [line.strip() for line in self.postal_address.splitlines() if line.strip()]

    def current_signatory(self):
        return self.signatories.filter(is_active=True).order_by("position", "pk").first()


class Signatory(models.Model):
    """A person who signs for a sender, with the delegation line printed above the name."""

    class Civility(models.TextChoices):
        MADAME = "Mme", "Madame"
        MONSIEUR = "M.", "Monsieur"

    sender = models.ForeignKey(SenderIdentity, on_delete=models.CASCADE, related_name="signatories")
    civility = models.CharField("civilité", max_length=3, choices=Civility.choices)
    first_name = models.CharField("prénom", max_length=100)
    last_name = models.CharField("nom", max_length=100)
    title = models.CharField(
        "fonction", max_length=300, help_text="Accordée avec la civilité, par ex. « Directrice générale »"
    )
    delegation = models.TextField(
        "formule de délégation",
        blank=True,
        help_text="Par ex. « Pour le directeur général et par délégation » (une ligne par formule).",
    )
    position = models.PositiveSmallIntegerField("ordre", default=0)
    is_active = models.BooleanField("signe les courriers", default=True)
    is_demo = models.BooleanField(
        "signataire de démonstration", default=False, help_text="Personne fictive des données de démonstration."
    )

    class Meta:
        db_table = "reporting_signatory"  # the table kept its name when the model left reporting
        ordering = ["sender", "position", "pk"]
        verbose_name = "signataire"

    def __str__(self):
        return f"{self.full_name} — {self.title}"

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()

    def clean(self):
        from django.core.exceptions import ValidationError

        from core.typography import disagreement

        agreed = disagreement(self.title, self.civility)
        if agreed is not None:
            raise ValidationError(
                {"title": f"La fonction doit s'accorder avec la civilité, sans « (e) » : « {agreed} »."}
            )


class LetterCounter(models.Model):
    """Last number given per sender and year (row locked while numbering)."""

    sender_code = models.CharField(max_length=30)
    year = models.PositiveSmallIntegerField()
    last_number = models.PositiveIntegerField(default=0)

    class Meta:
        db_table = "reporting_lettercounter"  # the table kept its name when the model left reporting
        constraints = [models.UniqueConstraint(fields=["sender_code", "year"], name="unique_counter_sender_year")]


class Letter(ChoiceLabels, models.Model):
    class Kind(models.TextChoices):
        CRCSEP_LABELLING = "crcsep_labelling", "Décision de labellisation CRC SEP"
        CRCSEP_REFUSAL = "crcsep_refusal", "Refus de labellisation CRC SEP"
        CRCSEP_WITHDRAWAL = "crcsep_withdrawal", "Retrait de labellisation CRC SEP"
        GP_TRANSMISSION = "gp_transmission", "Transmission au groupe permanent"
        CALL_FOR_PROJECTS = "call_for_projects", "Appel à projets"
        SUCCESSION_OFFICIALISATION = "succession", "Officialisation d'un coordonnateur"
        CCMR_OPINION = "ccmr_opinion", "Officialisation de l'avis sur un centre de compétences"
        CPOM_NOTIFICATION = "cpom", "Notification par avenant au CPOM"
        ORPHANET_INFORMATION = "orphanet", "Information d'Orphanet"
        OTHER = "other", "Autre courrier"

    class Status(models.TextChoices):
        PENDING = "pending", "En cours de production"
        ISSUED = "issued", "Émis"

    reference = models.CharField("référence", max_length=60, unique=True)
    sender_code = models.CharField("expéditeur (code)", max_length=30)
    year = models.PositiveSmallIntegerField()
    number = models.PositiveIntegerField()
    kind = models.CharField("nature", max_length=30, choices=Kind.choices)
    issued_on = models.DateField("date")
    sender_label = models.CharField("expéditeur", max_length=300)
    sender_lines = models.JSONField("bloc expéditeur", default=list, blank=True)
    sender_city = models.CharField("lieu", max_length=100, blank=True)
    sender_address = models.JSONField("adresse de l'expéditeur", default=list, blank=True)
    instruction = models.CharField("texte appliqué", max_length=300, blank=True)
    addressees = models.JSONField("destinataires", default=list)
    copies = models.JSONField("copies", default=list, blank=True)
    subject = models.CharField("objet", max_length=500)
    references_line = models.CharField("références", max_length=500, blank=True)
    attachments = models.JSONField("pièces jointes", default=list, blank=True)
    body_html = models.TextField("corps")
    signature_formula = models.CharField("formule", max_length=200, blank=True)
    signatory_name = models.CharField("signataire", max_length=200)
    signatory_function = models.CharField("fonction du signataire", max_length=300)

    region = models.ForeignKey(
        "centres.Region", on_delete=models.PROTECT, null=True, blank=True, related_name="letters"
    )
    establishments = models.ManyToManyField("centres.Establishment", blank=True, related_name="letters")
    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, null=True, blank=True)
    object_id = models.PositiveBigIntegerField(null=True, blank=True)
    dossier = GenericForeignKey("content_type", "object_id")
    correction_reason = models.TextField("motif de la correction", blank=True)
    cites = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="corrections",
        verbose_name="corrige le courrier",
    )
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    verification_code = models.CharField("code de vérification", max_length=9, blank=True)
    signature_demo = models.BooleanField("signature de démonstration", default=False)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    pdf = models.FileField(max_length=200, blank=True)
    sha256 = models.CharField(max_length=64, blank=True)
    rendered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        db_table = "reporting_letter"  # the table kept its name when the model left reporting
        ordering = ["-issued_on", "-number"]
        verbose_name = "courrier"
        constraints = [
            models.UniqueConstraint(fields=["sender_code", "year", "number"], name="unique_letter_number"),
        ]
        indexes = [
            models.Index(fields=["content_type", "object_id"]),
            models.Index(fields=["status", "created_at"]),
            models.Index(fields=["kind", "issued_on"]),
            # the letters list: newest first, nationally or for one region (20,000 letters a few years in)
            models.Index(fields=["-issued_on", "-number"], name="letter_newest_idx"),
            models.Index(fields=["region", "-issued_on", "-number"], name="letter_region_newest_idx"),
        ]

    def __str__(self):
        return f"{self.reference} — {self.subject}"

    def get_absolute_url(self):
        return reverse("letters:letter_detail", args=[self.pk])

    @property
    def is_issued(self) -> bool:
        return self.status == self.Status.ISSUED

    @property
    def replaced_by(self):
        """The correcting letter that annuls and replaces this one (item 1), if any."""
        return self.corrections.order_by("pk").first()

    @staticmethod
    def _label(item) -> str:
        return item.get("label", "") if isinstance(item, dict) else str(item)

    @property
    def addressee_labels(self) -> list[str]:
        return [self._label(a) for a in self.addressees]

    @property
    def copy_labels(self) -> list[str]:
        return [self._label(c) for c in self.copies]

    @property
    def addressee_blocks(self) -> list[list[str]]:
        return [a.get("lines") or [a.get("label", "")] if isinstance(a, dict) else [str(a)] for a in self.addressees]


class LetterReader(models.Model):
    """One party who may read a letter (issue 13, item 6): its sender, each addressee and each copied
    party, as a key: ``dgos``, ``gp``, ``ars:<region code>``, ``est:<establishment id>``,
    ``crmr:<crmr id>`` (its coordinator), ``person:<person id>``. Written with the letter, never changed."""

    letter = models.ForeignKey(Letter, on_delete=models.PROTECT, related_name="readers")
    party = models.CharField(max_length=40)

    class Meta:
        db_table = "reporting_letterreader"  # the table kept its name when the model left reporting
        constraints = [models.UniqueConstraint(fields=["letter", "party"], name="unique_letter_reader")]
        indexes = [models.Index(fields=["party", "letter"])]

    def __str__(self):
        return self.party


# --- Annual activity report of a CRC SEP (2016 instruction, Annexe 1 §4) --------------------------------
