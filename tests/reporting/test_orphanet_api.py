"""Orphanet feed, its exports and the read-only API: DGOS sees all, an ARS only its region."""

import datetime

import pytest
from django.urls import reverse

from centres.models import OrphanetNotice, RegistryEvent
from tests.factories import CcmrFactory, CrmrFactory, EstablishmentFactory, ars_user, dgos_user, gp_user, region

pytestmark = pytest.mark.django_db


@pytest.fixture
def feed():
    crmr_53 = CrmrFactory(coordinating_establishment=EstablishmentFactory(region=region("53")), name="CRMR Rennes")
    crmr_11 = CrmrFactory(coordinating_establishment=EstablishmentFactory(region=region("11")), name="CRMR Paris")
    ccmr_11 = CcmrFactory(crmr=crmr_53, establishment=EstablishmentFactory(region=region("11")), name="CCMR Créteil")
    events = [
        RegistryEvent.objects.create(
            kind=RegistryEvent.Kind.COORDINATOR_CHANGED,
            effective_on=datetime.date(2026, 1, 1),
            summary="Nouveau coordonnateur à Rennes",
            letter_reference="DGOS-PF2/2026/00001",
            crmr=crmr_53,
        ),
        RegistryEvent.objects.create(
            kind=RegistryEvent.Kind.CCMR_CREATED,
            effective_on=datetime.date(2026, 3, 1),
            summary="Création du CCMR Créteil",
            letter_reference="DGOS-PF2/2026/00002",
            crmr=crmr_53,
            ccmr=ccmr_11,
        ),
        RegistryEvent.objects.create(
            kind=RegistryEvent.Kind.COORDINATOR_CHANGED,
            effective_on=datetime.date(2025, 6, 1),
            summary="Nouveau coordonnateur à Paris",
            letter_reference="DGOS-PF2/2025/00009",
            crmr=crmr_11,
        ),
        RegistryEvent.objects.create(
            kind=RegistryEvent.Kind.MIG_MOVED,
            effective_on=datetime.date(2026, 1, 1),
            summary="MIG",
            crmr=crmr_53,
        ),
    ]
    for event in events[:3]:
        OrphanetNotice.objects.create(event=event)
    return events


@pytest.mark.rule("CRMR-2-orphanet-listes")
def test_dgos_lists_every_orphanet_change_with_letter_reference(feed, client):
    client.force_login(dgos_user())
    html = client.get(reverse("reporting:orphanet")).content.decode()
    for text in ("Nouveau coordonnateur à Rennes", "Création du CCMR Créteil", "DGOS-PF2/2025/00009"):
        assert text in html
    assert "MIG" not in html.split("<tbody>")[1]


def test_dgos_records_communication_and_filter_shows_what_remains(feed, client):
    client.force_login(dgos_user())
    notice = feed[0].orphanet_notice
    client.post(
        reverse("reporting:orphanet_record", args=[notice.pk]),
        {"communicated_on": "2026-01-10", "reference": "ORPHA-1"},
    )
    notice.refresh_from_db()
    assert (notice.communicated_on, notice.reference) == (datetime.date(2026, 1, 10), "ORPHA-1")
    html = client.get(reverse("reporting:orphanet") + "?statut=a-communiquer").content.decode()
    assert "Nouveau coordonnateur à Rennes" not in html and "Création du CCMR Créteil" in html


def test_ars_reads_its_region_only_and_cannot_record(feed, client):
    client.force_login(ars_user("53"))
    html = client.get(reverse("reporting:orphanet")).content.decode()
    assert "Rennes" in html and "Paris" not in html and "Créteil" not in html
    response = client.post(
        reverse("reporting:orphanet_record", args=[feed[0].orphanet_notice.pk]),
        {"communicated_on": "2026-01-10", "reference": "X"},
    )
    assert response.status_code == 403
    csv = client.get(reverse("reporting:orphanet") + "?export=csv").content.decode("utf-8-sig")
    assert "Rennes" in csv and "Paris" not in csv and "Créteil" not in csv


def test_group_member_has_no_orphanet_page(feed, client):
    client.force_login(gp_user())
    assert client.get(reverse("reporting:orphanet")).status_code == 404


