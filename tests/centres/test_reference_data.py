"""load_reference_data: Annexe 2 quotas (2016 instruction), regions, CHU, filières; idempotent."""

import pytest
from django.core.management import call_command
from django.db.models import Sum

from centres.models import Establishment, Filiere, Hospital, Region, RegionalQuota, Tranche
from core.reference import load_reference_data

pytestmark = pytest.mark.django_db


def _quota(code: str, tranche: int) -> int:
    return RegionalQuota.objects.get(region__code=code, tranche__number=tranche).quota


@pytest.mark.rule("SEP-lettre-23-centres")
@pytest.mark.rule("SEP-lettre-douze-premiers-2016")
@pytest.mark.rule("SEP-lettre-onze-autres")
@pytest.mark.rule("SEP-A2-total-23-12-11")
def test_annexe2_quotas_sum_to_23_centres_12_in_tranche_1_and_11_in_tranche_2():
    assert RegionalQuota.objects.aggregate(n=Sum("quota"))["n"] == 23
    assert RegionalQuota.objects.filter(tranche__number=1).aggregate(n=Sum("quota"))["n"] == 12
    assert RegionalQuota.objects.filter(tranche__number=2).aggregate(n=Sum("quota"))["n"] == 11


@pytest.mark.rule("SEP-A2-tranche1-2015")
@pytest.mark.rule("SEP-lettre-echeance-septembre-2016")
def test_tranches_match_the_planned_centres_and_funding():
    tranche_1, tranche_2 = Tranche.objects.order_by("number")
    assert (tranche_1.planned_centres, tranche_1.funding_year, str(tranche_1.deadline)) == (12, 2015, "2016-09-30")
    assert (tranche_2.planned_centres, tranche_2.funding_year, tranche_2.deadline) == (11, 2017, None)
    assert tranche_1.annual_amount_per_centre == 100000


@pytest.mark.parametrize(
    ("code", "tranche", "quota"),
    [("11", 1, 3), ("11", 2, 0), ("44", 2, 3), ("44", 1, 0), ("53", 1, 1), ("53", 2, 0), ("84", 2, 3)],
)
@pytest.mark.rule("SEP-A2-quota-region-tranche")
def test_annexe2_regional_quota(code, tranche, quota):
    assert _quota(code, tranche) == quota


@pytest.mark.rule("SEP-A2-regions-2016")
def test_the_18_regions_of_2016_with_their_annexe2_grouping():
    assert Region.objects.count() == 18
    grand_est = Region.objects.get(code="44")
    assert grand_est.name == "Grand Est"
    assert grand_est.annexe2_label == "Alsace, Champagne-Ardenne, Lorraine"


def test_the_23_filieres_are_loaded():
    assert Filiere.objects.count() == 23
    assert Filiere.objects.filter(name="FilSLAN").exists()


def test_the_chu_are_loaded_with_their_hospitals():
    aphp = Establishment.objects.get(finess_ej="750712184")
    assert aphp.is_university_hospital and aphp.region.code == "11"
    assert aphp.hospitals.filter(name="Hôpital de la Pitié-Salpêtrière").exists()
    assert Hospital.objects.filter(establishment__finess_ej="690781810").count() == 4


def test_loading_twice_changes_nothing():
    counts = {m.__name__: m.objects.count() for m in (Region, Tranche, RegionalQuota, Establishment, Hospital, Filiere)}
    report = load_reference_data()
    assert report.created == {} and report.updated == {}
    models = (Region, Tranche, RegionalQuota, Establishment, Hospital, Filiere)
    assert {m.__name__: m.objects.count() for m in models} == counts


def test_the_command_says_in_french_that_nothing_changed(capsys):
    call_command("load_reference_data")
    out = capsys.readouterr().out
    assert "Créations — aucune" in out and "Mises à jour — aucune" in out


def test_a_changed_fact_is_put_back_by_the_next_load():
    RegionalQuota.objects.filter(region__code="53", tranche__number=1).update(quota=5)
    report = load_reference_data()
    assert report.updated == {"quota": 1}
    assert _quota("53", 1) == 1
