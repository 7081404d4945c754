"""Official letters: numbered, frozen once issued, rendered to PDF in the background.

A letter row is written in the same transaction as the decision it carries (status ``pending``): it
is the outbox. A Celery task renders the PDF and stores its SHA-256; a periodic task re-queues any
letter still pending, so a broker outage delays a letter but never loses it. Once rendered, the row
cannot change (PostgreSQL trigger, see migrations); a correction is a new letter that ``cites`` it.
"""

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.core.validators import MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_fsm import FSMField, FSMModelMixin

from core.models import ChoiceLabels, UploadedDocument
from core.workflow import condition, logged_transition


class SenderIdentity(models.Model):
    """Who sends a letter: a DGOS bureau or a regional health agency (issue 12, item 11).

    Reference data, editable in the admin (never a constant): the lines of the bloc-marque, the seat
    city of the place-and-date line, the postal address, and for a DGOS bureau the instruction it
    issued, which letters applying that text cite (2013 instruction header: DGOS/PF2/2013/308; the 2016 CRC SEP
    instruction is DGOS/R4/2016/176, see docs/decisions.md)."""

    class Kind(models.TextChoices):
        DGOS = "dgos", _("Bureau de la DGOS")
        ARS = "ars", _("Agence régionale de santé")

    code = models.CharField(_("code"), max_length=30, unique=True, help_text=_("DGOS-PF2, DGOS-R4, ARS-53…"))
    kind = models.CharField(_("nature"), max_length=4, choices=Kind.choices)
    region = models.OneToOneField(
        "centres.Region",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="sender_identity",
        verbose_name=_("région (ARS)"),
    )
    name = models.CharField(_("nom"), max_length=200, help_text=_("Nom employé dans les copies et les pages."))
    lines = models.TextField(_("bloc expéditeur"), help_text=_("Une ligne par niveau (direction, sous-direction…)."))
    seat_city = models.CharField(_("ville du siège"), max_length=100)
    postal_address = models.TextField(_("adresse postale"), help_text=_("Une ligne par ligne d'adresse."))
    contact = models.CharField(_("contact"), max_length=200, blank=True)
    instruction_reference = models.CharField(
        _("instruction émise"),
        max_length=200,
        blank=True,
        help_text=_("Pour un bureau de la DGOS : l'instruction dont il est l'auteur (numéro et date)."),
    )
    instruction_subject = models.CharField(_("objet de l'instruction"), max_length=300, blank=True)

    class Meta:
        ordering = ["kind", "code"]
        verbose_name = _("expéditeur")

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
        MADAME = "Mme", _("Madame")
        MONSIEUR = "M.", _("Monsieur")

    sender = models.ForeignKey(SenderIdentity, on_delete=models.CASCADE, related_name="signatories")
    civility = models.CharField(_("civilité"), max_length=3, choices=Civility.choices)
    first_name = models.CharField(_("prénom"), max_length=100)
    last_name = models.CharField(_("nom"), max_length=100)
    title = models.CharField(
        _("fonction"), max_length=300, help_text=_("Accordée avec la civilité, par ex. « Directrice générale »")
    )
    delegation = models.TextField(
        _("formule de délégation"),
        blank=True,
        help_text=_("Par ex. « Pour le directeur général et par délégation » (une ligne par formule)."),
    )
    position = models.PositiveSmallIntegerField(_("ordre"), default=0)
    is_active = models.BooleanField(_("signe les courriers"), default=True)
    is_demo = models.BooleanField(
        _("signataire de démonstration"), default=False, help_text=_("Personne fictive des données de démonstration.")
    )

    class Meta:
        ordering = ["sender", "position", "pk"]
        verbose_name = _("signataire")

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
                {"title": _("La fonction doit s'accorder avec la civilité, sans « (e) » : « %(t)s ».") % {"t": agreed}}
            )


class LetterCounter(models.Model):
    """Last number given per sender and year (row locked while numbering)."""

    sender_code = models.CharField(max_length=30)
    year = models.PositiveSmallIntegerField()
    last_number = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["sender_code", "year"], name="unique_counter_sender_year")]


class Letter(ChoiceLabels, models.Model):
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
    sender_city = models.CharField(_("lieu"), max_length=100, blank=True)
    sender_address = models.JSONField(_("adresse de l'expéditeur"), default=list, blank=True)
    instruction = models.CharField(_("texte appliqué"), max_length=300, blank=True)
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
    correction_reason = models.TextField(_("motif de la correction"), blank=True)
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

    verification_code = models.CharField(_("code de vérification"), max_length=9, blank=True)
    signature_demo = models.BooleanField(_("signature de démonstration"), default=False)
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
            # the letters list: newest first, nationally or for one region (20,000 letters a few years in)
            models.Index(fields=["-issued_on", "-number"], name="letter_newest_idx"),
            models.Index(fields=["region", "-issued_on", "-number"], name="letter_region_newest_idx"),
        ]

    def __str__(self):
        return f"{self.reference} — {self.subject}"

    def get_absolute_url(self):
        return reverse("reporting:letter_detail", args=[self.pk])

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
        constraints = [models.UniqueConstraint(fields=["letter", "party"], name="unique_letter_reader")]
        indexes = [models.Index(fields=["party", "letter"])]

    def __str__(self):
        return self.party


