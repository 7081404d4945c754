"""Writes of the succession procedure (Instruction DGOS/PF2/2013/308, Annexe 1).

Every step goes through ``core.workflow.act`` (its effects are declared in ``procedure.py``); field writes that a
transition's conditions read
are saved in the same transaction first, so a refused step rolls everything back.
"""

from __future__ import annotations

import datetime
import logging
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from accounts.services import coordinator_access_sync
from centres import services as registry
from centres.models import Crmr, Establishment, OrphanetNotice, Person, Region
from core.workflow import Notice, TransitionRefused, act
from letters.engine import (
    dgos_sender,
    letter_compose,
    letter_issue,
    to_ars,
    to_coordinator,
    to_establishment_director,
    to_groupe_permanent,
)
from letters.models import Letter

from .models import (
    CV_LIMITS,
    CV_YEARS,
    CvEntry,
    Document,
    Project,
    RegionalCall,
    State,
    Succession,
    SuccessorCv,
    session_held,
    session_not_held_message,
)

logger = logging.getLogger(__name__)

# --- Normal path ------------------------------------------------------------------------------


def succession_start(*, crmr: Crmr, user) -> Succession:
    """Annexe 1, first step: the coordinator opens the notice of cessation of his or her coordination.
    One procedure at a time per CRMR: an open one is continued, not duplicated."""
    if Succession.objects.filter(crmr=crmr).exclude(state=State.OFFICIALISED).exists():
        raise ValidationError("Une procédure de succession est déjà en cours pour ce CRMR.")
    mandate = crmr.current_mandate()
    return Succession.objects.create(
        crmr=crmr,
        created_by=user,
        former_coordinator=mandate.person if mandate else None,
        former_establishment=mandate.establishment if mandate else crmr.coordinating_establishment,
    )


def succession_record_notice(*, succession: Succession, user, effective_on: datetime.date, letter=None) -> Succession:
    """Annexe 1, first step: effective date and the letter. Its addressees are those of the text (président
    du directoire of the CHU from the registry, copies to the CoSPro president and DGOS), not typed in. The
    6-month rule is checked when the notice is sent (``send_notice``), so a draft can be saved and corrected."""
    with transaction.atomic():
        succession.effective_on = effective_on
        succession.save(update_fields=["effective_on"])
        if letter is not None:
            document_attach(succession=succession, user=user, kind=Document.Kind.NOTICE_LETTER, upload=letter)
    return succession


def document_attach(*, succession: Succession, user, kind: str, upload) -> Document:
    """Store a signed piece (PDF checked by core.uploads); a new upload replaces the previous one of its kind."""
    doc = Document(succession=succession, kind=kind, uploaded_by=user)
    doc.attach(upload)
    with transaction.atomic():
        succession.documents.filter(kind=kind).delete()
        doc.save()
    return doc


def succession_propose_successor(
    *,
    succession: Succession,
    user,
    case: str,
    establishment: Establishment,
    title: str,
    first_name: str,
    last_name: str,
    specialty: str = "",
    email: str = "",
    civility: str = "",
) -> Succession:
    """Annexe 1, proposal: (1) a successor in the same establishment, or (2) in another establishment
    hosting a site of the same (multi-site) CRMR."""
    crmr = succession.crmr
    if case == Succession.Case.SAME_ESTABLISHMENT and establishment.pk != succession.former_establishment_id:
        raise ValidationError(
            "Dans ce cas, le successeur doit exercer dans l'établissement actuel de la coordination "
            f"({succession.former_establishment})."
        )
    if case == Succession.Case.TRANSFER:
        if crmr.kind != Crmr.Kind.MULTI:
            raise ValidationError(
                "Le transfert de la coordination à un autre établissement n'est possible que pour un CRMR multi-sites."
            )
        if establishment.pk == succession.former_establishment_id:
            raise ValidationError("Pour un transfert, choisissez un autre établissement que l'établissement actuel.")
        if not crmr.sites.filter(establishment=establishment).exists():
            raise ValidationError(
                f"L'établissement {establishment} n'abrite aucun site du CRMR : le transfert y est impossible."
            )
    with transaction.atomic():
        person = succession.successor or Person()
        person.title, person.first_name, person.last_name = title, first_name, last_name
        person.specialty, person.email = specialty, email
        if civility:
            person.civility = civility
        person.full_clean()
        person.save()
        succession.successor = person
        succession.successor_establishment = establishment
        succession.case = case
        succession.save(update_fields=["successor", "successor_establishment", "case"])
    return succession


