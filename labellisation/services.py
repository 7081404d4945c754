"""Writes of the CRC SEP labellisation (2016 instruction, Annexe 1 and 2; workflow 1, labellisation).

Every state change goes through ``core.workflow.act``; decisions issue their letter in the
transition's side effects, inside the same transaction.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from centres import services as registry
from centres.models import (
    ANNUAL_FUNDING_PER_CENTRE,
    Establishment,
    Hospital,
    RegionalQuota,
    RegistryEvent,
    Tranche,
)
from core.typography import numero
from core.workflow import act
from letters.engine import ars_sender, letter_compose, letter_issue, to_dgos, to_establishment_director
from letters.models import Letter
from letters.senders import DGOS_R4, instruction_citation

from .models import CRITERIA, Application, Criterion, CriterionDocument, campaign_refusal, region_place_refusal

DECISION_LETTERS = {
    "label": (Letter.Kind.CRCSEP_LABELLING, "labellisation/letters/decision.html"),
    "reject": (Letter.Kind.CRCSEP_REFUSAL, "labellisation/letters/refusal.html"),
    "withdraw": (Letter.Kind.CRCSEP_WITHDRAWAL, "labellisation/letters/withdrawal.html"),
}


# --- Tranche campaigns (DGOS) ----------------------------------------------------------------------


def tranche_campaign_update(
    *,
    tranche: Tranche,
    user,
    funding_status: str,
    budget_circular: str,
    campaign_opens_on,
    campaign_closes_on,
    reason: str,
) -> Tranche:
    """DGOS opens (or closes) a tranche's campaign and sets its funding status.

    The 2016 instruction, Annexe 2 "calendrier de financement" and cover letter: tranche 1 notified by the second 2015
    budget circular, tranche 2 "Prévisionnel 2017", its funding "à l'étude". A notified funding cites the
    circular. The change is kept in the tranche's history (who, when, what, why), never edited."""
    from .perms import may_manage_campaigns

    if not may_manage_campaigns(user):
        raise PermissionDenied
    if not (reason or "").strip():
        raise ValidationError("Indiquez le motif de la modification (il figure dans l'historique).")
    with transaction.atomic():
        tranche = Tranche.objects.select_for_update().get(pk=tranche.pk)
        tranche.funding_status = funding_status
        tranche.budget_circular = (budget_circular or "").strip()
        tranche.campaign_opens_on = campaign_opens_on
        tranche.campaign_closes_on = campaign_closes_on
        tranche.full_clean()
        tranche._history_user = user
        tranche._change_reason = reason.strip()[:100]
        tranche.save()
    return tranche


# --- Preparing an application ---------------------------------------------------------------------


def application_create(
    *, user, establishment: Establishment, hospital: Hospital, tranche: Tranche, centre_name: str
) -> Application:
    """Open a draft application with one row per criterion of the cahier des charges.

    Annexe 1, §1 and §2.4: the centre is hosted by a CHU (category from the reference data), at one of its
    hospitals (AP-HP, HCL and AP-HM have several; a region's centres may belong to the same CHU). Annexe 2:
    only in a tranche whose campaign DGOS opened, and only where the region's line gives it a place."""
    if establishment.kind != Establishment.Kind.CHU:
        raise ValidationError(
            (
                "Seul un centre hospitalier universitaire (CHU) peut candidater à la labellisation CRC SEP "
                f"(annexe 1, §1 et §2.4) : « {establishment.name} » est classé "
                f"« {establishment.get_kind_display()} », pas CHU."
            ),
            code="not_chu",
        )
    if refusal := campaign_refusal(tranche):
        raise ValidationError(refusal, code="campaign_closed")
    if refusal := region_place_refusal(establishment.region, tranche):
        raise ValidationError(refusal, code="no_place")
    if hospital.establishment_id != establishment.pk:
        raise ValidationError(
            "Le site hospitalier doit appartenir à l'établissement candidat.", code="foreign_hospital"
        )
    with transaction.atomic():
        app = Application(
            establishment=establishment,
            hospital=hospital,
            region_id=establishment.region_id,
            tranche=tranche,
            centre_name=centre_name,
            created_by=user,
        )
        app.full_clean(exclude=["state"])  # protected FSM field: clean_fields would re-assign it
        app.save()
        Criterion.objects.bulk_create([Criterion(application=app, code=spec.code) for spec in CRITERIA])
    return app


def application_update(*, application: Application, fields: dict) -> Application:
    """Record the team (Annexe 1, §3: coordinator, nurse, external specialists, other professionals)."""
    for name, value in fields.items():
        setattr(application, name, value)
    application.full_clean(exclude=["state"])
    application.save()
    return application


def application_record_evidence(*, application: Application, user, facts: dict, uploads: dict) -> None:
    """Record the declared facts and attach the PDFs evidencing the criteria, all or nothing.

    ``facts`` and ``uploads`` are keyed by criterion code; each upload is checked again by ``attach``
    before anything is stored."""
    criteria = {c.code: c for c in application.criteria.all()}
    with transaction.atomic():
        for code, fact in facts.items():
            criterion = criteria[code]
            if criterion.declared_fact != fact:
                criterion.declared_fact = fact
                criterion.save(update_fields=["declared_fact"])
        for code, upload in uploads.items():
            doc = CriterionDocument(criterion=criteria[code], uploaded_by=user)
            doc.attach(upload)
            doc.save()
        application.save(update_fields=["updated_at"])


def document_delete(*, document: CriterionDocument) -> None:
    with transaction.atomic():
        document.file.delete(save=False)
        document.delete()


