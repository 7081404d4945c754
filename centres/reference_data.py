"""Loading the public reference facts shipped in ``centres/data/`` (copied from the texts' annexes).

Idempotent: natural keys (INSEE code, FINESS, tranche number, filière name) are updated in place, so a
second run changes nothing."""

from __future__ import annotations

import csv
import datetime
from decimal import Decimal
from pathlib import Path

from core.reference import LoadReport

from .models import Establishment, Filiere, Hospital, Region, RegionalQuota, Tranche

DATA_DIR = Path(__file__).resolve().parent / "data"

# The 2016 instruction, cover letter: tranche 1 funded in 2015 (12 centres, labelled "au plus tard d'ici à
# septembre 2016"), tranche 2 "à l'étude" for 2017 (11 centres). See docs/decisions.md for the date.
TRANCHES = [
    {
        "number": 1,
        "label": "Tranche 1 (financée en 2015)",
        "funding_year": 2015,
        "deadline": datetime.date(2016, 9, 30),
        "planned_centres": 12,
    },
    {
        "number": 2,
        "label": "Tranche 2 (prévisionnel 2017)",
        "funding_year": 2017,
        "deadline": None,
        "planned_centres": 11,
    },
]

# The 2016 instruction, "Textes de référence" and cover letter: tranche 1's 1,2 M€ are "alloués en crédits AC
# reconductibles dans la seconde circulaire budgétaire 2015", the circular of 30 October 2015 cited in the
# references; its campaign opens with the instruction (27 May 2016). Tranche 2 is "Prévisionnel 2017",
# funding "à l'étude": no campaign until DGOS opens one. Written only when the tranche is created, so a
# second load never undoes what DGOS recorded since.
BUDGET_CIRCULAR_2015 = (
    "Circulaire N°DGOS/R1/2015/332 du 30 octobre 2015 relative à la campagne tarifaire et budgétaire 2015 "
    "des établissements de santé"
)
INSTRUCTION_DATE = datetime.date(2016, 5, 27)
TRANCHE_CAMPAIGNS = {
    1: {"funding_status": "notifie", "budget_circular": BUDGET_CIRCULAR_2015, "campaign_opens_on": INSTRUCTION_DATE},
    2: {"funding_status": "previsionnel", "budget_circular": "", "campaign_opens_on": None},
}

# Several geographic sites for the three multi-hospital CHU (names are public; FINESS ET left blank).
HOSPITALS = {
    "750712184": [
        "Hôpital de la Pitié-Salpêtrière",
        "Hôpital Lariboisière",
        "Hôpital Henri-Mondor",
        "Hôpital Bicêtre",
        "Hôpital Necker-Enfants malades",
    ],
    "690781810": [
        "Hôpital neurologique Pierre-Wertheimer",
        "Hôpital Édouard-Herriot",
        "Hôpital de la Croix-Rousse",
        "Centre hospitalier Lyon-Sud",
    ],
    "130786049": ["Hôpital de la Timone", "Hôpital Nord", "Hôpital de la Conception"],
    "350005179": ["Hôpital Pontchaillou"],
}


def _rows(name: str) -> list[dict]:
    with open(DATA_DIR / name, encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def _upsert(model, lookup: dict, values: dict, report: LoadReport, kind: str, on_create: dict | None = None):
    """``values`` are kept in step with the data files; ``on_create`` only seeds a new row."""
    obj = model.objects.filter(**lookup).first()
    if obj is None:
        obj = model.objects.create(**lookup, **values, **(on_create or {}))
        report.count(kind, True)
        return obj
    changed = [k for k, v in values.items() if getattr(obj, k) != v]
    if changed:
        for k in changed:
            setattr(obj, k, values[k])
        obj.save(update_fields=changed)
        report.count(kind, False)
    return obj


def load_registry_reference_data(report: LoadReport) -> None:
    """Regions, Annexe 2 quotas and tranches (2016 instruction, Annexe 2), CHU with their FINESS, filières."""
    regions = {}
    annexe2 = {row["region_code"]: row for row in _rows("annexe2_quotas.csv")}
    for row in _rows("regions.csv"):
        label = annexe2.get(row["code"], {}).get("annexe2_label", "")
        regions[row["code"]] = _upsert(
            Region,
            {"code": row["code"]},
            {"name": row["name"], "former_regions": row["former_regions"], "annexe2_label": label},
            report,
            "region",
        )
    tranches = {}
    for spec in TRANCHES:
        values = {k: v for k, v in spec.items() if k != "number"}
        tranches[spec["number"]] = _upsert(
            Tranche, {"number": spec["number"]}, values, report, "tranche", on_create=TRANCHE_CAMPAIGNS[spec["number"]]
        )
    for code, row in annexe2.items():
        for number, column in ((1, "tranche_1_2015"), (2, "tranche_2_2017")):
            _upsert(
                RegionalQuota,
                {"region": regions[code], "tranche": tranches[number]},
                {"quota": int(row[column])},
                report,
                "quota",
            )
    for row in _rows("chu.csv"):
        kind = row.get("kind", "")
        if kind not in Establishment.Kind.values:
            # The category comes from the data file (FINESS category), never by default (2016 instruction, Annexe 1 §1).
            raise ValueError(f"chu.csv: catégorie « {kind} » invalide pour le FINESS {row['finess_ej']}")
        establishment = _upsert(
            Establishment,
            {"finess_ej": row["finess_ej"]},
            {
                "name": row["name"],
                "city": row["city"],
                "region": regions[row["region_code"]],
                "kind": kind,
                # The city's coordinates place the establishment on the network map (issue 17, item 4).
                "latitude": Decimal(row["latitude"]),
                "longitude": Decimal(row["longitude"]),
            },
            report,
            "establishment",
        )
        for hospital_name in HOSPITALS.get(row["finess_ej"], [row["name"]]):
            _upsert(
                Hospital,
                {"establishment": establishment, "name": hospital_name},
                {"city": row["city"]},
                report,
                "hospital",
            )
    for row in _rows("filieres.csv"):
        _upsert(Filiere, {"name": row["name"]}, {}, report, "filiere")
