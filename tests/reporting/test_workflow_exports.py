"""Exports (CSV, XLSX, ODS) of the dossier lists: the very rows the page shows to the viewer (scope and
filters), every page of them, with the page's columns; tablib loads each format back."""

from __future__ import annotations

import datetime
import io

import pytest
import tablib
from django.urls import reverse

from crmr_procedures.competence.models import CcmrRequest
from crmr_procedures.succession.models import State as SuccessionState
from crmr_procedures.succession.models import Succession
from labellisation.models import Application
from tests.factories import (
    CrmrFactory,
    EstablishmentFactory,
    HospitalFactory,
    UserFactory,
    ars_user,
    coordinator_user,
    dgos_user,
    establishment_user,
    gp_user,
    region,
)
from tests.labellisation.factories import make_application

pytestmark = pytest.mark.django_db

FORMATS = ["csv", "xlsx", "ods"]


def load(response) -> tablib.Dataset:
    """The attachment, loaded back by tablib (the CSV carries a BOM and ``;``)."""
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    content = b"".join(response) if response.streaming else response.content
    fmt = response["Content-Disposition"].rsplit(".", 1)[1].rstrip('"')
    if fmt == "csv":
        text = content.decode("utf-8")
        assert text.startswith("\ufeff")
        return tablib.Dataset().load(io.StringIO(text[1:]), format="csv", delimiter=";")
    return tablib.Dataset().load(io.BytesIO(content), format=fmt)


def export(client, user, url: str, fmt: str = "csv", **params) -> tablib.Dataset:
    client.force_login(user)
    return load(client.get(url, {**params, "format": fmt}))


def column(dataset: tablib.Dataset, header: str) -> list[str]:
    return sorted(str(v) for v in dataset[header])


# --- Labellisation: the ARS inbox and the establishment's own applications ---------------------------------


def _applications(code: str, n: int, *, state=Application.State.SUBMITTED, name: str = "CRC SEP") -> list:
    establishment = EstablishmentFactory(region=region(code))
    return [
        make_application(
            establishment=establishment,
            hospital=HospitalFactory(establishment=establishment, name=f"Site {code}-{i}"),
            state=state,
            name=name,
            created_by=UserFactory(),
        )
        for i in range(n)
    ]


@pytest.mark.parametrize("fmt", FORMATS)
def test_inbox_export_has_the_page_columns_and_every_row_of_the_region_in_each_format(client, fmt):
    mine = _applications("53", 27)  # more than one page of 25
    _applications("11", 2)
    data = export(client, ars_user("53"), reverse("labellisation:inbox"), fmt)
    assert data.headers == ["Centre", "Établissement", "Site", "Région", "Tranche", "État", "Décidée le", "Mis à jour"]
    assert column(data, "Centre") == sorted(a.centre_name for a in mine)
    assert set(data["Région"]) == {"Bretagne"} and set(data["État"]) == {"Déposée"}


def test_an_ars_never_exports_another_regions_applications(client):
    _applications("11", 3)
    data = export(client, ars_user("53"), reverse("labellisation:inbox"), "xlsx")
    assert data.height == 0


def test_inbox_export_honours_the_state_filter_of_the_page(client):
    submitted = _applications("53", 2)
    _applications("53", 3, state=Application.State.SENT_BACK)
    data = export(client, ars_user("53"), reverse("labellisation:inbox"), state="submitted")
    assert column(data, "Centre") == sorted(a.centre_name for a in submitted)


def test_dgos_exports_every_region_and_an_outsider_role_gets_404_as_on_the_page(client):
    rows = _applications("53", 1) + _applications("11", 1)
    assert column(export(client, dgos_user(), reverse("labellisation:inbox")), "Centre") == sorted(
        a.centre_name for a in rows
    )
    crmr = CrmrFactory()
    client.force_login(coordinator_user(crmr))
    assert client.get(reverse("labellisation:inbox"), {"format": "csv"}).status_code == 404


def test_mine_export_is_the_establishments_own_applications_only(client):
    own = _applications("53", 2, state=Application.State.DRAFT)
    _applications("53", 2, state=Application.State.DRAFT)
    data = export(client, establishment_user(own[0].establishment), reverse("labellisation:mine"), "ods")
    assert column(data, "Centre") == sorted(a.centre_name for a in own)
    client.force_login(ars_user("53"))
    assert client.get(reverse("labellisation:mine"), {"format": "csv"}).status_code == 404


def test_an_unknown_export_format_is_404(client):
    client.force_login(ars_user("53"))
    assert client.get(reverse("labellisation:inbox"), {"format": "pdf"}).status_code == 404


def test_the_inbox_offers_the_three_downloads_with_the_current_filter(client):
    _applications("53", 1)
    client.force_login(ars_user("53"))
    page = client.get(reverse("labellisation:inbox"), {"state": "submitted"}).content.decode()
    for fmt in FORMATS:
        assert f'href="?state=submitted&amp;export={fmt}"' in page
    assert "fr-btn--secondary fr-icon-download-line" in page


# --- Succession of coordinators ---------------------------------------------------------------------------


