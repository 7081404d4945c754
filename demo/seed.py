"""A realistic demo network and the demo accounts (``python manage.py seed_demo``). Idempotent.

Fictitious people on the public reference CHUs: 14 CRMR across 13 filières (multi-site ones across
regions), their sites, coordinators with mandates and MIG allocations, ~20 CCMR, and one account per
role. No CRC SEP is seeded: the labellisation journeys start from untouched quotas."""

from __future__ import annotations

import datetime
import unicodedata
from dataclasses import dataclass, field
from decimal import Decimal

from django.contrib.auth.hashers import make_password
from django.db import transaction

from accounts.models import Role, User
from accounts.services import bind_coordinator
from centres.models import (
    Ccmr,
    CoordinatorMandate,
    Crmr,
    CrmrSite,
    Establishment,
    Filiere,
    Hospital,
    MigAllocation,
    Person,
    Region,
    RegistryEvent,
)

APHP, HCL, APHM = "750712184", "690781810", "130786049"
BORDEAUX, LILLE, STRASBOURG, RENNES, NANTES = "330781196", "590780193", "670780055", "350005179", "440000289"
TOULOUSE, MONTPELLIER, ANGERS, BREST, ROUEN = "310781406", "340780477", "490000031", "290000017", "760780239"
TOURS, LIMOGES, NICE, NANCY, GRENOBLE = "370000481", "870000015", "060785011", "540002078", "380780080"
DIJON, CAEN, CLERMONT, REUNION, POITIERS = "210780581", "140000100", "630780989", "970408589", "860014208"

# (CRMR name, filière, coordinator (title, first, last, specialty), MIG €, [(FINESS, hospital or None)],
#  first site coordinating; previous coordinator or None)
CRMRS = [
    (
        "CRMR Sclérose latérale amyotrophique et autres maladies du neurone moteur",
        "FilSLAN",
        ("Pr", "Élisabeth", "Vasseur", "Neurologie"),
        Decimal("310000"),
        [(APHP, "Hôpital de la Pitié-Salpêtrière"), (HCL, "Hôpital neurologique Pierre-Wertheimer"), (BORDEAUX, None)],
        ("Pr", "Bernard", "Lemaire", "Neurologie"),
    ),
    (
        "CRMR Maladies neuromusculaires Nord / Est / Île-de-France",
        "FILNEMUS",
        ("Pr", "Thomas", "Delacroix", "Neurologie"),
        Decimal("280000"),
        [(APHP, "Hôpital de la Pitié-Salpêtrière"), (LILLE, None), (STRASBOURG, None)],
        None,
    ),
    (
        "CRMR Mucoviscidose et affections liées à une anomalie de CFTR",
        "Muco-CFTR",
        ("Pr", "Isabelle", "Caron", "Pneumologie"),
        Decimal("220000"),
        [(HCL, "Centre hospitalier Lyon-Sud"), (NANTES, None)],
        None,
    ),
    (
        "CRMR Maladies rares à expression cutanée (MAGEC)",
        "FIMARAD",
        ("Pr", "Sophie", "Marchand", "Dermatologie"),
        Decimal("180000"),
        [(APHP, "Hôpital Henri-Mondor"), (TOULOUSE, None)],
        None,
    ),
    (
        "CRMR Anomalies du développement et syndromes malformatifs de l'Ouest",
        "AnDDI-Rares",
        ("Pr", "Yann", "Le Goff", "Génétique médicale"),
        Decimal("240000"),
        [(RENNES, "Hôpital Pontchaillou"), (NANTES, None), (ANGERS, None), (BREST, None)],
        None,
    ),
    (
        "CRMR Maladies auto-immunes systémiques rares de l'Est et du Sud-Ouest (RESO)",
        "FAI²R",
        ("Pr", "Marc", "Kieffer", "Médecine interne"),
        Decimal("260000"),
        [(STRASBOURG, None), (BORDEAUX, None)],
        None,
    ),
    (
        "CRMR Cardiomyopathies et troubles du rythme cardiaque héréditaires ou rares",
        "CARDIOGEN",
        ("Pr", "Philippe", "Arnoux", "Cardiologie"),
        Decimal("200000"),
        [(APHP, "Hôpital de la Pitié-Salpêtrière")],
        None,
    ),
    (
        "CRMR Hémophilie et autres déficits constitutionnels en protéines de la coagulation",
        "MHEMO",
        ("Dr", "Claire", "Bertin", "Hématologie"),
        Decimal("190000"),
        [(HCL, "Hôpital Édouard-Herriot")],
        ("Pr", "Jean-Pierre", "Fontaine", "Hématologie"),
    ),
    (
        "CRMR Maladies vasculaires rares (maladie de Rendu-Osler)",
        "FAVA-Multi",
        ("Pr", "Nicolas", "Perrin", "Médecine vasculaire"),
        Decimal("150000"),
        [(HCL, "Hôpital Édouard-Herriot")],
        None,
    ),
    (
        "CRMR Maladies inflammatoires des voies biliaires et hépatites auto-immunes",
        "FILFOIE",
        ("Pr", "Anne", "Rousseau", "Hépato-gastro-entérologie"),
        Decimal("170000"),
        [(APHP, "Hôpital Bicêtre")],
        None,
    ),
    (
        "CRMR Déficiences intellectuelles de causes rares",
        "DéfiScience",
        ("Pr", "Laurent", "Giraud", "Neuropédiatrie"),
        Decimal("210000"),
        [(MONTPELLIER, None), (TOULOUSE, None)],
        None,
    ),
    (
        "CRMR Démences rares et précoces",
        "BRAIN-TEAM",
        ("Pr", "Catherine", "Dubois", "Neurologie"),
        Decimal("230000"),
        [(APHP, "Hôpital de la Pitié-Salpêtrière"), (LILLE, None), (ROUEN, None)],
        None,
    ),
    (
        "CRMR Maladies osseuses constitutionnelles",
        "OSCAR",
        ("Pr", "Valérie", "Lambert", "Génétique clinique"),
        Decimal("160000"),
        [(APHP, "Hôpital Necker-Enfants malades")],
        None,
    ),
    (
        "CRMR Maladies rénales rares du Sud-Ouest (SORARE)",
        "ORKiD",
        ("Pr", "François", "Benoît", "Néphrologie"),
        Decimal("190000"),
        [(BORDEAUX, None), (TOULOUSE, None)],
        None,
    ),
]

