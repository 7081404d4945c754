"""French administrative typography (issue 13, item 5): dates, amounts, elision and contraction built
from structured names, titles agreed with civility; run on every establishment and hospital name of the
reference data."""

import datetime
from decimal import Decimal

import pytest

from core import typography as t

NNBSP, NBSP = "\u202f", "\u00a0"


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (datetime.date(2027, 7, 1), "1er juillet 2027"),
        (datetime.date(2026, 12, 2), "2 décembre 2026"),
        (datetime.date(2016, 9, 30), "30 septembre 2016"),
        (datetime.date(2017, 8, 1), "1er août 2017"),
    ],
)
def test_dates_use_the_ordinal_for_the_first_of_the_month(day, expected):
    assert t.date_fr(day) == expected


@pytest.mark.parametrize(
    ("value", "decimals", "expected"),
    [
        (Decimal("250000"), 2, f"250{NNBSP}000,00{NBSP}€"),
        (100000, 0, f"100{NNBSP}000{NBSP}€"),
        (Decimal("1234567.5"), 2, f"1{NNBSP}234{NNBSP}567,50{NBSP}€"),
        (999, 2, f"999,00{NBSP}€"),
        (Decimal("-1200"), 0, f"-1{NNBSP}200{NBSP}€"),
    ],
)
def test_amounts_take_a_narrow_no_break_space_between_thousands_and_a_decimal_comma(value, decimals, expected):
    assert t.amount_fr(value, decimals) == expected


def test_number_sign_is_followed_by_a_no_break_space():
    assert t.numero(2) == f"n°{NBSP}2"


@pytest.mark.parametrize(
    ("name", "de", "a", "with_article"),
    [
        (
            "Assistance Publique - Hôpitaux de Paris",
            "de l'Assistance Publique - Hôpitaux de Paris",
            "à l'Assistance Publique - Hôpitaux de Paris",
            "l'Assistance Publique - Hôpitaux de Paris",
        ),
        ("CHU de Rennes", "du CHU de Rennes", "au CHU de Rennes", "le CHU de Rennes"),
        ("Hôpital Pontchaillou", "de l'Hôpital Pontchaillou", "à l'Hôpital Pontchaillou", "l'Hôpital Pontchaillou"),
        (
            "Hospices Civils de Lyon",
            "des Hospices Civils de Lyon",
            "aux Hospices Civils de Lyon",
            "les Hospices Civils de Lyon",
        ),
        (
            "Hôpitaux Universitaires de Strasbourg",
            "des Hôpitaux Universitaires de Strasbourg",
            "aux Hôpitaux Universitaires de Strasbourg",
            "les Hôpitaux Universitaires de Strasbourg",
        ),
        ("CHR d'Orléans", "du CHR d'Orléans", "au CHR d'Orléans", "le CHR d'Orléans"),
        (
            "Centre hospitalier Lyon-Sud",
            "du Centre hospitalier Lyon-Sud",
            "au Centre hospitalier Lyon-Sud",
            "le Centre hospitalier Lyon-Sud",
        ),
        ("Clinique des Cèdres", "de la Clinique des Cèdres", "à la Clinique des Cèdres", "la Clinique des Cèdres"),
        ("Orléans", "d'Orléans", "à Orléans", "Orléans"),
        ("Rennes", "de Rennes", "à Rennes", "Rennes"),
        ("L'Hôpital Nord", "de l'Hôpital Nord", "à l'Hôpital Nord", "l'Hôpital Nord"),
    ],
)
def test_de_and_a_elide_and_contract_with_the_article_of_the_name(name, de, a, with_article):
    assert (t.de(name), t.a(name), t.with_article(name)) == (de, a, with_article)


@pytest.mark.django_db
def test_every_establishment_and_hospital_name_of_the_reference_data_takes_its_article():
    """Each name of centres/data (CHU list and hospital sites) starts with a category word whose article
    is known, so no letter writes "de CHU…", "à Hôpital…" or "de le …"."""
    from centres.models import Establishment, Hospital

    names = list(Establishment.objects.values_list("name", flat=True)) + list(
        Hospital.objects.values_list("name", flat=True)
    )
    assert len(names) > 60
    for name in names:
        assert t.article(name) in {"le", "la", "l'", "les"}, name
        de, a = t.de(name), t.a(name)
        assert de.endswith(name[1:]) and a.endswith(name[1:]), name
        for wrong in ("de le ", "de les ", "à le ", "à les ", "de l' ", "à l' "):
            assert not de.startswith(wrong) and not a.startswith(wrong), (name, de, a)
        assert de.split(" ")[0] in {"du", "des", "de"} or de.startswith("de l'"), (name, de)
        assert a.split(" ")[0] in {"au", "aux", "à"}, (name, a)


@pytest.mark.parametrize(
    ("title", "civility", "expected"),
    [
        (
            "Directeur général de l'agence régionale de santé Bretagne",
            "Mme",
            "Directrice générale de l'agence régionale de santé Bretagne",
        ),
        ("Président du directoire", "Mme", "Présidente du directoire"),
        ("président(e) du directoire", "M.", "président du directoire"),
        ("président(e) du directoire", "Mme", "présidente du directoire"),
        (
            "Sous-directeur du pilotage de la performance des acteurs de l'offre de soins",
            "Mme",
            "Sous-directrice du pilotage de la performance des acteurs de l'offre de soins",
        ),
        ("Adjoint au directeur général", "Mme", "Adjointe au directeur général"),
        ("Directrice générale", "M.", "Directeur général"),
        ("Chef du bureau R4", "Mme", "Cheffe du bureau R4"),
        ("Nouveau coordonnateur", "Mme", "Nouvelle coordonnatrice"),
        ("désigné", "Mme", "désignée"),
        ("vice-président santé", "Mme", "vice-présidente santé"),
    ],
)
def test_titles_agree_with_the_civility_of_the_person(title, civility, expected):
    assert t.agree(title, civility) == expected


def test_a_title_that_disagrees_with_the_civility_is_reported_with_the_agreed_form():
    assert t.disagreement("Directeur général", "Mme") == "Directrice générale"
    assert t.disagreement("Directrice générale", "Mme") is None
    assert t.disagreement("Président(e) du directoire", "M.") == "Président du directoire"


def test_salutation_agrees_or_falls_back_to_the_epicene_formula():
    assert t.salutation("Mme", "président du directoire") == "Madame la présidente du directoire,"
    assert t.salutation("M.", "directeur général") == "Monsieur le directeur général,"
    assert t.salutation("", "directeur général") == "Madame, Monsieur,"
