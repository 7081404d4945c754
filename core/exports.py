"""Tabular exports (CSV, XLSX, ODS) through tablib, for every list of the application.

Views build a ``tablib.Dataset`` from the queryset they already scoped and filtered for the viewer,
then return ``export_response(dataset, fmt, filename)``. Workflow lists call the same helper::

    if fmt := requested_format(request):
        return export_response(dataset_from_rows(headers, rows), fmt, "dossiers")

Long lists (issue 15, item 2: nothing heavy inside a request) go through :func:`table_export` instead:
the view hands a *builder* (a module-level function ``builder(user, params) -> Table`` whose rows come from
``.iterator(chunk_size=EXPORT_CHUNK)``); a CSV is streamed row by row in constant memory, an XLSX/ODS
of at most ``EXPORT_INLINE_MAX_ROWS`` rows is built in the request, a longer one by a Celery job
(``reporting.export_jobs.table_export_build``) whose page follows the progress and offers the download.

Every text cell goes through :func:`neutralise_formula` (OWASP, "CSV injection"): a centre named
``=HYPERLINK(...)`` must reach the ARS's spreadsheet as text, never as a live formula. Exports that do not
go through tablib (the quota CSV, the index of a letter ZIP) call the same function.
"""

from __future__ import annotations

import csv
import itertools
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass

import tablib
from django.conf import settings
from django.http import Http404, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect
from django.utils import timezone

# Rows fetched per round trip when an export walks a queryset (``.iterator(chunk_size=EXPORT_CHUNK)``).
EXPORT_CHUNK = 2000

FORMATS = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "ods": "application/vnd.oasis.opendocument.spreadsheet",
}


def requested_format(request) -> str | None:
    """``?format=csv|xlsx|ods`` (or ``export=``); None for the HTML page; 404 for an unknown format."""
    fmt = request.GET.get("export") or request.GET.get("format")
    if not fmt:
        return None
    if fmt not in FORMATS:
        raise Http404
    return fmt


# A spreadsheet reads a cell starting with one of these as a formula (or, for tab and carriage return,
# strips them and reads what follows): OWASP's list.
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def neutralise_formula(value):
    """A text that a spreadsheet would evaluate gets a leading single quote, so it is shown as typed;
    numbers, dates and other texts are returned unchanged."""
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def neutralise_row(row: Iterable) -> list:
    return [neutralise_formula(value) for value in row]


def dataset_from_rows(headers: Sequence[str], rows: Iterable[Sequence], title: str = "") -> tablib.Dataset:
    dataset = tablib.Dataset(headers=[neutralise_formula(str(h)) for h in headers], title=(title or "export")[:31])
    for row in rows:
        dataset.append(cells(row))
    return dataset


def _cell(value):
    if value is None:
        return ""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return value
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return neutralise_formula(str(value))


def cells(row: Iterable) -> list:
    """One row as written to every format: empty for None, numbers kept, dates in ISO, text neutralised."""
    return [_cell(value) for value in row]


def _attachment(response, filename: str, fmt: str):
    stamp = timezone.localdate().isoformat()
    response["Content-Disposition"] = f'attachment; filename="{filename}-{stamp}.{fmt}"'
    return response


def export_response(dataset: tablib.Dataset, fmt: str, filename: str) -> HttpResponse:
    """An attachment in ``fmt``; the CSV carries a BOM and ``;`` so that French spreadsheets open it."""
    if fmt not in FORMATS:
        raise Http404
    content = "\ufeff" + dataset.export("csv", delimiter=";") if fmt == "csv" else dataset.export(fmt)
    return _attachment(HttpResponse(content, content_type=FORMATS[fmt]), filename, fmt)


# --- Long lists: streamed CSV, or a background job for the spreadsheets ---------------------------------


@dataclass
class Table:
    """What a list export builder returns: ``rows`` is lazy (a generator over ``.iterator(chunk_size)``);
    ``count`` (optional) tells the background job its total for the progress bar."""

    headers: Sequence[str]
    rows: Iterable[Sequence]
    title: str
    filename: str
    count: Callable[[], int] | None = None


class _Echo:
    """A file-like object whose ``write`` returns what it was given: csv.writer then yields lines."""

    def write(self, value: str) -> str:
        return value


def csv_lines(headers: Sequence[str], rows: Iterable[Sequence]) -> Iterator[str]:
    """The CSV as tablib writes it (BOM, ``;``, CRLF), one line at a time, every cell neutralised."""
    writer = csv.writer(_Echo(), delimiter=";")
    yield "\ufeff" + writer.writerow([neutralise_formula(str(h)) for h in headers])
    for row in rows:
        yield writer.writerow(cells(row))


class StreamingCsvResponse(StreamingHttpResponse):
    """A CSV attachment sent line by line (constant memory whatever the number of rows).

    ``content`` joins the stream for callers that want the body at once (tests, small lists); reading it
    consumes the stream."""

    @property
    def content(self) -> bytes:
        return b"".join(self.streaming_content)