# (CRMR index, FINESS, team lead (title, first, last), created_on, abrogated_on)
CCMRS = [
    (0, TOURS, ("Dr", "Hélène", "Guillot"), datetime.date(2017, 12, 1), None),
    (0, LIMOGES, ("Dr", "Pierre", "Mercier"), datetime.date(2017, 12, 1), None),
    (0, NICE, ("Pr", "Sandrine", "Olivier"), datetime.date(2017, 12, 1), None),
    (0, MONTPELLIER, ("Dr", "Vincent", "Roche"), datetime.date(2017, 12, 1), None),
    (1, NANTES, ("Dr", "Aurélie", "Masson"), datetime.date(2017, 12, 1), None),
    (1, NANCY, ("Pr", "Olivier", "Schmitt"), datetime.date(2017, 12, 1), None),
    (1, GRENOBLE, ("Dr", "Julie", "Faure"), datetime.date(2017, 12, 1), None),
    (2, TOULOUSE, ("Dr", "Sébastien", "Lopez"), datetime.date(2017, 12, 1), None),
    (2, DIJON, ("Dr", "Émilie", "Chevalier"), datetime.date(2017, 12, 1), datetime.date(2024, 6, 30)),
    (3, BORDEAUX, ("Pr", "Christophe", "Morel"), datetime.date(2017, 12, 1), None),
    (3, LILLE, ("Dr", "Nathalie", "Lefebvre"), datetime.date(2019, 3, 1), None),
    (4, CAEN, ("Dr", "Gwenaëlle", "Le Bihan"), datetime.date(2017, 12, 1), None),
    (4, POITIERS, ("Dr", "Mathieu", "Renaud"), datetime.date(2017, 12, 1), None),
    (5, NANCY, ("Dr", "Caroline", "Muller"), datetime.date(2017, 12, 1), None),
    (6, LILLE, ("Dr", "Antoine", "Dupuis"), datetime.date(2017, 12, 1), None),
    (6, REUNION, ("Dr", "Karine", "Payet"), datetime.date(2018, 9, 1), None),
    (7, CLERMONT, ("Dr", "Stéphane", "Vidal"), datetime.date(2017, 12, 1), None),
    (9, RENNES, ("Dr", "Morgane", "Le Roux"), datetime.date(2017, 12, 1), None),
    (10, NICE, ("Dr", "Julien", "Baron"), None, None),
    (11, GRENOBLE, ("Dr", "Delphine", "Carpentier"), datetime.date(2017, 12, 1), None),
    (13, LIMOGES, ("Dr", "Guillaume", "Fabre"), datetime.date(2017, 12, 1), None),
]

