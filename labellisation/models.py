"""CRC SEP applications (candidatures) and their labelling workflow.

Source: instruction CRC SEP 2016 (2016 instruction): Annexe 1, the cahier des charges (§1 to §4) whose criteria
each application evidences; Annexe 2, the regional quotas per tranche; cover letter, the 100,000 € a
year per labelled centre. The state machine is declared once, on :class:`Application`.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django_fsm import FSMField, FSMModelMixin

from centres.models import CrcSepCentre, Establishment, Hospital, Region, RegionalQuota, Tranche
from core.models import ChoiceLabels, UploadedDocument
from core.rules import cite
from core.workflow import condition, logged_transition

from . import perms
from .states import EDITABLE_STATES, IN_PROGRESS_STATES, State

# --- The cahier des charges (Annexe 1), declared once ---------------------------------------------


@dataclass(frozen=True)
class CriterionSpec:
    code: str
    label: str
    paragraph: str
    mandatory: bool = True
    # a recommendation shown when not evidenced, never blocking (e.g. §2.2 "sont encouragés"): its note
    recommended: str = ""


CRITERIA: tuple[CriterionSpec, ...] = (
    CriterionSpec("chu_hosting", "Implantation au sein d'un centre hospitalier universitaire", "§1, §2.4"),
    CriterionSpec("regional_recourse", "Centre de recours régional pour les professionnels de santé", "§1"),
    CriterionSpec(
        "coordinator",
        "Coordonnateur neurologue, au moins 3 ans de pratique en établissement expert, expérience de recherche",
        "§3",
    ),
    CriterionSpec(
        "specialised_nurse",
        "Infirmier(ère) spécialisé(e) SEP, formé(e) à l'ETP, assurant accueil, orientation, information et "
        "accompagnement",
        "§3",
    ),
    CriterionSpec(
        "care_offer",
        "Offre de soins : hôpital de jour, hospitalisation complète, consultations externes (annonce et "
        "confirmation diagnostique, suivi pluridisciplinaire)",
        "§2.1",
    ),
    CriterionSpec("etp_programmes", "Programmes d'éducation thérapeutique du patient (ETP)", "§2.1"),
    CriterionSpec(
        "rcp",
        "RCP pour les diagnostics complexes, réunions de concertation thérapeutique, thérapeutiques complexes "
        "ou à risque (biothérapies, chimiothérapies immunosuppressives)",
        "§2.1, §2.2",
    ),
    CriterionSpec("ofsep_edmus", "Membre de l'OFSEP, export en routine vers la base nationale EDMUS", "§2.4"),
    CriterionSpec("clinical_research", "Expérience en recherche clinique", "§2.4"),
    CriterionSpec(
        "partnerships",
        "Partenariats : soins primaires, SSR de la région, réseaux territoriaux, associations de patients, "
        "maison des usagers",
        "§2.2",
    ),
    # §2.2: "Les CRC Sep sont encouragés à développer les outils technologiques adaptés": a recommendation.
    CriterionSpec(
        "coordination_tools",
        "Outils de coordination : visioconférence, télémédecine, messagerie sécurisée",
        "§2.2",
        mandatory=False,
        recommended="recommandé : « encouragés », non bloquant",
    ),
    # §2.3: a mission of every CRC SEP ("auront pour mission de favoriser l'harmonisation des pratiques, la
    # formation des personnels médicaux et para médicaux ainsi que la production d'outils de formation")
    CriterionSpec(
        "training_harmonisation",
        "Harmonisation des pratiques, formation des personnels médicaux et paramédicaux, production d'outils de "
        "formation, de programmes d'ETP et de coordination des acteurs",
        "§2.3",
    ),
    CriterionSpec(
        "annual_report",
        "Engagement à produire le rapport annuel d'activité standardisé (PIRAMIG) avec le bilan semestriel OFSEP",
        "§4",
    ),
    CriterionSpec(
        "external_professionals",
        "Recours à des spécialistes extérieurs et à d'autres professionnels ayant une compétence SEP",
        "§3",
        mandatory=False,
    ),
)
CRITERIA = (
    *CRITERIA,
    # Cover letter: "La mise en œuvre des innovations préconisées dans la mesure 8 du PMND … constitue
    # également un élément important à prendre en compte lors de l'identification": weighed, not blocking.
    CriterionSpec(
        "pmnd_measure_8",
        "Innovations de la mesure 8 du PMND : ouverture à une expertise transversale MND, mutualisation des "
        "compétences et des ressources, facilitation des synergies",
        "lettre d'instruction",
        mandatory=False,
        recommended="à prendre en compte : « élément important », non bloquant",
    ),
)
CRITERIA_BY_CODE = {spec.code: spec for spec in CRITERIA}


# --- Conditions of the transitions (each with its French refusal) ---------------------------------


def _missing_label(app: Application) -> str:
    missing = app.missing_mandatory_criteria()
    return "Critères obligatoires du cahier des charges non justifiés : {list}.".format(
        list=" ; ".join(f"{spec.label} ({spec.paragraph})" for spec in missing),
    )


@condition(_missing_label)
def mandatory_criteria_evidenced(app: Application) -> bool:
    return not app.missing_mandatory_criteria()


def _quota_message(app: Application) -> str:
    used, quota = app.quota_usage()
    return (
        f"Le quota de l'annexe 2 est atteint pour {app.region.name}, {app.tranche.label.lower()} : "
        f"{used} centre(s) labellisé(s) "
        f"sur {quota}. Aucun autre CRC SEP ne peut être labellisé dans cette région pour cette tranche."
    ) + cite("SEP-A2-quota-region-tranche")


@condition(_quota_message)
def regional_quota_available(app: Application) -> bool:
    used, quota = app.quota_usage()
    return used < quota


@condition("Le coordonnateur, l'infirmier(ère) spécialisé(e) et le site hospitalier doivent être renseignés.")
def team_declared(app: Application) -> bool:
    return bool(app.coordinator_name and app.nurse_name and app.hospital_id)


def chu_refusal(establishment: Establishment) -> str | None:
    """Annexe 1 §1 and §2.4: "implanté au sein d'un CHU" — the establishment's category, from the reference data."""
    if establishment.kind == Establishment.Kind.CHU:
        return None
    return (
        f"Un CRC SEP est « implanté au sein d'un CHU » (annexe 1, §1 et §2.4) : « {establishment.name} » est classé "
        f"« {establishment.get_kind_display()} » dans le référentiel des établissements, pas CHU."
    )


