"""National-scale (and tiny) data for the benchmarks.

National: 18 regions, every CHU, 23 CRC SEP, ~110 CRMR with ~400 sites, ~1,800 CCMR, 5,000 procedures
spread over every state of every workflow, 20,000 issued letters, 5 years of activity reports.
Tiny: about 10 rows in every list. Rows are written with ``bulk_create``; the generator is
deterministic (seeded) so two runs measure the same data.
"""

from __future__ import annotations

import datetime
import random
from dataclasses import dataclass
from decimal import Decimal

from django.apps import apps
from django.db import transaction
from django.utils import timezone

from accounts.models import Role, User
from accounts.services import bind_coordinator
from centres import models as c
from core.reference import load_reference_data


@dataclass(frozen=True)
class Scale:
    name: str
    crmr: int
    sites_per_multi: int
    ccmr: int
    procedures: int
    letters: int
    report_years: int


SCALES = {
    # "About 10 rows in every list for every viewer": letters are spread over 18 regions, procedures
    # over three workflows and their states.
    "tiny": Scale("tiny", crmr=10, sites_per_multi=3, ccmr=10, procedures=300, letters=180, report_years=1),
    "small": Scale("small", crmr=30, sites_per_multi=4, ccmr=300, procedures=600, letters=2000, report_years=2),
    "national": Scale(
        "national", crmr=110, sites_per_multi=5, ccmr=1800, procedures=5000, letters=20000, report_years=5
    ),
}

FIRST_NAMES = [
    "Anne",
    "Bruno",
    "Claire",
    "David",
    "Élise",
    "François",
    "Gaëlle",
    "Hugo",
    "Inès",
    "Jean",
    "Karima",
    "Louis",
    "Marie",
    "Nicolas",
    "Odile",
    "Pierre",
    "Quentin",
    "Rose",
    "Sophie",
    "Thomas",
]
LAST_NAMES = [
    "Martin",
    "Bernard",
    "Dubois",
    "Thomas",
    "Robert",
    "Richard",
    "Petit",
    "Durand",
    "Leroy",
    "Moreau",
    "Simon",
    "Laurent",
    "Lefebvre",
    "Michel",
    "Garcia",
    "David",
    "Bertrand",
    "Roux",
    "Vincent",
    "Fournier",
]


def _person(rng: random.Random, n: int) -> c.Person:
    return c.Person(
        first_name=rng.choice(FIRST_NAMES),
        last_name=f"{rng.choice(LAST_NAMES)}-{n}",
        title=rng.choice(["Pr", "Dr"]),
        specialty="Génétique médicale",
        email=f"p{n}@chu.example.fr",
    )