def stream_csv_response(headers: Sequence[str], rows: Iterable[Sequence], filename: str) -> StreamingCsvResponse:
    lines = (line.encode("utf-8") for line in csv_lines(headers, rows))
    return _attachment(StreamingCsvResponse(lines, content_type=FORMATS["csv"]), filename, "csv")


# Who builds a long XLSX/ODS in the background: registered by the app that owns the jobs (reporting, a
# higher layer that core does not import), with the name of the URL of a job's page.
_job_requester: tuple[Callable[..., object], str] | None = None


def register_job_requester(request_job: Callable[..., object], url_name: str) -> None:
    global _job_requester
    _job_requester = (request_job, url_name)


def inline_rows_max() -> int:
    """Above this many rows an XLSX/ODS export is built by a background job, not in the request."""
    return getattr(settings, "EXPORT_INLINE_MAX_ROWS", 5000)


def table_export(request, builder: Callable[..., Table], fmt: str, params: dict | None = None) -> HttpResponse:
    """The export of a long list in ``fmt``: streamed CSV; an XLSX/ODS built here when short, else by a job.

    ``builder(user, params)`` must be a module-level function (the job imports it by name) that scopes
    the rows to ``user`` exactly as the page does; ``params`` defaults to the query string."""
    if fmt not in FORMATS:
        raise Http404
    params = dict(request.GET.items()) if params is None else params
    params = {k: v for k, v in params.items() if k not in ("format", "export", "page")}
    table = builder(request.user, params)
    if fmt == "csv":
        return stream_csv_response(table.headers, table.rows, table.filename)
    if table.count is not None:  # one COUNT decides, no row is built for nothing
        short = table.count() <= inline_rows_max()
        rows = iter(table.rows)
    else:  # read one row more than allowed to know
        rows = iter(table.rows)
        head = list(itertools.islice(rows, inline_rows_max() + 1))
        short = len(head) <= inline_rows_max()
        rows = itertools.chain(head, rows)
    if short or _job_requester is None:
        return export_response(dataset_from_rows(table.headers, rows, table.title), fmt, table.filename)
    request_job, url_name = _job_requester
    job = request_job(
        user=request.user,
        builder=f"{builder.__module__}.{builder.__qualname__}",
        params=params,
        fmt=fmt,
        title=table.title,
        filename=table.filename,
    )
    return redirect(url_name, job.pk)


# --- Spreadsheets written row by row (the background job): memory does not grow with the rows ---------


def write_xlsx(file, headers: Sequence[str], rows: Iterable[Sequence], title: str) -> None:
    """An XLSX of ``rows`` (already :func:`cells`) through openpyxl's write-only mode."""
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=(title or "export")[:31])
    sheet.append([neutralise_formula(str(h)) for h in headers])
    for row in rows:
        sheet.append(row)
    workbook.save(file)


ODS_MIMETYPE = FORMATS["ods"]
_ODS_MANIFEST = (
    '<?xml version="1.0" encoding="UTF-8"?>\n'
    '<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2">'
    f'<manifest:file-entry manifest:full-path="/" manifest:media-type="{ODS_MIMETYPE}"/>'
    '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>'
    "</manifest:manifest>"
)
_ODS_HEAD = (
    '<?xml version="1.0" encoding="UTF-8"?>\n'
    '<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
    'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
    'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2">'
    '<office:body><office:spreadsheet><table:table table:name="{name}">'
)
_ODS_TAIL = "</table:table></office:spreadsheet></office:body></office:document-content>"


def _ods_cell(value) -> str:
    from xml.sax.saxutils import escape

    if isinstance(value, (int, float)) and not isinstance(value, bool):
        cell = f'<table:table-cell office:value-type="float" office:value="{value}">'
        return f"{cell}<text:p>{value}</text:p></table:table-cell>"
    text = escape(str(value))
    if not text:
        return "<table:table-cell/>"
    return f'<table:table-cell office:value-type="string"><text:p>{text}</text:p></table:table-cell>'


def write_ods(file, headers: Sequence[str], rows: Iterable[Sequence], title: str) -> None:
    """An OpenDocument spreadsheet of ``rows`` (already :func:`cells`), its content.xml streamed into the
    archive row by row (odfpy, behind tablib, keeps the whole document in memory)."""
    import zipfile
    from xml.sax.saxutils import quoteattr

    with zipfile.ZipFile(file, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(zipfile.ZipInfo("mimetype"), ODS_MIMETYPE, compress_type=zipfile.ZIP_STORED)
        archive.writestr("META-INF/manifest.xml", _ODS_MANIFEST)
        with archive.open("content.xml", "w", force_zip64=True) as content:
            name = quoteattr((title or "export")[:31])[1:-1]
            content.write(_ODS_HEAD.format(name=name).encode("utf-8"))
            for row in itertools.chain([[neutralise_formula(str(h)) for h in headers]], rows):
                line = "<table:table-row>" + "".join(_ods_cell(v) for v in row) + "</table:table-row>"
                content.write(line.encode("utf-8"))
            content.write(_ODS_TAIL.encode("utf-8"))
