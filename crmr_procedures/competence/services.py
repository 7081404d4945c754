"""Writes of the CCMR procedure (Instruction DGOS/PF2/2013/308, Annexe 2). Every state change goes through
``core.workflow.act``; letters and registry updates are the transitions' effects, declared in
``procedure.py``."""

from __future__ import annotations

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from centres import services as registry
from centres.models import Ccmr, Crmr, Establishment, OrphanetNotice, Person
from core.workflow import act
from letters.engine import (
    ars_sender,
    dgos_sender,
    letter_compose,
    letter_issue,
    to_ars,
    to_coordinator,
    to_dgos,
    to_establishment_director,
    to_groupe_permanent,
)
from letters.models import Letter

from . import perms
from .models import CcmrRequest, CcmrRequestDocument

# --- Step 1 ---------------------------------------------------------------------------------------


def ccmr_request_create(
    *,
    user,
    crmr: Crmr,
    kind: str,
    establishment: Establishment | None = None,
    proposed_name: str = "",
    team_lead: dict | None = None,
    team: str = "",
    ccmr: Ccmr | None = None,
    letter_text: str = "",
    letter_file=None,
) -> CcmrRequest:
    """Annexe 2, step 1: the CRMR coordinator writes to DGOS to create or abrogate a competence centre of
    his or her CRMR, naming the team and the establishment. Raises ValidationError (French)."""
    if not perms._coordinates(user, crmr.pk):
        raise ValidationError(
            "Vous ne pouvez adresser une demande que pour le centre de référence que vous coordonnez."
        )
    if not letter_text.strip() and letter_file is None:
        raise ValidationError("Joignez votre courrier à la DGOS (PDF) ou saisissez-en le texte.")
    if kind == CcmrRequest.Kind.ABROGATION:
        if (
            ccmr is None
            or ccmr.crmr_id != crmr.pk
            or not Ccmr.objects.active_on(timezone.localdate()).filter(pk=ccmr.pk).exists()
        ):
            raise ValidationError(
                "Seul un centre de compétences existant et actif de votre centre de référence peut être abrogé."
            )
        if CcmrRequest.objects.filter(ccmr=ccmr, state__in=CcmrRequest.OPEN_STATES).exists():
            raise ValidationError("Une demande concernant ce centre de compétences est déjà en cours.")
        establishment, proposed_name, team = ccmr.establishment, ccmr.name, team or ccmr.team
    elif kind == CcmrRequest.Kind.CREATION:
        if establishment is None or not proposed_name.strip() or not team_lead:
            raise ValidationError(
                "Précisez le nom du centre de compétences, l'établissement et le responsable de l'équipe."
            )
    else:
        raise ValidationError("Nature de demande inconnue.")

    with transaction.atomic():
        lead = Person.objects.create(**team_lead) if kind == CcmrRequest.Kind.CREATION else ccmr.team_lead
        request = CcmrRequest(
            kind=kind,
            crmr=crmr,
            establishment=establishment,
            ccmr=ccmr,
            proposed_name=proposed_name.strip(),
            team_lead=lead,
            team=team,
            coordinator_letter_text=letter_text,
            submitted_by=user,
        )
        request.full_clean(exclude=["state"], validate_constraints=False)
        try:
            with transaction.atomic():
                request.save()
        except IntegrityError:
            raise ValidationError("Une demande concernant ce centre de compétences est déjà en cours.") from None
        if letter_file is not None:
            _attach(request, user, CcmrRequestDocument.Kind.COORDINATOR_LETTER, letter_file)
        return act(request, "submit", user=user, comment=letter_text[:500])


def _attach(request: CcmrRequest, user, kind: str, upload) -> CcmrRequestDocument:
    doc = CcmrRequestDocument(request=request, kind=kind, uploaded_by=user)
    doc.attach(upload)
    doc.save()
    return doc


# --- Steps 2 and 4 (transitions without data: the dossier page's action form, ``act``) ------------------


def transmission(locked: CcmrRequest, *, user, comment: str = "") -> None:
    """Annexe 2, step 2: the transmission letter to the groupe permanent (effect of ``transmit_for_opinion``
    and ``transmit_for_information``)."""
    locked.transmission_letter = letter_issue(
        ccmr_request_transmission_letter(request=locked, user=user, comment=comment),
        establishments=[locked.crmr.coordinating_establishment],
    )
    locked.save(update_fields=["transmission_letter"])


