"""The header's search (issue 17, item 5): it finds within what the user may see and nothing outside,
ignores case and accents on PostgreSQL and SQLite, and costs one query per kind whatever it finds."""

from __future__ import annotations

import datetime
import itertools
import sqlite3

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.models import F
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from centres import models as c
from core.search import KINDS, PER_KIND, Fold, _register_sqlite_fold, fold, search
from crmr_procedures.competence.models import CcmrRequest
from crmr_procedures.succession.models import State as SuccessionState
from crmr_procedures.succession.models import Succession
from letters.models import Letter, LetterReader
from tests.factories import (
    CcmrFactory,
    CrmrFactory,
    EstablishmentFactory,
    HospitalFactory,
    PersonFactory,
    UserFactory,
    ars_user,
    coordinator_user,
    dgos_user,
    establishment_user,
)
from tests.labellisation.factories import chu, make_application

pytestmark = pytest.mark.django_db

_numbers = itertools.count(1)


def found(user, query: str) -> dict[str, list]:
    """{kind key: [objects]} for the kinds with results."""
    return {g.kind.key: g.results for g in search(user, query) if g.total}


def _letter(*, parties: list[str], subject: str, sender: str = "ARS-53", dossier=None) -> Letter:
    number = next(_numbers)
    letter = Letter.objects.create(
        reference=f"{sender}/2026/{number:05d}",
        sender_code=sender,
        year=2026,
        number=number,
        kind=Letter.Kind.OTHER,
        issued_on=datetime.date(2026, 3, 1),
        sender_label=sender,
        addressees=["Madame la directrice générale du CHU"],
        subject=subject,
        body_html="<p>Courrier</p>",
        signatory_name="La directrice générale",
        signatory_function="Directrice générale",
        content_type=ContentType.objects.get_for_model(dossier) if dossier is not None else None,
        object_id=dossier.pk if dossier is not None else None,
        created_by=UserFactory(),
        status=Letter.Status.ISSUED,
    )
    for party in parties:
        LetterReader.objects.create(letter=letter, party=party)
    return letter


def _succession(crmr) -> Succession:
    return Succession.objects.create(
        crmr=crmr,
        state=SuccessionState.NOTICE_RECEIVED,
        former_coordinator=crmr.coordinator,
        former_establishment=crmr.coordinating_establishment,
        created_by=UserFactory(),
    )


def _ccmr_request(crmr, name: str) -> CcmrRequest:
    return CcmrRequest.objects.create(
        kind=CcmrRequest.Kind.CREATION,
        state=CcmrRequest.State.SUBMITTED,
        crmr=crmr,
        establishment=crmr.coordinating_establishment,
        proposed_name=name,
        submitted_by=UserFactory(),
    )


# --- matching ------------------------------------------------------------------------------------


def test_fold_lowers_and_removes_accents_and_ligatures():
    assert fold("Élisabeth ŒUVRARD à Saint-Étienne") == "elisabeth oeuvrard a saint-etienne"
    assert fold("l’Hôpital") == "l'hopital"


def test_the_sql_translation_table_agrees_with_fold():
    from core.search import _FROM, _TO

    assert len(_FROM) == len(_TO)
    assert all(fold(a) == b for a, b in zip(_FROM, _TO, strict=True))
    assert {"É", "é", "È", "ç", "Ç", "ô", "ï", "ÿ"} <= set(_FROM)


@pytest.mark.parametrize("query", ["élisabeth", "ELISABETH", "Elisabeth Oeuvrard", "œuvrard", "oeuvrard élis"])
def test_a_person_is_found_whatever_the_case_and_accents(query):
    person = PersonFactory(first_name="Élisabeth", last_name="Œuvrard")
    PersonFactory(first_name="Élise", last_name="Martin")
    assert found(dgos_user(), query)["person"] == [person]


def test_every_word_must_match():
    rennes = chu("350005179")
    assert found(dgos_user(), "chu rennes")["establishment"] == [rennes]
    assert "establishment" not in found(dgos_user(), "chu rennes introuvable")


def test_an_establishment_is_found_by_its_finess_ej_or_a_hospital_finess_et():
    establishment = EstablishmentFactory(name="Centre hospitalier de test", city="Vitré")
    hospital = HospitalFactory(establishment=establishment, finess_et=EstablishmentFactory.build().finess_ej)
    assert found(dgos_user(), establishment.finess_ej)["establishment"] == [establishment]
    assert found(dgos_user(), hospital.finess_et)["establishment"] == [establishment]
    assert found(dgos_user(), "vitre")["establishment"] == [establishment]


