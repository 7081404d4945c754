"""Succession in the functions of a CRMR coordinator (Instruction DGOS/PF2/2013/308, Annexe 1).

One procedure, one state machine (declared once on :class:`Succession`) covering both paths of the text:
the normal path (notice, successor proposed with a dossier, officialisation) and the special cases
(DGOS informed of a difficulty, deliberation session, call for projects through the ARS, opinion of the
groupe permanent per project, officialisation).
"""

from __future__ import annotations

import datetime

from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django_fsm import FSMField, FSMModelMixin

from core.models import ChoiceLabels, UploadedDocument
from core.rules import cite
from core.workflow import condition, logged_transition

from . import perms
from .states import AWAITING_ROLE, DOSSIER_OPEN_STATES, SPECIAL_SOURCES, State  # noqa: F401 (the model's vocabulary)

NOTICE_MONTHS = 6  # Annexe 1, first step: "anticipation de 6 mois minimum"
CV_LIMITS = {"communication": 5, "publication": 10, "work": 5}  # Annexe 1, DGOS CV template
CV_YEARS = 5  # "des 5 dernières années"


def earliest_effective_date(today: datetime.date | None = None) -> datetime.date:
    return (today or timezone.localdate()) + relativedelta(months=NOTICE_MONTHS)


# --- Conditions (each with its French refusal) ---------------------------------------------------


@condition(
    lambda s: (
        "Le préavis doit être d'au moins 6 mois : la date de cessation la plus proche acceptable est le {date}.".format(
            date=earliest_effective_date().strftime("%d/%m/%Y")
        )
        + cite("CRMR-A1-preavis-6-mois")
    )
)
def notice_is_long_enough(s) -> bool:
    return s.effective_on is not None and s.effective_on >= earliest_effective_date()


@condition("Le courrier de cessation d'activité (PDF) et la date effective de cessation doivent être enregistrés.")
def notice_recorded(s) -> bool:
    return bool(s.effective_on and s.has_document(Document.Kind.NOTICE_LETTER))


@condition(
    "La DGOS doit d'abord communiquer le courrier de cessation d'activité au vice-président santé du CoSPro, "
    "responsable du groupe permanent : le dossier de succession ne peut être déposé qu'ensuite "
    "(annexe 1, ordre des étapes)."
)
def notice_forwarded_to_vp(s) -> bool:
    """Annexe 1: "La DGOS communique ce courrier au vice président santé" comes before the proposal. Declared
    as a condition (not only by sources) so the coordinator sees why the dossier cannot be filed yet."""
    return s.state != State.NOTICE_RECEIVED


@condition(
    lambda s: "Le dossier est incomplet. Pièces manquantes : {pieces}.".format(pieces=", ".join(s.missing_pieces()))
)
def dossier_complete(s) -> bool:
    return not s.missing_pieces()


@condition("La date de la séance de délibération doit être renseignée.")
def session_date_set(s) -> bool:
    return s.session_date is not None


def session_not_held_message(s) -> str:
    if s.session_date is None:
        return "La séance de délibération du groupe permanent n'est pas fixée."
    return (
        "Le groupe permanent rend son avis en séance de délibération : la séance est fixée au {date}. "
        "Les avis et l'officialisation ne peuvent être enregistrés qu'à compter de cette date."
    ).format(date=s.session_date.strftime("%d/%m/%Y"))


@condition(session_not_held_message)
def session_held(s) -> bool:
    """Annexe 1, special cases, "Examen en séance": opinions come out of the séance, so not before its date."""
    if s.path != Succession.Path.SPECIAL:
        return True
    return s.session_date is not None and s.session_date <= timezone.localdate()


@condition("Aucune ARS n'a encore transmis de projet.")
def some_projects_transmitted(s) -> bool:
    return s.projects.filter(transmitted_at__isnull=False).exists()


