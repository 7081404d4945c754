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
from django.utils.translation import gettext_lazy as _
from django_fsm import FSMField, FSMModelMixin

from core.models import ChoiceLabels, UploadedDocument
from core.rules import cite
from core.workflow import condition, logged_transition

NOTICE_MONTHS = 6  # Annexe 1, first step: "anticipation de 6 mois minimum"
CV_LIMITS = {"communication": 5, "publication": 10, "work": 5}  # Annexe 1, DGOS CV template
CV_YEARS = 5  # "des 5 dernières années"


def earliest_effective_date(today: datetime.date | None = None) -> datetime.date:
    return (today or timezone.localdate()) + relativedelta(months=NOTICE_MONTHS)


class State(models.TextChoices):
    DRAFT = "draft", _("Préavis en préparation")
    NOTICE_RECEIVED = "notice_received", _("Préavis reçu par la DGOS")
    NOTICE_FORWARDED = "notice_forwarded", _("Préavis communiqué au vice-président santé")
    DOSSIER_SUBMITTED = "dossier_submitted", _("Dossier de succession déposé")
    DOSSIER_RETURNED = "dossier_returned", _("Dossier renvoyé au coordonnateur")
    DOSSIER_COMPLETE = "dossier_complete", _("Dossier complet")
    FORWARDED_TO_GP = "forwarded_to_gp", _("Transmis au groupe permanent")
    OPINION_FAVOURABLE = "opinion_favourable", _("Avis favorable enregistré")
    SPECIAL_INFORMED = "special_informed", _("Cas particulier : DGOS informée")
    SPECIAL_FORWARDED = "special_forwarded", _("Cas particulier transmis au groupe permanent")
    SESSION_SET = "session_set", _("Séance de délibération fixée")
    CALL_OPEN = "call_open", _("Appel à projets en cours (ARS)")
    PROJECTS_RECEIVED = "projects_received", _("Projets en examen par le groupe permanent")
    GP_OPINION_GIVEN = "gp_opinion_given", _("Avis du groupe permanent rendu")
    OFFICIALISED = "officialised", _("Nouveau coordonnateur officialisé")


# States where the coordinator still prepares the successor's dossier (normal path).
DOSSIER_OPEN_STATES = (State.NOTICE_RECEIVED, State.NOTICE_FORWARDED, State.DOSSIER_RETURNED)
# States from which DGOS may turn a succession into a special case (Annexe 1, "Cas particuliers").
SPECIAL_SOURCES = (
    State.DRAFT,
    State.NOTICE_RECEIVED,
    State.NOTICE_FORWARDED,
    State.DOSSIER_SUBMITTED,
    State.DOSSIER_RETURNED,
    State.DOSSIER_COMPLETE,
    State.FORWARDED_TO_GP,
)
# State -> role that must act (inboxes, notifications).
AWAITING_ROLE = {
    State.DRAFT: "coordinator",
    State.NOTICE_RECEIVED: "dgos",
    State.NOTICE_FORWARDED: "coordinator",
    State.DOSSIER_SUBMITTED: "dgos",
    State.DOSSIER_RETURNED: "coordinator",
    State.DOSSIER_COMPLETE: "dgos",
    State.FORWARDED_TO_GP: "dgos",
    State.OPINION_FAVOURABLE: "dgos",
    State.SPECIAL_INFORMED: "dgos",
    State.SPECIAL_FORWARDED: "gp",
    State.SESSION_SET: "dgos",
    State.CALL_OPEN: "ars",
    State.PROJECTS_RECEIVED: "gp",
    State.GP_OPINION_GIVEN: "dgos",
}


# --- Transition permissions (callables of (instance, user); the scope rules live in perms.py) -----


def _is_coordinator(instance, user) -> bool:
    from . import perms

    return perms.is_crmr_coordinator(user, instance.crmr)


def _is_dgos(instance, user) -> bool:
    return user.is_authenticated and user.is_dgos


def _is_gp(instance, user) -> bool:
    return user.is_authenticated and user.is_gp