def test_a_too_short_query_searches_nothing(client):
    assert search(dgos_user(), " é ") == []
    client.force_login(dgos_user())
    page = client.get(reverse("search"), {"q": "a"}).content.decode()
    assert "Saisissez au moins 2 caractères" in page


def test_on_sqlite_the_same_folding_runs_as_a_registered_function():
    """``make run`` uses SQLite: ``Fold`` compiles to ``app_fold``, registered on every new connection."""
    from django.db.backends.sqlite3.base import DatabaseWrapper

    wrapper = DatabaseWrapper({**connection.settings_dict, "ENGINE": "django.db.backends.sqlite3", "NAME": ":memory:"})
    wrapper.ensure_connection()  # connection_created registers app_fold
    try:
        with wrapper.schema_editor() as editor:
            editor.create_model(c.Person)
        with wrapper.cursor() as cursor:
            cursor.execute(
                "INSERT INTO centres_person (first_name, last_name, title, civility, specialty, email, phone, address)"
                " VALUES ('Élisabeth', 'ŒUVRARD', 'Pr', '', '', '', '', '')"
            )
        query = c.Person.objects.annotate(h=Fold(F("last_name"))).filter(h__contains="oeuvrard").values_list("pk")
        sql, params = query.query.get_compiler(connection=wrapper).as_sql()
        assert "app_fold(" in sql
        with wrapper.cursor() as cursor:
            cursor.execute(sql, params)
            assert len(cursor.fetchall()) == 1
    finally:
        wrapper.close()

    raw = sqlite3.connect(":memory:")
    _register_sqlite_fold(sender=None, connection=type("W", (), {"vendor": "sqlite", "connection": raw})())
    assert raw.execute("SELECT app_fold('Hôpital Saint-Étienne')").fetchone() == ("hopital saint-etienne",)


# --- scope ---------------------------------------------------------------------------------------


def test_an_ars_of_bretagne_finds_its_regions_application_and_letter_not_ile_de_france(client):
    breton = make_application(establishment=chu("350005179"), name="CRC SEP Armorique", state="submitted")
    francilien = make_application(establishment=chu("750712184"), name="CRC SEP Armorique", state="submitted")
    own_letter = _letter(parties=["ars:53"], subject="Labellisation du CRC SEP Armorique")
    other_letter = _letter(parties=["ars:11"], subject="Labellisation du CRC SEP Armorique", sender="ARS-11")
    ars = ars_user("53")

    results = found(ars, "armorique")
    assert results["application"] == [breton]
    assert results["letter"] == [own_letter]
    # neither by the other region's dossier number nor by its letter reference
    assert francilien not in found(ars, f"n° {francilien.pk}").get("application", [])
    assert found(ars, other_letter.reference) == {}
    # the Île-de-France ARS sees the mirror image
    assert found(ars_user("11"), "armorique") == {"application": [francilien], "letter": [other_letter]}

    client.force_login(ars)
    page = client.get(reverse("search"), {"q": "Armorique"}).content.decode()
    assert breton.get_absolute_url() in page and francilien.get_absolute_url() not in page
    assert own_letter.reference in page and other_letter.reference not in page


def test_a_dossier_is_found_by_its_number():
    app = make_application(establishment=chu("350005179"), state="submitted")
    for query in (str(app.pk), f"n° {app.pk}", f"n°{app.pk}", f"N° {app.pk}"):
        assert app in found(dgos_user(), query)["application"], query


def test_a_coordinator_finds_only_the_dossiers_of_its_crmr():
    ours = CrmrFactory(name="CRMR Maladies rares de l'Ouest")
    theirs = CrmrFactory(name="CRMR Maladies rares de l'Est")
    own_succession, other_succession = _succession(ours), _succession(theirs)
    own_request = _ccmr_request(ours, "Centre de compétences rares de Brest")
    _ccmr_request(theirs, "Centre de compétences rares de Metz")
    own_letter = _letter(parties=[f"crmr:{ours.pk}"], subject="Maladies rares", sender="DGOS", dossier=own_succession)
    _letter(parties=[f"crmr:{theirs.pk}"], subject="Maladies rares", sender="DGOS", dossier=other_succession)
    coordinator = coordinator_user(ours)

    results = found(coordinator, "rares")
    assert results["succession"] == [own_succession]
    assert results["ccmr_request"] == [own_request]
    assert results["letter"] == [own_letter]
    # the registry is public: both CRMR are found, only the dossiers are scoped
    assert set(results["crmr"]) == {ours, theirs}
    assert other_succession not in found(coordinator, f"n° {other_succession.pk}").get("succession", [])