@pytest.mark.parametrize("fmt, content_type", [("csv", "text/csv"), ("xlsx", "spreadsheetml"), ("ods", "opendocument")])
def test_feed_exports_in_three_formats(feed, client, fmt, content_type):
    client.force_login(dgos_user())
    response = client.get(reverse("reporting:orphanet") + f"?export={fmt}")
    assert response.status_code == 200 and content_type in response["Content-Type"]
    assert f".{fmt}" in response["Content-Disposition"]


def test_api_changes_since_a_date(feed, client):
    client.force_login(dgos_user())
    data = client.get("/pilotage/api/changements/?since=2026-01-01").json()
    assert [c["letter_reference"] for c in data["results"]] == ["DGOS-PF2/2026/00001", "DGOS-PF2/2026/00002"]
    assert client.get("/pilotage/api/changements/?since=hier").status_code == 400


@pytest.mark.rule("CRMR-2-orphanet-listes")
def test_api_registry_gives_current_coordinator_and_ccmr_status(feed, client):
    client.force_login(dgos_user())
    crmrs = client.get("/pilotage/api/crmr/").json()["results"]
    rennes = next(c for c in crmrs if c["name"] == "CRMR Rennes")
    assert rennes["coordinator"]["since"] == "2015-01-01" and rennes["region"] == "53"
    ccmrs = client.get("/pilotage/api/ccmr/").json()["results"]
    assert {c["status"] for c in ccmrs} == {"active"}


def test_api_lists_start_on_an_ars_region_and_the_registry_stays_public(feed, client):
    """The registry read rule (docs/decisions.md): an ARS's registry lists start on its region ("ma
    région"), ``region=toutes`` shows the country and a detail opens whatever its region; the Orphanet
    feed (DGOS's task tracking) stays scoped to the region."""
    client.force_login(ars_user("53"))
    assert {c["region"] for c in client.get("/pilotage/api/crmr/").json()["results"]} == {"53"}
    assert client.get("/pilotage/api/ccmr/").json()["results"] == []  # Créteil is in Île-de-France
    changes = client.get("/pilotage/api/changements/").json()["results"]
    assert [c["summary"] for c in changes] == ["Nouveau coordonnateur à Rennes"]
    other_crmr = feed[2].crmr_id
    assert client.get(f"/pilotage/api/crmr/{other_crmr}/").status_code == 200
    everywhere = client.get("/pilotage/api/crmr/", {"region": "toutes"}).json()["results"]
    assert {c["region"] for c in everywhere} >= {"53", "11"}
    assert client.get("/pilotage/api/crmr/", {"region": "99"}).status_code == 400


def test_api_refuses_anonymous_and_other_roles(feed, client):
    assert client.get("/pilotage/api/crmr/").status_code in (401, 403)
    client.force_login(gp_user())
    assert client.get("/pilotage/api/crmr/").status_code == 403


def test_openapi_schema_is_for_signed_in_pilotage_roles_only(client):
    assert client.get("/pilotage/api/schema/").status_code in (401, 403)
    client.force_login(gp_user())
    assert client.get("/pilotage/api/schema/").status_code == 403


def test_openapi_schema_describes_the_endpoints(client):
    client.force_login(dgos_user())
    response = client.get("/pilotage/api/schema/?format=json")
    assert response.status_code == 200
    paths = response.json()["paths"]
    assert {"/pilotage/api/crmr/", "/pilotage/api/ccmr/", "/pilotage/api/changements/"} <= set(paths)
    params = [p["name"] for p in paths["/pilotage/api/changements/"]["get"]["parameters"]]
    assert "since" in params


def test_orphanet_list_query_count_is_the_same_at_3_and_30_rows(feed, client):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(dgos_user())
    with CaptureQueriesContext(connection) as small:
        client.get(reverse("reporting:orphanet"))
    crmr = feed[0].crmr
    for n in range(27):
        event = RegistryEvent.objects.create(
            kind=RegistryEvent.Kind.CCMR_ABROGATED,
            effective_on=datetime.date(2026, 2, 1),
            summary=f"Abrogation {n}",
            crmr=crmr,
        )
        OrphanetNotice.objects.create(event=event)
    with CaptureQueriesContext(connection) as large:
        client.get(reverse("reporting:orphanet"))
    assert len(small) == len(large)
