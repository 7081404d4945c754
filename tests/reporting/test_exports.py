"""Tabular exports (CSV, XLSX, ODS) of the registry and letters, within the viewer's scope."""

import io

import openpyxl
import pytest
from django.urls import reverse

from core.exports import dataset_from_rows, export_response
from tests.activity_reports.factories import labelled_centre
from tests.factories import CcmrFactory, CrmrFactory, EstablishmentFactory, ars_user, dgos_user, region

pytestmark = pytest.mark.django_db


def test_export_response_writes_csv_with_bom_and_semicolons():
    response = export_response(dataset_from_rows(["Nom", "Nombre"], [["Rennes", 3]]), "csv", "test")
    assert response.content.decode("utf-8").startswith("\ufeffNom;Nombre")
    assert 'filename="test-' in response["Content-Disposition"]


def test_xlsx_export_keeps_numbers_as_numbers():
    response = export_response(dataset_from_rows(["Nom", "Nombre"], [["Rennes", 3]]), "xlsx", "test")
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    assert sheet["B2"].value == 3


@pytest.mark.parametrize("kind", ["etablissements", "crc-sep", "crmr", "centres-de-competences"])
def test_ars_registry_export_holds_only_its_region(kind, client):
    labelled_centre("53", name="CRC SEP Rennes")
    labelled_centre("11", name="CRC SEP Paris")
    crmr = CrmrFactory(coordinating_establishment=EstablishmentFactory(region=region("53"), name="CHU Rennes test"))
    CrmrFactory(coordinating_establishment=EstablishmentFactory(region=region("11"), name="AP-HP test"))
    CcmrFactory(crmr=crmr, establishment=EstablishmentFactory(region=region("11"), name="CHU Créteil test"))
    client.force_login(ars_user("53"))
    content = client.get(reverse("reporting:registry_export", args=[kind]) + "?export=csv&region=11").content.decode(
        "utf-8-sig"
    )
    assert "Île-de-France" not in content and "Paris" not in content and "AP-HP" not in content


def test_dgos_registry_export_may_choose_a_region(client):
    labelled_centre("53", name="CRC SEP Rennes")
    labelled_centre("11", name="CRC SEP Paris")
    client.force_login(dgos_user())
    everything = client.get(reverse("reporting:registry_export", args=["crc-sep"]) + "?export=ods")
    assert everything.status_code == 200
    only_11 = client.get(
        reverse("reporting:registry_export", args=["crc-sep"]) + "?export=csv&region=11"
    ).content.decode()
    assert "Paris" in only_11 and "Rennes" not in only_11


def test_unknown_format_or_list_is_404(client):
    client.force_login(dgos_user())
    assert client.get(reverse("reporting:registry_export", args=["crmr"]) + "?export=pdf").status_code == 404
    assert client.get(reverse("reporting:registry_export", args=["inconnu"])).status_code == 404


def test_registry_exports_page_lists_the_downloads(client):
    client.force_login(ars_user("53"))
    html = client.get(reverse("reporting:registry_exports")).content.decode()
    assert "CRMR (XLSX)" in html and "Périmètre : Bretagne" in html