@condition(lambda app: chu_refusal(app.establishment))
def hosted_by_chu(app: Application) -> bool:
    return chu_refusal(app.establishment) is None


def campaign_refusal(tranche: Tranche, on=None) -> str | None:
    """Annexe 2 "calendrier de financement": DGOS opens each tranche's campaign; none before."""
    if tranche.campaign_is_open(on):
        return None
    return (
        f"La campagne de la {tranche.label.lower()} n'est pas ouverte ({tranche.campaign_state_label(on)} ; "
        f"financement : {tranche.get_funding_status_display().lower()}). Aucune "
        "candidature ni labellisation n'est possible dans cette tranche avant son ouverture par la DGOS (annexe 2)."
    )


@condition(lambda app: campaign_refusal(app.tranche))
def tranche_campaign_open(app: Application) -> bool:
    return campaign_refusal(app.tranche) is None


def region_place_refusal(region: Region, tranche: Tranche) -> str | None:
    """Annexe 2: a region whose line gives no centre in a tranche (quota 0, or no line) cannot apply in it."""
    quota = RegionalQuota.objects.filter(region=region, tranche=tranche).values_list("quota", flat=True).first()
    if quota:
        return None
    if quota is None:
        return (
            f"La région {region.name} ne figure pas au tableau de l'annexe 2 (répartition des CRC SEP) : aucun centre "
            "n'y est prévu, aucune candidature ne peut être déposée."
        )
    return (
        f"L'annexe 2 ne prévoit aucun CRC SEP pour la ligne « {region.annexe2_label or region.name} » "
        f"dans la {tranche.label.lower()} (0 centre) : aucune "
        f"candidature ne peut être déposée dans cette tranche pour la région {region.name}."
    )


