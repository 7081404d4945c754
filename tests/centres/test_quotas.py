"""The Annexe 2 quota table (2016 instruction): quota, labelled, in progress, remaining, funding; its CSV export."""

import csv
import io
from decimal import Decimal

import pytest
from django.urls import reverse

from centres import selectors
from centres.models import CrcSepCentre, Establishment
from tests.factories import ars_user, dgos_user

from .conftest import make_crcsep

pytestmark = pytest.mark.django_db

HEADER = "Code région;Région;Tranche;Quota (annexe 2);Labellisés;En cours;Restant"


def _row(code, tranche):
    return next(r for r in selectors.quota_rows() if r.region_code == code and r.tranche == tranche)


def test_before_any_labelling_every_quota_remains():
    table = selectors.quota_table()
    assert [t["total"].quota for t in table["tranches"]] == [12, 11]
    assert table["total"].quota == 23 and table["total"].remaining == 23 and table["total"].labelled == 0
    assert table["total"].planned_funding == Decimal("2300000")


def test_a_labelled_centre_counts_against_its_region_and_tranche(chu_rennes):
    make_crcsep(chu_rennes, tranche=1)
    bretagne = _row("53", 1)
    assert (bretagne.quota, bretagne.labelled, bretagne.remaining) == (1, 1, 0)
    assert bretagne.funding == Decimal("100000")


def test_a_withdrawn_centre_frees_its_place(chu_rennes):
    make_crcsep(chu_rennes, tranche=1, status=CrcSepCentre.Status.WITHDRAWN)
    assert _row("53", 1).labelled == 0 and _row("53", 1).remaining == 1


@pytest.mark.rule("SEP-lettre-tranche1-1-2-meur")
def test_tranche_1_full_is_funded_1_2_million_a_year():
    quotas = {r.region_code: r.quota for r in selectors.quota_rows() if r.tranche == 1 and r.quota}
    for code, quota in quotas.items():
        establishment = Establishment.objects.filter(region__code=code, kind="CHU").first()
        for i in range(quota):
            make_crcsep(establishment, tranche=1, name=f"CRC SEP {code}-{i}")
    tranche_1 = selectors.quota_table()["tranches"][0]["total"]
    assert (tranche_1.labelled, tranche_1.remaining, tranche_1.funding) == (12, 0, Decimal("1200000"))


def test_applications_in_progress_come_from_the_procedure_that_declares_the_quota(chu_rennes, monkeypatch):
    """The quota table reads the declaration only: the procedure with ``quota_tranche_lookup``, its region
    lookup and its open states (here declared to include drafts, so a draft takes a place)."""
    import dataclasses

    from core import workflow
    from labellisation.models import Application
    from tests.labellisation.factories import make_application

    declared = workflow.procedure_for(Application)
    widened = dataclasses.replace(declared, open_states=(*declared.open_states, Application.State.DRAFT))
    monkeypatch.setitem(workflow._procedures, Application, widened)
    make_application(state=Application.State.DRAFT)
    bretagne = _row("53", 1)
    assert (bretagne.in_progress, bretagne.remaining) == (1, 0)


def test_applications_under_instruction_count_as_in_progress_in_the_quota_table():
    """Remaining = quota − labelled − in progress (docs/decisions.md), with the real applications."""
    from labellisation.models import Application
    from tests.labellisation.factories import make_application

    make_application(state=Application.State.UNDER_REVIEW)
    make_application(state=Application.State.DRAFT, name="Brouillon")  # a draft is not in progress
    bretagne = _row("53", 1)
    assert (bretagne.quota, bretagne.labelled, bretagne.in_progress, bretagne.remaining) == (1, 0, 1, 0)


def test_the_quota_page_shows_both_tranches_and_the_national_total(client):
    client.force_login(ars_user("53"))
    response = client.get(reverse("centres:quotas"))
    html = response.content.decode()
    assert "Tranche 1 (financée en 2015)" in html and "Tranche 2 (prévisionnel 2017)" in html
    assert "Votre région" in html
    assert "Labellisation au plus tard le 30 septembre 2016" in html
    assert response.context["table"]["total"].quota == 23


def test_csv_export_is_like_the_other_exports_french_headers_semicolons_and_a_bom(client):
    client.force_login(dgos_user())
    response = client.get(reverse("centres:quotas_csv"))
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert 'filename="quotas-crc-sep-' in response["Content-Disposition"]
    raw = response.content.decode("utf-8")
    assert raw.startswith("\ufeff")  # French Excel reads UTF-8 only with the BOM
    text = raw.removeprefix("\ufeff")
    lines = text.splitlines()
    assert lines[0] == HEADER
    assert "53;Bretagne;1;1;0;0;1" in lines
    assert "53;Bretagne;2;0;0;0;0" in lines
    assert "11;Île-de-France;1;3;0;0;3" in lines  # accents kept (UTF-8)
    rows = list(csv.DictReader(io.StringIO(text), delimiter=";"))
    assert len(rows) == 26
    assert sum(int(r["Quota (annexe 2)"]) for r in rows) == 23
    assert {r["Tranche"] for r in rows} == {"1", "2"}
    assert "Alsace" not in text  # region names only, no Annexe 2 label column


def test_csv_export_follows_the_labelled_centres(client, chu_rennes):
    make_crcsep(chu_rennes, tranche=1)
    client.force_login(dgos_user())
    assert "53;Bretagne;1;1;1;0;0" in client.get(reverse("centres:quotas_csv")).content.decode("utf-8-sig").splitlines()