def ccmr_request_transmission_letter(*, request: CcmrRequest, user, comment: str = "") -> Letter:
    """Annexe 2, step 2: DGOS passes the coordinator's letter to the responsable of the groupe permanent,
    for information, and asks for its avis d'opportunité where needed (``request.opinion_requested``,
    already set by the transition)."""
    action = "la création" if request.is_creation else "l'abrogation"
    return letter_compose(
        kind=Letter.Kind.GP_TRANSMISSION,
        sender=dgos_sender(),
        subject=(
            f"Transmission d'une demande de {request.get_kind_display().lower()} du centre de compétences "
            f"« {request.centre_name} » ({request.crmr.name})"
        ),
        body_template="crmr_procedures/letters/ccmr_gp_transmission.html",
        context={"request": request, "action": action, "comment": comment},
        addressees=[to_groupe_permanent()],
        # Annexe 2, step 2 names one recipient; the coordinator hears of the outcome by the step-3 letter.
        dossier=request,
        created_by=user,
    )


def ccmr_request_upload_document(*, request: CcmrRequest, user, kind: str, upload) -> CcmrRequestDocument:
    """Annexe 2, step 4: the centre (its establishment direction, or the coordinator on its behalf) deposits
    the cahier des charges (2007 model) and the contract for the ARS; no copy to DGOS."""
    if kind not in CcmrRequestDocument.ARS_ONLY_KINDS:
        raise ValidationError("Seuls le cahier des charges et le contrat se déposent à cette étape.")
    if not perms.may_upload_documents(user, request):
        raise PermissionDenied
    if request.state != CcmrRequest.State.AWAITING_DOCUMENTS:
        raise ValidationError("Les pièces destinées à l'ARS ne se déposent qu'après l'avis favorable officialisé.")
    with transaction.atomic():
        request.documents.filter(kind=kind).delete()  # a new version replaces the previous one
        return _attach(request, user, kind, upload)


# --- Step 3: the DGOS letter officialising the opinion ----------------------------------------------


def ccmr_request_opinion_letter(*, request: CcmrRequest, user, decision: str, paragraph: str = "") -> Letter:
    """Annexe 2, step 3: the unsaved letter (preview or issue) to the coordinator, copies to the présidents
    du directoire of the CRMR's and the CCMR's establishments and to the ARS concerned."""
    crmr_est = request.crmr.coordinating_establishment
    establishments = [crmr_est] if crmr_est.pk == request.establishment_id else [crmr_est, request.establishment]
    regions = {e.region_id: e.region for e in establishments}
    coordinator = request.crmr.coordinator
    favourable = decision == CcmrRequest.Opinion.FAVOURABLE
    action = "la création" if request.is_creation else "l'abrogation"
    return letter_compose(
        kind=Letter.Kind.CCMR_OPINION,
        sender=dgos_sender(),
        subject=f"Avis sur {action} du centre de compétences « {request.centre_name} » rattaché au {request.crmr.name}",
        body_template="crmr_procedures/letters/ccmr_opinion.html",
        context={"request": request, "favourable": favourable, "paragraph": paragraph, "action": action},
        addressees=[to_coordinator(request.crmr, coordinator)],
        copies=[*(to_establishment_director(e) for e in establishments), *(to_ars(r) for r in regions.values())],
        dossier=request,
        region=request.establishment.region,
        created_by=user,
    )


def ccmr_request_officialise(*, request: CcmrRequest, user, decision: str, paragraph: str = "") -> CcmrRequest:
    """Annexe 2, step 3: DGOS officialises the opinion by letter. An unfavourable opinion ends the request
    with this letter and nothing changes in the registry."""
    name = "officialise_favourable" if decision == CcmrRequest.Opinion.FAVOURABLE else "officialise_unfavourable"
    return act(request, name, user=user, comment=paragraph, decision=decision)


def opinion_officialised(locked: CcmrRequest, *, user, comment: str = "", decision: str) -> None:
    """Annexe 2, step 3: the DGOS letter officialising the opinion (effect of ``officialise_favourable`` and
    ``officialise_unfavourable``; the comment is the letter's paragraph)."""
    letter = letter_issue(
        ccmr_request_opinion_letter(request=locked, user=user, decision=decision, paragraph=comment),
        establishments=list({locked.crmr.coordinating_establishment, locked.establishment}),
    )
    locked.opinion_letter = letter
    locked.save(update_fields=["opinion_letter"])


