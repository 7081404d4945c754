"""The official-letter engine used by every workflow.

    draft = letter_compose(kind=..., sender=dgos_sender(), subject=..., body_template="app/letters/x.html",
                           context={...}, addressees=[...], copies=[...], dossier=obj, created_by=user)
    pdf_bytes = letter_render_pdf(draft)           # preview: nothing saved, reference "PROJET"
    letter = letter_issue(draft)                    # inside the decision's transaction

``letter_issue`` numbers the letter (sequential per sender and year, counter row locked), saves it as
``pending`` and queues the rendering task on commit. If the broker is down the letter stays pending and
``dispatch_pending_letters`` (Celery beat, every minute) queues it again: nothing is lost.
"""

from __future__ import annotations

import datetime
import logging
from dataclasses import dataclass

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone

from core import typography as typo

from .models import Letter, LetterCounter, LetterReader
from .tasks import enqueue_letter_rendering
from .verification import new_verification_code

logger = logging.getLogger(__name__)

DGOS_SENDER_CODE = "DGOS-PF2"


@dataclass(frozen=True)
class Sender:
    """What a letter takes from its sender identity (reference data, ``letters.senders``)."""

    code: str
    label: str
    lines: tuple[str, ...]
    signature_formula: str
    signatory_name: str
    signatory_function: str
    city: str = ""
    address: tuple[str, ...] = ()
    party: str = ""
    is_demo: bool = False


@dataclass(frozen=True)
class Recipient:
    """An addressee or copied party: its address block and the reader keys it gives (``LetterReader``)."""

    label: str
    lines: tuple[str, ...]
    parties: tuple[str, ...] = ()

    def as_json(self) -> dict:
        return {"label": self.label, "lines": list(self.lines)}


def _sender(identity) -> Sender:
    signatory = identity.current_signatory()
    if signatory is None:
        raise ValidationError(
            f"Aucun signataire n'est enregistré pour « {identity.name} » : un administrateur doit le renseigner "
            "(administration, expéditeurs)."
        )
    party = f"ars:{identity.region.code}" if identity.region_id else "dgos"
    return Sender(
        code=identity.code,
        label=identity.name,
        lines=tuple(identity.line_list),
        signature_formula=signatory.delegation.strip(),
        signatory_name=signatory.full_name,
        signatory_function=signatory.title,
        city=identity.seat_city,
        # The bureau's mailbox closes its address block: "toutes les demandes … à adresser à la DGOS au
        # bureau PF2 à l'adresse qui suit [DGOS-PF2@sante.gouv.fr]" (2013 instruction, lettre de couverture).
        address=tuple(identity.address_lines) + ((f"Courriel : {identity.contact}",) if identity.contact else ()),
        party=party,
        is_demo=signatory.is_demo,
    )


def dgos_sender(bureau: str = DGOS_SENDER_CODE) -> Sender:
    """A DGOS bureau (2013 instruction header: bureau PF2; the CRC SEP instruction: bureau R4), its signatory
    and delegation line from the reference data."""
    from .senders import sender_identity

    return _sender(sender_identity(bureau))


def ars_sender(region) -> Sender:
    """The regional health agency of ``region``: seat city, address and signatory from the reference data."""
    from .senders import ars_code, sender_identity

    return _sender(sender_identity(ars_code(region)))


# --- Recipients: address blocks built from the registry, with the reader keys of item 6 -------------


def to_establishment_director(establishment) -> Recipient:
    """The président du directoire of ``establishment`` (2013 instruction, Annexe 1 and 2; 2016 instruction)."""
    civility = getattr(establishment, "director_civility", "")
    function = typo.agree("Président du directoire", civility) if civility else "Présidence du directoire"
    name = establishment.director_name
    person = f"{typo.civility_long(civility)} {name}".strip() if name else ""
    lines = [line for line in (person, function, establishment.name, establishment.city) if line]
    label = f"{function} {typo.de(establishment.name)}" + (f" ({name})" if name else "")
    return Recipient(label=label, lines=tuple(lines), parties=(f"est:{establishment.pk}",))


def to_sender_identity(code: str, *, function: str = "") -> Recipient:
    """A DGOS bureau or an ARS as addressee or copy, with its postal address."""
    from .senders import sender_identity

    identity = sender_identity(code)
    party = f"ars:{identity.region.code}" if identity.region_id else "dgos"
    lines = ([function] if function else []) + identity.line_list[-2:] + identity.address_lines
    label = f"{function} — {identity.name}" if function else identity.name
    return Recipient(label=label, lines=tuple(lines), parties=(party,))


def to_ars(region, *, function: str = "") -> Recipient:
    from .senders import ars_code

    return to_sender_identity(ars_code(region), function=function)


def to_dgos(bureau: str = DGOS_SENDER_CODE) -> Recipient:
    return to_sender_identity(bureau)