@transaction.atomic
def generate(scale: Scale, *, seed: int = 2016) -> dict:
    """Fill an empty database (reference data already loaded) at ``scale``; return what was made."""
    rng = random.Random(seed)
    load_reference_data()
    from letters.senders import demo_signatories_load

    demo_signatories_load()  # the letters need a signatory (issue 12, item 11)
    today = timezone.localdate()
    chus = list(c.Establishment.objects.filter(kind=c.Establishment.Kind.CHU).select_related("region"))
    filieres = list(c.Filiere.objects.all())
    hospitals = {h.establishment_id: h for h in c.Hospital.objects.all()}

    people = c.Person.objects.bulk_create([_person(rng, n) for n in range(scale.crmr * 2 + scale.ccmr)])
    crmrs = c.Crmr.objects.bulk_create(
        [
            c.Crmr(
                name=f"CRMR {filieres[n % len(filieres)].name} n°{n}",
                filiere=filieres[n % len(filieres)],
                kind=c.Crmr.Kind.MULTI if n % 3 else c.Crmr.Kind.MONO,
                coordinating_establishment=chus[n % len(chus)],
                mig_amount=Decimal(rng.choice([100000, 150000, 200000])),
            )
            for n in range(scale.crmr)
        ]
    )
    sites, mandates, migs = [], [], []
    for n, crmr in enumerate(crmrs):
        sites.append(
            c.CrmrSite(
                crmr=crmr,
                establishment=crmr.coordinating_establishment,
                is_coordinating=True,
                hospital=hospitals.get(crmr.coordinating_establishment_id),
            )
        )
        if crmr.kind == c.Crmr.Kind.MULTI:
            for other in rng.sample(
                [e for e in chus if e.pk != crmr.coordinating_establishment_id], scale.sites_per_multi - 1
            ):
                sites.append(c.CrmrSite(crmr=crmr, establishment=other, hospital=hospitals.get(other.pk)))
        mandates.append(
            c.CoordinatorMandate(
                crmr=crmr,
                person=people[2 * n],
                establishment=crmr.coordinating_establishment,
                start=datetime.date(2008, 1, 1),
                end=datetime.date(2017, 1, 1),
            )
        )
        mandates.append(
            c.CoordinatorMandate(
                crmr=crmr,
                person=people[2 * n + 1],
                establishment=crmr.coordinating_establishment,
                start=datetime.date(2017, 1, 1),
            )
        )
        migs.append(
            c.MigAllocation(
                crmr=crmr,
                establishment=crmr.coordinating_establishment,
                amount=crmr.mig_amount,
                start=datetime.date(2008, 1, 1),
            )
        )
    c.CrmrSite.objects.bulk_create(sites)
    c.CoordinatorMandate.objects.bulk_create(mandates)
    c.MigAllocation.objects.bulk_create(migs)
    c.Ccmr.objects.bulk_create(
        [
            c.Ccmr(
                name=f"Centre de compétences n°{n}",
                crmr=crmrs[n % len(crmrs)],
                establishment=chus[(n * 7) % len(chus)],
                team_lead=people[2 * scale.crmr + n],
                created_on=datetime.date(2008 + n % 10, 1 + n % 12, 1),
                abrogated_on=datetime.date(2020, 6, 30) if n % 17 == 0 else None,
            )
            for n in range(scale.ccmr)
        ]
    )

    tranches = {t.number: t for t in c.Tranche.objects.all()}
    centres = []
    for quota in c.RegionalQuota.objects.select_related("region", "tranche").filter(quota__gt=0):
        region_chus = [e for e in chus if e.region_id == quota.region_id] or chus
        for k in range(quota.quota):
            est = region_chus[k % len(region_chus)]
            centres.append(
                c.CrcSepCentre(
                    name=f"CRC SEP {est.city} {k + 1}",
                    establishment=est,
                    hospital=hospitals[est.pk],
                    region=quota.region,
                    tranche=tranches[quota.tranche.number],
                    labelled_on=datetime.date(2016, 6, 1),
                )
            )
    if scale.name == "tiny":  # ten centres, one per region first, so that every ARS sees some
        first_per_region = {c_.region_id: c_ for c_ in reversed(centres)}
        centres = (list(first_per_region.values()) + [c_ for c_ in centres if c_ not in first_per_region.values()])[:10]
    centres = c.CrcSepCentre.objects.bulk_create(centres)

    users = _users(crmrs, chus)
    made = {"crmr": len(crmrs), "sites": len(sites), "ccmr": scale.ccmr, "crc_sep": len(centres)}
    made["letters"] = _letters(scale, rng, users["dgos"], chus, today)
    made["procedures"] = _procedures(scale, rng, users, crmrs, chus, centres)
    made["reports"] = _reports(scale, centres, users)
    return made


