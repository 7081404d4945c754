"""The registry dated by law: each act takes effect on its legal date, the network read at any date.

Acts come through the real workflows (succession, competence centre, labellisation) or, for the rules of
the registry itself, through ``centres.services``."""

from __future__ import annotations

import datetime
import html
from decimal import Decimal

import pytest
from django.utils import timezone

from centres import models as c
from centres import services
from centres.dating import parse_registry_date
from crmr_procedures.succession import services as succession_services
from crmr_procedures.succession.models import State
from tests.crmr_procedures.succession.helpers import Journey, multi_crmr
from tests.factories import CrmrFactory, EstablishmentFactory, PersonFactory, dgos_user, region

pytestmark = pytest.mark.django_db

DAY = datetime.timedelta(days=1)


def page(client, url: str, on: datetime.date, **params) -> str:
    response = client.get(url, {"date": on.isoformat(), **params})
    assert response.status_code == 200, response.status_code
    return html.unescape(response.content.decode())


def api(client, url: str, on: datetime.date) -> dict:
    response = client.get(url, {"date": on.isoformat(), "region": "toutes"})
    assert response.status_code == 200, response.content
    return response.json()


def export_rows(client, on: datetime.date, kind: str = "crmr") -> list[dict]:
    import tablib

    response = client.get(f"/pilotage/registre/{kind}/", {"export": "csv", "date": on.isoformat()})
    assert response.status_code == 200
    data = tablib.Dataset().load(response.content.decode("utf-8-sig"), format="csv", delimiter=";")
    return list(data.dict)


# --- A transfer of coordination (2013 instruction, Annexe 1, normal path (2) and MIG step) ------------------------


@pytest.fixture
def transfer():
    crmr, receiving = multi_crmr()
    former_est = crmr.coordinating_establishment
    journey = Journey(crmr, transfer_to=receiving)
    s = journey.to(State.OFFICIALISED)
    assert s.state == State.OFFICIALISED
    return journey, s, former_est, receiving


@pytest.mark.rule("CRMR-A1-date-effective")
@pytest.mark.rule("CRMR-A1-mig-transfert")
def test_transfer_takes_effect_on_its_date_on_pages_api_and_export(transfer, client):
    journey, s, former_est, receiving = transfer
    D = s.effective_on
    assert timezone.localdate() < D, "the notice gives at least six months"
    crmr = journey.crmr
    client.force_login(dgos_user(username="dgos-lecteur"))

    before, after = page(client, crmr.get_absolute_url(), D - DAY), page(client, crmr.get_absolute_url(), D)
    coordinating = 'id="coordinating-establishment">'
    assert before.split(coordinating)[1].split("</p>")[0].count(former_est.name) == 1
    assert after.split(coordinating)[1].split("</p>")[0].count(receiving.name) == 1
    assert "À venir le" in before and D.strftime("%d/%m/%Y") in before
    assert "Alice Durand" not in before.split('id="current-coordinator"')[1].split("</div>")[0].split("À venir")[0]
    assert "Alice Durand" in after.split('id="current-coordinator"')[1].split("</div>")[0]
    assert 'id="mig-amount">150' in before and 'id="mig-amount">150' in after  # the whole MIG moves

    # Today the registry still shows the former coordinating establishment (decided, not yet in force).
    today = page(client, crmr.get_absolute_url(), timezone.localdate())
    assert former_est.name in today.split(coordinating)[1].split("</p>")[0]

    rows_before = {r["id"]: r for r in api(client, "/pilotage/api/crmr/", D - DAY)["results"]}
    rows_after = {r["id"]: r for r in api(client, "/pilotage/api/crmr/", D)["results"]}
    assert rows_before[crmr.pk]["coordinating_establishment"] == former_est.name
    assert rows_before[crmr.pk]["next_change"] == D.isoformat()
    assert rows_after[crmr.pk]["coordinating_establishment"] == receiving.name
    assert rows_after[crmr.pk]["coordinator"]["name"].endswith("Alice Durand")
    assert rows_after[crmr.pk]["coordinator"]["since"] == D.isoformat()

    by_name_before = {r["CRMR"]: r for r in export_rows(client, D - DAY)}
    by_name_after = {r["CRMR"]: r for r in export_rows(client, D)}
    assert by_name_before[crmr.name]["Établissement coordonnateur"] == former_est.name
    assert by_name_after[crmr.name]["Établissement coordonnateur"] == receiving.name

    # The outgoing coordinator's mandate ends on D; MIG rows moved on D; the history cites the letter.
    former_mandate = c.CoordinatorMandate.objects.get(crmr=crmr, person=s.former_coordinator)
    assert former_mandate.end == D and former_mandate.ended_by == s.letter.reference
    assert c.MigAllocation.objects.get(crmr=crmr, establishment=receiving).start == D
    kinds = set(crmr.events.filter(letter_reference=s.letter.reference).values_list("kind", flat=True))
    assert {"coordinator_changed", "coordination_transferred", "mig_moved"} <= kinds
    assert s.letter.reference in after.split('id="history-title"')[1]
    # django-simple-history recorded the dated rows (the transfer used QuerySet.update() before).
    assert c.CrmrSite.history.filter(crmr=crmr, end=D).exists()
    assert c.MigAllocation.history.filter(crmr=crmr, end=D).exists()


