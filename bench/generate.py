"""Benchmark data with ten years of history: tiny, small, national and ten times national (x10).

National: 18 regions, every CHU, 23 CRC SEP, ~110 CRMR with ~400 sites, ~1,800 CCMR, 5,000 procedures
spread over every state of every workflow, 20,000 issued letters over ten years, ten years of activity
reports. x10: ten times that (~50,000 procedures, 200,000 letters, 18,000 CCMR). Tiny: about 10 rows in
every list.

A database in service is not young: every dossier carries about six logged transitions (django-fsm-log
rows), the registry its change history (django-simple-history rows), the alerts are computed, and every
letter has its own PDF (a tiny valid PDF naming the letter: rendering 200,000 letters with WeasyPrint
would take hours, and what the pages and exports read is one distinct file per letter, not its layout).
Rows are written with ``bulk_create``; the generator is deterministic (seeded) so two runs measure the
same data.
"""

from __future__ import annotations

import datetime
import os
import random
from dataclasses import dataclass
from decimal import Decimal

from django.apps import apps
from django.core.files.base import ContentFile
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
    letter_years: int = 10


SCALES = {
    # "About 10 rows in every list for every viewer": letters are spread over 18 regions, procedures
    # over three workflows and their states.
    "tiny": Scale("tiny", crmr=10, sites_per_multi=3, ccmr=10, procedures=300, letters=180, report_years=1),
    "small": Scale("small", crmr=30, sites_per_multi=4, ccmr=300, procedures=600, letters=2000, report_years=10),
    "national": Scale(
        "national", crmr=110, sites_per_multi=5, ccmr=1800, procedures=5000, letters=20000, report_years=10
    ),
    "x10": Scale("x10", crmr=1100, sites_per_multi=5, ccmr=18000, procedures=50000, letters=200000, report_years=10),
}

TRANSITIONS_PER_DOSSIER = 6  # about six logged steps per dossier: submitted, instructed, asked, answered…
BATCH = 5000

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
    # Île-de-France first: the ARS of region 11 reads the CCMR pages, and sees some even at the tiny scale
    ccmr_chus = sorted(chus, key=lambda e: (e.region.code != "11", e.pk))
    ccmrs = c.Ccmr.objects.bulk_create(
        [
            c.Ccmr(
                name=f"Centre de compétences n°{n}",
                crmr=crmrs[n % len(crmrs)],
                establishment=ccmr_chus[(n * 7) % len(ccmr_chus)],
                team_lead=people[2 * scale.crmr + n],
                created_on=datetime.date(2008 + n % 10, 1 + n % 12, 1),
                abrogated_on=datetime.date(2020, 6, 30) if n % 17 == 0 else None,
            )
            for n in range(scale.ccmr)
        ],
        batch_size=BATCH,
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
    made["history"] = _history(
        rng,
        users["dgos"],
        {
            c.Person: people,
            c.Crmr: crmrs,
            c.CrmrSite: sites,
            c.CoordinatorMandate: mandates,
            c.MigAllocation: migs,
            c.Ccmr: ccmrs,
            c.CrcSepCentre: centres,
        },
    )
    made["letters"] = _letters(scale, rng, users["dgos"], chus, today)
    made["procedures"] = _procedures(scale, rng, users, crmrs, chus, centres)
    made["reports"] = _reports(scale, centres, users)
    made["transitions"] = _transitions(rng, list(users.values()))
    from reporting.alerts import alerts_refresh

    made["alerts"] = alerts_refresh()  # the alerts a database in service has (the beat task computes them)
    return made


def _history(rng: random.Random, user, rows_by_model: dict) -> int:
    """The registry's change history (django-simple-history): each row's creation, and for about one
    registry row in two one or two later changes, spread over ten years."""
    now = timezone.now()
    made = 0
    for model, rows in rows_by_model.items():
        rows = [row for row in rows if row.pk]
        created = now - datetime.timedelta(days=3650)
        model.history.bulk_history_create(
            rows, batch_size=BATCH, default_user=user, default_change_reason="Reprise", default_date=created
        )
        made += len(rows)
        for change in (1, 2):
            changed = [row for row in rows if rng.random() < 0.5 / change]
            date = now - datetime.timedelta(days=3650 - change * 1200)
            model.history.bulk_history_create(
                changed,
                batch_size=BATCH,
                update=True,
                default_user=user,
                default_change_reason="Mise à jour",
                default_date=date,
            )
            made += len(changed)
    return made


def _transitions(rng: random.Random, users: list) -> int:
    """About six django-fsm-log rows per dossier of every workflow (activity reports included): a path
    through the workflow's states ending in the dossier's current state, over the past ten years; the
    last step between a day and ~14 months ago, so that some dossiers wait long enough to raise alerts."""
    from django.contrib.contenttypes.models import ContentType
    from django_fsm_log.models import StateLog

    from core.workflow import state_field

    now = timezone.now()
    models = [apps.get_model(label) for label in PROCEDURE_GENERATORS if _model_exists(label)]
    models.append(apps.get_model("activity_reports", "ActivityReport"))
    made = 0
    for model in models:
        field = state_field(model)
        if field is None:
            continue
        states = [value for value, _ in field.choices]
        index = {value: i for i, value in enumerate(states)}
        content_type = ContentType.objects.get_for_model(model)
        rows = []
        for pk, state in model._default_manager.order_by("pk").values_list("pk", field.attname).iterator(2000):
            i = index.get(state, 0)
            path = [states[(i - TRANSITIONS_PER_DOSSIER + k) % len(states)] for k in range(TRANSITIONS_PER_DOSSIER + 1)]
            path[-1] = state
            last = now - datetime.timedelta(days=1 + rng.randrange(420), minutes=rng.randrange(1440))
            step = datetime.timedelta(days=1 + rng.randrange(60))
            start = last - step * (TRANSITIONS_PER_DOSSIER - 1) - datetime.timedelta(days=rng.randrange(3000))
            for k in range(TRANSITIONS_PER_DOSSIER):
                rows.append(
                    StateLog(
                        timestamp=last if k == TRANSITIONS_PER_DOSSIER - 1 else start + step * k,
                        by=users[(pk + k) % len(users)],
                        source_state=path[k],
                        state=path[k + 1],
                        transition=f"step_{k + 1}",
                        content_type=content_type,
                        object_id=pk,
                        description="",
                    )
                )
            if len(rows) >= BATCH:
                made += len(StateLog.objects.bulk_create(rows, batch_size=BATCH))
                rows = []
        made += len(StateLog.objects.bulk_create(rows, batch_size=BATCH))
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


def tiny_pdf(text: str) -> bytes:
    """A valid one-page PDF showing ``text`` (ASCII), a few hundred bytes, its xref offsets exact."""
    escaped = text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")
    content = f"BT /F1 14 Tf 72 770 Td ({escaped}) Tj ET".encode("ascii")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 4 0 R >> >> "
        b"/Contents 5 0 R >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        b"<< /Length %d >>\nstream\n%s\nendstream" % (len(content), content),
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for offset in offsets:
        out += b"%010d 00000 n \n" % offset
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


def _write_pdf(storage, name: str, data: bytes) -> str:
    """Write straight into a file-system storage (200,000 ``storage.save`` calls would each probe for a
    free name); any other storage through its API."""
    try:
        path = storage.path(name)
    except NotImplementedError:
        return storage.save(name, ContentFile(data))
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "wb") as f:
        f.write(data)
    return name