def cv_entries_check(entries: list[dict], *, today: datetime.date | None = None) -> list[str]:
    """DGOS CV template: at most 5 communications, 10 publications, 5 works, each of the last 5 years."""
    first_year = (today or timezone.localdate()).year - CV_YEARS
    errors = []
    for kind, limit in CV_LIMITS.items():
        label = CvEntry.Kind(kind).label
        mine = [e for e in entries if e["kind"] == kind]
        if len(mine) > limit:
            errors.append(
                f"« {label} » : {limit} entrées au plus (le modèle DGOS ne retient que les principales) ; "
                f"vous en avez saisi {len(mine)}."
            )
        for entry in mine:
            if entry["year"] < first_year:
                errors.append(
                    (
                        "« {title} » ({year}) est antérieur aux 5 dernières années : "
                        "seules les entrées depuis {first} sont retenues."
                    ).format(title=entry["title"], year=entry["year"], first=first_year)
                )
            elif entry["year"] > (today or timezone.localdate()).year:
                errors.append("« {title} » : l'année {year} est dans le futur.".format(**entry))
    return errors


def cv_save(*, succession: Succession, user, data: dict, entries: list[dict]) -> SuccessorCv:
    """Annexe 1, proposal, second piece: the successor's CV on the DGOS template."""
    errors = cv_entries_check(entries)
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        cv, _created = SuccessorCv.objects.update_or_create(succession=succession, defaults=data)
        cv.entries.all().delete()
        CvEntry.objects.bulk_create([CvEntry(cv=cv, **e) for e in entries])
    return cv


def succession_send_notice(*, succession: Succession, user) -> Succession:
    """Annexe 1, first step: the coordinator sends the notice (6 months minimum, no waiver)."""
    return act(succession, "send_notice", user=user)


def notice_director_accounts(succession: Succession):
    """The accounts of the président du directoire the notice is addressed to (direction of the CHU)."""
    from accounts.models import Role, User

    return User.objects.filter(
        role=Role.ESTABLISHMENT, establishment_id=succession.former_establishment_id, is_active=True
    )


def notice_to_direction(s: Succession) -> Notice | None:
    """Annexe 1, first step: the letter is addressed to the président du directoire of the CHU, who is told
    of it (e-mail or daily digest, like every other step) once the notice is recorded (declared in
    procedure.py, sent after commit by the notifications; a mail failure never undoes the notice)."""
    directors = list(notice_director_accounts(s))
    if not directors:
        return None
    subject = f"Préavis de cessation d'activité du coordonnateur du CRMR « {s.crmr} »"
    summary = (
        "{who}, coordonnateur du CRMR « {crmr} », vous adresse son courrier de cessation d'activité "
        "(date effective : {date}), avec copie au président du CoSPro et à la DGOS."
    ).format(
        who=s.former_coordinator or "Le coordonnateur",
        crmr=s.crmr,
        date=s.effective_on.strftime("%d/%m/%Y"),
    )
    return Notice(users=directors, subject=subject, summary=summary, url=s.get_absolute_url())