def test_an_establishment_direction_finds_its_own_applications_only():
    rennes, brest = chu("350005179"), chu("290000017")
    own = make_application(establishment=rennes, name="CRC SEP Finistère", state="submitted")
    make_application(establishment=brest, name="CRC SEP Finistère", state="submitted")
    assert found(establishment_user(rennes), "finistere")["application"] == [own]


def test_the_access_matrix_other_world_is_never_found_by_local_roles():
    """The "other world" of tests/security/world.py carries a marker in every dossier and letter it holds
    outside the local roles' scope: searching the marker finds none of them."""
    from tests.security.world import MARKER, build_worlds

    worlds = build_worlds()
    for role in ("ars", "establishment", "coordinator"):
        results = found(worlds["users"][role], MARKER)
        assert not {"application", "succession", "ccmr_request", "letter"} & results.keys(), (role, results)
    assert "application" in found(worlds["users"]["dgos"], MARKER)


# --- the page ------------------------------------------------------------------------------------


def test_the_page_groups_by_kind_with_counts_and_a_bounded_number_per_kind(client):
    crmr = CrmrFactory(name="CRMR Ostéogenèse")
    for n in range(PER_KIND + 3):
        CcmrFactory(crmr=crmr, name=f"Centre de compétences Ostéogenèse {n}")
    client.force_login(dgos_user())
    response = client.get(reverse("search"), {"q": "osteogenese"})
    page = response.content.decode()
    assert response.status_code == 200
    assert f"{PER_KIND + 4} résultats pour « osteogenese »" in page
    assert "Centres de compétences maladies rares (CCMR) (13)" in page
    assert page.count('href="/centres/ccmr/') == PER_KIND
    assert "… et 3 autres" in page
    assert crmr.get_absolute_url() in page


def test_the_page_asks_for_a_sign_in(client):
    response = client.get(reverse("search"), {"q": "rennes"})
    assert response.status_code == 302 and reverse("accounts:login") in response["Location"]


def _page_queries(client, query: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(reverse("search"), {"q": query}).status_code == 200
    return len(queries)


@pytest.mark.parametrize("role", ["dgos", "ars", "coordinator"])
def test_one_query_per_kind_whatever_the_number_of_results(client, role):
    crmr = CrmrFactory(name="CRMR Alpha")
    user = {"dgos": dgos_user, "ars": lambda: ars_user("53"), "coordinator": lambda: coordinator_user(crmr)}[role]()
    client.force_login(user)
    _letter(parties=["ars:53", f"crmr:{crmr.pk}", "dgos"], subject="Alpha", sender="DGOS", dossier=_succession(crmr))
    make_application(establishment=chu("350005179"), name="CRC SEP Alpha", state="submitted")
    _page_queries(client, "alpha")  # warm the per-process caches (content types, permissions)
    few = _page_queries(client, "alpha")

    for n in range(8):
        other = CrmrFactory(name=f"CRMR Alpha {n}")
        CcmrFactory(crmr=crmr, name=f"Centre de compétences Alpha {n}")
        PersonFactory(last_name=f"Alpha{n}")
        EstablishmentFactory(name=f"CH Alpha {n}")
        _letter(parties=["ars:53", f"crmr:{crmr.pk}", "dgos"], subject=f"Alpha {n}", sender="DGOS")
        _ccmr_request(crmr, f"Centre Alpha {n}")
        _succession(other)
    many = _page_queries(client, "alpha")
    assert few == many
    # session + user, then one query per kind (a coordinator's CRMR grants are a subquery); an ARS adds
    # its region (header, letter readers)
    extra = {"dgos": 0, "ars": 1, "coordinator": 0}[role]
    assert many == 2 + len(KINDS) + extra


def test_search_itself_is_one_query_per_kind():
    user = dgos_user()
    with CaptureQueriesContext(connection) as queries:
        search(user, "rennes")
    assert len(queries) == len(KINDS)