@condition("Le groupe permanent doit rendre un avis sur chacun des projets transmis.")
def every_project_has_opinion(s) -> bool:
    transmitted = s.projects.filter(transmitted_at__isnull=False)
    return transmitted.exists() and not transmitted.filter(gp_opinion="").exists()


@condition(
    "En cas de transfert de la coordination, l'accord intervenu entre les établissements sur la dotation MIG "
    "(montant redéployé, éventuellement nul, et document d'accord) doit être enregistré avant l'officialisation."
)
def mig_agreement_recorded(s) -> bool:
    """Annexe 1, "Affectation de la dotation MIG" (normal path): the amount moved comes from the agreement."""
    if s.path != Succession.Path.NORMAL or not s.is_transfer:
        return True
    return s.mig_agreement_complete


@condition("Le nouveau coordonnateur n'est pas désigné (projet retenu avec avis favorable et date d'effet).")
def new_coordinator_known(s) -> bool:
    if s.path == Succession.Path.NORMAL:
        return bool(s.successor_id and s.successor_establishment_id and s.effective_on)
    project = s.chosen_project
    return bool(project and project.gp_opinion == Project.Opinion.FAVOURABLE and s.effective_on)


@condition("Le courrier d'information (PDF) et le motif du cas particulier doivent être enregistrés.")
def special_case_recorded(s) -> bool:
    return bool(s.special_reason and s.has_document(Document.Kind.INFORMING_LETTER))