def test_transfer_keeps_workflow_scope_on_the_former_establishment_until_its_date(transfer):
    journey, s, former_est, receiving = transfer
    crmr = c.Crmr.objects.get(pk=journey.crmr.pk)
    assert crmr.coordinating_establishment == former_est  # today's value
    assert services.registry_refresh_current() == 0  # idempotent: nothing to flip today
    assert services.registry_refresh_current(on=s.effective_on, crmr_ids=[crmr.pk]) == 1
    crmr.refresh_from_db()
    assert crmr.coordinating_establishment == receiving
    assert services.registry_refresh_current(on=s.effective_on, crmr_ids=[crmr.pk]) == 0


def test_outgoing_coordinator_keeps_access_until_the_date_then_loses_it(transfer):
    from accounts.services import coordinated_crmrs, coordinator_access_sync

    journey, s, _, _ = transfer
    outgoing = journey.coordinator
    assert journey.crmr in coordinated_crmrs(outgoing)
    assert coordinator_access_sync(on=s.effective_on - DAY) == 0
    assert coordinator_access_sync(on=s.effective_on) == 1
    assert journey.crmr not in coordinated_crmrs(outgoing)
    assert coordinator_access_sync(on=s.effective_on) == 0


@pytest.mark.rule("CRMR-A1-mig-debasee")
def test_special_case_debases_then_assigns_the_project_mig_on_its_date(client):
    journey = Journey()
    journey.to(State.GP_OPINION_GIVEN)
    D = timezone.localdate() + datetime.timedelta(days=90)
    s = succession_services.succession_officialise(
        succession=journey.s, user=journey.dgos, project=journey.project, effective_on=D
    )
    crmr, former_est, new_est = journey.crmr, s.former_establishment, journey.project.establishment
    kinds = list(crmr.events.filter(letter_reference=s.letter.reference).values_list("kind", flat=True))
    assert "mig_debased" in kinds and "mig_allocated" in kinds
    client.force_login(dgos_user(username="dgos-lecteur"))
    before, after = page(client, crmr.get_absolute_url(), D - DAY), page(client, crmr.get_absolute_url(), D)
    assert former_est.name in before.split('id="coordinating-establishment">')[1].split("</p>")[0]
    assert new_est.name in after.split('id="coordinating-establishment">')[1].split("</p>")[0]
    assert 'id="mig-amount">150' in before and 'id="mig-amount">120' in after


# --- Competence centres (2013 instruction, Annexe 2, step 5) ----------------------------------------------------


