"""The registry's one door for writes: one function per act, each writing dated rows and a registry event
that cites the act.

A registry fact that an act changes is a row valid from ``start`` until ``end`` (exclusive). An act
decided today with a later effective date writes rows that start on that date: the registry read at any
date (``centres.selectors``) shows the old fact until the day before and the new one from the day, with no
job flipping anything. Every write goes through ``save()`` so django-simple-history records it.

Workflows (labellisation, succession, competence centres) call these functions and never write registry
tables themselves. Sources: seed 004 (Instruction DGOS/PF2/2013/308), Annexe 1 "Officialisation du nouveau
coordonnateur" and "Affectation de la dotation MIG", special cases steps 6–7, Annexe 2 steps 5–6; seed 000
(instruction CRC SEP 2016), cover letter and Annexe 2 (labelled centres, 100,000 € a year).
"""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from .models import (
    ANNUAL_FUNDING_PER_CENTRE,
    Ccmr,
    CoordinatorMandate,
    CrcSepCentre,
    CrcSepMandate,
    Crmr,
    CrmrSite,
    Establishment,
    MigAllocation,
    Person,
    RegistryEvent,
)

# --- Events ----------------------------------------------------------------------------------------


def registry_event_record(*, kind: str, on: datetime.date, summary: str, act: str, user=None, **links) -> RegistryEvent:
    """The append-only trace of an act: what changes, from when, on whose decision (``act``: the letter
    or decision reference)."""
    return RegistryEvent.objects.create(
        kind=kind,
        effective_on=on,
        decided_on=timezone.localdate(),
        summary=summary[:500],
        letter_reference=act[:60],
        recorded_by=user,
        **links,
    )


def _end(row, on: datetime.date, act: str) -> None:
    """End a dated row on ``on`` (its last day is ``on`` − 1). A row that would start on or after ``on``
    never takes effect: it is ended on its own start (an empty period, kept in the history)."""
    row.end = max(on, row.start)
    row.ended_by = act[:200]
    row.save(update_fields=["end", "ended_by"])


# --- Today's values kept on the CRMR row (for the workflows' scoping) --------------------------------


def crmr_facts_on(crmr: Crmr, on: datetime.date) -> tuple[int | None, Decimal]:
    """The coordinating establishment and the MIG of coordination of ``crmr`` on ``on``, from the dated
    rows."""
    site = CrmrSite.objects.active_on(on).filter(crmr=crmr, is_coordinating=True).first()
    amounts = MigAllocation.objects.active_on(on).filter(crmr=crmr).values_list("amount", flat=True)
    return (site.establishment_id if site else None), sum(amounts, Decimal("0"))


def registry_refresh_current(*, on: datetime.date | None = None, crmr_ids=None) -> int:
    """Bring ``Crmr.coordinating_establishment`` and ``Crmr.mig_amount`` to their value on ``on`` (today).

    Idempotent: a second run changes nothing. Run after every act and each night by Celery beat, so that
    an act decided earlier with today's effective date is reflected in the workflows' scoping. Returns the
    number of CRMR changed."""
    on = on or timezone.localdate()
    crmrs = Crmr.objects.all() if crmr_ids is None else Crmr.objects.filter(pk__in=crmr_ids)
    coordinating = dict(
        CrmrSite.objects.active_on(on)
        .filter(is_coordinating=True, crmr__in=crmrs)
        .order_by("crmr_id", "-start")
        .values_list("crmr_id", "establishment_id")
    )
    amounts: dict[int, Decimal] = {}
    for crmr_id, amount in MigAllocation.objects.active_on(on).filter(crmr__in=crmrs).values_list("crmr_id", "amount"):
        amounts[crmr_id] = amounts.get(crmr_id, Decimal("0")) + amount
    with_allocations = set(MigAllocation.objects.filter(crmr__in=crmrs).values_list("crmr_id", flat=True))
    changed = 0
    for crmr in crmrs.only("pk", "coordinating_establishment_id", "mig_amount"):
        fields = []
        est = coordinating.get(crmr.pk)
        if est and est != crmr.coordinating_establishment_id:
            crmr.coordinating_establishment_id = est
            fields.append("coordinating_establishment")
        amount = amounts.get(crmr.pk, Decimal("0"))
        if crmr.pk in with_allocations and amount != crmr.mig_amount:
            crmr.mig_amount = amount
            fields.append("mig_amount")
        if fields:
            crmr.save(update_fields=fields)
            changed += 1
    return changed


# --- Coordinators (seed 004, Annexe 1, "Officialisation du nouveau coordonnateur") --------------------