# --- Step 5: the ARS's CPOM amendment --------------------------------------------------------------


def ccmr_request_cpom_letter(
    *, request: CcmrRequest, user, reference: str, date: datetime.date, paragraph: str = ""
) -> Letter:
    """Annexe 2, step 5: the unsaved ARS notification letter (preview or issue), copy to DGOS."""
    region = request.establishment.region
    action = "la création" if request.is_creation else "l'abrogation"
    return letter_compose(
        kind=Letter.Kind.CPOM_NOTIFICATION,
        sender=ars_sender(region),
        subject=(
            f"Notification de {action} du centre de compétences « {request.centre_name} » "
            f"— avenant au CPOM n°\u00a0{reference}"
        ),
        body_template="crmr_procedures/letters/ccmr_cpom.html",
        context={
            "request": request,
            "reference": reference,
            "date": date,
            "paragraph": paragraph,
            "action": action,
        },
        addressees=[to_establishment_director(request.establishment)],
        # Annexe 2, step 5: "Copie à la DGOS" — the only copy the text gives.
        copies=[to_dgos()],
        references_line=request.opinion_letter.reference if request.opinion_letter_id else "",
        dossier=request,
        region=region,
        created_by=user,
    )


def ccmr_request_notify_cpom(
    *, request: CcmrRequest, user, reference: str, date: datetime.date, paragraph: str = ""
) -> CcmrRequest:
    """Annexe 2, step 5: the ARS notifies the establishment through a CPOM amendment (reference and date
    recorded, letter issued, copy to DGOS). The registry is written now through ``centres.services``,
    effective at the amendment's date ("en création" until then), with the Orphanet task (step 6)."""
    if not reference.strip() or date is None:
        raise ValidationError("Indiquez la référence et la date de l'avenant au CPOM.")
    return act(request, "notify_cpom", user=user, comment=paragraph, reference=reference, date=date)


def cpom_notified(locked: CcmrRequest, *, user, comment: str = "", reference: str, date: datetime.date) -> None:
    """Annexe 2, step 5 (effect of ``notify_cpom``): the ARS letter, then the registry changes on the CPOM
    amendment's date and the Orphanet task opens."""
    paragraph = comment
    locked.cpom_reference, locked.cpom_date = reference.strip(), date
    letter = letter_issue(
        ccmr_request_cpom_letter(request=locked, user=user, reference=reference, date=date, paragraph=paragraph),
        establishments=[locked.establishment],
    )
    locked.cpom_letter = letter
    if locked.is_creation:
        ccmr, event = registry.ccmr_create(
            crmr=locked.crmr,
            establishment=locked.establishment,
            name=locked.proposed_name,
            team_lead=locked.team_lead,
            team=locked.team,
            on=date,
            act=letter.reference,
            user=user,
        )
        locked.ccmr = ccmr
    else:
        event = registry.ccmr_abrogate(ccmr=locked.ccmr, on=date, act=letter.reference, user=user)
    OrphanetNotice.objects.create(event=event)
    locked.registry_event = event
    locked.save(update_fields=["cpom_reference", "cpom_date", "cpom_letter", "ccmr", "registry_event"])


# --- Step 6: Orphanet ---------------------------------------------------------------------------------


def ccmr_request_inform_orphanet(
    *, request: CcmrRequest, user, communicated_on: datetime.date, reference: str
) -> CcmrRequest:
    """Annexe 2, step 6: DGOS informs Orphanet of the change (the Orphanet task gets its date and reference).
    Refused until the ARS has recorded the CPOM amendment."""
    if communicated_on is None or not reference.strip():
        raise ValidationError("Indiquez la date et la référence de l'information d'Orphanet.")
    return act(
        request,
        "inform_orphanet",
        user=user,
        comment="Orphanet informé le {date} (réf. {ref})".format(
            date=communicated_on.strftime("%d/%m/%Y"), ref=reference.strip()
        ),
        communicated_on=communicated_on,
        reference=reference.strip(),
    )


def orphanet_informed(locked: CcmrRequest, *, user, comment: str = "", communicated_on, reference: str) -> None:
    """Annexe 2, step 6 (effect of ``inform_orphanet``): the Orphanet task gets its date and reference."""
    notice = OrphanetNotice.objects.select_for_update().get(event_id=locked.registry_event_id)
    notice.communicated_on, notice.reference, notice.communicated_by = communicated_on, reference, user
    notice.save(update_fields=["communicated_on", "reference", "communicated_by"])
