"""Tabular exports (CSV, XLSX, ODS) through tablib, for every list of the application.

Views build a ``tablib.Dataset`` from the queryset they already scoped and filtered for the viewer,
then return ``export_response(dataset, fmt, filename)``. Workflow lists call the same helper::

    if fmt := requested_format(request):
        return export_response(dataset_from_rows(headers, rows), fmt, "dossiers")

Every text cell goes through :func:`neutralise_formula` (OWASP, "CSV injection"): a centre named
``=HYPERLINK(...)`` must reach the ARS's spreadsheet as text, never as a live formula. Exports that do not
go through tablib (the quota CSV, the index of a letter ZIP) call the same function.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import tablib
from django.http import Http404, HttpResponse
from django.utils import timezone

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
        dataset.append([_cell(value) for value in row])
    return dataset


def _cell(value):
    if value is None:
        return ""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return value
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return neutralise_formula(str(value))


def export_response(dataset: tablib.Dataset, fmt: str, filename: str) -> HttpResponse:
    """An attachment in ``fmt``; the CSV carries a BOM and ``;`` so that French spreadsheets open it."""
    if fmt not in FORMATS:
        raise Http404
    content = "\ufeff" + dataset.export("csv", delimiter=";") if fmt == "csv" else dataset.export(fmt)
    response = HttpResponse(content, content_type=FORMATS[fmt])
    stamp = timezone.localdate().isoformat()
    response["Content-Disposition"] = f'attachment; filename="{filename}-{stamp}.{fmt}"'
    return response