def mig_agreement_record(*, succession: Succession, user, amount: Decimal, upload=None) -> Succession:
    """Annexe 1, "Affectation de la dotation MIG" (normal path, transfer): the MIG dedicated to the
    coordination is redeployed "le cas échéant … sur la base de l'accord intervenu entre eux". Records the
    amount the two establishments agreed on (all, part or none: 0 ≤ amount ≤ current MIG) with the agreement
    document. Possible until the officialisation."""
    succession = Succession.objects.select_related("crmr", "former_establishment").get(pk=succession.pk)
    if succession.path != Succession.Path.NORMAL or not succession.is_transfer:
        raise ValidationError(
            "L'accord sur la dotation MIG ne concerne qu'un transfert de la coordination à un autre établissement."
        )
    if succession.state == State.OFFICIALISED:
        raise ValidationError("La succession est officialisée : l'accord sur la dotation MIG n'est plus modifiable.")
    current = succession.current_mig_amount()
    if amount is None or amount < 0 or amount > current:
        raise ValidationError(
            f"Le montant redéployé doit être compris entre 0 € et la dotation MIG actuelle ({current} €)."
        )
    if upload is None and not succession.has_document(Document.Kind.MIG_AGREEMENT):
        raise ValidationError("Joignez le document d'accord entre les établissements (PDF).")
    with transaction.atomic():
        if upload is not None:
            document_attach(succession=succession, user=user, kind=Document.Kind.MIG_AGREEMENT, upload=upload)
        Succession.objects.filter(pk=succession.pk).update(
            mig_agreed_amount=amount, mig_agreement_recorded_by=user, mig_agreement_recorded_at=timezone.now()
        )
    succession.refresh_from_db()
    return succession


def transmission_letter(s: Succession, *, user, comment: str = "") -> None:
    """Annexe 1, "Information du groupe permanent": a transmission letter to the vice-président santé
    (effect of ``forward_to_gp`` and ``forward_special_to_gp``)."""
    draft = letter_compose(
        kind=Letter.Kind.GP_TRANSMISSION,
        sender=dgos_sender(),
        subject=f"Succession du coordonnateur du CRMR « {s.crmr} » — transmission au groupe permanent",
        body_template="crmr_procedures/letters/succession_transmission.html",
        context={"succession": s},
        addressees=[to_groupe_permanent()],
        dossier=s,
        created_by=user,
    )
    letter_issue(draft)


# --- Special cases ------------------------------------------------------------------------------


def succession_declare_special(
    *, user, reason: str, informed_by: str, letter, succession: Succession | None = None, crmr: Crmr | None = None
) -> Succession:
    """Annexe 1, special cases, step 1: DGOS records the letter informing it of the difficulty, or the
    coordinator sends his or her own (then the letter is the coordinator's)."""
    if getattr(user, "is_coordinator", False):
        informed_by = Succession.InformedBy.COORDINATOR
    with transaction.atomic():
        if succession is None:
            succession = succession_start(crmr=crmr, user=user)
        Succession.objects.filter(pk=succession.pk).update(special_reason=reason, informed_by=informed_by)
        document_attach(succession=succession, user=user, kind=Document.Kind.INFORMING_LETTER, upload=letter)
        return act(succession, "declare_special_case", user=user, comment=Succession.SpecialReason(reason).label)


def succession_set_session(*, succession: Succession, user, session_date: datetime.date) -> Succession:
    """Annexe 1, special cases, step 2: the groupe permanent sets its deliberation session."""
    with transaction.atomic():
        Succession.objects.filter(pk=succession.pk).update(session_date=session_date)
        return act(
            succession,
            "set_session",
            user=user,
            comment="Séance du {d}".format(d=session_date.strftime("%d/%m/%Y")),
        )


