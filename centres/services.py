"""The registry's one door for writes: one function per act, each writing dated rows and a registry event
that cites the act.

A registry fact that an act changes is a row valid from ``start`` until ``end`` (exclusive). An act
decided today with a later effective date writes rows that start on that date: the registry read at any
date (``centres.selectors``) shows the old fact until the day before and the new one from the day, with no
job flipping anything. Every write goes through ``save()`` so django-simple-history records it.

Workflows (labellisation, succession, competence centres) call these functions and never write registry
tables themselves. Sources: 2013 instruction (Instruction DGOS/PF2/2013/308), Annexe 1 "Officialisation du nouveau
coordonnateur" and "Affectation de la dotation MIG", special cases steps 6–7, Annexe 2 steps 5–6; 2016 instruction
(instruction CRC SEP 2016), cover letter and Annexe 2 (labelled centres, 100,000 € a year).
"""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

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
    """End a dated row on ``on`` (its last day is ``on`` − 1)."""
    row.end = max(on, row.start)
    row.ended_by = act[:200]
    row.save(update_fields=["end", "ended_by"])


def _split(row, on: datetime.date, act: str, **changes):
    """The fact ``row`` changes on ``on``: the row ends on ``on`` and a copy with ``changes`` runs from
    ``on`` to the row's former end. A row starting on ``on`` itself is changed in place (the later
    decision of the same day wins). Acts may be decided in any order: splitting the row in force on the
    act's date, and leaving the rows of later-dated acts as they are, gives the same network as
    replaying the acts in date order."""
    if row.start >= on:
        for name, value in changes.items():
            setattr(row, name, value)
        row.source = act[:200]
        row.save()
        return row
    old_end = row.end
    _end(row, on, act)
    fields = {
        f.attname: getattr(row, f.attname)
        for f in row._meta.concrete_fields
        if not f.primary_key and f.name not in ("start", "end", "ended_by", "source")
    }
    fields.update({f"{k}_id" if hasattr(row, f"{k}_id") else k: getattr(v, "pk", v) for k, v in changes.items()})
    new = type(row)(**fields, start=on, end=old_end, source=act[:200])
    new.save()
    return new


def _next_start(queryset, on: datetime.date) -> datetime.date | None:
    """The start of the first row decided to begin after ``on``."""
    return queryset.filter(start__gt=on).order_by("start").values_list("start", flat=True).first()


# --- Today's values kept on the CRMR row (for the workflows' scoping) --------------------------------


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


def _crmr_event(*, kind: str, crmr: Crmr, establishment: Establishment, on, act: str, user, summary: str):
    """The event of an act on a CRMR's coordination or MIG, then today's values brought up to date."""
    event = registry_event_record(
        kind=kind, on=on, summary=summary, act=act, user=user, crmr=crmr, establishment=establishment
    )
    registry_refresh_current(crmr_ids=[crmr.pk])
    return event


# --- Coordinators (2013 instruction, Annexe 1, "Officialisation du nouveau coordonnateur") --------------------


def _mandate_ended(mandate: CoordinatorMandate, *, crmr: Crmr, on: datetime.date, act: str, user) -> RegistryEvent:
    """The event of a coordinator's mandate ended on ``on`` (its row already ended by the caller)."""
    return registry_event_record(
        kind=RegistryEvent.Kind.MANDATE_ENDED,
        on=on,
        summary=f"Fin du mandat de {mandate.person} comme coordonnateur du CRMR « {crmr} »",
        act=act,
        user=user,
        crmr=crmr,
        establishment=mandate.establishment,
    )


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
    """Succession of the coordinator on ``on``: the mandate in force that day ends on ``on`` (the outgoing
    coordinator's last day is ``on`` − 1) and the new one starts; it runs until a change already decided
    for a later date, if any."""
    with transaction.atomic():
        Crmr.objects.select_for_update().filter(pk=crmr.pk).first()
        mandates = CoordinatorMandate.objects.filter(crmr=crmr)
        current = mandates.active_on(on).first()
        until = current.end if current else _next_start(mandates, on)
        if current is not None:
            former = former or current.person
            if current.start >= on:
                current.end, current.ended_by = current.start, act[:200]
                current.save(update_fields=["end", "ended_by"])
            else:
                _end(current, on, act)
            _mandate_ended(current, crmr=crmr, on=on, act=act, user=user)
        mandate = CoordinatorMandate(
            crmr=crmr, person=person, establishment=establishment, start=on, end=until, source=act[:200]
        )
        mandate.full_clean()
        mandate.save()
        registry_event_record(
            kind=RegistryEvent.Kind.MANDATE_STARTED,
            on=on,
            summary=f"Début du mandat de {person} comme coordonnateur du CRMR « {crmr} »",
            act=act,
            user=user,
            crmr=crmr,
            establishment=establishment,
        )
        return registry_event_record(
            kind=RegistryEvent.Kind.COORDINATOR_CHANGED,
            on=on,
            summary="{new} succède à {old} comme coordonnateur du CRMR « {crmr} »".format(
                new=person, old=former or "—", crmr=crmr
            ),
            act=act,
            user=user,
            crmr=crmr,
            establishment=establishment,
        )


