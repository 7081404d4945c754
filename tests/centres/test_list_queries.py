"""List pages run a fixed number of SQL queries whatever the number of rows (no N+1)."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from centres.models import CrmrSite
from tests.factories import CcmrFactory, CrmrFactory, EstablishmentFactory, HospitalFactory, ars_user, dgos_user, region

from .conftest import make_crcsep

pytestmark = pytest.mark.django_db

MAYOTTE = "06"  # no CHU in the reference data: the lists of this region start empty


def _establishments(n):
    for _ in range(n):
        establishment = EstablishmentFactory(region=region(MAYOTTE))
        HospitalFactory(establishment=establishment)
        HospitalFactory(establishment=establishment)


def _crmrs(n):
    for _ in range(n):
        crmr = CrmrFactory(coordinating_establishment=EstablishmentFactory(region=region(MAYOTTE)))
        CrmrSite.objects.create(crmr=crmr, establishment=EstablishmentFactory(region=region(MAYOTTE)))
        CcmrFactory(crmr=crmr, establishment=crmr.coordinating_establishment)


def _ccmrs(n):
    crmr = CrmrFactory(coordinating_establishment=EstablishmentFactory(region=region(MAYOTTE)))
    for i in range(n):
        CcmrFactory(
            crmr=crmr,
            establishment=EstablishmentFactory(region=region(MAYOTTE)),
            abrogated_on=datetime.date(2020, 1, 1) if i % 2 else None,
        )


def _crcseps(n):
    for i in range(n):
        establishment = EstablishmentFactory(region=region(MAYOTTE))
        HospitalFactory(establishment=establishment)
        make_crcsep(establishment, tranche=1 + i % 2, name=f"CRC SEP n°{i}")


def _people(n):
    crmr = CrmrFactory(coordinating_establishment=EstablishmentFactory(region=region(MAYOTTE)))
    for _ in range(n):
        CcmrFactory(crmr=crmr, establishment=EstablishmentFactory(region=region(MAYOTTE)))
        other = CrmrFactory(coordinating_establishment=EstablishmentFactory(region=region(MAYOTTE)))
        other.mandates.update(person=CcmrFactory._meta.model.objects.latest("pk").team_lead)


CASES = [
    ("centres:establishment_list", _establishments),
    ("centres:crmr_list", _crmrs),
    ("centres:ccmr_list", _ccmrs),
    ("centres:crcsep_list", _crcseps),
    ("centres:person_list", _people),
]


def _queries(client, url, params) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url, params)
    assert response.status_code == 200
    return len(ctx.captured_queries), response


@pytest.mark.parametrize(("name", "make_rows"), CASES)
def test_list_page_query_count_is_the_same_at_3_and_30_rows(client, django_assert_num_queries, name, make_rows):
    client.force_login(dgos_user())
    url, params = reverse(name), {"region": MAYOTTE}
    make_rows(3)
    at_three, response = _queries(client, url, params)
    assert response.context["page_obj"].paginator.count >= 3
    assert at_three <= 12
    make_rows(27)
    with django_assert_num_queries(at_three):
        response = client.get(url, params)
    assert len(response.context["page_obj"]) == 25


@pytest.mark.parametrize(("name", "make_rows"), CASES)
def test_ars_default_region_costs_no_extra_query_per_row(client, django_assert_num_queries, name, make_rows):
    client.force_login(ars_user(MAYOTTE))
    url = reverse(name)
    make_rows(3)
    at_three, _ = _queries(client, url, {})
    make_rows(27)
    with django_assert_num_queries(at_three):
        client.get(url)


def test_quota_table_is_one_query_whatever_the_centres(client, django_assert_num_queries):
    from centres.selectors import quota_rows

    with django_assert_num_queries(1):
        rows = quota_rows()
    assert len(rows) == 26


@pytest.mark.parametrize(("name", "make_rows"), CASES)
@pytest.mark.parametrize("date", ["2016-06-01", "2031-01-01"])
def test_dated_list_page_query_count_is_the_same_at_3_and_30_rows(
    client, django_assert_num_queries, name, make_rows, date
):
    """The registry read at a past or future date costs what today's does: no query per row."""
    client.force_login(dgos_user())
    url, params = reverse(name), {"region": MAYOTTE, "date": date}
    make_rows(3)
    at_three, _ = _queries(client, url, params)
    assert at_three <= 12
    make_rows(27)
    with django_assert_num_queries(at_three):
        client.get(url, params)


@pytest.mark.parametrize("section", ["crmr", "ccmr", "crc-sep"])
def test_network_page_query_count_is_the_same_at_3_and_30_rows(client, django_assert_num_queries, section):
    client.force_login(dgos_user())
    url, params = reverse("centres:network"), {"region": MAYOTTE, "section": section, "date": "2031-01-01"}
    make_rows = {"crmr": _crmrs, "ccmr": _ccmrs, "crc-sep": _crcseps}[section]
    make_rows(3)
    at_three, response = _queries(client, url, params)
    assert at_three <= 12
    make_rows(27)
    with django_assert_num_queries(at_three):
        response = client.get(url, params)
    assert len(response.context["page_obj"]) >= 15  # half of the CCMR made here are abrogated


def test_crmr_detail_query_count_does_not_grow_with_its_history(client, django_assert_num_queries):
    from centres import services

    client.force_login(dgos_user())
    crmr, other = CrmrFactory(), EstablishmentFactory()
    url = reverse("centres:crmr_detail", args=[crmr.pk])
    at_start, _ = _queries(client, url, {"date": "2030-01-01"})
    for year in range(2027, 2037):
        target = other if year % 2 else crmr.coordinating_establishment
        services.coordination_transfer(
            crmr=crmr, to_establishment=target, on=datetime.date(year, 7, 1), act=f"DGOS/{year}"
        )
    with django_assert_num_queries(at_start):
        client.get(url, {"date": "2030-01-01"})
