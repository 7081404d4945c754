"""Detail pages show the object's data, its related objects and its history."""

import datetime

import pytest
from django.urls import reverse

from centres.models import CoordinatorMandate, CrmrSite, RegistryEvent
from tests.factories import EstablishmentFactory, PersonFactory, admin_user, dgos_user, region

pytestmark = pytest.mark.django_db


def test_crmr_detail_shows_sites_coordinator_mandates_mig_ccmr_and_events(client, registry):
    crmr = registry["crmr"]
    lyon = EstablishmentFactory(region=region("84"), name="Hospices Civils de démonstration")
    CrmrSite.objects.create(crmr=crmr, establishment=lyon)
    former = PersonFactory(last_name="Ancien")
    CoordinatorMandate.objects.create(
        crmr=crmr,
        person=former,
        establishment=crmr.coordinating_establishment,
        start=datetime.date(2008, 1, 1),
        end=datetime.date(2015, 1, 1),
    )
    RegistryEvent.objects.create(
        kind=RegistryEvent.Kind.COORDINATOR_CHANGED,
        effective_on=datetime.date(2015, 1, 1),
        summary="Succession de démonstration",
        letter_reference="DGOS-PF2/2015/00001",
        crmr=crmr,
    )
    client.force_login(dgos_user())
    html = client.get(crmr.get_absolute_url()).content.decode()
    assert "Coordonnateur actuel" in html and registry["person"].last_name in html
    assert "Hospices Civils de démonstration" in html and "Site constitutif" in html
    assert "Ancien" in html and "01/01/2008" in html
    assert "150" in html and "Dotations MIG" in html
    assert registry["ccmr"].name in html
    assert "Succession de démonstration" in html and "DGOS-PF2/2015/00001" in html


def test_a_change_made_in_the_admin_appears_in_the_history_with_its_author(client, registry):
    admin = admin_user(first_name="Nathalie", last_name="Ferrand")
    client.force_login(admin)
    ccmr = registry["ccmr"]
    response = client.post(
        reverse("admin:centres_ccmr_change", args=[ccmr.pk]),
        {
            "name": "Centre de compétences de Rennes (renommé)",
            "crmr": ccmr.crmr_id,
            "establishment": ccmr.establishment_id,
            "team_lead": ccmr.team_lead_id,
            "team": "",
            "created_on": "01/01/2016",
            "abrogated_on": "",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    html = client.get(ccmr.get_absolute_url()).content.decode()
    assert "Modification" in html and "Nathalie Ferrand" in html
    assert "« Centre de compétences de Rennes » → « Centre de compétences de Rennes (renommé) »" in html


def test_establishment_detail_lists_hospitals_crmr_sites_ccmr_and_crcsep(client, registry):
    client.force_login(dgos_user())
    html = client.get(registry["establishment"].get_absolute_url()).content.decode()
    assert "Hôpital Pontchaillou" in html
    assert registry["crmr"].name in html and registry["ccmr"].name in html and registry["crcsep"].name in html
    assert "350005179" in html


def test_crcsep_and_ccmr_and_person_details(client, registry):
    client.force_login(dgos_user())
    assert "Tranche 1 (financée en 2015)" in client.get(registry["crcsep"].get_absolute_url()).content.decode()
    assert registry["crmr"].name in client.get(registry["ccmr"].get_absolute_url()).content.decode()
    person_url = reverse("centres:person_detail", args=[registry["person"].pk])
    assert registry["crmr"].name in client.get(person_url).content.decode()


def _detail_queries(client, url) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def test_crmr_detail_query_count_does_not_grow_with_sites_ccmr_and_history(client, registry):
    from tests.factories import CcmrFactory

    crmr = registry["crmr"]
    client.force_login(dgos_user())
    before = _detail_queries(client, crmr.get_absolute_url())
    for i in range(10):
        CrmrSite.objects.create(crmr=crmr, establishment=EstablishmentFactory(region=region("11")))
        ccmr = CcmrFactory(crmr=crmr, establishment=EstablishmentFactory(region=region("84")))
        ccmr.name = f"Renommé {i}"
        ccmr.save()
        crmr.mig_amount += 1000
        crmr.save()
    assert _detail_queries(client, crmr.get_absolute_url()) == before