def concerned_regions(crmr: Crmr) -> dict[Region, str]:
    """Annexe 1, special cases, step 3: which ARS carry the call for projects, and why.

    Multi-site CRMR: the regions of its other sites, and those of the filière. Mono-site: the filière.
    "La filière" is read as the regions hosting a site of one of its CRMR or one of its competence centres.
    """
    regions: dict[int, tuple[Region, str]] = {}
    if crmr.kind == Crmr.Kind.MULTI:
        for site in crmr.sites.exclude(establishment=crmr.coordinating_establishment).select_related(
            "establishment__region"
        ):
            regions.setdefault(site.establishment.region_id, (site.establishment.region, "site du CRMR"))
    filiere_regions = Region.objects.filter(
        Q(establishments__crmr_sites__crmr__filiere=crmr.filiere) | Q(establishments__ccmrs__crmr__filiere=crmr.filiere)
    ).distinct()
    for region in filiere_regions:
        regions.setdefault(region.pk, (region, f"filière {crmr.filiere}"))
    return {region: reason for region, reason in sorted(regions.values(), key=lambda r: r[0].name)}


def call_for_projects(s: Succession, *, user, comment: str = "") -> None:
    """Annexe 1, special cases, step 3: the call for projects goes to the concerned ARS, by letter (effect of
    ``launch_call``)."""
    _open_regional_calls(s)
    calls = list(s.regional_calls.select_related("region"))
    draft = letter_compose(
        kind=Letter.Kind.CALL_FOR_PROJECTS,
        sender=dgos_sender(),
        subject=f"Appel à projets pour la coordination du CRMR « {s.crmr} »",
        body_template="crmr_procedures/letters/succession_call.html",
        context={"succession": s, "calls": calls},
        addressees=[to_ars(c.region) for c in calls],
        dossier=s,
        created_by=user,
    )
    letter_issue(draft)


def _open_regional_calls(s: Succession) -> None:
    RegionalCall.objects.bulk_create(
        [
            RegionalCall(succession=s, region=region, reason=reason)
            for region, reason in concerned_regions(s.crmr).items()
        ]
    )


def project_add(
    *,
    succession: Succession,
    user,
    title: str,
    first_name: str,
    last_name: str,
    establishment: Establishment,
    mig_amount: Decimal,
    upload,
    civility: str = "",
) -> Project:
    """Annexe 1, special cases, step 4: the ARS records a project of its region."""
    if establishment.region_id != user.region_id:
        raise ValidationError("L'établissement porteur du projet doit être situé dans votre région.")
    project = Project(
        succession=succession,
        region_id=user.region_id,
        establishment=establishment,
        mig_amount=mig_amount,
        uploaded_by=user,
    )
    project.attach(upload)
    with transaction.atomic():
        project.candidate = Person.objects.create(
            title=title, first_name=first_name, last_name=last_name, civility=civility
        )
        project.save()
    return project


def projects_rank(*, succession: Succession, user, ranks: dict[int, int]) -> None:
    """Annexe 1, special cases, step 4: the ARS ranks its region's projects (only those)."""
    own = {p.pk: p for p in succession.projects.filter(region_id=user.region_id, transmitted_at__isnull=True)}
    foreign = set(ranks) - set(own)
    if foreign:
        raise ValidationError("Une ARS ne classe que les projets de sa région.")
    values = sorted(ranks.values())
    if values != list(range(1, len(own) + 1)) or set(ranks) != set(own):
        raise ValidationError(
            "Classez chacun des {n} projets de la région avec les rangs 1 à {n}, sans ex æquo.".format(n=len(own))
        )
    with transaction.atomic():
        for pk, rank in ranks.items():
            Project.objects.filter(pk=pk).update(rank=rank)


def projects_transmit(*, succession: Succession, user) -> Succession:
    """Annexe 1, special cases, step 4: the ARS sends its region's projects to DGOS, ranked when several."""
    projects = list(succession.projects.filter(region_id=user.region_id, transmitted_at__isnull=True))
    if not projects:
        raise TransitionRefused(["Aucun projet n'est enregistré pour votre région."])
    if len(projects) > 1 and any(p.rank is None for p in projects):
        raise TransitionRefused(
            ["Votre région transmet plusieurs projets : classez-les avant de les transmettre à la DGOS."]
        )
    return act(
        succession,
        "transmit_projects",
        user=user,
        comment=f"ARS {user.region} : {len(projects)} projet(s) transmis",
        projects=projects,
    )