def _succession(code: str, state: str = SuccessionState.NOTICE_RECEIVED, *, name: str = "") -> Succession:
    establishment = EstablishmentFactory(region=region(code))
    crmr = CrmrFactory(coordinating_establishment=establishment, **({"name": name} if name else {}))
    return Succession.objects.create(
        crmr=crmr,
        state=state,
        former_coordinator=crmr.coordinator,
        former_establishment=establishment,
        created_by=UserFactory(),
        effective_on=datetime.date(2027, 1, 1),
    )


@pytest.mark.parametrize("fmt", FORMATS)
def test_succession_export_has_the_page_columns_in_each_format(client, fmt):
    rows = [_succession("53") for _ in range(27)]
    data = export(client, dgos_user(), reverse("crmr_procedures:succession_list"), fmt)
    assert data.headers == [
        "CRMR",
        "Filière",
        "Voie",
        "État",
        "Date effective",
        "Séance",
        "Coordonnateur sortant",
        "Successeur",
    ]
    assert column(data, "CRMR") == sorted(s.crmr.name for s in rows)


def test_an_ars_never_exports_another_regions_successions(client):
    ours = _succession("53", SuccessionState.CALL_OPEN)
    _succession("11", SuccessionState.CALL_OPEN)
    data = export(client, ars_user("53"), reverse("crmr_procedures:succession_list"), "xlsx")
    assert list(data["CRMR"]) == [ours.crmr.name]


def test_succession_export_honours_the_to_do_filter(client):
    waiting = _succession("53", SuccessionState.NOTICE_RECEIVED)
    _succession("53", SuccessionState.NOTICE_FORWARDED)  # the coordinator's turn
    url = reverse("crmr_procedures:succession_list")
    assert export(client, dgos_user(), url).height == 2
    assert list(export(client, dgos_user(), url, filtre="a-traiter")["CRMR"]) == [waiting.crmr.name]


def test_a_coordinator_exports_only_the_successions_of_his_or_her_crmr(client):
    ours = _succession("53")
    _succession("53")
    data = export(client, coordinator_user(ours.crmr), reverse("crmr_procedures:succession_list"), "ods")
    assert list(data["CRMR"]) == [ours.crmr.name]


def test_an_unrelated_establishment_exports_no_succession(client):
    _succession("53")
    data = export(
        client,
        establishment_user(EstablishmentFactory(region=region("53"))),
        reverse("crmr_procedures:succession_list"),
    )
    assert data.height == 0


def test_the_succession_list_offers_the_three_downloads(client):
    _succession("53")
    client.force_login(dgos_user())
    page = client.get(reverse("crmr_procedures:succession_list")).content.decode()
    assert all(f"export={fmt}" in page for fmt in FORMATS) and "fr-icon-download-line" in page


# --- CCMR requests -----------------------------------------------------------------------------------------


def _ccmr_request(code: str, state: str = CcmrRequest.State.AWAITING_CPOM, *, name: str = "") -> CcmrRequest:
    crmr = CrmrFactory(coordinating_establishment=EstablishmentFactory(region=region(code)))
    return CcmrRequest.objects.create(
        kind=CcmrRequest.Kind.CREATION,
        state=state,
        crmr=crmr,
        establishment=EstablishmentFactory(region=region(code)),
        proposed_name=name or f"Centre de compétences {crmr.pk}",
        submitted_by=UserFactory(),
    )


@pytest.mark.parametrize("fmt", FORMATS)
def test_ccmr_request_export_has_the_page_columns_in_each_format(client, fmt):
    rows = [_ccmr_request("53") for _ in range(27)]
    data = export(client, ars_user("53"), reverse("crmr_procedures:ccmr_request_list"), fmt)
    assert data.headers == ["Demande", "Nature", "CRMR", "Établissement", "Région", "Reçue le", "État"]
    assert column(data, "Demande") == sorted(r.proposed_name for r in rows)
    assert set(data["Nature"]) == {"Création"} and set(data["Région"]) == {"Bretagne"}


def test_an_ars_never_exports_another_regions_ccmr_requests(client):
    ours = _ccmr_request("53")
    _ccmr_request("11")
    url = reverse("crmr_procedures:ccmr_request_list")
    assert list(export(client, ars_user("53"), url, "xlsx")["Demande"]) == [ours.proposed_name]
    assert list(export(client, ars_user("53"), url, "csv", vue="toutes")["Demande"]) == [ours.proposed_name]


def test_ccmr_request_export_follows_the_view_of_the_page(client):
    waiting = _ccmr_request("53", CcmrRequest.State.AWAITING_OPINION)
    done = _ccmr_request("53", CcmrRequest.State.COMPLETED)
    url = reverse("crmr_procedures:ccmr_request_list")
    assert list(export(client, gp_user(), url)["Demande"]) == [waiting.proposed_name]
    assert column(export(client, gp_user(), url, vue="toutes"), "Demande") == sorted(
        [waiting.proposed_name, done.proposed_name]
    )


def test_an_unrelated_coordinator_exports_no_ccmr_request(client):
    _ccmr_request("53")
    data = export(client, coordinator_user(CrmrFactory()), reverse("crmr_procedures:ccmr_request_list"), vue="toutes")
    assert data.height == 0


def test_the_ccmr_request_list_offers_the_three_downloads(client):
    _ccmr_request("53")
    client.force_login(ars_user("53"))
    page = client.get(reverse("crmr_procedures:ccmr_request_list")).content.decode()
    assert all(f"export={fmt}" in page for fmt in FORMATS) and "fr-btn--secondary fr-icon-download-line" in page