# --- The workflow ---------------------------------------------------------------------------------


def application_submit(*, application: Application, user, comment: str = "") -> Application:
    """The CHU (or the ARS on its behalf) files its application with the ARS of its region."""
    return act(application, "submit", user=user, comment=comment)


def application_review(*, application: Application, user, comment: str = "") -> Application:
    """The ARS of the region takes the application under review."""
    return act(application, "review", user=user, comment=comment)


def application_send_back(*, application: Application, user, comment: str = "") -> Application:
    """The ARS sends the dossier back to the applicant for completion, with a message (declared required)."""
    return act(application, "send_back", user=user, comment=comment)


def application_label(*, application: Application, user, comment: str = "") -> Application:
    """Label the centre within the region's Annexe 2 quota for the tranche (``quota_lock`` then
    ``entered_in_registry``, declared in procedure.py)."""
    return act(application, "label", user=user, comment=comment)


def application_reject(*, application: Application, user, comment: str = "") -> Application:
    """Refuse the labellisation, with the reason given in the refusal letter (declared required)."""
    return act(application, "reject", user=user, comment=comment)


def application_withdraw(*, application: Application, user, comment: str = "") -> Application:
    """Withdraw a labellisation: the centre leaves the registry's labelled count (freeing the quota)."""
    return act(application, "withdraw", user=user, comment=comment)


def quota_lock(application: Application) -> None:
    """Annexe 2: the quota row is locked FIRST, so two officers labelling at the same moment are serialised
    and the count of labelled centres made in the transition's condition is exact (nothing is locked when
    the region has no quota: the condition then refuses)."""
    list(
        RegionalQuota.objects.select_for_update().filter(
            region_id=application.region_id, tranche_id=application.tranche_id
        )
    )


def entered_in_registry(app: Application, *, user, comment: str = "") -> None:
    """Effect of ``label``: the decision letter, then the labelled centre enters the registry with its
    100,000 € a year (2016 instruction, cover letter), in the decision's transaction."""
    letter = _issue_decision_letter(app, "label", user=user, comment=comment)
    centre, _event = registry.crcsep_label(
        name=app.centre_name,
        establishment_id=app.establishment_id,
        hospital_id=app.hospital_id,
        region_id=app.region_id,
        tranche_id=app.tranche_id,
        on=app.decided_on,
        act=letter.reference,
        user=user,
        coordinator=registry.person_from_name(app.coordinator_name, specialty=app.coordinator_specialty),
        summary="{centre} labellisé CRC SEP ({tranche}){late}".format(
            centre=app.centre_name,
            tranche=app.tranche.label,
            late=", décision après la date limite" if app.late_decision else "",
        ),
    )
    app.centre = centre
    app.save(update_fields=["centre"])


def refusal_letter(app: Application, *, user, comment: str = "") -> None:
    """Effect of ``reject``: the refusal letter carries the reason."""
    _issue_decision_letter(app, "reject", user=user, comment=comment)


def left_registry(app: Application, *, user, comment: str = "") -> None:
    """Effect of ``withdraw``: the withdrawal letter, then the centre leaves the registry's labelled count."""
    letter = _issue_decision_letter(app, "withdraw", user=user, comment=comment)
    summary = f"Labellisation CRC SEP retirée : {app.centre_name}. Motif : {comment[:300]}"
    if app.centre_id:
        registry.crcsep_withdraw(centre=app.centre, on=app.decided_on, act=letter.reference, summary=summary, user=user)
    else:
        registry.registry_event_record(
            kind=RegistryEvent.Kind.CRC_SEP_WITHDRAWN,
            on=app.decided_on,
            summary=summary,
            act=letter.reference,
            user=user,
            establishment_id=app.establishment_id,
        )


# --- Letters ----------------------------------------------------------------------------------------


def application_letter_draft(*, application: Application, decision: str, user, comment: str = "") -> Letter:
    """The unsaved letter carrying ``decision`` (preview before the decision, issue with it).

    ARS of the region → the establishment (président du directoire), copy DGOS."""
    kind, template = DECISION_LETTERS[decision]
    app = application
    today = timezone.localdate()
    late = app.late_decision if app.decided_on else app.is_late(today)
    establishment = app.establishment
    subjects = {
        "label": "Labellisation du centre de ressources et de compétences sclérose en plaques (CRC SEP) — %(c)s",
        "reject": "Refus de labellisation en centre de ressources et de compétences sclérose en plaques — %(c)s",
        "withdraw": "Retrait de la labellisation du centre de ressources et de compétences SEP — %(c)s",
    }
    return letter_compose(
        kind=kind,
        sender=ars_sender(app.region),
        subject=subjects[decision] % {"c": app.centre_name},
        body_template=template,
        context={
            "application": app,
            "establishment": establishment,
            "hospital": app.hospital,
            "tranche": app.tranche,
            "region": app.region,
            "instruction": instruction_citation(kind),  # Instruction DGOS/R4/2016/176 (SEP-entete-dgos-r4)
            "annual_funding": ANNUAL_FUNDING_PER_CENTRE,
            "late": late,
            "comment": comment,
        },
        addressees=[to_establishment_director(establishment)],
        copies=[to_dgos(DGOS_R4)],
        references_line=f"Annexes 1 et 2 ; dossier de candidature {numero(app.pk)}",
        dossier=app,
        region=app.region,
        created_by=user,
        issued_on=today,
    )


def _issue_decision_letter(app: Application, decision: str, *, user, comment: str) -> Letter:
    draft = application_letter_draft(application=app, decision=decision, user=user, comment=comment)
    return letter_issue(draft, establishments=[app.establishment])