def to_groupe_permanent() -> Recipient:
    """The vice-président santé of the CoSPro, responsable of the groupe permanent (2013 instruction)."""
    label = (
        "Vice-présidence santé du comité de suivi et de prospective du plan national maladies rares, "
        "responsable du groupe permanent"
    )
    return Recipient(label=label, lines=(label,), parties=("gp",))


def to_coordinator(crmr, person=None, *, function: str = "Coordonnateur", establishment=None) -> Recipient:
    """A coordinator of ``crmr`` (a person of the registry): "Pr Anne X, coordonnatrice du centre …".

    The function is agreed with the person's civility; unknown civility gives the neutral "Coordination"."""
    civility = getattr(person, "civility", "") if person is not None else ""
    agreed = typo.agree(function, civility) if civility else None
    if agreed is None:
        agreed = "Coordination" if function == "Coordonnateur" else typo.agree(function, "M.")
    name = str(person) if person is not None else ""
    target = f"{agreed} du centre de référence maladies rares « {crmr.name} »"
    establishment = establishment or crmr.coordinating_establishment
    lines = [line for line in (name, target, establishment.name, establishment.city) if line]
    parties = [f"crmr:{crmr.pk}"] + ([f"person:{person.pk}"] if person is not None and person.pk else [])
    label = f"{name}, {target[0].lower()}{target[1:]}" if name else target
    return Recipient(label=label, lines=tuple(lines), parties=tuple(parties))


def _as_json(item):
    return item.as_json() if isinstance(item, Recipient) else str(item)


def letter_compose(
    *,
    kind: str,
    sender: Sender,
    subject: str,
    body_template: str,
    context: dict,
    addressees: list,
    copies: list = (),
    attachments: list[str] = (),
    references_line: str = "",
    dossier=None,
    region=None,
    created_by,
    cites: Letter | None = None,
    issued_on: datetime.date | None = None,
    readers: tuple[str, ...] = (),
) -> Letter:
    """An unsaved letter whose body is rendered now and frozen (templates may change later).

    Addressees and copies are ``Recipient`` (address block + reader keys) or plain strings; who may read
    the letter is its sender, the parties of its addressees and copies, and ``readers`` (issue 13, item 6)."""
    from .senders import instruction_bureau, sender_identity

    bureau = sender_identity(instruction_bureau(kind))
    instruction = bureau.instruction_reference
    body_html = render_to_string(
        body_template, {**context, "sender": sender, "instruction_reference": instruction, "bureau": bureau}
    )
    letter = Letter(
        reference="PROJET",
        sender_code=sender.code,
        year=(issued_on or timezone.localdate()).year,
        number=0,
        kind=kind,
        issued_on=issued_on or timezone.localdate(),
        sender_label=sender.label,
        sender_lines=list(sender.lines),
        sender_city=sender.city,
        sender_address=list(sender.address),
        instruction=instruction,
        addressees=[_as_json(a) for a in addressees],
        copies=[_as_json(c) for c in copies],
        subject=subject,
        references_line=references_line,
        attachments=[str(a) for a in attachments],
        body_html=body_html,
        signature_formula=sender.signature_formula,
        signatory_name=sender.signatory_name,
        signatory_function=sender.signatory_function,
        region=region,
        created_by=created_by,
        cites=cites,
    )
    parties = {sender.party} if sender.party else set()
    for item in (*addressees, *copies):
        if isinstance(item, Recipient):
            parties.update(item.parties)
    parties.update(readers)
    letter._reader_parties = sorted(p for p in parties if p)
    letter._demo_signatory = sender.is_demo
    if dossier is not None:
        letter.content_type = ContentType.objects.get_for_model(dossier)
        letter.object_id = dossier.pk
    return letter


def _next_number(sender_code: str, year: int) -> int:
    LetterCounter.objects.get_or_create(sender_code=sender_code, year=year)
    counter = LetterCounter.objects.select_for_update().get(sender_code=sender_code, year=year)
    counter.last_number += 1
    counter.save(update_fields=["last_number"])
    return counter.last_number


def letter_issue(draft: Letter, *, establishments=()) -> Letter:
    """Number and save the letter as pending, then queue its rendering once the transaction commits."""
    with transaction.atomic():
        draft.number = _next_number(draft.sender_code, draft.year)
        draft.reference = f"{draft.sender_code}/{draft.year}/{draft.number:05d}"
        draft.verification_code = new_verification_code()  # printed in the footer (issue 13, item 2)
        draft.status = Letter.Status.PENDING
        draft.full_clean(exclude=["pdf", "sha256", "dossier"])
        draft.save()
        if establishments:
            draft.establishments.set(establishments)
        parties = getattr(draft, "_reader_parties", [])
        LetterReader.objects.bulk_create([LetterReader(letter=draft, party=p) for p in parties])
        transaction.on_commit(lambda pk=draft.pk: enqueue_letter_rendering(pk))
    return draft