def _may_declare_special_case(instance, user) -> bool:
    """Annexe 1, special cases, step 1: "la DGOS est informée de la difficulté de succession par un courrier
    du coordonnateur ou du président du directoire": DGOS records a letter it received, or the coordinator
    sends his or hers through the platform."""
    return _is_dgos(instance, user) or _is_coordinator(instance, user)


def _is_concerned_ars(instance, user) -> bool:
    return (
        user.is_authenticated
        and user.is_ars
        and instance.regional_calls.filter(region_id=user.region_id, transmitted_at__isnull=True).exists()
    )


# --- Conditions (each with its French refusal) ---------------------------------------------------


@condition(
    lambda s: (
        _("Le préavis doit être d'au moins 6 mois : la date de cessation la plus proche acceptable est le %(date)s.")
        % {"date": earliest_effective_date().strftime("%d/%m/%Y")}
        + cite("CRMR-A1-preavis-6-mois")
    )
)
def notice_is_long_enough(s) -> bool:
    return s.effective_on is not None and s.effective_on >= earliest_effective_date()


@condition(_("Le courrier de cessation d'activité (PDF) et la date effective de cessation doivent être enregistrés."))
def notice_recorded(s) -> bool:
    return bool(s.effective_on and s.has_document(Document.Kind.NOTICE_LETTER))


@condition(
    _(
        "La DGOS doit d'abord communiquer le courrier de cessation d'activité au vice-président santé du CoSPro, "
        "responsable du groupe permanent : le dossier de succession ne peut être déposé qu'ensuite "
        "(annexe 1, ordre des étapes)."
    )
)
def notice_forwarded_to_vp(s) -> bool:
    """Annexe 1: "La DGOS communique ce courrier au vice président santé" comes before the proposal. Declared
    as a condition (not only by sources) so the coordinator sees why the dossier cannot be filed yet."""
    return s.state != State.NOTICE_RECEIVED


@condition(
    lambda s: _("Le dossier est incomplet. Pièces manquantes : %(pieces)s.") % {"pieces": ", ".join(s.missing_pieces())}
)
def dossier_complete(s) -> bool:
    return not s.missing_pieces()


@condition(_("La date de la séance de délibération doit être renseignée."))
def session_date_set(s) -> bool:
    return s.session_date is not None


def session_not_held_message(s) -> str:
    if s.session_date is None:
        return _("La séance de délibération du groupe permanent n'est pas fixée.")
    return _(
        "Le groupe permanent rend son avis en séance de délibération : la séance est fixée au %(date)s. "
        "Les avis et l'officialisation ne peuvent être enregistrés qu'à compter de cette date."
    ) % {"date": s.session_date.strftime("%d/%m/%Y")}


@condition(session_not_held_message)
def session_held(s) -> bool:
    """Annexe 1, special cases, "Examen en séance": opinions come out of the séance, so not before its date."""
    if s.path != Succession.Path.SPECIAL:
        return True
    return s.session_date is not None and s.session_date <= timezone.localdate()


@condition(_("Aucune ARS n'a encore transmis de projet."))
def some_projects_transmitted(s) -> bool:
    return s.projects.filter(transmitted_at__isnull=False).exists()


@condition(_("Le groupe permanent doit rendre un avis sur chacun des projets transmis."))
def every_project_has_opinion(s) -> bool:
    transmitted = s.projects.filter(transmitted_at__isnull=False)
    return transmitted.exists() and not transmitted.filter(gp_opinion="").exists()


@condition(
    _(
        "En cas de transfert de la coordination, l'accord intervenu entre les établissements sur la dotation MIG "
        "(montant redéployé, éventuellement nul, et document d'accord) doit être enregistré avant l'officialisation."
    )
)
def mig_agreement_recorded(s) -> bool:
    """Annexe 1, "Affectation de la dotation MIG" (normal path): the amount moved comes from the agreement."""
    if s.path != Succession.Path.NORMAL or not s.is_transfer:
        return True
    return s.mig_agreement_complete