def _letters(scale: Scale, rng: random.Random, dgos, chus, today) -> int:
    """Issued letters over ``letter_years`` years, each with its own PDF (see the module docstring), and
    who reads them (issue 13, item 6: DGOS and the ARS of the letter's region, as a CPOM letter)."""
    from core.uploads import sha256_hex
    from letters.engine import dgos_sender, letter_compose
    from letters.models import Letter, LetterReader

    draft = letter_compose(
        kind=Letter.Kind.OTHER,
        sender=dgos_sender(),
        subject="Courrier de référence",
        body_template="letters/layout/test_body.html",
        context={"message": "Courrier de la base de mesure."},
        addressees=["Destinataire"],
        created_by=dgos,
    )
    storage = Letter._meta.get_field("pdf").storage
    kinds = [k for k, _ in Letter.Kind.choices]
    regions = list(c.Region.objects.all())
    rendered_at = timezone.now()
    made = 0
    for first in range(0, scale.letters, BATCH):
        rows = []
        for n in range(first, min(first + BATCH, scale.letters)):
            year = today.year - (n % scale.letter_years)
            reference = f"BENCH/{year}/{n:06d}"
            data = tiny_pdf(f"Courrier {reference}")
            name = _write_pdf(storage, f"letters/bench/{year}/{n:06d}.pdf", data)
            rows.append(
                Letter(
                    reference=reference,
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
                    sha256=sha256_hex(data),
                    rendered_at=rendered_at,
                )
            )
        rows = Letter.objects.bulk_create(rows, batch_size=BATCH)
        readers = [LetterReader(letter=row, party="dgos") for row in rows]
        readers += [LetterReader(letter=row, party=f"ars:{row.region.code}") for row in rows]
        LetterReader.objects.bulk_create(readers, batch_size=BATCH)
        made += len(rows)
    return made


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