def mandate_start(
    *, crmr: Crmr, person: Person, establishment: Establishment, on: datetime.date, act: str, user=None
) -> CoordinatorMandate:
    """A coordinator's mandate from ``on``."""
    mandate = CoordinatorMandate(crmr=crmr, person=person, establishment=establishment, start=on, source=act[:200])
    mandate.full_clean()
    mandate.save()
    registry_event_record(
        kind=RegistryEvent.Kind.MANDATE_STARTED,
        on=on,
        summary=_("Début du mandat de %(p)s comme coordonnateur du CRMR « %(crmr)s »") % {"p": person, "crmr": crmr},
        act=act,
        user=user,
        crmr=crmr,
        establishment=establishment,
    )
    return mandate


def mandate_end(*, crmr: Crmr, on: datetime.date, act: str, user=None) -> list[CoordinatorMandate]:
    """End, on ``on``, the mandates in force that day or decided to start later (the outgoing coordinator
    is coordinator until ``on`` − 1)."""
    ended = list(CoordinatorMandate.objects.filter(crmr=crmr).filter(Q(end__isnull=True) | Q(end__gt=on)))
    for mandate in ended:
        _end(mandate, on, act)
        registry_event_record(
            kind=RegistryEvent.Kind.MANDATE_ENDED,
            on=on,
            summary=_("Fin du mandat de %(p)s comme coordonnateur du CRMR « %(crmr)s »")
            % {"p": mandate.person, "crmr": crmr},
            act=act,
            user=user,
            crmr=crmr,
            establishment=mandate.establishment,
        )
    return ended


def coordinator_change(
    *,
    crmr: Crmr,
    person: Person,
    establishment: Establishment,
    on: datetime.date,
    act: str,
    user=None,
    former: Person | None = None,
) -> RegistryEvent:
    """Succession of the coordinator on ``on``: the former mandates end, the new one starts."""
    with transaction.atomic():
        ended = mandate_end(crmr=crmr, on=on, act=act, user=user)
        former = former or (ended[0].person if ended else None)
        mandate_start(crmr=crmr, person=person, establishment=establishment, on=on, act=act, user=user)
        return registry_event_record(
            kind=RegistryEvent.Kind.COORDINATOR_CHANGED,
            on=on,
            summary=_("%(new)s succède à %(old)s comme coordonnateur du CRMR « %(crmr)s »")
            % {"new": person, "old": former or "—", "crmr": crmr},
            act=act,
            user=user,
            crmr=crmr,
            establishment=establishment,
        )


# --- Coordinating site (seed 004, Annexe 1, step 3 (2) and special cases) ----------------------------


def coordination_transfer(
    *, crmr: Crmr, to_establishment: Establishment, on: datetime.date, act: str, user=None
) -> RegistryEvent | None:
    """The coordination of ``crmr`` moves to ``to_establishment`` on ``on``: the site roles in force that
    day are ended and reopened swapped (the former coordinating site becomes constitutive, the receiving
    site coordinating; a receiving establishment without a site gets one). Nothing happens when the
    establishment already coordinates on ``on``."""
    with transaction.atomic():
        Crmr.objects.select_for_update().filter(pk=crmr.pk).first()
        sites = list(CrmrSite.objects.active_on(on).filter(crmr=crmr))
        current = next((s for s in sites if s.is_coordinating), None)
        if current and current.establishment_id == to_establishment.pk:
            return None
        receiving = next((s for s in sites if s.establishment_id == to_establishment.pk), None)
        for site, coordinating in ((current, False), (receiving, True)):
            if site is None:
                continue
            _end(site, on, act)
            CrmrSite(
                crmr=crmr,
                establishment_id=site.establishment_id,
                hospital_id=site.hospital_id,
                lead_id=site.lead_id,
                is_coordinating=coordinating,
                start=on,
                source=act[:200],
            ).save()
        if receiving is None:
            CrmrSite(crmr=crmr, establishment=to_establishment, is_coordinating=True, start=on, source=act[:200]).save()
        event = registry_event_record(
            kind=RegistryEvent.Kind.COORDINATION_TRANSFERRED,
            on=on,
            summary=_("Coordination du CRMR « %(crmr)s » transférée : %(old)s → %(new)s")
            % {"crmr": crmr, "old": current.establishment if current else "—", "new": to_establishment},
            act=act,
            user=user,
            crmr=crmr,
            establishment=to_establishment,
        )
        registry_refresh_current(crmr_ids=[crmr.pk])
        return event


# --- MIG of coordination (seed 004, Annexe 1, "Affectation de la dotation MIG"; special cases step 7) --


