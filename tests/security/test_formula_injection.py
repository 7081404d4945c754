"""Formula injection (issue 16, item 1): a text that a spreadsheet would evaluate reaches every CSV, XLSX
and ODS export as text, prefixed with a single quote (OWASP, "CSV injection")."""

from __future__ import annotations

import csv
import datetime
import io
import zipfile

import openpyxl
import pytest
from django.urls import reverse

from centres.models import RegistryEvent
from core.exports import FORMULA_PREFIXES, dataset_from_rows, export_response, neutralise_formula
from crmr_procedures.competence.models import CcmrRequest
from crmr_procedures.succession.models import State as SuccessionState
from crmr_procedures.succession.models import Succession
from labellisation.models import Application
from reporting.models import ExportJob
from reporting.services import export_job_build
from tests.activity_reports.factories import filled_report, labelled_centre
from tests.factories import (
    CcmrFactory,
    CrmrFactory,
    EstablishmentFactory,
    HospitalFactory,
    UserFactory,
    dgos_user,
    establishment_user,
    region,
)
from tests.labellisation.factories import make_application

pytestmark = pytest.mark.django_db

HOSTILE = '=HYPERLINK("http://attaquant.example/","clic")'
FORMATS = ["csv", "xlsx", "ods"]


@pytest.mark.parametrize("prefix", FORMULA_PREFIXES)
def test_every_owasp_prefix_is_neutralised_and_other_values_are_untouched(prefix):
    assert neutralise_formula(f"{prefix}1+1") == f"'{prefix}1+1"
    assert neutralise_formula("CHR d'Orléans") == "CHR d'Orléans"
    assert neutralise_formula(-3) == -3  # a number stays a number
    assert neutralise_formula("") == ""


def _cells(response, fmt: str) -> list:
    """Every cell of the attachment, read back with the format's own reader."""
    assert response.status_code == 200 and response["Content-Disposition"].startswith("attachment;")
    content = response.content
    if fmt == "csv":
        return [cell for row in csv.reader(io.StringIO(content.decode("utf-8-sig")), delimiter=";") for cell in row]
    if fmt == "xlsx":
        sheet = openpyxl.load_workbook(io.BytesIO(content)).active
        cells = [cell for row in sheet.iter_rows() for cell in row]
        assert not [c.coordinate for c in cells if c.data_type == "f"], "a cell is a live formula"
        return [c.value for c in cells]
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        xml = archive.read("content.xml").decode()
    assert "table:formula" not in xml
    import tablib

    data = tablib.Dataset().load(io.BytesIO(content), format="ods")
    return [cell for row in [data.headers, *data] for cell in row]


def assert_neutralised(response, fmt: str) -> None:
    hostile = [c for c in _cells(response, fmt) if isinstance(c, str) and "HYPERLINK" in c]
    assert hostile, "the hostile name is missing from the export"
    assert not [c for c in hostile if c.startswith(FORMULA_PREFIXES)], hostile
    assert any(c.startswith("'" + HOSTILE) for c in hostile), hostile


@pytest.mark.parametrize("fmt", FORMATS)
def test_the_shared_export_helper_writes_formulas_as_text(fmt):
    response = export_response(dataset_from_rows(["Nom", "Nombre"], [[HOSTILE, -3], ["@SUM(A1)", 2]]), fmt, "t")
    assert_neutralised(response, fmt)
    assert "'@SUM(A1)" in _cells(response, fmt)


@pytest.mark.parametrize("fmt", FORMATS)
def test_labellisation_inbox_export(client, fmt):
    establishment = EstablishmentFactory(region=region("53"))
    make_application(
        establishment=establishment,
        hospital=HospitalFactory(establishment=establishment),
        state=Application.State.SUBMITTED,
        name=HOSTILE,
        created_by=UserFactory(),
    )
    client.force_login(dgos_user())
    assert_neutralised(client.get(reverse("labellisation:inbox"), {"format": fmt}), fmt)


@pytest.mark.parametrize("fmt", FORMATS)
def test_succession_list_export(client, fmt):
    establishment = EstablishmentFactory(region=region("53"))
    crmr = CrmrFactory(coordinating_establishment=establishment, name=HOSTILE)
    Succession.objects.create(
        crmr=crmr,
        state=SuccessionState.NOTICE_RECEIVED,
        former_coordinator=crmr.coordinator,
        former_establishment=establishment,
        created_by=UserFactory(),
        effective_on=datetime.date(2027, 1, 1),
    )
    client.force_login(dgos_user())
    assert_neutralised(client.get(reverse("crmr_procedures:succession_list"), {"format": fmt}), fmt)