def projects_transmitted(s: Succession, *, user, comment: str = "", projects: list[Project]) -> None:
    """Annexe 1, special cases, step 4: the region's projects and its call are marked sent (effect of
    ``transmit_projects``)."""
    now = timezone.now()
    s.projects.filter(pk__in=[p.pk for p in projects]).update(transmitted_at=now)
    s.regional_calls.filter(region_id=user.region_id).update(transmitted_at=now, transmitted_by=user)


def project_record_opinion(*, project: Project, user, opinion: str, reasons: str) -> Project:
    """Annexe 1, special cases, step 5: the groupe permanent's opinion on one project, given "en séance de
    délibération": recorded at or after the séance date, never before."""
    project = Project.objects.select_related("succession").get(pk=project.pk)
    if project.succession.state != State.PROJECTS_RECEIVED or project.transmitted_at is None:
        raise TransitionRefused(
            ["Le groupe permanent ne peut rendre d'avis que sur un projet transmis, pendant l'examen."]
        )
    if not session_held(project.succession):
        raise TransitionRefused([session_not_held_message(project.succession)])
    if opinion == Project.Opinion.UNFAVOURABLE and not reasons.strip():
        raise ValidationError("Motivez l'avis défavorable.")
    project.gp_opinion, project.gp_reasons = opinion, reasons
    project.gp_opinion_by, project.gp_opinion_at = user, timezone.now()
    project.save(update_fields=["gp_opinion", "gp_reasons", "gp_opinion_by", "gp_opinion_at"])
    return project


# --- Officialisation (both paths) --------------------------------------------------------------


def succession_choose_project(
    *, succession: Succession, user, project: Project | None, effective_on: datetime.date | None
) -> None:
    """Special cases, step 6: DGOS picks the project it officialises (favourable opinion) and the date."""
    if project is not None:
        project = Project.objects.get(pk=project.pk)
    if project is not None and (
        project.succession_id != succession.pk or project.gp_opinion != Project.Opinion.FAVOURABLE
    ):
        raise ValidationError("Seul un projet ayant reçu un avis favorable du groupe permanent peut être retenu.")
    Succession.objects.filter(pk=succession.pk).update(
        chosen_project=project, effective_on=effective_on or succession.effective_on
    )
    succession.refresh_from_db()


def succession_letter_draft(succession: Succession, user) -> tuple[Letter, list[Establishment]]:
    """The officialisation letter (unsaved) and the establishments it concerns: former and new
    coordinator, président(s) du directoire, copy to the ARS (Annexe 1, officialisation)."""
    s = succession
    new, new_est, former_est = s.new_coordinator, s.new_establishment, s.former_establishment
    establishments = [former_est] + ([new_est] if new_est and new_est.pk != former_est.pk else [])
    addressees = [
        to_coordinator(s.crmr, s.former_coordinator, function="Coordonnateur sortant", establishment=former_est),
        to_coordinator(s.crmr, new, function="Nouveau coordonnateur", establishment=new_est),
    ] + [to_establishment_director(est) for est in establishments]
    regions = []
    for est in establishments:
        if est.region not in regions:
            regions.append(est.region)
    copies = [to_ars(r) for r in regions]
    return letter_compose(
        kind=Letter.Kind.SUCCESSION_OFFICIALISATION,
        sender=dgos_sender(),
        subject=f"Officialisation du nouveau coordonnateur du centre de référence maladies rares « {s.crmr} »",
        body_template="crmr_procedures/letters/succession_officialisation.html",
        context={
            "succession": s,
            "new": new,
            "new_establishment": new_est,
            "transfer": new_est is not None and new_est.pk != former_est.pk,
            "project": s.chosen_project,
            "agreed_mig": s.agreed_mig_amount,
            "current_mig": s.current_mig_amount(),
        },
        addressees=addressees,
        copies=copies,
        dossier=s,
        region=former_est.region,
        created_by=user,
        issued_on=timezone.localdate(),
    ), establishments