@condition(lambda app: region_place_refusal(app.region, app.tranche))
def region_has_place(app: Application) -> bool:
    return region_place_refusal(app.region, app.tranche) is None


# --- Annexe 1 §3: the minimum team, checked rule by rule ---------------------------------------------


@dataclass(frozen=True)
class TeamRule:
    rule_id: str
    label: str
    check: object  # callable(app) -> bool


TEAM_RULES: tuple[TeamRule, ...] = (
    TeamRule(
        "SEP-A1-3-coordinateur-neurologue",
        "Le coordonnateur est un médecin spécialiste qualifié en neurologie",
        lambda app: bool(app.coordinator_name and app.coordinator_neurologist),
    ),
    TeamRule(
        "SEP-A1-3-coordinateur-3-ans",
        "Le coordonnateur a une pratique d'au moins trois ans dans un établissement expert SEP",
        lambda app: (app.coordinator_years_expert or 0) >= 3,
    ),
    TeamRule(
        "SEP-A1-3-coordinateur-recherche",
        "Le coordonnateur a une expérience en matière de recherche dans ce domaine",
        lambda app: bool(app.coordinator_research.strip()),
    ),
    TeamRule(
        "SEP-A1-3-infirmier-specialise",
        "Un infirmier(ère) spécialisé(e) dans les soins requis pour la SEP",
        lambda app: bool(app.nurse_name and app.nurse_ms_specialised),
    ),
    TeamRule(
        "SEP-A1-3-infirmiere-etp",
        "L'infirmier(ère) est formé(e) à l'éducation thérapeutique (ETP)",
        lambda app: bool(app.nurse_name and app.nurse_etp_trained),
    ),
    TeamRule(
        "SEP-A1-3-infirmiere-accueil",
        "L'infirmier(ère) assure l'accueil et l'orientation (préparation des consultations), l'information et "
        "l'accompagnement des patients et de leurs proches",
        lambda app: bool(app.nurse_name and app.nurse_reception_orientation and app.nurse_information_support),
    ),
)


def _team_rules_message(app: Application) -> str:
    return "L'équipe ne répond pas au cahier des charges (annexe 1, §3) : {list}.".format(
        list=" ; ".join(rule.label for rule in app.unmet_team_rules()),
    )


@condition(_team_rules_message)
def team_rules_met(app: Application) -> bool:
    return not app.unmet_team_rules()


# --- The application -----------------------------------------------------------------------------