@pytest.mark.parametrize("fmt", FORMATS)
def test_ccmr_request_list_export(client, fmt):
    CcmrRequest.objects.create(
        kind=CcmrRequest.Kind.CREATION,
        state=CcmrRequest.State.AWAITING_CPOM,
        crmr=CrmrFactory(coordinating_establishment=EstablishmentFactory(region=region("53"))),
        establishment=EstablishmentFactory(region=region("53")),
        proposed_name=HOSTILE,
        submitted_by=UserFactory(),
    )
    client.force_login(dgos_user())
    response = client.get(reverse("crmr_procedures:ccmr_request_list"), {"format": fmt, "vue": "toutes"})
    assert_neutralised(response, fmt)


@pytest.mark.parametrize("kind", ["etablissements", "crc-sep", "crmr", "centres-de-competences"])
@pytest.mark.parametrize("fmt", FORMATS)
def test_registry_exports(client, kind, fmt):
    establishment = EstablishmentFactory(region=region("53"), name=HOSTILE)
    labelled_centre("53", establishment=establishment)
    crmr = CrmrFactory(coordinating_establishment=establishment)
    CcmrFactory(crmr=crmr, establishment=establishment)
    client.force_login(dgos_user())
    assert_neutralised(client.get(reverse("reporting:registry_export", args=[kind]), {"export": fmt}), fmt)


@pytest.mark.parametrize("fmt", FORMATS)
def test_activity_report_export(client, fmt):
    centre = labelled_centre("53", name=HOSTILE)
    filled_report(centre, 2024, establishment_user(centre.establishment))
    client.force_login(dgos_user())
    assert_neutralised(client.get(reverse("activity_reports:report_list"), {"export": fmt}), fmt)


@pytest.mark.parametrize("fmt", FORMATS)
def test_orphanet_feed_export(client, fmt):
    crmr = CrmrFactory(coordinating_establishment=EstablishmentFactory(region=region("53")), name=HOSTILE)
    RegistryEvent.objects.create(
        kind=RegistryEvent.Kind.COORDINATOR_CHANGED,
        effective_on=datetime.date(2026, 1, 1),
        summary=HOSTILE,
        letter_reference="DGOS-PF2/2026/00001",
        crmr=crmr,
    )
    client.force_login(dgos_user())
    assert_neutralised(client.get(reverse("reporting:orphanet"), {"export": fmt}), fmt)


def _hostile_letter(django_capture_on_commit_callbacks):
    from letters.engine import dgos_sender, letter_compose, letter_issue

    with django_capture_on_commit_callbacks(execute=True):
        letter_issue(
            letter_compose(
                kind="other",
                sender=dgos_sender(),
                subject=HOSTILE,
                body_template="letters/layout/test_body.html",
                context={"message": "Export"},
                addressees=[HOSTILE],
                created_by=dgos_user(),
            )
        )


@pytest.mark.parametrize("fmt", FORMATS)
def test_letter_list_export(client, fmt, django_capture_on_commit_callbacks):
    _hostile_letter(django_capture_on_commit_callbacks)
    client.force_login(dgos_user())
    assert_neutralised(client.get(reverse("letters:letter_list"), {"export": fmt}), fmt)


def test_letter_zip_index(django_capture_on_commit_callbacks):
    _hostile_letter(django_capture_on_commit_callbacks)
    job = export_job_build(job_id=ExportJob.objects.create(requested_by=dgos_user(), filters={}).pk)
    with zipfile.ZipFile(job.file.open("rb")) as archive:
        rows = list(csv.reader(io.StringIO(archive.read("index.csv").decode("utf-8-sig")), delimiter=";"))
    assert [row[2] for row in rows[1:]] == ["'" + HOSTILE]


def test_quota_csv(client):
    r = region("53")
    r.name = HOSTILE
    r.save()
    client.force_login(dgos_user())
    response = client.get(reverse("centres:quotas_csv"))
    text = response.content.decode("utf-8-sig")
    cells = [cell for row in csv.reader(io.StringIO(text), delimiter=";") for cell in row]
    assert "'" + HOSTILE in cells and HOSTILE not in cells
