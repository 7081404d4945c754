"""Creation or abrogation of a competence centre (CCMR) of a CRMR: Instruction DGOS/PF2/2013/308, Annexe 2.

One request, one declared state machine (``CcmrRequest.state``):

    draft ─submit─▶ submitted ─transmit_for_opinion──▶ awaiting_opinion ─give_*_opinion─▶ awaiting_officialisation
                              └transmit_for_information───────────────────────────────▶ awaiting_officialisation
    awaiting_officialisation ─officialise_favourable─▶ awaiting_documents (creation) | awaiting_cpom (abrogation)
                             └officialise_unfavourable─▶ closed_unfavourable
    awaiting_documents ─send_to_ars─▶ awaiting_cpom ─notify_cpom─▶ awaiting_orphanet ─inform_orphanet─▶ completed

Views and services run the transitions through ``core.workflow.run_transition`` only.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse
from django_fsm import GET_STATE, FSMField, FSMModelMixin

from core.models import ChoiceLabels, UploadedDocument
from core.workflow import condition, logged_transition

from . import perms
from .states import OPEN_STATES, State

OPINION_REASONS = "Motivez l'avis du groupe permanent."  # Annexe 2, step 2: the avis d'opportunité

__all__ = ["CcmrRequest", "CcmrRequestDocument"]


class CcmrRequest(ChoiceLabels, FSMModelMixin, models.Model):
    """A coordinator's request to DGOS to create or abrogate a competence centre of his or her CRMR."""

    class Kind(models.TextChoices):
        CREATION = "creation", "Création"
        ABROGATION = "abrogation", "Abrogation"

    State = State  # the states live in states.py; the alias serves templates

    class Opinion(models.TextChoices):
        FAVOURABLE = "favourable", "Favorable"
        UNFAVOURABLE = "unfavourable", "Défavorable"

    OPEN_STATES = OPEN_STATES

    kind = models.CharField("nature de la demande", max_length=12, choices=Kind.choices)
    state = FSMField("état", max_length=30, choices=State.choices, default=State.DRAFT, protected=True)
    crmr = models.ForeignKey(
        "centres.Crmr", on_delete=models.PROTECT, related_name="ccmr_requests", verbose_name="CRMR"
    )
    # The CCMR's establishment, for both kinds (an abrogation copies it from the CCMR): ARS scope.
    establishment = models.ForeignKey(
        "centres.Establishment",
        on_delete=models.PROTECT,
        related_name="ccmr_requests",
        verbose_name="établissement du centre de compétences",
    )
    # Abrogation: the existing CCMR; creation: the CCMR written into the registry at the CPOM step.
    ccmr = models.ForeignKey(
        "centres.Ccmr",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="requests",
        verbose_name="centre de compétences",
    )
    proposed_name = models.CharField("nom du centre de compétences", max_length=250, blank=True)
    team_lead = models.ForeignKey(
        "centres.Person",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="responsable de l'équipe",
    )
    team = models.TextField("équipe", blank=True)
    coordinator_letter_text = models.TextField("courrier du coordonnateur", blank=True)
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    submitted_at = models.DateTimeField("reçue le", auto_now_add=True)

    # Step 2: DGOS decides whether the groupe permanent's avis d'opportunité is needed.
    opinion_requested = models.BooleanField("avis d'opportunité demandé", default=False)
    gp_opinion = models.CharField("avis du groupe permanent", max_length=12, choices=Opinion.choices, blank=True)
    gp_opinion_reasons = models.TextField("motifs de l'avis", blank=True)
    gp_opinion_at = models.DateTimeField("avis rendu le", null=True, blank=True)
    transmission_letter = models.ForeignKey(
        "letters.Letter", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    # Step 3: the opinion DGOS officialises, and its letter.
    decision = models.CharField("avis officialisé", max_length=12, choices=Opinion.choices, blank=True)
    opinion_letter = models.ForeignKey(
        "letters.Letter", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    # Step 5: the ARS's CPOM amendment (its date is the effective date in the registry) and letter.
    cpom_reference = models.CharField("référence de l'avenant au CPOM", max_length=100, blank=True)
    cpom_date = models.DateField("date de l'avenant au CPOM", null=True, blank=True)
    cpom_letter = models.ForeignKey("letters.Letter", on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    registry_event = models.OneToOneField(
        "centres.RegistryEvent", on_delete=models.PROTECT, null=True, blank=True, related_name="ccmr_request"
    )

    class Meta:
        ordering = ["-submitted_at"]
        verbose_name = "demande de création ou d'abrogation de centre de compétences"
        verbose_name_plural = "demandes de création ou d'abrogation de centres de compétences"
        indexes = [
            models.Index(fields=["state", "submitted_at"]),
            models.Index(fields=["-submitted_at"], name="ccmrrequest_recent_idx"),
        ]
        constraints = [
            # One open abrogation per CCMR, even when two requests are sent at the same moment.
            models.UniqueConstraint(
                fields=["ccmr"],
                condition=models.Q(kind="abrogation")
                & models.Q(
                    state__in=[
                        "draft",
                        "submitted",
                        "awaiting_opinion",
                        "awaiting_officialisation",
                        "awaiting_documents",
                        "awaiting_cpom",
                        "awaiting_orphanet",
                    ]
                ),
                name="one_open_abrogation_per_ccmr",
            )
        ]

    def __str__(self):
        return f"{self.get_kind_display()} — {self.centre_name}"

    def get_absolute_url(self):
        return reverse("crmr_procedures:ccmr_request_detail", args=[self.pk])

    @property
    def centre_name(self) -> str:
        if self.ccmr_id and self.kind == self.Kind.ABROGATION:
            return self.ccmr.name
        return self.proposed_name

    @property
    def is_creation(self) -> bool:
        return self.kind == self.Kind.CREATION

    STEPS = (
        "Courrier du coordonnateur à la DGOS",
        "Information et avis d'opportunité du groupe permanent",
        "Courrier de la DGOS officialisant l'avis",
        "Cahier des charges et contrat adressés à l'ARS",
        "Notification par avenant au CPOM",
        "Information d'Orphanet",
    )
    _STEP_OF_STATE = {
        State.DRAFT: 1,
        State.SUBMITTED: 2,
        State.AWAITING_OPINION: 2,
        State.AWAITING_OFFICIALISATION: 3,
        State.AWAITING_DOCUMENTS: 4,
        State.AWAITING_CPOM: 5,
        State.AWAITING_ORPHANET: 6,
        State.COMPLETED: 6,
        State.CLOSED_UNFAVOURABLE: 3,
    }

    @property
    def step(self) -> int:
        return self._STEP_OF_STATE[self.state]

    @property
    def step_title(self) -> str:
        return self.STEPS[self.step - 1]

    @property
    def next_step_title(self) -> str:
        if self.state in (self.State.COMPLETED, self.State.CLOSED_UNFAVOURABLE) or self.step >= len(self.STEPS):
            return ""
        if self.step == 3 and not self.is_creation:  # Annexe 2, step 4 concerns a creation only
            return self.STEPS[4]
        return self.STEPS[self.step]

    @property
    def effective_on(self):
        """Reading of Annexe 2, step 5: the CPOM amendment's date is the date the change takes effect."""
        return self.cpom_date

    # --- conditions (their French refusal travels with them) ------------------------------------

    @condition("Le groupe permanent a rendu un avis défavorable : la DGOS ne peut officialiser qu'un avis défavorable.")
    def gp_did_not_object(self) -> bool:
        return self.gp_opinion != self.Opinion.UNFAVOURABLE

    @condition("Le groupe permanent a rendu un avis favorable : la DGOS ne peut officialiser qu'un avis favorable.")
    def gp_did_not_approve(self) -> bool:
        return self.gp_opinion != self.Opinion.FAVOURABLE

    @condition("Déposez le cahier des charges et le contrat avant de les adresser à l'ARS.")
    def documents_complete(self) -> bool:
        kinds = set(self.documents.values_list("kind", flat=True))
        return {CcmrRequestDocument.Kind.SPECIFICATIONS, CcmrRequestDocument.Kind.CONTRACT} <= kinds

    @condition("Un centre de compétences ne peut être abrogé que s'il est actif dans le registre.")
    def abrogated_centre_still_active(self) -> bool:
        if self.is_creation:
            return True
        from centres.models import Ccmr

        return Ccmr.objects.active_on(self.cpom_date_or_today()).filter(pk=self.ccmr_id).exists()

    @condition(
        "L'avenant au CPOM doit être enregistré par l'ARS avant que la DGOS n'informe Orphanet (annexe 2, étape 5)."
    )
    def cpom_recorded(self) -> bool:
        return bool(self.cpom_reference and self.cpom_date and self.registry_event_id)

    def cpom_date_or_today(self):
        from django.utils import timezone

        return self.cpom_date or timezone.localdate()

    def _after_favourable(self, **kwargs) -> str:
        return self.State.AWAITING_DOCUMENTS if self.is_creation else self.State.AWAITING_CPOM

    # --- the state machine (Annexe 2, steps 1 to 6) ----------------------------------------------

    @logged_transition(
        field=state,
        source=State.DRAFT,
        target=State.SUBMITTED,
        permission=perms.may_submit,
        custom={"label": "Adresser la demande à la DGOS", "hidden": True},
    )
    def submit(self, by=None, description=None):
        """Step 1: the coordinator's letter reaches DGOS."""

    @logged_transition(
        field=state,
        source=State.SUBMITTED,
        target=State.AWAITING_OPINION,
        permission=perms.is_dgos,
        custom={"label": "Transmettre au groupe permanent et demander son avis d'opportunité", "style": "primary"},
    )
    def transmit_for_opinion(self, by=None, description=None):
        """Step 2: passed to the groupe permanent for information, with a request for its opinion."""
        self.opinion_requested = True

    @logged_transition(
        field=state,
        source=State.SUBMITTED,
        target=State.AWAITING_OFFICIALISATION,
        permission=perms.is_dgos,
        custom={"label": "Transmettre au groupe permanent pour information seulement", "style": "secondary"},
    )
    def transmit_for_information(self, by=None, description=None):
        """Step 2: passed for information only; DGOS states the opinion itself in step 3."""
        self.opinion_requested = False

    @logged_transition(
        field=state,
        source=State.AWAITING_OPINION,
        target=State.AWAITING_OFFICIALISATION,
        permission=perms.is_gp,
        custom={"label": "Rendre un avis favorable", "style": "primary", "comment": OPINION_REASONS},
    )
    def give_favourable_opinion(self, by=None, description=None):
        self._record_gp_opinion(self.Opinion.FAVOURABLE, description)

    @logged_transition(
        field=state,
        source=State.AWAITING_OPINION,
        target=State.AWAITING_OFFICIALISATION,
        permission=perms.is_gp,
        custom={"label": "Rendre un avis défavorable", "style": "danger", "comment": OPINION_REASONS},
    )
    def give_unfavourable_opinion(self, by=None, description=None):
        self._record_gp_opinion(self.Opinion.UNFAVOURABLE, description)

    def _record_gp_opinion(self, opinion: str, reasons: str | None) -> None:
        from django.utils import timezone

        self.gp_opinion = opinion
        self.gp_opinion_reasons = reasons or ""
        self.gp_opinion_at = timezone.now()

    @logged_transition(
        field=state,
        source=State.AWAITING_OFFICIALISATION,
        target=GET_STATE(_after_favourable, states=[State.AWAITING_DOCUMENTS, State.AWAITING_CPOM]),
        permission=perms.is_dgos,
        conditions=[gp_did_not_object],
        custom={"label": "Officialiser un avis favorable", "hidden": True},
    )
    def officialise_favourable(self, by=None, description=None):
        """Step 3, favourable: creation goes on to step 4, abrogation straight to step 5."""
        self.decision = self.Opinion.FAVOURABLE

    @logged_transition(
        field=state,
        source=State.AWAITING_OFFICIALISATION,
        target=State.CLOSED_UNFAVOURABLE,
        permission=perms.is_dgos,
        conditions=[gp_did_not_approve],
        custom={"label": "Officialiser un avis défavorable", "hidden": True},
    )
    def officialise_unfavourable(self, by=None, description=None):
        """Step 3, unfavourable: the letter ends the request; the registry does not change."""
        self.decision = self.Opinion.UNFAVOURABLE

    @logged_transition(
        field=state,
        source=State.AWAITING_DOCUMENTS,
        target=State.AWAITING_CPOM,
        permission=perms.may_send_documents,
        conditions=[documents_complete],
        custom={"label": "Adresser le cahier des charges et le contrat à l'ARS", "style": "primary"},
    )
    def send_to_ars(self, by=None, description=None):
        """Step 4 (creation): the centre sends the ARS its cahier des charges and contract, no copy to DGOS."""

    @logged_transition(
        field=state,
        source=State.AWAITING_CPOM,
        target=State.AWAITING_ORPHANET,
        permission=perms.is_ars_of_centre,
        conditions=[abrogated_centre_still_active],
        custom={"label": "Notifier l'avenant au CPOM", "hidden": True},
    )
    def notify_cpom(self, by=None, description=None):
        """Step 5: the ARS notifies the establishment through a CPOM amendment, copy to DGOS."""

    @logged_transition(
        field=state,
        # Offered from the favourable officialisation on, so that DGOS is told why it must wait for the CPOM.
        source=[State.AWAITING_DOCUMENTS, State.AWAITING_CPOM, State.AWAITING_ORPHANET],
        target=State.COMPLETED,
        permission=perms.is_dgos,
        conditions=[cpom_recorded],
        custom={"label": "Enregistrer l'information d'Orphanet", "hidden": True},
    )
    def inform_orphanet(self, by=None, description=None):
        """Step 6: DGOS informs Orphanet of the change."""

    # --- who must act now (inboxes, notifications) -------------------------------------------------


class CcmrRequestDocument(UploadedDocument):
    """A PDF of the request: the coordinator's letter (step 1), the cahier des charges and contract (step 4)."""

    class Kind(models.TextChoices):
        COORDINATOR_LETTER = "coordinator_letter", "Courrier du coordonnateur à la DGOS"
        SPECIFICATIONS = "specifications", "Cahier des charges (modèle de 2007)"
        CONTRACT = "contract", "Contrat"

    # Annexe 2, step 4: "Pas de copie à la DGOS".
    ARS_ONLY_KINDS = (Kind.SPECIFICATIONS, Kind.CONTRACT)

    request = models.ForeignKey(CcmrRequest, on_delete=models.CASCADE, related_name="documents")
    kind = models.CharField("nature", max_length=20, choices=Kind.choices)

    class Meta:
        ordering = ["uploaded_at"]
        verbose_name = "pièce de la demande"

    @property
    def is_ars_only(self) -> bool:
        return self.kind in self.ARS_ONLY_KINDS