def mig_allocate(
    *,
    crmr: Crmr,
    establishment: Establishment,
    amount: Decimal,
    on: datetime.date,
    act: str,
    user=None,
    reason: str = "",
) -> MigAllocation:
    """A MIG allocation for the coordination of ``crmr`` to ``establishment`` from ``on``."""
    allocation = MigAllocation(
        crmr=crmr,
        establishment=establishment,
        amount=amount,
        start=on,
        reason=(reason or _("Attribution de la dotation MIG"))[:300],
        source=act[:200],
    )
    allocation.full_clean()
    allocation.save()
    registry_event_record(
        kind=RegistryEvent.Kind.MIG_ALLOCATED,
        on=on,
        summary=_("Dotation MIG de coordination du CRMR « %(crmr)s » attribuée à %(est)s : %(amount)s €")
        % {"crmr": crmr, "est": establishment, "amount": amount},
        act=act,
        user=user,
        crmr=crmr,
        establishment=establishment,
    )
    registry_refresh_current(crmr_ids=[crmr.pk])
    return allocation


def _open_allocations(crmr: Crmr, establishment: Establishment, on: datetime.date) -> list[MigAllocation]:
    return list(
        MigAllocation.objects.filter(crmr=crmr, establishment=establishment).filter(Q(end__isnull=True) | Q(end__gt=on))
    )


def mig_redeploy(
    *,
    crmr: Crmr,
    from_establishment: Establishment,
    to_establishment: Establishment,
    amount: Decimal | None,
    on: datetime.date,
    act: str,
    user=None,
) -> RegistryEvent:
    """Normal path: the MIG moves "le cas échéant … sur la base de l'accord intervenu entre eux" (Annexe 1):
    ``amount`` is the agreed part (all when None, part, or none). The former establishment keeps the rest
    from ``on``; with nothing agreed, nothing moves and the event says so."""
    with transaction.atomic():
        current = _open_allocations(crmr, from_establishment, on)
        total = sum((a.amount for a in current), Decimal("0"))
        moved = total if amount is None else min(Decimal(amount), total)
        if moved > 0:
            for allocation in current:
                _end(allocation, on, act)
            reason = _("Transfert de la coordination (courrier %(ref)s)") % {"ref": act}
            MigAllocation(
                crmr=crmr, establishment=to_establishment, amount=moved, start=on, reason=reason, source=act
            ).save()
            if total - moved > 0:
                MigAllocation(
                    crmr=crmr,
                    establishment=from_establishment,
                    amount=total - moved,
                    start=on,
                    reason=_("Part conservée selon l'accord des établissements"),
                    source=act,
                ).save()
        event = registry_event_record(
            kind=RegistryEvent.Kind.MIG_MOVED,
            on=on,
            summary=_("Dotation MIG de coordination du CRMR « %(crmr)s » : %(old)s → %(new)s (%(amount)s €)")
            % {"crmr": crmr, "old": from_establishment, "new": to_establishment, "amount": moved},
            act=act,
            user=user,
            crmr=crmr,
            establishment=to_establishment,
        )
        registry_refresh_current(crmr_ids=[crmr.pk])
        return event


def mig_debase(*, crmr: Crmr, establishment: Establishment, on: datetime.date, act: str, user=None) -> RegistryEvent:
    """Special cases, step 7: "la dotation MIG initiale du CRMR est débasée de l'établissement" from ``on``."""
    with transaction.atomic():
        current = _open_allocations(crmr, establishment, on)
        for allocation in current:
            _end(allocation, on, act)
        event = registry_event_record(
            kind=RegistryEvent.Kind.MIG_DEBASED,
            on=on,
            summary=_("Dotation MIG de coordination du CRMR « %(crmr)s » débasée de %(est)s (%(amount)s €)")
            % {"crmr": crmr, "est": establishment, "amount": sum((a.amount for a in current), Decimal("0"))},
            act=act,
            user=user,
            crmr=crmr,
            establishment=establishment,
        )
        registry_refresh_current(crmr_ids=[crmr.pk])
        return event


# --- Competence centres (seed 004, Annexe 2, steps 5–6) -----------------------------------------------