def mandate_end(*, crmr: Crmr, on: datetime.date, act: str, user=None) -> CoordinatorMandate | None:
    """The mandate in force on ``on`` ends that day with no successor named (a vacancy, until a special
    case gives one)."""
    with transaction.atomic():
        current = CoordinatorMandate.objects.filter(crmr=crmr).active_on(on).first()
        if current is None:
            return None
        _end(current, on, act)
        _mandate_ended(current, crmr=crmr, on=on, act=act, user=user)
        return current


# --- Coordinating site (2013 instruction, Annexe 1, step 3 (2) and special cases) ----------------------------


def coordination_transfer(
    *, crmr: Crmr, to_establishment: Establishment, on: datetime.date, act: str, user=None
) -> RegistryEvent | None:
    """The coordination of ``crmr`` moves to ``to_establishment`` on ``on``: the site roles in force that
    day are split and swapped from ``on`` (the former coordinating site becomes constitutive, the
    receiving site coordinating) until a transfer already decided for a later date; an establishment
    without a site gets one, which stays a constitutive site after that later transfer. Nothing happens
    when the establishment already coordinates on ``on``, but the date is marked."""
    with transaction.atomic():
        Crmr.objects.select_for_update().filter(pk=crmr.pk).first()
        sites = list(CrmrSite.objects.active_on(on).filter(crmr=crmr))
        current = next((s for s in sites if s.is_coordinating), None)
        if current and current.establishment_id == to_establishment.pk:
            # Already coordinating on ``on``: the act still marks that it coordinates from that day, so a
            # transfer decided later for an earlier date stops there.
            _split(current, on, act)
            return registry_event_record(
                kind=RegistryEvent.Kind.COORDINATION_TRANSFERRED,
                on=on,
                summary=f"Coordination du CRMR « {crmr} » confirmée à {to_establishment}",
                act=act,
                user=user,
                crmr=crmr,
                establishment=to_establishment,
            )
        receiving = next((s for s in sites if s.establishment_id == to_establishment.pk), None)
        until = current.end if current else None
        if current is not None:
            _split(current, on, act, is_coordinating=False)
        if receiving is not None and receiving.end == until:
            _split(receiving, on, act, is_coordinating=True)
        else:
            # The receiving establishment coordinates until the next decided transfer, if any, and is a
            # constitutive site again from then: as long as its row ran, or, if it was not a site on ``on``,
            # until its own next row (a transfer decided earlier for a later day), else for good.
            if receiving is not None:
                tail_end = receiving.end
                _end(receiving, on, act)
            else:
                tail_end = (
                    CrmrSite.objects.filter(crmr=crmr, establishment=to_establishment, start__gt=on)
                    .order_by("start")
                    .values_list("start", flat=True)
                    .first()
                )
            site = receiving or CrmrSite(crmr=crmr, establishment=to_establishment)
            CrmrSite(
                crmr=crmr,
                establishment_id=site.establishment_id,
                hospital_id=site.hospital_id,
                lead_id=site.lead_id,
                is_coordinating=True,
                start=on,
                end=until,
                source=act[:200],
            ).save()
            already = CrmrSite.objects.filter(crmr=crmr, establishment_id=site.establishment_id, start=until)
            if until is not None and (tail_end is None or tail_end > until) and not already.exists():
                CrmrSite(
                    crmr=crmr,
                    establishment_id=site.establishment_id,
                    hospital_id=site.hospital_id,
                    lead_id=site.lead_id,
                    start=until,
                    end=tail_end,
                    source=act[:200],
                ).save()
        return _crmr_event(
            kind=RegistryEvent.Kind.COORDINATION_TRANSFERRED,
            crmr=crmr,
            establishment=to_establishment,
            on=on,
            act=act,
            user=user,
            summary="Coordination du CRMR « {crmr} » transférée : {old} → {new}".format(
                crmr=crmr, old=current.establishment if current else "—", new=to_establishment
            ),
        )


# --- MIG of coordination (2013 instruction, Annexe 1, "Affectation de la dotation MIG"; special cases step 7) --