# --- Annual activity report of a CRC SEP (2016 instruction, Annexe 1 §4) --------------------------------


class ActivityReport(ChoiceLabels, FSMModelMixin, models.Model):
    """The standardised yearly report of a labelled CRC SEP (Annexe 1 §4).

    "renseignés à la fois par l'équipe en charge du centre et par les services administratifs compétents
    des établissements de rattachement (DIM, DAF, etc.)": the centre's team account (role "Équipe CRC SEP")
    fills the activity per mission (§2.1 to §2.4) and attaches the OFSEP bilan, then transmits; the
    establishment's direction fills the DIM/DAF part and validates (or returns it to the team); the ARS of
    the region confirms (or sends it back). DGOS and that ARS read it, "pour ajuster les ressources".
    """

    class State(models.TextChoices):
        DRAFT = "draft", _("En cours de saisie par le centre")
        SUBMITTED = "submitted", _("Transmis à l'établissement")
        VALIDATED = "validated", _("Validé par l'établissement")
        CONFIRMED = "confirmed", _("Confirmé par l'ARS")

    centre = models.ForeignKey(
        "centres.CrcSepCentre", on_delete=models.PROTECT, related_name="activity_reports", verbose_name=_("CRC SEP")
    )
    year = models.PositiveSmallIntegerField(_("année d'activité"))
    state = FSMField(_("état"), max_length=12, choices=State.choices, default=State.DRAFT, protected=True)

    active_file_patients = models.PositiveIntegerField(_("file active (patients)"), null=True, blank=True)
    new_patients = models.PositiveIntegerField(_("nouveaux patients"), null=True, blank=True)
    consultations = models.PositiveIntegerField(_("consultations"), null=True, blank=True)
    announcement_consultations = models.PositiveIntegerField(_("consultations d'annonce"), null=True, blank=True)
    multidisciplinary_followups = models.PositiveIntegerField(
        _("consultations de suivi pluridisciplinaire"), null=True, blank=True
    )
    day_hospitalisations = models.PositiveIntegerField(_("hospitalisations de jour"), null=True, blank=True)
    full_hospitalisations = models.PositiveIntegerField(_("hospitalisations complètes"), null=True, blank=True)
    rcp_meetings = models.PositiveIntegerField(_("RCP tenues"), null=True, blank=True)
    therapeutic_meetings = models.PositiveIntegerField(
        _("réunions de concertation thérapeutique tenues"), null=True, blank=True
    )
    etp_programmes = models.PositiveIntegerField(_("programmes d'ETP"), null=True, blank=True)
    etp_patients = models.PositiveIntegerField(_("patients ayant suivi un programme d'ETP"), null=True, blank=True)
    ofsep_exports = models.PositiveSmallIntegerField(_("exports OFSEP/EDMUS dans l'année"), null=True, blank=True)
    edmus_records = models.PositiveIntegerField(_("dossiers EDMUS exportés"), null=True, blank=True)
    research_projects = models.PositiveIntegerField(_("projets de recherche en cours"), null=True, blank=True)
    publications = models.PositiveIntegerField(_("publications"), null=True, blank=True)
    training_sessions = models.PositiveIntegerField(_("actions de formation dispensées"), null=True, blank=True)
    # §2.2 "centres de recours et de coordination"
    referred_patients = models.PositiveIntegerField(
        _("patients adressés par un praticien du territoire"), null=True, blank=True
    )
    care_plans = models.PositiveIntegerField(
        _("projets personnalisés de soins formalisés et transmis"), null=True, blank=True
    )
    research_details = models.TextField(_("projets de recherche et publications (détail)"), blank=True)
    training_details = models.TextField(_("formations dispensées (détail)"), blank=True)
    partnerships = models.TextField(_("partenariats (réseaux, associations, médico-social)"), blank=True)

    # The part of the establishment's administrative services (§4: "DIM, DAF, etc."), filled by the direction
    dim_sep_stays = models.PositiveIntegerField(
        _("séjours et venues des patients SEP (PMSI, DIM)"), null=True, blank=True
    )
    dim_sep_patients = models.PositiveIntegerField(
        _("patients SEP distincts pris en charge (PMSI, DIM)"), null=True, blank=True
    )
    daf_expenses = models.DecimalField(
        _("dépenses affectées au centre (DAF, €)"),
        max_digits=12,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )
    daf_staff_fte = models.DecimalField(
        _("personnel affecté au centre (équivalents temps plein, DAF)"),
        max_digits=6,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )

    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    ADMINISTRATIVE_FIELDS = ("dim_sep_stays", "dim_sep_patients", "daf_expenses", "daf_staff_fte")
    # Activity per mission of Annexe 1 §2 (the form and the page follow these groups)
    MISSIONS = (
        (
            _("§2.1 Centre de compétences pluriprofessionnelles"),
            (
                "active_file_patients",
                "new_patients",
                "consultations",
                "announcement_consultations",
                "multidisciplinary_followups",
                "day_hospitalisations",
                "full_hospitalisations",
                "rcp_meetings",
                "therapeutic_meetings",
                "etp_programmes",
                "etp_patients",
            ),
        ),
        (_("§2.2 Centre de recours et de coordination"), ("referred_patients", "care_plans", "partnerships")),
        (_("§2.3 Harmonisation des pratiques et formation"), ("training_sessions", "training_details")),
        (
            _("§2.4 Innovation thérapeutique et recherche, OFSEP"),
            ("ofsep_exports", "edmus_records", "research_projects", "publications", "research_details"),
        ),
    )

    FIGURE_FIELDS = (
        "active_file_patients",
        "new_patients",
        "consultations",
        "announcement_consultations",
        "multidisciplinary_followups",
        "day_hospitalisations",
        "full_hospitalisations",
        "rcp_meetings",
        "therapeutic_meetings",
        "etp_programmes",
        "etp_patients",
        "ofsep_exports",
        "edmus_records",
        "research_projects",
        "publications",
        "training_sessions",
        "referred_patients",
        "care_plans",
    )
    TEXT_FIELDS = ("research_details", "training_details", "partnerships")

    class Meta:
        ordering = ["-year", "centre__name"]
        verbose_name = _("rapport annuel d'activité")
        verbose_name_plural = _("rapports annuels d'activité")
        constraints = [models.UniqueConstraint(fields=["centre", "year"], name="unique_activity_report_year")]
        indexes = [models.Index(fields=["state", "year"])]

    def __str__(self):
        return _("Rapport d'activité %(year)s — %(centre)s") % {"year": self.year, "centre": self.centre}

    def get_absolute_url(self):
        return reverse("reporting:report_detail", args=[self.pk])

    # --- who acts ---------------------------------------------------------------------------

    def _is_team(self, user) -> bool:
        """The account of the centre's team (Annexe 1 §4, "l'équipe en charge du centre")."""
        return bool(user.is_authenticated and user.is_crcsep_team and user.crc_sep_centre_id == self.centre_id)

    def _is_establishment(self, user) -> bool:
        return bool(
            user.is_authenticated and user.is_establishment and user.establishment_id == self.centre.establishment_id
        )

    def _is_region_ars(self, user) -> bool:
        return bool(user.is_authenticated and user.is_ars and user.region_id == self.centre.region_id)

    def awaiting(self) -> list:
        from accounts.models import Role, User

        if self.state == self.State.DRAFT:
            return list(User.objects.filter(role=Role.CRCSEP_TEAM, crc_sep_centre_id=self.centre_id, is_active=True))
        if self.state == self.State.SUBMITTED:
            return list(
                User.objects.filter(
                    role=Role.ESTABLISHMENT, establishment_id=self.centre.establishment_id, is_active=True
                )
            )
        if self.state == self.State.VALIDATED:
            return list(User.objects.filter(role=Role.ARS, region_id=self.centre.region_id, is_active=True))
        return []

    @classmethod
    def awaiting_bulk(cls, reports, directory):
        """``awaiting()`` of many reports at once: (report, account pks), from ``accounts.directory``."""
        from accounts.models import Role

        awaited = (cls.State.DRAFT, cls.State.SUBMITTED, cls.State.VALIDATED)
        for report in reports.filter(state__in=awaited).select_related("centre"):
            if report.state == cls.State.DRAFT:
                yield report, directory.in_centre(Role.CRCSEP_TEAM, report.centre_id)
            elif report.state == cls.State.SUBMITTED:
                yield report, directory.in_establishment(Role.ESTABLISHMENT, report.centre.establishment_id)
            else:
                yield report, directory.in_region(Role.ARS, report.centre.region_id)

    # --- conditions ---------------------------------------------------------------------------

    @condition(_("Tous les indicateurs chiffrés doivent être renseignés (0 si aucune activité)."))
    def figures_complete(self) -> bool:
        return all(getattr(self, name) is not None for name in self.FIGURE_FIELDS)

    @condition(_("Le bilan individualisé d'activité OFSEP (export semestriel) doit être joint."))
    def has_ofsep_bilan(self) -> bool:
        return self.ofsep_bilans.exists()

    @condition(
        _(
            "Le volet des services administratifs de l'établissement (DIM, DAF) doit être renseigné avant la "
            "validation (annexe 1, §4)."
        )
    )
    def administrative_part_complete(self) -> bool:
        return all(getattr(self, name) is not None for name in self.ADMINISTRATIVE_FIELDS)

    # --- the state machine (declared once) ------------------------------------------------------

    @logged_transition(
        field=state,
        source=State.DRAFT,
        target=State.SUBMITTED,
        permission=lambda report, user: report._is_team(user),
        conditions=[figures_complete, has_ofsep_bilan],
        custom={"label": _("Transmettre à la direction de l'établissement"), "style": "primary", "comment": False},
    )
    def submit(self, by=None, description=None):
        pass

    @logged_transition(
        field=state,
        source=State.SUBMITTED,
        target=State.VALIDATED,
        permission=lambda report, user: report._is_establishment(user),
        conditions=[administrative_part_complete],
        custom={"label": _("Valider au nom de l'établissement"), "style": "primary", "comment": False},
    )
    def validate(self, by=None, description=None):
        pass

    @logged_transition(
        field=state,
        source=State.SUBMITTED,
        target=State.DRAFT,
        permission=lambda report, user: report._is_establishment(user),
        custom={"label": _("Renvoyer à l'équipe du centre"), "style": "secondary", "comment": True},
    )
    def return_to_centre(self, by=None, description=None):
        pass

    @logged_transition(
        field=state,
        source=State.VALIDATED,
        target=State.CONFIRMED,
        permission=lambda report, user: report._is_region_ars(user),
        custom={"label": _("Confirmer le rapport"), "style": "primary", "comment": False},
    )
    def confirm(self, by=None, description=None):
        pass

    @logged_transition(
        field=state,
        source=State.VALIDATED,
        target=State.DRAFT,
        permission=lambda report, user: report._is_region_ars(user),
        custom={"label": _("Renvoyer au centre pour correction"), "style": "secondary", "comment": True},
    )
    def send_back(self, by=None, description=None):
        pass


