"""The move to the dated registry keeps the data: rows made with the previous schema (a transfer already
written for a future date, a MIG amount without allocation, a CRC SEP without its coordinator) read
right afterwards, on PostgreSQL."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

BEFORE = [("centres", "0004_ccmr_name_index"), ("labellisation", "0002_application_recent_index")]


def _latest():
    """Every app at its latest migration: the current models (used below) match that schema only."""
    executor = MigrationExecutor(connection)
    return executor.loader.graph.leaf_nodes()


def _migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


@pytest.mark.django_db(transaction=True)
def test_previous_schema_data_is_brought_to_the_dated_registry():
    from tests.factories import EstablishmentFactory  # noqa: F401 (reference data loaded by the fixture)

    old = _migrate(BEFORE)
    try:
        Region = old.get_model("centres", "Region")
        Establishment = old.get_model("centres", "Establishment")
        Crmr = old.get_model("centres", "Crmr")
        CrmrSite = old.get_model("centres", "CrmrSite")
        Mandate = old.get_model("centres", "CoordinatorMandate")
        Mig = old.get_model("centres", "MigAllocation")
        Person = old.get_model("centres", "Person")
        Filiere = old.get_model("centres", "Filiere")
        region = Region.objects.get(code="53")
        a = Establishment.objects.create(finess_ej="350000741", name="Ancien coordonnateur", city="X", region=region)
        b = Establishment.objects.create(finess_ej="350000758", name="Nouveau coordonnateur", city="Y", region=region)
        filiere = Filiere.objects.first() or Filiere.objects.create(name="Filière de test")
        D = timezone.localdate() + datetime.timedelta(days=200)
        # What the previous code wrote at officialisation, at once, for a transfer effective on D.
        moved = Crmr.objects.create(
            name="CRMR transféré", filiere=filiere, kind="multi", coordinating_establishment=b, mig_amount=150000
        )
        CrmrSite.objects.create(crmr=moved, establishment=a, is_coordinating=False)
        CrmrSite.objects.create(crmr=moved, establishment=b, is_coordinating=True)
        p0 = Person.objects.create(first_name="Paul", last_name="Sortant")
        p1 = Person.objects.create(first_name="Alice", last_name="Entrante")
        Mandate.objects.create(crmr=moved, person=p0, establishment=a, start=datetime.date(2015, 1, 1), end=D)
        Mandate.objects.create(crmr=moved, person=p1, establishment=b, start=D, source="DGOS-PF2/2026/00001")
        Mig.objects.create(crmr=moved, establishment=a, amount=150000, start=datetime.date(2015, 1, 1), end=D)
        Mig.objects.create(crmr=moved, establishment=b, amount=150000, start=D)
        # A CRMR entered with a MIG amount and no allocation row.
        plain = Crmr.objects.create(
            name="CRMR sans dotation datée", filiere=filiere, coordinating_establishment=a, mig_amount=80000
        )
        CrmrSite.objects.create(crmr=plain, establishment=a, is_coordinating=True)
        Mandate.objects.create(crmr=plain, person=p0, establishment=a, start=datetime.date(2018, 3, 1))

        _migrate(_latest())
        from centres import models as c
        from centres.selectors import crmr_detail_data

        moved, plain = c.Crmr.objects.get(name="CRMR transféré"), c.Crmr.objects.get(name="CRMR sans dotation datée")
        before, after = crmr_detail_data(moved, D - datetime.timedelta(days=1)), crmr_detail_data(moved, D)
        assert before["coordinating_site"].establishment.name == "Ancien coordonnateur"
        assert after["coordinating_site"].establishment.name == "Nouveau coordonnateur"
        assert {s.establishment.name for s in after["sites"]} == {"Ancien coordonnateur", "Nouveau coordonnateur"}
        assert before["current_mandate"].person.last_name == "Sortant"
        assert after["current_mandate"].person.last_name == "Entrante"
        assert before["mig_on"] == after["mig_on"] == Decimal("150000")
        assert moved.coordinating_establishment.name == "Ancien coordonnateur"  # today's value, fixed
        assert crmr_detail_data(plain, timezone.localdate())["mig_on"] == Decimal("80000")
        assert (
            crmr_detail_data(plain, datetime.date(2018, 3, 1))["coordinating_site"].establishment
            == plain.coordinating_establishment
        )
        assert c.CrmrSite.objects.filter(crmr=plain).get().start == datetime.date(2018, 3, 1)
    finally:
        _migrate(_latest())


def _latest():
    executor = MigrationExecutor(connection)
    return executor.loader.graph.leaf_nodes()