def ccmr_create(
    *,
    crmr: Crmr,
    establishment: Establishment,
    name: str,
    on: datetime.date,
    act: str,
    user=None,
    team_lead: Person | None = None,
    team: str = "",
) -> tuple[Ccmr, RegistryEvent]:
    """A competence centre in activity from ``on`` (the CPOM amendment's date); "en création" before."""
    ccmr = Ccmr(
        crmr=crmr,
        establishment=establishment,
        name=name,
        team_lead=team_lead,
        team=team,
        created_on=on,
        source=act[:200],
    )
    ccmr.full_clean()
    ccmr.save()
    event = registry_event_record(
        kind=RegistryEvent.Kind.CCMR_CREATED,
        on=on,
        summary=_("Création du centre de compétences « %(name)s »") % {"name": name} + f" ({crmr.name})",
        act=act,
        user=user,
        crmr=crmr,
        ccmr=ccmr,
        establishment=establishment,
    )
    return ccmr, event


def ccmr_abrogate(*, ccmr: Ccmr, on: datetime.date, act: str, user=None) -> RegistryEvent:
    """A competence centre abrogated from ``on`` (in activity until ``on`` − 1)."""
    ccmr = Ccmr.objects.select_for_update().select_related("crmr").get(pk=ccmr.pk)
    ccmr.abrogated_on, ccmr.abrogation_source = on, act[:200]
    ccmr.save(update_fields=["abrogated_on", "abrogation_source"])
    return registry_event_record(
        kind=RegistryEvent.Kind.CCMR_ABROGATED,
        on=on,
        summary=_("Abrogation du centre de compétences « %(name)s »") % {"name": ccmr.name} + f" ({ccmr.crmr.name})",
        act=act,
        user=user,
        crmr=ccmr.crmr,
        ccmr=ccmr,
        establishment_id=ccmr.establishment_id,
    )


# --- CRC SEP (seed 000, cover letter, Annexe 1 §3, Annexe 2) ---------------------------------------


_TITLES = ("Pr", "Dr", "M.", "Mme", "Professeur", "Docteur", "Madame", "Monsieur")


def person_from_name(full_name: str, *, specialty: str = "") -> Person | None:
    """The registry person named ``full_name`` ("Dr Jeanne Martin"): an existing person with the same
    first and last names, else a new one."""
    words = full_name.split()
    title = words.pop(0) if words and words[0] in _TITLES else ""
    if not words:
        return None
    first, last = (" ".join(words[:-1]), words[-1]) if len(words) > 1 else ("", words[0])
    person = Person.objects.filter(first_name__iexact=first, last_name__iexact=last).order_by("pk").first()
    if person is None:
        person = Person(first_name=first, last_name=last, title=title, specialty=specialty[:200])
        person.save()
    return person


def crcsep_label(
    *,
    name: str,
    establishment_id: int,
    hospital_id: int,
    region_id: int,
    tranche_id: int,
    on: datetime.date,
    act: str,
    summary: str,
    user=None,
    coordinator: Person | None = None,
) -> tuple[CrcSepCentre, RegistryEvent]:
    """A CRC SEP labelled from ``on`` with 100,000 € a year (cover letter), its coordinator named in the
    application holding the mandate from the same day (Annexe 1 §3)."""
    centre = CrcSepCentre(
        name=name,
        establishment_id=establishment_id,
        hospital_id=hospital_id,
        region_id=region_id,
        tranche_id=tranche_id,
        status=CrcSepCentre.Status.LABELLED,
        labelled_on=on,
        annual_funding=ANNUAL_FUNDING_PER_CENTRE,
        coordinator=coordinator,
        source=act[:200],
    )
    centre.save()
    if coordinator is not None:
        CrcSepMandate(centre=centre, person=coordinator, start=on, source=act[:200]).save()
    event = registry_event_record(
        kind=RegistryEvent.Kind.CRC_SEP_LABELLED,
        on=on,
        summary=summary,
        act=act,
        user=user,
        crc_sep_centre=centre,
        establishment_id=establishment_id,
    )
    return centre, event


def crcsep_withdraw(*, centre: CrcSepCentre, on: datetime.date, act: str, summary: str, user=None) -> RegistryEvent:
    """The labellisation ends on ``on``: the centre leaves the labelled count (freeing the quota) and its
    coordinator's mandate ends."""
    centre = CrcSepCentre.objects.select_for_update().get(pk=centre.pk)
    centre.status, centre.withdrawn_on, centre.withdrawal_source = CrcSepCentre.Status.WITHDRAWN, on, act[:200]
    centre.save(update_fields=["status", "withdrawn_on", "withdrawal_source"])
    for mandate in CrcSepMandate.objects.filter(centre=centre).filter(Q(end__isnull=True) | Q(end__gt=on)):
        _end(mandate, on, act)
    return registry_event_record(
        kind=RegistryEvent.Kind.CRC_SEP_WITHDRAWN,
        on=on,
        summary=summary,
        act=act,
        user=user,
        crc_sep_centre=centre,
        establishment_id=centre.establishment_id,
    )