def mig_amount_on(crmr: Crmr, establishment: Establishment, on: datetime.date) -> Decimal:
    rows = MigAllocation.objects.active_on(on).filter(crmr=crmr, establishment=establishment)
    return sum(rows.values_list("amount", flat=True), Decimal("0"))


def _mig_change(crmr: Crmr, establishment: Establishment, delta: Decimal, on: datetime.date, act: str, reason: str):
    """Add ``delta`` to the MIG of ``establishment`` from ``on``: the allocation in force that day is split
    with its new amount, and allocations already decided for later dates are adjusted by the same delta
    (changes commute: the order in which acts are decided does not matter)."""
    if not delta:
        return
    rows = MigAllocation.objects.filter(crmr=crmr, establishment=establishment)
    later = list(rows.filter(start__gt=on).order_by("start"))  # the next one bounds a new allocation
    current = rows.active_on(on).first()
    if current is not None and current.amount + delta == 0:
        _end(current, on, act)  # nothing left: the allocation ends, no row of 0 €
    elif current is not None:
        _split(current, on, act, amount=current.amount + delta, reason=reason[:300])
    else:
        until = later[0].start if later else None
        MigAllocation(
            crmr=crmr, establishment=establishment, amount=delta, start=on, end=until, reason=reason[:300], source=act
        ).save()
    for row in later:
        row.amount += delta
        row.save(update_fields=["amount"])


def mig_allocate(
    *,
    crmr: Crmr,
    establishment: Establishment,
    amount: Decimal,
    on: datetime.date,
    act: str,
    user=None,
    reason: str = "",
) -> RegistryEvent:
    """``amount`` of MIG for the coordination of ``crmr`` allocated to ``establishment`` from ``on``."""
    with transaction.atomic():
        _mig_change(crmr, establishment, Decimal(amount), on, act, reason or "Attribution de la dotation MIG")
        return _crmr_event(
            kind=RegistryEvent.Kind.MIG_ALLOCATED,
            crmr=crmr,
            establishment=establishment,
            on=on,
            act=act,
            user=user,
            summary=f"Dotation MIG de coordination du CRMR « {crmr} » attribuée à {establishment} : {amount} €",
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
    ``amount`` is the agreed part (all of the former's MIG on ``on`` when None, part, or none). The former
    establishment keeps the rest; with nothing agreed, nothing moves and the event says so."""
    with transaction.atomic():
        total = mig_amount_on(crmr, from_establishment, on)
        moved = total if amount is None else min(Decimal(amount), total)
        reason = f"Transfert de la coordination (courrier {act})"
        _mig_change(crmr, from_establishment, -moved, on, act, "Part conservée selon l'accord des établissements")
        _mig_change(crmr, to_establishment, moved, on, act, reason)
        return _crmr_event(
            kind=RegistryEvent.Kind.MIG_MOVED,
            crmr=crmr,
            establishment=to_establishment,
            on=on,
            act=act,
            user=user,
            summary=(
                f"Dotation MIG de coordination du CRMR « {crmr} » : "
                f"{from_establishment} → {to_establishment} ({moved} €)"
            ),
        )


def mig_debase(
    *,
    crmr: Crmr,
    establishment: Establishment,
    on: datetime.date,
    act: str,
    user=None,
    amount: Decimal | None = None,
) -> RegistryEvent:
    """Special cases, MIG: "la MIG initiale du CRMR, au moment de l'appel à projet, est débasée" from ``on``:
    ``amount`` (the MIG noted when the call opened; by default all the establishment holds on ``on``), never
    more than it holds."""
    with transaction.atomic():
        held = mig_amount_on(crmr, establishment, on)
        amount = held if amount is None else min(Decimal(amount), held)
        _mig_change(crmr, establishment, -amount, on, act, "Dotation débasée")
        return _crmr_event(
            kind=RegistryEvent.Kind.MIG_DEBASED,
            crmr=crmr,
            establishment=establishment,
            on=on,
            act=act,
            user=user,
            summary=f"Dotation MIG de coordination du CRMR « {crmr} » débasée de {establishment} ({amount} €)",
        )


# --- Competence centres (2013 instruction, Annexe 2, steps 5–6) -----------------------------------------------


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
        summary=f"Création du centre de compétences « {name} »" + f" ({crmr.name})",
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
        summary=f"Abrogation du centre de compétences « {ccmr.name} »" + f" ({ccmr.crmr.name})",
        act=act,
        user=user,
        crmr=ccmr.crmr,
        ccmr=ccmr,
        establishment_id=ccmr.establishment_id,
    )


# --- CRC SEP (2016 instruction, cover letter, Annexe 1 §3, Annexe 2) ---------------------------------------


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