def succession_officialise(
    *, succession: Succession, user, project: Project | None = None, effective_on: datetime.date | None = None
) -> Succession:
    """Annexe 1, "Officialisation du nouveau coordonnateur" and "Affectation de la dotation MIG"."""
    with transaction.atomic():
        if succession.path == Succession.Path.SPECIAL:
            succession_choose_project(succession=succession, user=user, project=project, effective_on=effective_on)

        return act(succession, "officialise", user=user)


def officialisation(s: Succession, *, user, comment: str = "") -> None:
    """Annexe 1, officialisation (effect of ``officialise``): the letter, then the registry and Orphanet."""
    draft, establishments = succession_letter_draft(s, user)
    letter = letter_issue(draft, establishments=establishments)
    s.letter = letter
    s.orphanet_notice = _update_registry(s, user, letter)
    s.save(update_fields=["letter", "orphanet_notice"])


def _update_registry(s: Succession, user, letter: Letter) -> OrphanetNotice:
    """Annexe 1, officialisation: the registry changes on the effective date, through the registry's
    services (``centres.services``): the former mandate ends on that date and the new one starts; on a
    transfer the coordination and the MIG move on that date too. Decided today, a later date is shown as
    "à venir" until it comes. Then the Orphanet task (last step) and the coordinators' accounts."""
    crmr, new, new_est, on = s.crmr, s.new_coordinator, s.new_establishment, s.effective_on
    act = letter.reference
    event = registry.coordinator_change(
        crmr=crmr, person=new, establishment=new_est, on=on, act=act, user=user, former=s.former_coordinator
    )
    if new_est.pk != s.former_establishment_id:
        _move_coordination(s, user, act, new_est, on)
    people = [new.pk] + ([s.former_coordinator_id] if s.former_coordinator_id else [])
    coordinator_access_sync(person_ids=people)
    return OrphanetNotice.objects.create(event=event)


def _move_coordination(s: Succession, user, act: str, new_est: Establishment, on: datetime.date) -> None:
    """Annexe 1: the coordination moves to the receiving site, and the MIG with it. Normal path: "le cas
    échéant … sur la base de l'accord intervenu entre eux" (the amount the directions agreed, all of it
    when none was recorded). Special cases, step 7: the initial MIG is "débasée" from the former
    establishment and assigned to the new one according to the project."""
    crmr = s.crmr
    registry.coordination_transfer(crmr=crmr, to_establishment=new_est, on=on, act=act, user=user)
    if s.chosen_project_id:
        # "la MIG initiale du CRMR, au moment de l'appel à projet, est débasée" (noted when the call opened).
        registry.mig_debase(
            crmr=crmr, establishment=s.former_establishment, on=on, act=act, user=user, amount=s.mig_at_call
        )
        registry.mig_allocate(
            crmr=crmr,
            establishment=new_est,
            amount=s.chosen_project.mig_amount,
            on=on,
            act=act,
            user=user,
            reason=f"Projet retenu (courrier {act})",
        )
    else:
        # The amount the two directions agreed (item "Affectation de la dotation MIG"); None only for dossiers
        # officialised before the agreement was recorded: the whole MIG then moves, as it did.
        agreed = s.mig_agreed_amount
        registry.mig_redeploy(
            crmr=crmr,
            from_establishment=s.former_establishment,
            to_establishment=new_est,
            amount=agreed,
            on=on,
            act=act,
            user=user,
        )


def orphanet_complete(
    *, notice: OrphanetNotice, user, communicated_on: datetime.date, reference: str
) -> OrphanetNotice:
    """Annexe 1, last step: "Le service concerné de la DGOS informe Orphanet du changement"."""
    if not reference.strip():
        raise ValidationError("Indiquez la référence de la communication à Orphanet.")
    notice.communicated_on, notice.reference, notice.communicated_by = communicated_on, reference, user
    notice.save(update_fields=["communicated_on", "reference", "communicated_by"])
    return notice