def _users(crmrs, chus) -> dict:
    users = {
        "dgos": User.objects.create(username="dgos", role=Role.DGOS, first_name="Alice", last_name="Durand"),
        "gp": User.objects.create(username="gp", role=Role.GROUPE_PERMANENT),
        "admin": User.objects.create(username="admin", role=Role.ADMIN, is_staff=True, is_superuser=True),
    }
    for region in c.Region.objects.all():
        users[f"ars-{region.code}"] = User.objects.create(username=f"ars-{region.code}", role=Role.ARS, region=region)
    for est in chus:
        users[f"etab-{est.finess_ej}"] = User.objects.create(
            username=f"etab-{est.finess_ej}", role=Role.ESTABLISHMENT, establishment=est
        )
    coordinator = User.objects.create(username="coord-1", role=Role.COORDINATOR, person=crmrs[0].coordinator)
    bind_coordinator(user=coordinator, crmr=crmrs[0])
    users["coord-1"] = coordinator
    return users


def _letters(scale: Scale, rng: random.Random, dgos, chus, today) -> int:
    """Issued letters (rows; each points at one shared, really rendered PDF to keep generation fast)."""
    from django.core.files.base import ContentFile

    from letters.engine import dgos_sender, letter_compose, letter_render_pdf
    from letters.models import Letter

    draft = letter_compose(
        kind=Letter.Kind.OTHER,
        sender=dgos_sender(),
        subject="Courrier de référence",
        body_template="letters/layout/test_body.html",
        context={"message": "Courrier de la base de mesure."},
        addressees=["Destinataire"],
        created_by=dgos,
    )
    data = letter_render_pdf(draft)
    from core.uploads import sha256_hex

    sha = sha256_hex(data)
    probe = Letter(pdf="")
    name = probe.pdf.storage.save("letters/bench/reference.pdf", ContentFile(data))
    kinds = [k for k, _ in Letter.Kind.choices]
    regions = list(c.Region.objects.all())
    rows = []
    for n in range(scale.letters):
        year = today.year - (n % 5)
        rows.append(
            Letter(
                reference=f"BENCH/{year}/{n:06d}",
                sender_code="BENCH",
                year=year,
                number=n + 1,
                kind=kinds[n % len(kinds)],
                issued_on=datetime.date(year, 1 + n % 12, 1 + n % 28),
                sender_label=draft.sender_label,
                sender_lines=draft.sender_lines,
                addressees=[f"Destinataire {n}"],
                copies=[],
                subject=f"Courrier {n}",
                body_html=draft.body_html,
                signatory_name=draft.signatory_name,
                signatory_function=draft.signatory_function,
                region=regions[n % len(regions)],
                created_by=dgos,
                status=Letter.Status.ISSUED,
                pdf=name,
                sha256=sha,
                rendered_at=timezone.now(),
            )
        )
    rows = Letter.objects.bulk_create(rows, batch_size=2000)
    from letters.models import LetterReader

    # who reads them (issue 13, item 6): DGOS and the ARS of the letter's region, as a CPOM letter
    readers = [LetterReader(letter=row, party="dgos") for row in rows]
    readers += [LetterReader(letter=row, party=f"ars:{row.region.code}") for row in rows]
    LetterReader.objects.bulk_create(readers, batch_size=5000)
    return len(rows)


# Procedure generators are contributed per workflow model: ``PROCEDURE_GENERATORS[app_label.Model] =
# func(scale, rng, users, crmrs, chus, centres, count) -> int``. A model missing here is skipped.
PROCEDURE_GENERATORS: dict = {}


def _procedures(scale, rng, users, crmrs, chus, centres) -> int:
    generators = [(label, func) for label, func in PROCEDURE_GENERATORS.items() if _model_exists(label)]
    if not generators:
        return 0
    per = max(1, scale.procedures // len(generators))
    return sum(func(scale, rng, users, crmrs, chus, centres, per) for _, func in generators)


def _reports(scale, centres, users) -> int:
    func = PROCEDURE_GENERATORS.get("reports")
    return func(scale, centres, users) if func else 0


def _model_exists(label: str) -> bool:
    if "." not in label:
        return False
    try:
        apps.get_model(label)
    except LookupError:
        return False
    return True