LABEL_DATE = datetime.date(2017, 12, 1)  # arrêté of the 2017 labelling campaign (fictitious reference)

# Real-looking names for the accounts (fictitious people).
ARS_OFFICERS = {
    "01": ("Marie-Line", "Jean-Baptiste"),
    "02": ("Rodolphe", "Sainte-Rose"),
    "03": ("Ketty", "Bouriquet"),
    "04": ("Jérôme", "Hoarau"),
    "06": ("Fatima", "Abdallah"),
    "11": ("Camille", "Lefort"),
    "24": ("Damien", "Chartier"),
    "27": ("Laure", "Bonnot"),
    "28": ("Mathilde", "Lecoq"),
    "32": ("Grégory", "Delattre"),
    "44": ("Anne-Sophie", "Klein"),
    "52": ("Benoît", "Guérin"),
    "53": ("Nolwenn", "Le Gall"),
    "75": ("Xavier", "Dufour"),
    "76": ("Céline", "Ribes"),
    "84": ("Florent", "Perret"),
    "93": ("Magali", "Giordano"),
    "94": ("Paul-Antoine", "Santoni"),
}
FIRST_NAMES = ["Bruno", "Sylvie", "Éric", "Martine", "Frédéric", "Isabelle", "Patrick", "Agnès", "Didier", "Corinne"]
LAST_NAMES = ["Lemoine", "Barbier", "Collet", "Hubert", "Marty", "Poirier", "Gautier", "Royer", "Lacroix", "Brun"]