@condition(_("Le nouveau coordonnateur n'est pas désigné (projet retenu avec avis favorable et date d'effet)."))
def new_coordinator_known(s) -> bool:
    if s.path == Succession.Path.NORMAL:
        return bool(s.successor_id and s.successor_establishment_id and s.effective_on)
    project = s.chosen_project
    return bool(project and project.gp_opinion == Project.Opinion.FAVOURABLE and s.effective_on)


@condition(_("Le courrier d'information (PDF) et le motif du cas particulier doivent être enregistrés."))
def special_case_recorded(s) -> bool:
    return bool(s.special_reason and s.has_document(Document.Kind.INFORMING_LETTER))


class Succession(ChoiceLabels, FSMModelMixin, models.Model):
    """A succession procedure for one CRMR (Annexe 1)."""

    class Path(models.TextChoices):
        NORMAL = "normal", _("Procédure normale")
        SPECIAL = "special", _("Cas particulier")

    class Case(models.TextChoices):
        SAME_ESTABLISHMENT = "same", _("Successeur dans le même établissement (CRMR uni-site)")
        TRANSFER = "transfer", _("Successeur dans un autre établissement abritant un site du CRMR (multi-sites)")

    class SpecialReason(models.TextChoices):
        NO_SUCCESSOR = "no_successor", _("Absence de proposition de successeur")
        DISAGREEMENT = "disagreement", _("Désaccord entre le coordonnateur et le directoire sur le successeur")
        TRANSFER_REFUSED = "transfer_refused", _("Refus du transfert de la coordination par le directoire")
        OTHER = "other", _("Autre")

    class InformedBy(models.TextChoices):
        COORDINATOR = "coordinator", _("Le coordonnateur du CRMR")
        DIRECTOR = "director", _("Le président du directoire de l'établissement")

    crmr = models.ForeignKey(
        "centres.Crmr", on_delete=models.PROTECT, related_name="successions", verbose_name=_("CRMR")
    )
    state = FSMField(_("état"), default=State.DRAFT, choices=State.choices, protected=True)
    path = models.CharField(_("voie"), max_length=10, choices=Path.choices, default=Path.NORMAL)
    former_coordinator = models.ForeignKey(
        "centres.Person", on_delete=models.PROTECT, null=True, related_name="+", verbose_name=_("coordonnateur sortant")
    )
    former_establishment = models.ForeignKey(
        "centres.Establishment", on_delete=models.PROTECT, related_name="+", verbose_name=_("établissement actuel")
    )
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    # Notice (Annexe 1, first step).
    effective_on = models.DateField(_("date effective de cessation d'activité"), null=True, blank=True)
    # The notice's addressee is fixed by the text (président du directoire of the coordinator's CHU, copies
    # to the CoSPro president and DGOS): the director's name is read from the registry and kept as sent.
    notice_director_name = models.CharField(
        _("président(e) du directoire destinataire du préavis"), max_length=200, blank=True, editable=False
    )
    notice_sent_on = models.DateField(_("préavis envoyé le"), null=True, blank=True, editable=False)
    legacy_notice_addressees = models.TextField(
        _("destinataires saisis librement (ancienne saisie, conservée pour mémoire)"), blank=True, editable=False
    )
    # Kept for the record of notices accepted before the waiver was removed (no such step any more).
    short_notice_justification = models.TextField(
        _("justification du préavis court (ancienne dérogation DGOS)"), blank=True, editable=False
    )
    notice_forwarded_on = models.DateField(_("préavis communiqué au vice-président santé le"), null=True, blank=True)

    # Successor proposed (normal path).
    case = models.CharField(_("cas"), max_length=10, choices=Case.choices, blank=True)
    successor = models.ForeignKey(
        "centres.Person",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("successeur"),
    )
    successor_establishment = models.ForeignKey(
        "centres.Establishment",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("établissement du successeur"),
    )
    vp_informed_on = models.DateField(_("vice-président santé informé le"), null=True, blank=True)
    # Transfer (normal path): the coordination MIG moves "le cas échéant … sur la base de l'accord intervenu
    # entre eux" (Annexe 1, MIG step): the amount the two establishments agreed on (all, part or none).
    mig_agreed_amount = models.DecimalField(
        _("montant de la MIG de coordination redéployé selon l'accord (€)"),
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
        _("motif du cas particulier"), max_length=20, choices=SpecialReason.choices, blank=True
    )
    informed_by = models.CharField(_("courrier reçu de"), max_length=12, choices=InformedBy.choices, blank=True)
    session_date = models.DateField(_("date de la séance de délibération"), null=True, blank=True)
    # "la MIG initiale du CRMR, au moment de l'appel à projet, est débasée": its amount when the call opens.
    mig_at_call = models.DecimalField(
        _("MIG initiale au moment de l'appel à projets (€)"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    chosen_project = models.ForeignKey(
        "Project", on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("projet retenu")
    )

    # Outcome.
    letter = models.ForeignKey(
        "letters.Letter",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("courrier"),
    )
    orphanet_notice = models.ForeignKey(
        "centres.OrphanetNotice", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["effective_on", "-created_at"]
        verbose_name = _("succession de coordonnateur")
        verbose_name_plural = _("successions de coordonnateur")
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
        return _("Succession — %(crmr)s") % {"crmr": self.crmr}

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
            missing.append(str(_("cas de succession (même établissement ou transfert)")))
        if not self.successor_id:
            missing.append(str(_("identité du successeur")))
        if not self.successor_establishment_id:
            missing.append(str(_("établissement du successeur")))
        for kind in self.required_pieces():
            if not self.has_document(kind):
                missing.append(str(Document.Kind(kind).label))
        if not hasattr(self, "cv"):
            missing.append(str(_("curriculum vitae du successeur (modèle DGOS)")))
        if self.is_transfer and (self.mig_agreed_amount is None or not self.has_document(Document.Kind.MIG_AGREEMENT)):
            missing.append(
                str(_("accord des établissements sur la dotation MIG de coordination (montant et document)"))
            )
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
            return _("%(name)s, %(function)s — %(est)s") % {"name": name, "function": function, "est": establishment}
        if name:
            return _("%(name)s, présidence du directoire — %(est)s") % {"name": name, "est": establishment}
        return _("Présidence du directoire — %(est)s") % {"est": establishment}

    @staticmethod
    def notice_copies() -> list[str]:
        """Annexe 1, first step: "avec copie au président du comité de suivi et de prospective (CoSPro) du
        PNMR 2011-2014, à la Direction générale de l'offre de soins (DGOS)"."""
        return [
            str(_("Présidence du comité de suivi et de prospective (CoSPro) du PNMR 2011-2014")),
            str(_("Direction générale de l'offre de soins (DGOS) — bureau PF2")),
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

    def awaiting(self) -> list:
        """The accounts that must act now (inboxes, notifications)."""
        from accounts.models import Role, User

        from .perms import crmr_coordinator_accounts

        role = AWAITING_ROLE.get(self.state)
        if role == "coordinator":
            return list(crmr_coordinator_accounts(self.crmr))
        if role == "ars":
            regions = self.regional_calls.filter(transmitted_at__isnull=True).values("region")
            return list(User.objects.filter(role=Role.ARS, region__in=regions, is_active=True))
        if role in ("dgos", "gp"):
            return list(User.objects.filter(role=role, is_active=True))
        return []

    @classmethod
    def awaiting_bulk(cls, successions, directory):
        """``awaiting()`` of many successions at once: (succession, account pks), from ``accounts.directory``
        and one read of the calls for projects still open."""
        from accounts.models import Role

        def open_calls() -> dict:
            regions = {}
            for succession_id, region_id in RegionalCall.objects.filter(transmitted_at__isnull=True).values_list(
                "succession_id", "region_id"
            ):
                regions.setdefault(succession_id, []).append(region_id)
            return regions

        # only what this, ``__str__`` and the alerts read (a deferred field would cost a query per succession)
        successions = successions.select_related("crmr").only("state", "effective_on", "crmr__name")
        for succession in successions.filter(state__in=list(AWAITING_ROLE)):
            role = AWAITING_ROLE[succession.state]
            if role == "coordinator":
                yield succession, directory.crmr_coordinators(succession.crmr_id)
            elif role == "ars":
                calls = directory.cached("succession_open_calls", open_calls).get(succession.pk, ())
                yield succession, [pk for region_id in calls for pk in directory.in_region(Role.ARS, region_id)]
            else:
                yield succession, directory.with_role(role)

    # --- The state machine (Annexe 1) -----------------------------------------------------------

    @logged_transition(
        field=state,
        source=State.DRAFT,
        target=State.NOTICE_RECEIVED,
        permission=_is_coordinator,
        conditions=[notice_recorded, notice_is_long_enough],
        custom={"label": _("Envoyer le préavis à la DGOS"), "style": "primary"},
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
        permission=_is_dgos,
        custom={"label": _("Communiquer le préavis au vice-président santé du CoSPro"), "style": "primary"},
    )
    def forward_notice(self, by=None, description=None):
        """Annexe 1, first step: DGOS passes the letter to the vice-président santé (groupe permanent)."""
        self.notice_forwarded_on = timezone.localdate()

    @logged_transition(
        field=state,
        source=list(DOSSIER_OPEN_STATES),
        target=State.DOSSIER_SUBMITTED,
        permission=_is_coordinator,
        conditions=[notice_forwarded_to_vp, dossier_complete],
        custom={"label": _("Déposer le dossier de succession"), "style": "primary"},
    )
    def submit_dossier(self, by=None, description=None):
        """Annexe 1, proposal of a successor: the dossier sent to DGOS."""

    @logged_transition(
        field=state,
        source=State.DOSSIER_SUBMITTED,
        target=State.DOSSIER_RETURNED,
        permission=_is_dgos,
        custom={"label": _("Renvoyer le dossier au coordonnateur"), "style": "secondary", "comment": True},
    )
    def return_dossier(self, by=None, description=None):
        pass

    @logged_transition(
        field=state,
        source=State.DOSSIER_SUBMITTED,
        target=State.DOSSIER_COMPLETE,
        permission=_is_dgos,
        conditions=[dossier_complete],
        custom={"label": _("Constater la complétude du dossier"), "style": "primary"},
    )
    def check_complete(self, by=None, description=None):
        pass

    @logged_transition(
        field=state,
        source=State.DOSSIER_COMPLETE,
        target=State.FORWARDED_TO_GP,
        permission=_is_dgos,
        custom={"label": _("Transmettre au groupe permanent (informer le vice-président santé)"), "style": "primary"},
    )
    def forward_to_gp(self, by=None, description=None):
        """Annexe 1, "Information du groupe permanent"."""
        self.vp_informed_on = timezone.localdate()

    @logged_transition(
        field=state,
        source=State.FORWARDED_TO_GP,
        target=State.OPINION_FAVOURABLE,
        permission=_is_dgos,
        custom={"label": _("Enregistrer l'avis favorable"), "style": "primary"},
    )
    def record_favourable_opinion(self, by=None, description=None):
        pass

    @logged_transition(
        field=state,
        source=list(SPECIAL_SOURCES),
        target=State.SPECIAL_INFORMED,
        permission=_may_declare_special_case,
        conditions=[special_case_recorded],
        custom={"label": _("Enregistrer un cas particulier"), "style": "danger", "hidden": True},
    )
    def declare_special_case(self, by=None, description=None):
        """Annexe 1, special cases, step 1: DGOS is informed of the difficulty by letter."""
        self.path = self.Path.SPECIAL

    @logged_transition(
        field=state,
        source=State.SPECIAL_INFORMED,
        target=State.SPECIAL_FORWARDED,
        permission=_is_dgos,
        custom={"label": _("Transmettre le courrier au groupe permanent"), "style": "primary"},
    )
    def forward_special_to_gp(self, by=None, description=None):
        """Annexe 1, special cases, step 2."""
        self.vp_informed_on = timezone.localdate()

    @logged_transition(
        field=state,
        source=State.SPECIAL_FORWARDED,
        target=State.SESSION_SET,
        permission=_is_gp,
        conditions=[session_date_set],
        custom={"label": _("Fixer la séance de délibération"), "style": "primary", "hidden": True},
    )
    def set_session(self, by=None, description=None):
        """Annexe 1, special cases, step 2: the groupe permanent organises a deliberation session."""

    @logged_transition(
        field=state,
        source=State.SESSION_SET,
        target=State.CALL_OPEN,
        permission=_is_dgos,
        custom={"label": _("Lancer l'appel à projets auprès des ARS"), "style": "primary"},
    )
    def launch_call(self, by=None, description=None):
        """Annexe 1, special cases, step 3 (the concerned regions are recorded by the service). The initial MIG
        is noted as it stands now: "la MIG initiale du CRMR, au moment de l'appel à projet, est débasée"."""
        self.mig_at_call = self.current_mig_amount()

    @logged_transition(
        field=state,
        source=State.CALL_OPEN,
        target=State.CALL_OPEN,
        permission=_is_concerned_ars,
        custom={"label": _("Transmettre les projets de la région à la DGOS"), "style": "primary", "hidden": True},
    )
    def transmit_projects(self, by=None, description=None):
        """Annexe 1, special cases, step 4: one ARS sends its region's projects (ranked) to DGOS."""

    @logged_transition(
        field=state,
        source=State.CALL_OPEN,
        target=State.PROJECTS_RECEIVED,
        permission=_is_dgos,
        conditions=[some_projects_transmitted],
        custom={"label": _("Clore l'appel à projets et saisir le groupe permanent"), "style": "primary"},
    )
    def close_call(self, by=None, description=None):
        pass

    @logged_transition(
        field=state,
        source=State.PROJECTS_RECEIVED,
        target=State.GP_OPINION_GIVEN,
        permission=_is_gp,
        conditions=[session_held, every_project_has_opinion],
        custom={"label": _("Transmettre l'avis du groupe permanent à la DGOS"), "style": "primary"},
    )
    def give_gp_opinion(self, by=None, description=None):
        """Annexe 1, special cases, step 5: examination in session, opinion per project."""

    @logged_transition(
        field=state,
        source=[State.OPINION_FAVOURABLE, State.GP_OPINION_GIVEN],
        target=State.OFFICIALISED,
        permission=_is_dgos,
        conditions=[session_held, new_coordinator_known, mig_agreement_recorded],
        custom={"label": _("Officialiser le nouveau coordonnateur"), "style": "primary", "hidden": True},
    )
    def officialise(self, by=None, description=None):
        """Annexe 1, "Officialisation du nouveau coordonnateur" (both paths); side effects in services."""


class Document(UploadedDocument):
    """A signed letter of the dossier (PDF)."""

    class Kind(models.TextChoices):
        NOTICE_LETTER = "notice", _("Courrier de cessation d'activité")
        PROPOSAL_LETTER = "proposal", _("Lettre proposant le successeur avec engagement sur ses compétences")
        MOTIVATION_LETTER = "motivation", _("Lettre de motivation signée du successeur")
        DIRECTOR_OPINION = "director_opinion", _("Avis favorable du président du directoire sur le successeur")
        TRANSFER_AGREEMENT = (
            "transfer_agreement",
            _("Avis favorable du président du directoire de l'établissement actuel au transfert de la coordination"),
        )
        RECEIVING_AGREEMENT = (
            "receiving_agreement",
            _("Avis favorable du président du directoire de l'établissement d'accueil (coordination et successeur)"),
        )
        INFORMING_LETTER = "informing", _("Courrier informant la DGOS de la difficulté de succession")
        MIG_AGREEMENT = (
            "mig_agreement",
            _("Accord entre les établissements sur le redéploiement de la dotation MIG de coordination"),
        )

    succession = models.ForeignKey(Succession, on_delete=models.CASCADE, related_name="documents")
    kind = models.CharField(_("pièce"), max_length=20, choices=Kind.choices)

    class Meta:
        ordering = ["succession", "kind", "-uploaded_at"]
        verbose_name = _("pièce du dossier de succession")


class SuccessorCv(models.Model):
    """The successor's CV on the DGOS template (Annexe 1, footnote 1: "un modèle type de CV")."""

    succession = models.OneToOneField(Succession, on_delete=models.CASCADE, related_name="cv")
    centre_name = models.CharField(_("nom du centre de référence"), max_length=250)
    establishment_name = models.CharField(_("établissement de santé"), max_length=250)
    last_name = models.CharField(_("nom"), max_length=100)
    first_name = models.CharField(_("prénom"), max_length=100)
    address = models.CharField(_("adresse"), max_length=300)
    phone = models.CharField(_("téléphone"), max_length=30)
    email = models.EmailField(_("adresse électronique"))
    specialty_and_titles = models.TextField(_("spécialité médicale et titres hospitalo-universitaires"))
    experience = models.TextField(_("expérience professionnelle"))
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("curriculum vitae du successeur")


class CvEntry(ChoiceLabels, models.Model):
    class Kind(models.TextChoices):
        COMMUNICATION = "communication", _("Communication écrite/orale")
        PUBLICATION = "publication", _("Publication (article ou livre)")
        WORK = "work", _("Travaux / recherche")

    cv = models.ForeignKey(SuccessorCv, on_delete=models.CASCADE, related_name="entries")
    kind = models.CharField(_("rubrique"), max_length=15, choices=Kind.choices)
    year = models.PositiveSmallIntegerField(_("année"))
    title = models.CharField(_("intitulé"), max_length=500)

    class Meta:
        ordering = ["kind", "-year", "pk"]
        verbose_name = _("entrée du CV")


class RegionalCall(models.Model):
    """The call for projects as one concerned ARS sees it (Annexe 1, special cases, step 3)."""

    succession = models.ForeignKey(Succession, on_delete=models.CASCADE, related_name="regional_calls")
    region = models.ForeignKey("centres.Region", on_delete=models.PROTECT, related_name="+")
    reason = models.CharField(_("motif"), max_length=200)
    transmitted_at = models.DateTimeField(_("projets transmis le"), null=True, blank=True)
    transmitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+")

    class Meta:
        ordering = ["region__name"]
        constraints = [models.UniqueConstraint(fields=["succession", "region"], name="one_call_per_region")]
        verbose_name = _("appel à projets régional")


class Project(UploadedDocument):
    """A project for the coordination, collected by the ARS of its region (the upload is the project)."""

    class Opinion(models.TextChoices):
        FAVOURABLE = "favourable", _("Favorable")
        UNFAVOURABLE = "unfavourable", _("Défavorable")

    succession = models.ForeignKey(Succession, on_delete=models.CASCADE, related_name="projects")
    region = models.ForeignKey("centres.Region", on_delete=models.PROTECT, related_name="+")
    candidate = models.ForeignKey(
        "centres.Person", on_delete=models.PROTECT, related_name="+", verbose_name=_("candidat")
    )
    establishment = models.ForeignKey(
        "centres.Establishment", on_delete=models.PROTECT, related_name="+", verbose_name=_("établissement")
    )
    mig_amount = models.DecimalField(_("dotation MIG demandée (€)"), max_digits=12, decimal_places=2)
    rank = models.PositiveSmallIntegerField(_("rang dans la région"), null=True, blank=True)
    transmitted_at = models.DateTimeField(_("transmis le"), null=True, blank=True)
    gp_opinion = models.CharField(_("avis du groupe permanent"), max_length=12, choices=Opinion.choices, blank=True)
    gp_reasons = models.TextField(_("motifs de l'avis"), blank=True)
    gp_opinion_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+")
    gp_opinion_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["region__name", "rank", "pk"]
        verbose_name = _("projet de coordination")

    def __str__(self):
        return f"{self.candidate} — {self.establishment}"
