"""The annual activity report of a CRC SEP (2016 instruction, Annexe 1 §4), its workflow and the OFSEP bilans."""

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.urls import reverse
from django_fsm import FSMField, FSMModelMixin

from core.models import ChoiceLabels, UploadedDocument
from core.workflow import condition, logged_transition

from . import perms
from .states import State

RETURN_MESSAGE = "Un message est obligatoire pour renvoyer le rapport."


# --- Conditions (each with its French refusal) -----------------------------------------------


@condition("Tous les indicateurs chiffrés doivent être renseignés (0 si aucune activité).")
def figures_complete(report) -> bool:
    return all(getattr(report, name) is not None for name in report.FIGURE_FIELDS)


@condition("Le bilan individualisé d'activité OFSEP (export semestriel) doit être joint.")
def has_ofsep_bilan(report) -> bool:
    return report.ofsep_bilans.exists()


@condition(
    "Le volet des services administratifs de l'établissement (DIM, DAF) doit être renseigné avant la "
    "validation (annexe 1, §4)."
)
def administrative_part_complete(report) -> bool:
    return all(getattr(report, name) is not None for name in report.ADMINISTRATIVE_FIELDS)


class ActivityReport(ChoiceLabels, FSMModelMixin, models.Model):
    """The standardised yearly report of a labelled CRC SEP (Annexe 1 §4).

    "renseignés à la fois par l'équipe en charge du centre et par les services administratifs compétents
    des établissements de rattachement (DIM, DAF, etc.)": the centre's team account (role "Équipe CRC SEP")
    fills the activity per mission (§2.1 to §2.4) and attaches the OFSEP bilan, then transmits; the
    establishment's direction fills the DIM/DAF part and validates (or returns it to the team); the ARS of
    the region confirms (or sends it back). DGOS and that ARS read it, "pour ajuster les ressources".
    """

    State = State  # the states live in states.py; the alias serves templates

    centre = models.ForeignKey(
        "centres.CrcSepCentre", on_delete=models.PROTECT, related_name="activity_reports", verbose_name="CRC SEP"
    )
    year = models.PositiveSmallIntegerField("année d'activité")
    state = FSMField("état", max_length=12, choices=State.choices, default=State.DRAFT, protected=True)

    active_file_patients = models.PositiveIntegerField("file active (patients)", null=True, blank=True)
    new_patients = models.PositiveIntegerField("nouveaux patients", null=True, blank=True)
    consultations = models.PositiveIntegerField("consultations", null=True, blank=True)
    announcement_consultations = models.PositiveIntegerField("consultations d'annonce", null=True, blank=True)
    multidisciplinary_followups = models.PositiveIntegerField(
        "consultations de suivi pluridisciplinaire", null=True, blank=True
    )
    day_hospitalisations = models.PositiveIntegerField("hospitalisations de jour", null=True, blank=True)
    full_hospitalisations = models.PositiveIntegerField("hospitalisations complètes", null=True, blank=True)
    rcp_meetings = models.PositiveIntegerField("RCP tenues", null=True, blank=True)
    therapeutic_meetings = models.PositiveIntegerField(
        "réunions de concertation thérapeutique tenues", null=True, blank=True
    )
    etp_programmes = models.PositiveIntegerField("programmes d'ETP", null=True, blank=True)
    etp_patients = models.PositiveIntegerField("patients ayant suivi un programme d'ETP", null=True, blank=True)
    ofsep_exports = models.PositiveSmallIntegerField("exports OFSEP/EDMUS dans l'année", null=True, blank=True)
    edmus_records = models.PositiveIntegerField("dossiers EDMUS exportés", null=True, blank=True)
    research_projects = models.PositiveIntegerField("projets de recherche en cours", null=True, blank=True)
    publications = models.PositiveIntegerField("publications", null=True, blank=True)
    training_sessions = models.PositiveIntegerField("actions de formation dispensées", null=True, blank=True)
    # §2.2 "centres de recours et de coordination"
    referred_patients = models.PositiveIntegerField(
        "patients adressés par un praticien du territoire", null=True, blank=True
    )
    care_plans = models.PositiveIntegerField(
        "projets personnalisés de soins formalisés et transmis", null=True, blank=True
    )
    research_details = models.TextField("projets de recherche et publications (détail)", blank=True)
    training_details = models.TextField("formations dispensées (détail)", blank=True)
    partnerships = models.TextField("partenariats (réseaux, associations, médico-social)", blank=True)

    # The part of the establishment's administrative services (§4: "DIM, DAF, etc."), filled by the direction
    dim_sep_stays = models.PositiveIntegerField("séjours et venues des patients SEP (PMSI, DIM)", null=True, blank=True)
    dim_sep_patients = models.PositiveIntegerField(
        "patients SEP distincts pris en charge (PMSI, DIM)", null=True, blank=True
    )
    daf_expenses = models.DecimalField(
        "dépenses affectées au centre (DAF, €)",
        max_digits=12,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )
    daf_staff_fte = models.DecimalField(
        "personnel affecté au centre (équivalents temps plein, DAF)",
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
            "§2.1 Centre de compétences pluriprofessionnelles",
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
        ("§2.2 Centre de recours et de coordination", ("referred_patients", "care_plans", "partnerships")),
        ("§2.3 Harmonisation des pratiques et formation", ("training_sessions", "training_details")),
        (
            "§2.4 Innovation thérapeutique et recherche, OFSEP",
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
        verbose_name = "rapport annuel d'activité"
        verbose_name_plural = "rapports annuels d'activité"
        constraints = [models.UniqueConstraint(fields=["centre", "year"], name="unique_activity_report_year")]
        indexes = [models.Index(fields=["state", "year"])]

    def __str__(self):
        return f"Rapport d'activité {self.year} — {self.centre}"

    def get_absolute_url(self):
        return reverse("activity_reports:report_detail", args=[self.pk])

    # --- the state machine (declared once) ------------------------------------------------------

    @logged_transition(
        field=state,
        source=State.DRAFT,
        target=State.SUBMITTED,
        permission=perms.may_act_as_team,
        conditions=[figures_complete, has_ofsep_bilan],
        custom={"label": "Transmettre à la direction de l'établissement", "style": "primary", "comment": False},
    )
    def submit(self, by=None, description=None):
        pass

    @logged_transition(
        field=state,
        source=State.SUBMITTED,
        target=State.VALIDATED,
        permission=perms.may_act_as_direction,
        conditions=[administrative_part_complete],
        custom={"label": "Valider au nom de l'établissement", "style": "primary", "comment": False},
    )
    def validate(self, by=None, description=None):
        pass

    @logged_transition(
        field=state,
        source=State.SUBMITTED,
        target=State.DRAFT,
        permission=perms.may_act_as_direction,
        custom={"label": "Renvoyer à l'équipe du centre", "style": "secondary", "comment": RETURN_MESSAGE},
    )
    def return_to_centre(self, by=None, description=None):
        pass

    @logged_transition(
        field=state,
        source=State.VALIDATED,
        target=State.CONFIRMED,
        permission=perms.may_act_as_region_ars,
        custom={"label": "Confirmer le rapport", "style": "primary", "comment": False},
    )
    def confirm(self, by=None, description=None):
        pass

    @logged_transition(
        field=state,
        source=State.VALIDATED,
        target=State.DRAFT,
        permission=perms.may_act_as_region_ars,
        custom={"label": "Renvoyer au centre pour correction", "style": "secondary", "comment": RETURN_MESSAGE},
    )
    def send_back(self, by=None, description=None):
        pass


class OfsepBilan(UploadedDocument):
    """The individualised activity bilan OFSEP sends each centre from the semestrial exports (§4)."""

    class Semester(models.IntegerChoices):
        FIRST = 1, "1er semestre"
        SECOND = 2, "2nd semestre"

    report = models.ForeignKey(ActivityReport, on_delete=models.CASCADE, related_name="ofsep_bilans")
    semester = models.PositiveSmallIntegerField("semestre", choices=Semester.choices)

    class Meta:
        db_table = "reporting_ofsepbilan"  # the table kept its name when the model left reporting
        ordering = ["semester", "uploaded_at"]
        verbose_name = "bilan OFSEP"


# --- Bulk export of letters (issue 6) ------------------------------------------------------------