class OfsepBilan(UploadedDocument):
    """The individualised activity bilan OFSEP sends each centre from the semestrial exports (§4)."""

    class Semester(models.IntegerChoices):
        FIRST = 1, _("1er semestre")
        SECOND = 2, _("2nd semestre")

    report = models.ForeignKey(ActivityReport, on_delete=models.CASCADE, related_name="ofsep_bilans")
    semester = models.PositiveSmallIntegerField(_("semestre"), choices=Semester.choices)

    class Meta:
        ordering = ["semester", "uploaded_at"]
        verbose_name = _("bilan OFSEP")


# --- Bulk export of letters (issue 6) ------------------------------------------------------------


class ExportJob(ChoiceLabels, models.Model):
    """A ZIP of issued letters built by a Celery task; kept ``EXPORT_TTL`` then deleted by beat."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("En attente")
        RUNNING = "running", _("En cours")
        DONE = "done", _("Terminé")
        FAILED = "failed", _("Échec")

    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="export_jobs")
    filters = models.JSONField(_("filtres"), default=dict)
    status = models.CharField(_("statut"), max_length=10, choices=Status.choices, default=Status.QUEUED)
    done = models.PositiveIntegerField(default=0)
    total = models.PositiveIntegerField(default=0)
    file = models.FileField(max_length=200, blank=True)
    error = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    expires_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("export de courriers")
        indexes = [models.Index(fields=["expires_at"])]

    @property
    def percent(self) -> int:
        if self.status == self.Status.DONE:
            return 100
        return int(100 * self.done / self.total) if self.total else 0

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
        SUCCESSION = "succession", _("Succession non officialisée")
        TRANCHE = "tranche", _("Échéance de tranche")
        REPORT_DUE = "report_due", _("Rapport d'activité attendu")
        WAITING = "waiting", _("Dossier en attente")

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="alerts")
    key = models.CharField(max_length=120)
    kind = models.CharField(_("nature"), max_length=20, choices=Kind.choices)
    message = models.CharField(_("alerte"), max_length=500)
    url = models.CharField(max_length=300, blank=True)
    due_on = models.DateField(_("échéance"), null=True, blank=True)
    # What the alerts page filters on: the procedure (``app_label.model`` of its workflow model) and the
    # dossier's region (an ARS officer's scope).
    procedure = models.CharField(_("procédure"), max_length=100, blank=True)
    region = models.ForeignKey(
        "centres.Region", on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("région")
    )
    computed_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["due_on", "kind", "pk"]
        constraints = [models.UniqueConstraint(fields=["user", "key"], name="unique_alert_user_key")]
        indexes = [models.Index(fields=["user", "due_on", "kind", "id"], name="alert_user_due_idx")]
