"""Sender identities (issue 12, item 11): every DGOS bureau and ARS is reference data, not a constant.

``senders_load`` copies the public facts of ``letters/data/senders.json`` (called by
``load_reference_data``); ``demo_signatories_load`` adds fictitious signatories, flagged as
demonstration, for ``seed_demo`` and the tests. Letters read both through ``sender_identity``.
"""

from __future__ import annotations

import json
from pathlib import Path

from django.core.exceptions import ValidationError
from django.db import transaction

from .models import Letter, SenderIdentity, Signatory

DATA = Path(__file__).resolve().parent / "data" / "senders.json"

DGOS_PF2 = "DGOS-PF2"  # 2013 instruction header: Instruction DGOS/PF2/2013/308
DGOS_R4 = "DGOS-R4"  # Instruction DGOS/R4/2016/176 (CRC SEP, 2016 instruction)

# The text a letter applies, by kind: the CRC SEP decisions apply the 2016 instruction (bureau R4),
# every CRMR/CCMR procedure the 2013 one (bureau PF2).
SEP_KINDS = {Letter.Kind.CRCSEP_LABELLING, Letter.Kind.CRCSEP_REFUSAL, Letter.Kind.CRCSEP_WITHDRAWAL}


def ars_code(region) -> str:
    return f"ARS-{region.code}"


def instruction_bureau(kind: str) -> str:
    return DGOS_R4 if kind in SEP_KINDS else DGOS_PF2


@transaction.atomic
def senders_load(report=None) -> list[SenderIdentity]:
    """Create or update every sender identity from the shipped data (idempotent; signatories untouched)."""
    from centres.models import Region

    data = json.loads(DATA.read_text(encoding="utf-8"))
    rows = []
    for row in data["dgos"]:
        rows.append(
            (
                row["code"],
                {
                    "kind": SenderIdentity.Kind.DGOS,
                    "region": None,
                    "name": row["name"],
                    "lines": "\n".join(row["lines"]),
                    "seat_city": row["seat_city"],
                    "postal_address": "\n".join(row["postal_address"]),
                    "contact": row.get("contact", ""),
                    "instruction_reference": row.get("instruction_reference", ""),
                    "instruction_subject": row.get("instruction_subject", ""),
                },
            )
        )
    regions = {r.code: r for r in Region.objects.all()}
    for row in data["ars"]:
        region = regions.get(row["region"])
        if region is None:
            continue
        rows.append(
            (
                ars_code(region),
                {
                    "kind": SenderIdentity.Kind.ARS,
                    "region": region,
                    "name": f"Agence régionale de santé {region.name}",
                    "lines": f"Agence régionale de santé\n{region.name}",
                    "seat_city": row["seat_city"],
                    "postal_address": "\n".join(row["postal_address"]),
                },
            )
        )
    identities = []
    for code, values in rows:
        identity = SenderIdentity.objects.filter(code=code).first()
        if identity is None:
            identity = SenderIdentity.objects.create(code=code, **values)
            if report is not None:
                report.count("sender", True)
        else:
            changed = [k for k, v in values.items() if getattr(identity, k) != v]
            if changed:
                for k in changed:
                    setattr(identity, k, values[k])
                identity.save(update_fields=changed)
                if report is not None:
                    report.count("sender", False)
        identities.append(identity)
    return identities


# Demonstration signatories: fictitious names, flagged ``is_demo`` (shown as such in the admin and on
# the letters). Women and men alternate so that the agreement of titles is visible in the demo.
_DEMO_FIRST = [("Mme", "Claire"), ("M.", "Olivier"), ("Mme", "Nadia"), ("M.", "Thomas"), ("Mme", "Camille")]
_DEMO_LAST = ["Delorme", "Vasseur", "Benali", "Quentel", "Marchand", "Roussel", "Lebrun", "Carré", "Texier"]


@transaction.atomic
def demo_signatories_load() -> int:
    """One fictitious signatory per sender that has none (idempotent)."""
    from core.typography import agree

    created = 0
    if not SenderIdentity.objects.exists():
        senders_load()
    for position, identity in enumerate(SenderIdentity.objects.order_by("code")):
        if identity.signatories.exists():
            continue
        civility, first = _DEMO_FIRST[position % len(_DEMO_FIRST)]
        last = _DEMO_LAST[(position * 4) % len(_DEMO_LAST)]
        if identity.kind == SenderIdentity.Kind.DGOS:
            # 2013 instruction, signature block: "Pour la ministre et par délégation / Pour le Directeur général
            # de l'offre de soins et par délégation", signed by the sous-directeur
            delegation = (
                "Pour la ministre et par délégation\nPour le directeur général de l'offre de soins et par délégation"
            )
            title = "Sous-directeur du pilotage de la performance des acteurs de l'offre de soins"
            if identity.code == DGOS_R4:
                title = "Chef du bureau R4"
        else:
            delegation = "Pour le directeur général et par délégation"
            title = "Directeur de l'offre de soins"
        Signatory.objects.create(
            sender=identity,
            civility=civility,
            first_name=first,
            last_name=last,
            title=agree(title, civility),
            delegation=delegation,
            is_demo=True,
        )
        created += 1
    return created


def sender_identity(code: str) -> SenderIdentity:
    identity = SenderIdentity.objects.filter(code=code).prefetch_related("signatories").first()
    if identity is None:
        raise ValidationError(f"L'expéditeur « {code} » n'est pas enregistré : chargez les données de référence.")
    return identity


def instruction_citation(kind: str) -> str:
    """ "l'instruction DGOS/R4/2016/176 du 27 mai 2016 relative aux …" for the body of a letter of ``kind``."""
    bureau = sender_identity(instruction_bureau(kind))
    reference = bureau.instruction_reference
    text = f"l'{reference[0].lower()}{reference[1:]}" if reference else ""
    return f"{text} {bureau.instruction_subject}".strip()