class Application(ChoiceLabels, FSMModelMixin, models.Model):
    """A CHU's application to become a CRC SEP for a tranche (2016 instruction, Annexe 1 and 2)."""

    State = State  # the states live in states.py; the alias serves templates
    IN_PROGRESS_STATES = IN_PROGRESS_STATES
    EDITABLE_STATES = EDITABLE_STATES

    establishment = models.ForeignKey(
        Establishment, on_delete=models.PROTECT, related_name="crcsep_applications", verbose_name="établissement"
    )
    hospital = models.ForeignKey(
        Hospital, on_delete=models.PROTECT, related_name="crcsep_applications", verbose_name="site hospitalier"
    )
    region = models.ForeignKey(
        Region, on_delete=models.PROTECT, related_name="crcsep_applications", verbose_name="région"
    )
    tranche = models.ForeignKey(
        Tranche, on_delete=models.PROTECT, related_name="crcsep_applications", verbose_name="tranche"
    )
    centre_name = models.CharField("nom du centre", max_length=200)

    # Annexe 1, §3: the coordinator
    coordinator_name = models.CharField("nom du coordonnateur", max_length=200, blank=True)
    coordinator_specialty = models.CharField("spécialité", max_length=200, blank=True, default="Neurologie")
    coordinator_neurologist = models.BooleanField("médecin spécialiste qualifié en neurologie", default=False)
    coordinator_years_expert = models.PositiveSmallIntegerField(
        "années de pratique en établissement expert SEP", null=True, blank=True
    )
    coordinator_research = models.TextField("expérience de recherche", blank=True)
    # Annexe 1, §3: the specialised nurse
    nurse_name = models.CharField("nom de l'infirmier(ère) spécialisé(e)", max_length=200, blank=True)
    nurse_ms_specialised = models.BooleanField("spécialisé(e) dans les soins requis pour la SEP", default=False)
    nurse_etp_trained = models.BooleanField("formé(e) à l'éducation thérapeutique (ETP)", default=False)
    nurse_reception_orientation = models.BooleanField(
        "assure l'accueil et l'orientation (préparation des consultations)", default=False
    )
    nurse_information_support = models.BooleanField(
        "assure l'information et l'accompagnement des patients et des proches", default=False
    )
    # Annexe 1, §3: optional
    external_specialists = models.TextField("spécialistes extérieurs", blank=True)
    other_professionals = models.TextField("autres professionnels", blank=True)

    state = FSMField("état", default=State.DRAFT, choices=State.choices, protected=True, db_index=True)
    late_decision = models.BooleanField("décision après la date limite de la tranche", default=False)
    decided_on = models.DateField("décidée le", null=True, blank=True)
    centre = models.OneToOneField(
        CrcSepCentre, on_delete=models.PROTECT, null=True, blank=True, related_name="application"
    )
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-updated_at"]
        verbose_name = "candidature CRC SEP"
        verbose_name_plural = "candidatures CRC SEP"
        indexes = [
            models.Index(fields=["region", "tranche", "state"]),
            # the national view, most recently updated first: walked in order, no sort of every application
            models.Index(fields=["-updated_at", "-id"], name="application_recent_idx"),
        ]

    def __str__(self):
        return f"{self.centre_name} — {self.establishment}"

    def get_absolute_url(self):
        return reverse("labellisation:detail", args=[self.pk])

    # --- Reads used by conditions and pages --------------------------------------------------------

    def missing_mandatory_criteria(self) -> list[CriterionSpec]:
        evidenced = {c.code for c in self.criteria.all() if c.is_evidenced}
        return [spec for spec in CRITERIA if spec.mandatory and spec.code not in evidenced]

    def team_rule_results(self) -> list[tuple[TeamRule, bool]]:
        """Annexe 1 §3, rule by rule, for the dossier page (✓/✗) and the conditions."""
        return [(rule, bool(rule.check(self))) for rule in TEAM_RULES]

    def unmet_team_rules(self) -> list[TeamRule]:
        return [rule for rule, met in self.team_rule_results() if not met]

    def recommended_not_evidenced(self) -> list[CriterionSpec]:
        evidenced = {c.code for c in self.criteria.all() if c.is_evidenced}
        return [spec for spec in CRITERIA if spec.recommended and spec.code not in evidenced]

    def quota_usage(self) -> tuple[int, int]:
        """(labelled centres, Annexe 2 quota) for this application's region and tranche."""
        quota = (
            RegionalQuota.objects.filter(region_id=self.region_id, tranche_id=self.tranche_id)
            .values_list("quota", flat=True)
            .first()
        )
        used = CrcSepCentre.objects.filter(
            region_id=self.region_id, tranche_id=self.tranche_id, status=CrcSepCentre.Status.LABELLED
        ).count()
        return used, quota or 0

    def is_late(self, on=None) -> bool:
        deadline = self.tranche.deadline
        return bool(deadline and (on or timezone.localdate()) > deadline)

    # --- The workflow (Annexe 1 and 2; workflow 1, labellisation) ----------------------------------------

    @logged_transition(
        field=state,
        source=[State.DRAFT, State.SENT_BACK],
        target=State.SUBMITTED,
        permission=perms.may_edit_content,
        conditions=[hosted_by_chu, tranche_campaign_open, region_has_place, team_declared, team_rules_met],
        custom={"label": "Déposer la candidature", "style": "primary", "comment": False},
    )
    def submit(self, by=None, description=None):
        pass

    @logged_transition(
        field=state,
        source=State.SUBMITTED,
        target=State.UNDER_REVIEW,
        permission=perms.may_decide,
        custom={"label": "Prendre en instruction", "style": "primary", "comment": False},
    )
    def review(self, by=None, description=None):
        pass

    @logged_transition(
        field=state,
        source=[State.SUBMITTED, State.UNDER_REVIEW],
        target=State.SENT_BACK,
        permission=perms.may_decide,
        custom={
            "label": "Renvoyer pour complément",
            "style": "secondary",
            "comment": "Indiquez le message adressé à l'établissement (éléments à compléter).",
        },
    )
    def send_back(self, by=None, description=None):
        pass

    @logged_transition(
        field=state,
        source=State.UNDER_REVIEW,
        target=State.LABELLED,
        permission=perms.may_decide,
        conditions=[
            hosted_by_chu,
            tranche_campaign_open,
            team_rules_met,
            mandatory_criteria_evidenced,
            regional_quota_available,
        ],
        custom={"label": "Labelliser le centre", "style": "primary", "comment": False, "letter": True},
    )
    def label(self, by=None, description=None):
        self._record_decision()

    @logged_transition(
        field=state,
        source=State.UNDER_REVIEW,
        target=State.REJECTED,
        permission=perms.may_decide,
        custom={
            "label": "Refuser la labellisation",
            "style": "danger",
            "comment": "Indiquez le motif du refus : il figurera dans le courrier.",
            "letter": True,
        },
    )
    def reject(self, by=None, description=None):
        self._record_decision()

    @logged_transition(
        field=state,
        source=State.LABELLED,
        target=State.WITHDRAWN,
        permission=perms.may_decide,
        custom={
            "label": "Retirer la labellisation",
            "style": "danger",
            "comment": "Indiquez le motif du retrait : il figurera dans le courrier.",
            "letter": True,
        },
    )
    def withdraw(self, by=None, description=None):
        self.decided_on = timezone.localdate()

    def _record_decision(self) -> None:
        """A decision after the tranche deadline is allowed but flagged (2016 instruction, cover letter)."""
        self.decided_on = timezone.localdate()
        self.late_decision = self.is_late(self.decided_on)


class Criterion(ChoiceLabels, models.Model):
    """One criterion of the cahier des charges for one application, with its evidence."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="criteria")
    code = models.CharField("critère", max_length=40, choices=[(spec.code, spec.label) for spec in CRITERIA])
    declared_fact = models.TextField("élément déclaré", blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["application", "code"], name="unique_criterion_per_application")]
        verbose_name = "critère du cahier des charges"
        verbose_name_plural = "critères du cahier des charges"

    def __str__(self):
        return self.spec.label

    @property
    def spec(self) -> CriterionSpec:
        return CRITERIA_BY_CODE[self.code]

    @property
    def order(self) -> int:
        return [spec.code for spec in CRITERIA].index(self.code)

    @property
    def is_evidenced(self) -> bool:
        """Evidence is a declared fact and/or a document (labellisation workflow)."""
        return bool(self.declared_fact.strip()) or bool(self.documents.all())


class CriterionDocument(UploadedDocument):
    """A PDF evidencing a criterion (checked by ``UploadedDocument.attach``)."""

    criterion = models.ForeignKey(Criterion, on_delete=models.CASCADE, related_name="documents")

    class Meta:
        ordering = ["uploaded_at"]
        verbose_name = "pièce justificative"