class Succession(ChoiceLabels, FSMModelMixin, models.Model):
    """A succession procedure for one CRMR (Annexe 1)."""

    class Path(models.TextChoices):
        NORMAL = "normal", "Procédure normale"
        SPECIAL = "special", "Cas particulier"

    class Case(models.TextChoices):
        SAME_ESTABLISHMENT = "same", "Successeur dans le même établissement (CRMR uni-site)"
        TRANSFER = "transfer", "Successeur dans un autre établissement abritant un site du CRMR (multi-sites)"

    class SpecialReason(models.TextChoices):
        NO_SUCCESSOR = "no_successor", "Absence de proposition de successeur"
        DISAGREEMENT = "disagreement", "Désaccord entre le coordonnateur et le directoire sur le successeur"
        TRANSFER_REFUSED = "transfer_refused", "Refus du transfert de la coordination par le directoire"
        OTHER = "other", "Autre"

    class InformedBy(models.TextChoices):
        COORDINATOR = "coordinator", "Le coordonnateur du CRMR"
        DIRECTOR = "director", "Le président du directoire de l'établissement"

    crmr = models.ForeignKey("centres.Crmr", on_delete=models.PROTECT, related_name="successions", verbose_name="CRMR")
    state = FSMField("état", default=State.DRAFT, choices=State.choices, protected=True)
    path = models.CharField("voie", max_length=10, choices=Path.choices, default=Path.NORMAL)
    former_coordinator = models.ForeignKey(
        "centres.Person", on_delete=models.PROTECT, null=True, related_name="+", verbose_name="coordonnateur sortant"
    )
    former_establishment = models.ForeignKey(
        "centres.Establishment", on_delete=models.PROTECT, related_name="+", verbose_name="établissement actuel"
    )
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    # Notice (Annexe 1, first step).
    effective_on = models.DateField("date effective de cessation d'activité", null=True, blank=True)
    # The notice's addressee is fixed by the text (président du directoire of the coordinator's CHU, copies
    # to the CoSPro president and DGOS): the director's name is read from the registry and kept as sent.
    notice_director_name = models.CharField(
        "président(e) du directoire destinataire du préavis", max_length=200, blank=True, editable=False
    )
    notice_sent_on = models.DateField("préavis envoyé le", null=True, blank=True, editable=False)
    legacy_notice_addressees = models.TextField(
        "destinataires saisis librement (ancienne saisie, conservée pour mémoire)", blank=True, editable=False
    )
    # Kept for the record of notices accepted before the waiver was removed (no such step any more).
    short_notice_justification = models.TextField(
        "justification du préavis court (ancienne dérogation DGOS)", blank=True, editable=False
    )
    notice_forwarded_on = models.DateField("préavis communiqué au vice-président santé le", null=True, blank=True)

    # Successor proposed (normal path).
    case = models.CharField("cas", max_length=10, choices=Case.choices, blank=True)
    successor = models.ForeignKey(
        "centres.Person",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="successeur",
    )
    successor_establishment = models.ForeignKey(
        "centres.Establishment",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="établissement du successeur",
    )
    vp_informed_on = models.DateField("vice-président santé informé le", null=True, blank=True)
    # Transfer (normal path): the coordination MIG moves "le cas échéant … sur la base de l'accord intervenu
    # entre eux" (Annexe 1, MIG step): the amount the two establishments agreed on (all, part or none).
    mig_agreed_amount = models.DecimalField(
        "montant de la MIG de coordination redéployé selon l'accord (€)",
        max_digits=12,
        decimal_places=2,
        null=True,
        blank=True,
    )
    mig_agreement_recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    mig_agreement_recorded_at = models.DateTimeField(null=True, blank=True)

    # Special cases.
    special_reason = models.CharField(
        "motif du cas particulier", max_length=20, choices=SpecialReason.choices, blank=True
    )
    informed_by = models.CharField("courrier reçu de", max_length=12, choices=InformedBy.choices, blank=True)
    session_date = models.DateField("date de la séance de délibération", null=True, blank=True)
    # "la MIG initiale du CRMR, au moment de l'appel à projet, est débasée": its amount when the call opens.
    mig_at_call = models.DecimalField(
        "MIG initiale au moment de l'appel à projets (€)", max_digits=12, decimal_places=2, null=True, blank=True
    )
    chosen_project = models.ForeignKey(
        "Project", on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name="projet retenu"
    )

    # Outcome.
    letter = models.ForeignKey(
        "letters.Letter",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="courrier",
    )
    orphanet_notice = models.ForeignKey(
        "centres.OrphanetNotice", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["effective_on", "-created_at"]
        verbose_name = "succession de coordonnateur"
        verbose_name_plural = "successions de coordonnateur"
        indexes = [
            models.Index(fields=["state", "effective_on"]),
            # inboxes walk these in order (DGOS and ARS: notice deadline; groupe permanent: session;
            # coordinator: newest first) instead of sorting every succession of the country
            # (PostgreSQL keeps NULLs last in an ascending index: the ORDER BY … NULLS LAST of the inboxes)
            models.Index(fields=["effective_on", "-created_at"], name="succession_deadline_idx"),
            models.Index(fields=["session_date", "effective_on"], name="succession_session_idx"),
            models.Index(fields=["crmr", "-created_at"], name="succession_crmr_recent_idx"),
        ]

    def __str__(self):
        return f"Succession — {self.crmr}"

    def get_absolute_url(self):
        return reverse("crmr_procedures:succession_detail", args=[self.pk])

    # --- Facts the rules read -------------------------------------------------------------------

    def has_document(self, kind: str) -> bool:
        return any(d.kind == kind for d in self.documents.all())

    @property
    def is_transfer(self) -> bool:
        return self.case == self.Case.TRANSFER

    def required_pieces(self) -> list[str]:
        """Annexe 1, normal path, dossier sent to DGOS: the pieces, by case."""
        kinds = [Document.Kind.PROPOSAL_LETTER, Document.Kind.MOTIVATION_LETTER]
        if self.case == self.Case.SAME_ESTABLISHMENT:
            kinds.append(Document.Kind.DIRECTOR_OPINION)
        elif self.case == self.Case.TRANSFER:
            kinds += [Document.Kind.TRANSFER_AGREEMENT, Document.Kind.RECEIVING_AGREEMENT]
        return kinds

    def missing_pieces(self) -> list[str]:
        missing = []
        if not self.case:
            missing.append("cas de succession (même établissement ou transfert)")
        if not self.successor_id:
            missing.append("identité du successeur")
        if not self.successor_establishment_id:
            missing.append("établissement du successeur")
        for kind in self.required_pieces():
            if not self.has_document(kind):
                missing.append(str(Document.Kind(kind).label))
        if not hasattr(self, "cv"):
            missing.append("curriculum vitae du successeur (modèle DGOS)")
        if self.is_transfer and (self.mig_agreed_amount is None or not self.has_document(Document.Kind.MIG_AGREEMENT)):
            missing.append("accord des établissements sur la dotation MIG de coordination (montant et document)")
        return missing

    @property
    def mig_agreement_complete(self) -> bool:
        return self.mig_agreed_amount is not None and self.has_document(Document.Kind.MIG_AGREEMENT)

    @property
    def notice_addressee(self) -> str:
        """Annexe 1, first step: "une lettre au président du directoire du CHU" (the coordinator's
        establishment), named from the registry (as sent once the notice has left)."""
        from core import typography

        establishment = self.former_establishment
        name = self.notice_director_name or establishment.director_name
        civility = establishment.director_civility if name == establishment.director_name else ""
        if name and civility:  # the title agrees with the civility (issue 13, item 5), never "président(e)"
            function = typography.agree("président du directoire", civility)
            return f"{name}, {function} — {establishment}"
        if name:
            return f"{name}, présidence du directoire — {establishment}"
        return f"Présidence du directoire — {establishment}"

    @staticmethod
    def notice_copies() -> list[str]:
        """Annexe 1, first step: "avec copie au président du comité de suivi et de prospective (CoSPro) du
        PNMR 2011-2014, à la Direction générale de l'offre de soins (DGOS)"."""
        return [
            "Présidence du comité de suivi et de prospective (CoSPro) du PNMR 2011-2014",
            "Direction générale de l'offre de soins (DGOS) — bureau PF2",
        ]

    def current_mig_amount(self):
        """The coordination MIG the former establishment holds now (open allocations, else the CRMR's)."""
        from decimal import Decimal

        from django.utils import timezone

        from centres.services import mig_amount_on

        total = mig_amount_on(self.crmr, self.former_establishment, timezone.localdate())
        return total or self.crmr.mig_amount or Decimal("0")

    @property
    def agreed_mig_amount(self):
        """The MIG amount moved to the new establishment on a transfer, or None when nothing is to move:
        normal path, the amount of the establishments' agreement (Annexe 1, MIG step, "sur la base de
        l'accord intervenu entre eux"); special cases, the chosen project's amount (the initial MIG is
        "débasée puis affectée au nouveau CRMR en fonction du projet établi")."""
        new_est = self.new_establishment
        if new_est is None or new_est.pk == self.former_establishment_id:
            return None
        if self.path == self.Path.SPECIAL:
            return self.chosen_project.mig_amount if self.chosen_project_id else None
        return self.mig_agreed_amount

    @property
    def new_coordinator(self):
        if self.path == self.Path.NORMAL:
            return self.successor
        return self.chosen_project.candidate if self.chosen_project_id else None

    @property
    def new_establishment(self):
        if self.path == self.Path.NORMAL:
            return self.successor_establishment
        return self.chosen_project.establishment if self.chosen_project_id else None

    # --- The state machine (Annexe 1) -----------------------------------------------------------

    @logged_transition(
        field=state,
        source=State.DRAFT,
        target=State.NOTICE_RECEIVED,
        permission=perms.may_act_as_coordinator,
        conditions=[notice_recorded, notice_is_long_enough],
        custom={"label": "Envoyer le préavis à la DGOS", "style": "primary"},
    )
    def send_notice(self, by=None, description=None):
        """Annexe 1, first step: the coordinator writes to the président du directoire of the CHU, copies to the
        CoSPro president and DGOS, "anticipation de 6 mois minimum" (no waiver: a sudden departure is a
        special case, "Autres"). The addressee's name is taken from the registry and kept as sent."""
        self.notice_director_name = self.former_establishment.director_name
        self.notice_sent_on = timezone.localdate()

    @logged_transition(
        field=state,
        source=State.NOTICE_RECEIVED,
        target=State.NOTICE_FORWARDED,
        permission=perms.may_act_as_dgos,
        custom={"label": "Communiquer le préavis au vice-président santé du CoSPro", "style": "primary"},
    )
    def forward_notice(self, by=None, description=None):
        """Annexe 1, first step: DGOS passes the letter to the vice-président santé (groupe permanent)."""
        self.notice_forwarded_on = timezone.localdate()

    @logged_transition(
        field=state,
        source=list(DOSSIER_OPEN_STATES),
        target=State.DOSSIER_SUBMITTED,
        permission=perms.may_act_as_coordinator,
        conditions=[notice_forwarded_to_vp, dossier_complete],
        custom={"label": "Déposer le dossier de succession", "style": "primary"},
    )
    def submit_dossier(self, by=None, description=None):
        """Annexe 1, proposal of a successor: the dossier sent to DGOS."""

    @logged_transition(
        field=state,
        source=State.DOSSIER_SUBMITTED,
        target=State.DOSSIER_RETURNED,
        permission=perms.may_act_as_dgos,
        custom={
            "label": "Renvoyer le dossier au coordonnateur",
            "style": "secondary",
            "comment": "Indiquez le message au coordonnateur.",
        },
    )
    def return_dossier(self, by=None, description=None):
        pass

    @logged_transition(
        field=state,
        source=State.DOSSIER_SUBMITTED,
        target=State.DOSSIER_COMPLETE,
        permission=perms.may_act_as_dgos,
        conditions=[dossier_complete],
        custom={"label": "Constater la complétude du dossier", "style": "primary"},
    )
    def check_complete(self, by=None, description=None):
        pass

    @logged_transition(
        field=state,
        source=State.DOSSIER_COMPLETE,
        target=State.FORWARDED_TO_GP,
        permission=perms.may_act_as_dgos,
        custom={"label": "Transmettre au groupe permanent (informer le vice-président santé)", "style": "primary"},
    )
    def forward_to_gp(self, by=None, description=None):
        """Annexe 1, "Information du groupe permanent"."""
        self.vp_informed_on = timezone.localdate()

    @logged_transition(
        field=state,
        source=State.FORWARDED_TO_GP,
        target=State.OPINION_FAVOURABLE,
        permission=perms.may_act_as_dgos,
        custom={"label": "Enregistrer l'avis favorable", "style": "primary"},
    )
    def record_favourable_opinion(self, by=None, description=None):
        pass

    @logged_transition(
        field=state,
        source=list(SPECIAL_SOURCES),
        target=State.SPECIAL_INFORMED,
        permission=perms.may_declare_special_case,
        conditions=[special_case_recorded],
        custom={"label": "Enregistrer un cas particulier", "style": "danger", "hidden": True},
    )
    def declare_special_case(self, by=None, description=None):
        """Annexe 1, special cases, step 1: DGOS is informed of the difficulty by letter."""
        self.path = self.Path.SPECIAL

    @logged_transition(
        field=state,
        source=State.SPECIAL_INFORMED,
        target=State.SPECIAL_FORWARDED,
        permission=perms.may_act_as_dgos,
        custom={"label": "Transmettre le courrier au groupe permanent", "style": "primary"},
    )
    def forward_special_to_gp(self, by=None, description=None):
        """Annexe 1, special cases, step 2."""
        self.vp_informed_on = timezone.localdate()

    @logged_transition(
        field=state,
        source=State.SPECIAL_FORWARDED,
        target=State.SESSION_SET,
        permission=perms.may_act_as_gp,
        conditions=[session_date_set],
        custom={"label": "Fixer la séance de délibération", "style": "primary", "hidden": True},
    )
    def set_session(self, by=None, description=None):
        """Annexe 1, special cases, step 2: the groupe permanent organises a deliberation session."""

    @logged_transition(
        field=state,
        source=State.SESSION_SET,
        target=State.CALL_OPEN,
        permission=perms.may_act_as_dgos,
        custom={"label": "Lancer l'appel à projets auprès des ARS", "style": "primary"},
    )
    def launch_call(self, by=None, description=None):
        """Annexe 1, special cases, step 3 (the concerned regions are recorded by the service). The initial MIG
        is noted as it stands now: "la MIG initiale du CRMR, au moment de l'appel à projet, est débasée"."""
        self.mig_at_call = self.current_mig_amount()

    @logged_transition(
        field=state,
        source=State.CALL_OPEN,
        target=State.CALL_OPEN,
        permission=perms.may_act_as_concerned_ars,
        custom={"label": "Transmettre les projets de la région à la DGOS", "style": "primary", "hidden": True},
    )
    def transmit_projects(self, by=None, description=None):
        """Annexe 1, special cases, step 4: one ARS sends its region's projects (ranked) to DGOS."""

    @logged_transition(
        field=state,
        source=State.CALL_OPEN,
        target=State.PROJECTS_RECEIVED,
        permission=perms.may_act_as_dgos,
        conditions=[some_projects_transmitted],
        custom={"label": "Clore l'appel à projets et saisir le groupe permanent", "style": "primary"},
    )
    def close_call(self, by=None, description=None):
        pass

    @logged_transition(
        field=state,
        source=State.PROJECTS_RECEIVED,
        target=State.GP_OPINION_GIVEN,
        permission=perms.may_act_as_gp,
        conditions=[session_held, every_project_has_opinion],
        custom={"label": "Transmettre l'avis du groupe permanent à la DGOS", "style": "primary"},
    )
    def give_gp_opinion(self, by=None, description=None):
        """Annexe 1, special cases, step 5: examination in session, opinion per project."""

    @logged_transition(
        field=state,
        source=[State.OPINION_FAVOURABLE, State.GP_OPINION_GIVEN],
        target=State.OFFICIALISED,
        permission=perms.may_act_as_dgos,
        conditions=[session_held, new_coordinator_known, mig_agreement_recorded],
        custom={"label": "Officialiser le nouveau coordonnateur", "style": "primary", "hidden": True},
    )
    def officialise(self, by=None, description=None):
        """Annexe 1, "Officialisation du nouveau coordonnateur" (both paths); side effects in services."""


class Document(UploadedDocument):
    """A signed letter of the dossier (PDF)."""

    class Kind(models.TextChoices):
        NOTICE_LETTER = "notice", "Courrier de cessation d'activité"
        PROPOSAL_LETTER = "proposal", "Lettre proposant le successeur avec engagement sur ses compétences"
        MOTIVATION_LETTER = "motivation", "Lettre de motivation signée du successeur"
        DIRECTOR_OPINION = "director_opinion", "Avis favorable du président du directoire sur le successeur"
        TRANSFER_AGREEMENT = (
            "transfer_agreement",
            "Avis favorable du président du directoire de l'établissement actuel au transfert de la coordination",
        )
        RECEIVING_AGREEMENT = (
            "receiving_agreement",
            "Avis favorable du président du directoire de l'établissement d'accueil (coordination et successeur)",
        )
        INFORMING_LETTER = "informing", "Courrier informant la DGOS de la difficulté de succession"
        MIG_AGREEMENT = (
            "mig_agreement",
            "Accord entre les établissements sur le redéploiement de la dotation MIG de coordination",
        )

    succession = models.ForeignKey(Succession, on_delete=models.CASCADE, related_name="documents")
    kind = models.CharField("pièce", max_length=20, choices=Kind.choices)

    class Meta:
        ordering = ["succession", "kind", "-uploaded_at"]
        verbose_name = "pièce du dossier de succession"


class SuccessorCv(models.Model):
    """The successor's CV on the DGOS template (Annexe 1, footnote 1: "un modèle type de CV")."""

    succession = models.OneToOneField(Succession, on_delete=models.CASCADE, related_name="cv")
    centre_name = models.CharField("nom du centre de référence", max_length=250)
    establishment_name = models.CharField("établissement de santé", max_length=250)
    last_name = models.CharField("nom", max_length=100)
    first_name = models.CharField("prénom", max_length=100)
    address = models.CharField("adresse", max_length=300)
    phone = models.CharField("téléphone", max_length=30)
    email = models.EmailField("adresse électronique")
    specialty_and_titles = models.TextField("spécialité médicale et titres hospitalo-universitaires")
    experience = models.TextField("expérience professionnelle")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "curriculum vitae du successeur"


class CvEntry(ChoiceLabels, models.Model):
    class Kind(models.TextChoices):
        COMMUNICATION = "communication", "Communication écrite/orale"
        PUBLICATION = "publication", "Publication (article ou livre)"
        WORK = "work", "Travaux / recherche"

    cv = models.ForeignKey(SuccessorCv, on_delete=models.CASCADE, related_name="entries")
    kind = models.CharField("rubrique", max_length=15, choices=Kind.choices)
    year = models.PositiveSmallIntegerField("année")
    title = models.CharField("intitulé", max_length=500)

    class Meta:
        ordering = ["kind", "-year", "pk"]
        verbose_name = "entrée du CV"


class RegionalCall(models.Model):
    """The call for projects as one concerned ARS sees it (Annexe 1, special cases, step 3)."""

    succession = models.ForeignKey(Succession, on_delete=models.CASCADE, related_name="regional_calls")
    region = models.ForeignKey("centres.Region", on_delete=models.PROTECT, related_name="+")
    reason = models.CharField("motif", max_length=200)
    transmitted_at = models.DateTimeField("projets transmis le", null=True, blank=True)
    transmitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+")

    class Meta:
        ordering = ["region__name"]
        constraints = [models.UniqueConstraint(fields=["succession", "region"], name="one_call_per_region")]
        verbose_name = "appel à projets régional"


class Project(UploadedDocument):
    """A project for the coordination, collected by the ARS of its region (the upload is the project)."""

    class Opinion(models.TextChoices):
        FAVOURABLE = "favourable", "Favorable"
        UNFAVOURABLE = "unfavourable", "Défavorable"

    succession = models.ForeignKey(Succession, on_delete=models.CASCADE, related_name="projects")
    region = models.ForeignKey("centres.Region", on_delete=models.PROTECT, related_name="+")
    candidate = models.ForeignKey("centres.Person", on_delete=models.PROTECT, related_name="+", verbose_name="candidat")
    establishment = models.ForeignKey(
        "centres.Establishment", on_delete=models.PROTECT, related_name="+", verbose_name="établissement"
    )
    mig_amount = models.DecimalField("dotation MIG demandée (€)", max_digits=12, decimal_places=2)
    rank = models.PositiveSmallIntegerField("rang dans la région", null=True, blank=True)
    transmitted_at = models.DateTimeField("transmis le", null=True, blank=True)
    gp_opinion = models.CharField("avis du groupe permanent", max_length=12, choices=Opinion.choices, blank=True)
    gp_reasons = models.TextField("motifs de l'avis", blank=True)
    gp_opinion_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+")
    gp_opinion_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["region__name", "rank", "pk"]
        verbose_name = "projet de coordination"

    def __str__(self):
        return f"{self.candidate} — {self.establishment}"