@pytest.mark.rule("CRMR-A2-avenant-cpom")
def test_ccmr_creation_is_in_force_from_the_cpom_amendment_date(client):
    crmr = CrmrFactory()
    est = EstablishmentFactory(region=region("52"))
    D = timezone.localdate() + datetime.timedelta(days=30)
    ccmr, event = services.ccmr_create(crmr=crmr, establishment=est, name="CCMR de Nantes", on=D, act="AV-1")
    client.force_login(dgos_user(username="dgos-lecteur"))
    assert "En création" in page(client, ccmr.get_absolute_url(), D - DAY).split('id="ccmr-status"')[1][:400]
    assert "En activité" in page(client, ccmr.get_absolute_url(), D).split('id="ccmr-status"')[1][:400]
    names = lambda on: {r["name"]: r["status"] for r in api(client, "/pilotage/api/ccmr/", on)["results"]}  # noqa: E731
    assert names(D - DAY)["CCMR de Nantes"] == "planned" and names(D)["CCMR de Nantes"] == "active"
    network = lambda on: page(client, "/centres/reseau/", on, section="ccmr")  # noqa: E731
    assert "CCMR de Nantes" not in network(D - DAY) and "CCMR de Nantes" in network(D)
    assert event.letter_reference == "AV-1" and event.effective_on == D

    A = D + datetime.timedelta(days=365)
    services.ccmr_abrogate(ccmr=ccmr, on=A, act="AV-2")
    assert names(A - DAY)["CCMR de Nantes"] == "active" and names(A)["CCMR de Nantes"] == "abrogated"
    assert "Abrogation à venir" in page(client, ccmr.get_absolute_url(), A - DAY)
    assert "CCMR de Nantes" not in network(A)


# --- CRC SEP (2016 instruction, Annexe 1 §3) -----------------------------------------------------------------


@pytest.mark.rule("SEP-A1-3-coordonne-le-centre")
def test_crcsep_labelling_puts_its_coordinator_in_the_registry(client):
    est = EstablishmentFactory(region=region("53"))
    hospital = c.Hospital.objects.create(establishment=est, name="Hôpital test")
    tranche = c.Tranche.objects.get(number=1)
    on = timezone.localdate()
    coordinator = services.person_from_name("Dr Jeanne Le Gall", specialty="Neurologie")
    centre, event = services.crcsep_label(
        name="CRC SEP test",
        establishment_id=est.pk,
        hospital_id=hospital.pk,
        region_id=est.region_id,
        tranche_id=tranche.pk,
        on=on,
        act="ARS-53/2026/00001",
        summary="CRC SEP test labellisé",
        coordinator=coordinator,
    )
    assert coordinator.title == "Dr" and coordinator.last_name == "Gall" and coordinator.first_name == "Jeanne Le"
    client.force_login(dgos_user(username="dgos-lecteur"))
    detail = page(client, centre.get_absolute_url(), on)
    assert "Jeanne Le Gall" in detail.split('id="crcsep-coordinator"')[1][:300]
    assert "Jeanne Le Gall" in page(client, "/centres/crc-sep/", on)
    assert "CRC SEP test" not in page(client, "/centres/reseau/", on - DAY, section="crc-sep")
    W = on + datetime.timedelta(days=10)
    services.crcsep_withdraw(centre=centre, on=W, act="ARS-53/2026/00002", summary="Retrait")
    assert "Retrait à venir" in page(client, centre.get_absolute_url(), W - DAY)
    assert "Labellisation retirée" in page(client, centre.get_absolute_url(), W)
    assert c.CrcSepMandate.objects.get(centre=centre).end == W


def test_labellisation_workflow_names_the_application_coordinator():
    from labellisation import services as labellisation_services
    from tests.factories import ars_user
    from tests.labellisation.factories import make_application

    app = make_application(state="under_review")
    app = labellisation_services.application_label(application=app, user=ars_user(app.region.code))
    centre = app.centre
    assert centre.coordinator is not None
    assert str(centre.coordinator).endswith(app.coordinator_name.split()[-1])
    assert c.CrcSepMandate.objects.active_on(app.decided_on).get(centre=centre).person == centre.coordinator


