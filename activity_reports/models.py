"""The annual activity report of a CRC SEP (2016 instruction, Annexe 1 §4), its workflow and the OFSEP bilans."""

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django_fsm import FSMField, FSMModelMixin

from core.models import ChoiceLabels, UploadedDocument
from core.workflow import condition, logged_transition


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
        db_table = "reporting_activityreport"  # the table kept its name when the model left reporting
        ordering = ["-year", "centre__name"]
        verbose_name = _("rapport annuel d'activité")
        verbose_name_plural = _("rapports annuels d'activité")
        constraints = [models.UniqueConstraint(fields=["centre", "year"], name="unique_activity_report_year")]
        indexes = [models.Index(fields=["state", "year"])]

    def __str__(self):
        return _("Rapport d'activité %(year)s — %(centre)s") % {"year": self.year, "centre": self.centre}

    def get_absolute_url(self):
        return reverse("activity_reports:report_detail", args=[self.pk])

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
        # only what this and ``__str__`` read (a deferred field would cost a query per report)
        reports = reports.select_related("centre").only(
            "state", "year", "centre__name", "centre__establishment", "centre__region"
        )
        for report in reports.filter(state__in=awaited):
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
        db_table = "reporting_ofsepbilan"  # the table kept its name when the model left reporting
        ordering = ["semester", "uploaded_at"]
        verbose_name = _("bilan OFSEP")


# --- Bulk export of letters (issue 6) ------------------------------------------------------------
