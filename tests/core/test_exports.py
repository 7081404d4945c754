"""Long list exports (issue 15, item 2): a CSV streamed in constant memory, a long XLSX/ODS built by a
background job whose page follows it, short ones still built at once; formulas neutralised everywhere."""

from __future__ import annotations

import io
import tracemalloc

import openpyxl
import pytest
import tablib
from django.urls import reverse

from centres.models import Establishment
from core.exports import csv_lines, dataset_from_rows, write_ods, write_xlsx
from reporting.models import ExportJob
from tests.factories import ars_user, dgos_user, region

pytestmark = pytest.mark.django_db

ROWS = [['=HYPERLINK("http://x")', 3, None], ["Rennes", 2.5, "-1"]]


def test_streamed_csv_is_what_tablib_writes():
    streamed = "".join(csv_lines(["Nom", "Nombre", "Note"], ROWS))
    assert streamed == "\ufeff" + dataset_from_rows(["Nom", "Nombre", "Note"], ROWS).export("csv", delimiter=";")
    assert "'=HYPERLINK" in streamed and ";'-1" in streamed


@pytest.mark.parametrize("fmt, writer", [("xlsx", write_xlsx), ("ods", write_ods)])
def test_spreadsheet_writers_keep_numbers_and_neutralise_formulas(fmt, writer):
    from core.exports import cells

    out = io.BytesIO()
    writer(out, ["Nom", "Nombre", "Note"], (cells(r) for r in ROWS), "Liste")
    data = tablib.Dataset().load(io.BytesIO(out.getvalue()), format=fmt)
    assert data.headers == ["Nom", "Nombre", "Note"]
    assert data[0][0] == '\'=HYPERLINK("http://x")' and data[1][2] == "'-1"
    assert float(data[0][1]) == 3 and float(data[1][1]) == 2.5
    if fmt == "xlsx":
        assert openpyxl.load_workbook(io.BytesIO(out.getvalue())).active["B2"].value == 3


def _establishments(count: int, start: int = 0) -> None:
    bretagne = region("53")
    Establishment.objects.bulk_create(
        Establishment(finess_ej=f"9{i:08d}", name=f"CH n° {i}", kind="CH", city="Rennes", region=bretagne)
        for i in range(start, start + count)
    )


def _streamed_peak(client, url: str) -> tuple[int, int]:
    """(rows, peak bytes) of a CSV export, from the request to the last byte sent."""
    tracemalloc.start()
    try:
        response = client.get(url)
        assert response.streaming
        lines = sum(chunk.count(b"\n") for chunk in response.streaming_content)
        _current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    return lines - 1, peak


def test_csv_export_memory_does_not_grow_with_the_rows(client):
    """4,000 rows, then 40,000 (ten times more): the peak stays the same, under 8 MB (the rows are read by
    chunks of EXPORT_CHUNK, at most two alive at once, and sent line by line)."""
    client.force_login(dgos_user())
    url = reverse("reporting:registry_export", args=["etablissements"]) + "?export=csv&region=53"
    _establishments(4000)
    assert client.get(url).content  # warm caches (templates, URL resolver, region) out of the measure
    small_rows, small_peak = _streamed_peak(client, url)
    _establishments(36000, start=4000)
    large_rows, large_peak = _streamed_peak(client, url)
    assert small_rows >= 4000 and large_rows - small_rows == 36000  # (plus the region's reference rows)
    print(f"peak: {small_peak / 1e6:.2f} MB for {small_rows} rows, {large_peak / 1e6:.2f} MB for {large_rows}")
    assert large_peak < 8 * 1024 * 1024
    assert large_peak < small_peak * 1.5, (small_peak, large_peak)


def test_long_xlsx_export_goes_to_a_job_whose_page_offers_the_file(
    client, settings, django_capture_on_commit_callbacks
):
    settings.EXPORT_INLINE_MAX_ROWS = 10
    _establishments(25)
    user = ars_user("53")
    client.force_login(user)
    url = reverse("reporting:registry_export", args=["etablissements"]) + "?export=xlsx"
    with django_capture_on_commit_callbacks(execute=True):
        response = client.get(url)
    job = ExportJob.objects.get()
    assert response.status_code == 302 and response.url == reverse("reporting:export_job", args=[job.pk])
    assert (job.kind, job.requested_by, job.filters["format"]) == (ExportJob.Kind.TABLE, user, "xlsx")
    job.refresh_from_db()
    in_region = Establishment.objects.filter(region__code="53").count()  # 25 and the reference rows
    assert (job.status, job.done, job.total) == (ExportJob.Status.DONE, in_region, in_region)
    page = client.get(response.url).content.decode()
    assert "Télécharger le fichier XLSX" in page and 'data-unit="lignes"' in page
    status = client.get(reverse("reporting:export_job_status", args=[job.pk])).json()
    assert status["percent"] == 100
    download = client.get(status["download_url"])
    assert 'filename="registre-etablissements-53-' in download["Content-Disposition"]
    sheet = openpyxl.load_workbook(io.BytesIO(b"".join(download.streaming_content))).active
    assert sheet.max_row == in_region + 1 and sheet["B1"].value == "Raison sociale"
    # the job is its requester's only
    client.force_login(dgos_user())
    for name in ("export_job", "export_job_status", "export_job_download"):
        assert client.get(reverse(f"reporting:{name}", args=[job.pk])).status_code == 404


def test_long_ods_export_is_written_by_the_job_in_the_requesters_scope(
    client, settings, django_capture_on_commit_callbacks
):
    settings.EXPORT_INLINE_MAX_ROWS = 2
    _establishments(3)
    paris = region("11")
    Establishment.objects.create(finess_ej="930000001", name="AP-HP test", kind="CHU", city="Paris", region=paris)
    client.force_login(ars_user("53"))
    with django_capture_on_commit_callbacks(execute=True):
        client.get(reverse("reporting:registry_export", args=["etablissements"]) + "?export=ods&region=11")
    job = ExportJob.objects.get()
    data = tablib.Dataset().load(job.file.open("rb").read(), format="ods")
    assert len(data) == Establishment.objects.filter(region__code="53").count() and "AP-HP test" not in str(data.dict)


def test_short_xlsx_export_is_still_built_at_once(client):
    _establishments(3)
    client.force_login(dgos_user())
    response = client.get(reverse("reporting:registry_export", args=["etablissements"]) + "?export=xlsx")
    assert response.status_code == 200 and not ExportJob.objects.exists()
    assert openpyxl.load_workbook(io.BytesIO(response.content)).active.max_row >= 4