# --- Reading at a date -----------------------------------------------------------------------------


def test_a_bad_date_reads_today_with_a_french_message(client):
    when = parse_registry_date("31/02/2027")
    assert when.on == timezone.localdate() and "n'est pas valide" in when.error
    assert parse_registry_date("2027-07-01").on == datetime.date(2027, 7, 1)
    assert parse_registry_date("01/07/2027").on == datetime.date(2027, 7, 1)
    client.force_login(dgos_user(username="dgos-lecteur"))
    body = client.get("/centres/crmr/", {"date": "demain"}).content.decode()
    assert "n&#x27;est pas valide" in body or "n'est pas valide" in body
    assert client.get("/pilotage/api/crmr/", {"date": "demain"}).status_code == 400


def test_network_page_exports_each_section_at_its_date(client):
    import tablib

    crmr = CrmrFactory(name="CRMR daté")
    client.force_login(dgos_user(username="dgos-lecteur"))
    for section in ("crmr", "ccmr", "crc-sep"):
        for fmt in ("csv", "xlsx", "ods"):
            response = client.get("/centres/reseau/", {"section": section, "export": fmt, "date": "2027-07-01"})
            assert response.status_code == 200
            assert "au-2027-07-01" in response["Content-Disposition"]
            if fmt == "xlsx" and section == "crmr":
                data = tablib.Dataset().load(response.content, format="xlsx")
                assert crmr.name in data["CRMR"]
    assert client.get("/centres/reseau/", {"section": "autre"}).status_code == 404


def test_changes_feed_reads_at_a_date(client):
    crmr = CrmrFactory()
    D = timezone.localdate() + datetime.timedelta(days=60)
    services.coordinator_change(
        crmr=crmr, person=PersonFactory(), establishment=crmr.coordinating_establishment, on=D, act="DGOS/1"
    )
    client.force_login(dgos_user(username="dgos-lecteur"))
    before = client.get("/pilotage/api/changements/", {"date": (D - DAY).isoformat()}).json()["results"]
    after = client.get("/pilotage/api/changements/", {"date": D.isoformat()}).json()["results"]
    assert not [e for e in before if e["letter_reference"] == "DGOS/1"]
    assert [e for e in after if e["letter_reference"] == "DGOS/1"]


@pytest.mark.rule("CRMR-A1-mig-accord")
def test_mig_redeploy_moves_only_the_agreed_part():
    crmr, other = multi_crmr()
    former = crmr.coordinating_establishment
    D = timezone.localdate() + datetime.timedelta(days=200)
    services.mig_redeploy(
        crmr=crmr, from_establishment=former, to_establishment=other, amount=Decimal("50000"), on=D, act="X"
    )
    on = {a.establishment_id: a.amount for a in c.MigAllocation.objects.active_on(D).filter(crmr=crmr)}
    assert on == {other.pk: Decimal("50000"), former.pk: Decimal("100000")}
    assert sum(a.amount for a in c.MigAllocation.objects.active_on(D - DAY).filter(crmr=crmr)) == Decimal("150000")


def test_orphanet_page_and_openapi_document_take_the_date(client):
    crmr = CrmrFactory()
    D = timezone.localdate() + datetime.timedelta(days=60)
    services.coordinator_change(
        crmr=crmr, person=PersonFactory(), establishment=crmr.coordinating_establishment, on=D, act="DGOS/2"
    )
    client.force_login(dgos_user(username="dgos-lecteur"))
    assert "DGOS/2" not in page(client, "/pilotage/orphanet/", D - DAY)
    assert "DGOS/2" in page(client, "/pilotage/orphanet/", D)
    schema = client.get("/pilotage/api/schema/", {"format": "json"}).json()
    for path in ("/pilotage/api/crmr/", "/pilotage/api/ccmr/", "/pilotage/api/changements/"):
        names = {p["name"] for p in schema["paths"][path]["get"]["parameters"]}
        assert "date" in names, path