def _director_name(position: int) -> tuple[str, str]:
    """A name of its own for the président du directoire of the ``position``-th CHU or CHR: letters name
    him or her, so two establishments never share one (issue 17, item 7). The pair's offset
    (last − first index, mod 10) is ``position // 10``: distinct for up to 50 establishments."""
    return FIRST_NAMES[position % 10], LAST_NAMES[(position + position // 10) % 10]


def _ars_director_name(position: int) -> tuple[str, str]:
    """The ARS director general of the ``position``-th region: offsets 5 and 6, so never the name of a
    CHU's président (offsets 0 to 4) nor of another region's director."""
    return FIRST_NAMES[position % 10], LAST_NAMES[(position + 5 + position // 10) % 10]


def _former_demo_names(position: int) -> tuple[str, str]:
    """The names earlier versions of seed_demo gave (10 pairs for 32 CHU, 10 for 18 ARS): replaced when
    found unchanged, so that re-running ``make run`` fixes an existing demonstration database."""
    return (
        f"{FIRST_NAMES[position % 10]} {LAST_NAMES[(position * 3) % 10]}",
        f"{FIRST_NAMES[(position + 5) % 10]} {LAST_NAMES[(position * 7 + 1) % 10]}",
    )


@dataclass
class SeedReport:
    created: dict[str, int] = field(default_factory=dict)

    def count(self, kind: str, created: bool) -> None:
        if created:
            self.created[kind] = self.created.get(kind, 0) + 1


def _slug(text: str) -> str:
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return ascii_text.lower().replace(" ", "").replace("'", "")


# Civility of the demo first names (agrees titles in letters: "coordonnatrice", "présidente").
FEMALE_FIRST_NAMES = {
    "Anne", "Aurélie", "Caroline", "Catherine", "Claire", "Delphine", "Gwenaëlle", "Hélène", "Isabelle", "Julie",
    "Karine", "Morgane", "Nathalie", "Sandrine", "Sophie", "Valérie", "Élisabeth", "Émilie", "Sylvie", "Martine",
    "Agnès", "Corinne",
}  # fmt: skip


def _civility(first: str) -> str:
    return "Mme" if first in FEMALE_FIRST_NAMES else "M."


def _person(title, first, last, specialty, report) -> Person:
    email = f"{_slug(first)}.{_slug(last)}@chu.exemple.fr"
    person, created = Person.objects.get_or_create(
        email=email,
        defaults={
            "title": title,
            "first_name": first,
            "last_name": last,
            "specialty": specialty,
            "civility": _civility(first),
        },
    )
    report.count("person", created)
    return person


def _hospital(establishment: Establishment, name: str | None) -> Hospital | None:
    hospitals = establishment.hospitals.all()
    return hospitals.filter(name=name).first() if name else hospitals.order_by("pk").first()


def _crmr(index: int, spec, establishments, filieres, report) -> tuple[Crmr, Person]:
    name, filiere, coordinator, mig, sites, previous = spec
    coordinating = establishments[sites[0][0]]
    crmr, created = Crmr.objects.get_or_create(
        name=name,
        defaults={
            "filiere": filieres[filiere],
            "kind": Crmr.Kind.MULTI if len(sites) > 1 else Crmr.Kind.MONO,
            "coordinating_establishment": coordinating,
            "mig_amount": mig,
        },
    )
    report.count("crmr", created)
    person = _person(*coordinator, report)
    for position, (finess, hospital_name) in enumerate(sites):
        establishment = establishments[finess]
        _, site_created = CrmrSite.objects.get_or_create(
            crmr=crmr,
            establishment=establishment,
            defaults={
                "hospital": _hospital(establishment, hospital_name),
                "is_coordinating": position == 0,
                "lead": person if position == 0 else None,
            },
        )
        report.count("crmr_site", site_created)
    start = LABEL_DATE
    if previous:
        former = _person(*previous, report)
        _, m_created = CoordinatorMandate.objects.get_or_create(
            crmr=crmr,
            person=former,
            defaults={
                "establishment": coordinating,
                "start": datetime.date(2007, 1, 1),
                "end": datetime.date(2021, 9, 1),
                "source": "Arrêté de labellisation de 2007",
            },
        )
        report.count("mandate", m_created)
        start = datetime.date(2021, 9, 1)
        if m_created:
            RegistryEvent.objects.create(
                kind=RegistryEvent.Kind.COORDINATOR_CHANGED,
                effective_on=start,
                summary=f"{person} succède à {former} comme coordonnateur.",
                letter_reference="DGOS-PF2/2021/00042",
                crmr=crmr,
                establishment=coordinating,
            )
    _, m_created = CoordinatorMandate.objects.get_or_create(
        crmr=crmr,
        person=person,
        defaults={"establishment": coordinating, "start": start, "source": "Arrêté du 1er décembre 2017"},
    )
    report.count("mandate", m_created)
    _, a_created = MigAllocation.objects.get_or_create(
        crmr=crmr,
        establishment=coordinating,
        start=datetime.date(2018, 1, 1),
        defaults={"amount": mig, "reason": "Dotation de coordination (campagne de labellisation 2017)"},
    )
    report.count("mig_allocation", a_created)
    return crmr, person


def _ccmrs(crmrs: list[Crmr], establishments, report) -> None:
    for index, finess, lead, created_on, abrogated_on in CCMRS:
        crmr, establishment = crmrs[index], establishments[finess]
        city = establishment.city
        name = f"Centre de compétences {crmr.filiere.name} — {city}"
        person = _person(*lead, CRMRS[index][2][3], report)
        ccmr, created = Ccmr.objects.get_or_create(
            name=name,
            defaults={
                "crmr": crmr,
                "establishment": establishment,
                "team_lead": person,
                "team": f"{person}, responsable ; une infirmière de coordination ; une secrétaire médicale.",
                "created_on": created_on,
                "abrogated_on": abrogated_on,
            },
        )
        report.count("ccmr", created)
        if not created:
            continue
        if created_on:
            RegistryEvent.objects.create(
                kind=RegistryEvent.Kind.CCMR_CREATED,
                effective_on=created_on,
                summary=f"Création du {name}, rattaché au {crmr.name}.",
                ccmr=ccmr,
                crmr=crmr,
                establishment=establishment,
            )
        if abrogated_on:
            RegistryEvent.objects.create(
                kind=RegistryEvent.Kind.CCMR_ABROGATED,
                effective_on=abrogated_on,
                summary=f"Abrogation du {name} à la demande du coordonnateur.",
                letter_reference="DGOS-PF2/2024/00017",
                ccmr=ccmr,
                crmr=crmr,
                establishment=establishment,
            )


def _account(username: str, password_hash: str, report, **values) -> User:
    user, created = User.objects.get_or_create(username=username, defaults={**values, "password": password_hash})
    report.count("account", created)
    return user


@transaction.atomic
def seed_demo(*, password: str) -> SeedReport:
    """Demo network and accounts (issue 2, "seed_demo"). Existing rows are left as they are."""
    report = SeedReport()
    establishments = {e.finess_ej: e for e in Establishment.objects.all()}
    filieres = {f.name: f for f in Filiere.objects.all()}
    regions = {r.code: r for r in Region.objects.all()}
    if not establishments or not regions:
        raise LookupError("Chargez d'abord les données de référence : python manage.py load_reference_data")

    crmrs, coordinators = [], []
    for index, spec in enumerate(CRMRS):
        crmr, person = _crmr(index, spec, establishments, filieres, report)
        crmrs.append(crmr)
        coordinators.append(person)
    _ccmrs(crmrs, establishments, report)

    hashed = make_password(password)  # one hash for all demo accounts: seeding stays fast
    _account(
        "admin",
        hashed,
        report,
        first_name="Nathalie",
        last_name="Ferrand",
        email="admin@sante.exemple.gouv.fr",
        role=Role.ADMIN,
        is_staff=True,
        is_superuser=True,
        function="Administratrice de la plateforme",
    )
    _account(
        "dgos",
        hashed,
        report,
        first_name="Julien",
        last_name="Moreau",
        email="julien.moreau@sante.exemple.gouv.fr",
        role=Role.DGOS,
        function="Chargé de mission maladies rares, bureau PF2 (DGOS)",
    )
    _account(
        "gp",
        hashed,
        report,
        first_name="Hélène",
        last_name="Garnier",
        email="helene.garnier@sante.exemple.gouv.fr",
        role=Role.GROUPE_PERMANENT,
        function="Vice-présidente santé du CoSPro, responsable du groupe permanent",
    )
    for code, region in sorted(regions.items()):
        first, last = ARS_OFFICERS.get(code, ("Claude", "Martin"))
        _account(
            f"ars-{code}",
            hashed,
            report,
            first_name=first,
            last_name=last,
            email=f"ars-{code}@ars.exemple.sante.fr",
            role=Role.ARS,
            region=region,
            function=f"Direction de l'offre de soins, ARS {region.name}",
        )
    # every CHU and CHR of the reference data has its direction account (the README lists them)
    chus = Establishment.objects.filter(kind__in=[Establishment.Kind.CHU, Establishment.Kind.CHR]).order_by("finess_ej")
    for position, establishment in enumerate(chus):
        first, last = _director_name(position)
        former_name = _former_demo_names(position)[0]
        user = _account(
            f"etab-{establishment.finess_ej}",
            hashed,
            report,
            first_name=first,
            last_name=last,
            email=f"direction-{establishment.finess_ej}@chu.exemple.fr",
            role=Role.ESTABLISHMENT,
            establishment=establishment,
            function=f"Directeur général, président du directoire — {establishment.name}",
        )
        if user.get_full_name() == former_name:
            user.first_name, user.last_name = first, last
            user.save(update_fields=["first_name", "last_name"])
        if establishment.director_name in ("", former_name):
            establishment.director_name = f"{first} {last}"
            establishment.director_civility = _civility(first)
            establishment.save(update_fields=["director_name", "director_civility"])
    for position, (_code, region) in enumerate(sorted(regions.items())):
        if region.ars_director_name in ("", _former_demo_names(position)[1]):
            region.ars_director_name = " ".join(_ars_director_name(position))
            region.save(update_fields=["ars_director_name"])
    for number, (crmr, person) in enumerate(zip(crmrs, coordinators, strict=True), start=1):
        user = _account(
            f"coord-{number}",
            hashed,
            report,
            first_name=person.first_name,
            last_name=person.last_name,
            email=person.email,
            role=Role.COORDINATOR,
            person=person,
            function=f"Coordonnateur — {crmr.name}",
        )
        bind_coordinator(user=user, crmr=crmr)
    from letters.senders import demo_signatories_load

    demo_signatories_load()  # fictitious signatories, flagged as demonstration (issue 12, item 11)
    return report
