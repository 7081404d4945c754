"""Letters: a page per letter and its PDF download, both checked by ``perms.letter_access``; the
correction of an issued letter by its sender (``perms.letter_correct_access``)."""

import datetime
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render

from core.exports import EXPORT_CHUNK, Table, requested_format, table_export
from core.perms import Access, require
from core.storage import private_file_response

from .forms import LetterCorrectionForm
from .models import Letter
from .perms import letter_access, letter_correct_access, letters_visible
from .rendering import letter_render_pdf
from .selectors import replacement_reference
from .services import letter_body_paragraphs, letter_correct, letter_correction_draft


def _letter_for(request, pk) -> Letter:
    letter = get_object_or_404(Letter.objects.select_related("region", "cites", "created_by"), pk=pk)
    require(letter_access(request.user, letter), Access.READ)
    return letter


@login_required
def letter_detail(request, pk):
    letter = _letter_for(request, pk)
    may_correct = letter_correct_access(request.user, letter) >= Access.WRITE
    return render(
        request,
        "letters/letter_detail.html",
        {"letter": letter, "title": letter.reference, "may_correct": may_correct},
    )


@login_required
def letter_pdf(request, pk):
    letter = _letter_for(request, pk)
    if not letter.is_issued or not letter.pdf:
        raise Http404("Le courrier est en cours de production.")
    filename = f"{letter.reference.replace('/', '-')}.pdf"
    return private_file_response(letter.pdf, filename=filename, content_type="application/pdf")


@login_required
def letter_correction(request, pk):
    """Issue a letter that "annule et remplace" this one: preview first, then the outbox and the worker."""
    letter = get_object_or_404(Letter.objects.select_related("region"), pk=pk)
    require(letter_correct_access(request.user, letter), Access.WRITE)
    initial = {"subject": letter.subject, "body": letter_body_paragraphs(letter)}
    form = LetterCorrectionForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = {k: form.cleaned_data[k] for k in ("reason", "subject", "body")}
        try:
            if "preview" in request.POST:
                draft = letter_correction_draft(letter=letter, user=request.user, **data)
                response = HttpResponse(letter_render_pdf(draft), content_type="application/pdf")
                response["Content-Disposition"] = 'inline; filename="projet-courrier-correctif.pdf"'
                return response
            correction = letter_correct(letter=letter, user=request.user, **data)
        except ValidationError as exc:
            for message in exc.messages:
                form.add_error(None, message)
        else:
            messages.success(
                request,
                f"Le courrier correctif {correction.reference} est émis ; "
                f"il annule et remplace le courrier {letter.reference}.",
            )
            return redirect(correction)
    return render(
        request,
        "letters/letter_correction.html",
        {"letter": letter, "form": form, "title": f"Corriger le courrier {letter.reference}"},
    )


LETTER_HEADERS = [
    "Référence",
    "Date",
    "Nature",
    "Objet",
    "Destinataires",
    "Région",
    "SHA-256",
    "Annule et remplace",
    "Remplacé par",
]


def _letters_listed(user, params):
    """The issued letters the list shows to ``user``, filtered by ``kind`` and ``year``; no ordering."""
    letters = letters_visible(user, Letter.objects.filter(status=Letter.Status.ISSUED))
    kind, year = params.get("kind", ""), params.get("year", "")
    if kind in Letter.Kind.values:
        letters = letters.filter(kind=kind)
    if year.isdigit():
        letters = letters.filter(year=int(year))
    return letters


# What the export reads of each letter (never the body, the sender block…).
LETTER_EXPORT_FIELDS = (
    "reference",
    "issued_on",
    "number",
    "kind",
    "subject",
    "addressees",
    "sha256",
    "region__name",
    "cites__reference",
)


def letter_export_table(user, params) -> Table:
    """The letters list as an export: every row, in the page's order, read by chunks."""
    letters = (
        _letters_listed(user, params)
        .select_related("region", "cites")
        .only(*LETTER_EXPORT_FIELDS)
        .annotate(replaced_by_ref=replacement_reference())
        .order_by(*ORDER)
    )
    rows = (
        [
            x.reference,
            x.issued_on,
            x.get_kind_display(),
            x.subject,
            " ; ".join(x.addressee_labels),
            x.region.name if x.region else "",
            x.sha256,
            x.cites.reference if x.cites else "",
            x.replaced_by_ref or "",
        ]
        for x in letters.iterator(chunk_size=EXPORT_CHUNK)
    )
    return Table(LETTER_HEADERS, rows, "Courriers", "courriers", count=_letters_listed(user, params).count)


# Keyset pagination (issue 15, item 5): a page is found from the last row of the previous one (``apres``)
# or the first row of the next one (``avant``) through the (issued_on, number) index, never by OFFSET; the
# count shown is capped, so the last page costs what the first does.
ORDER = ("-issued_on", "-number", "-pk")
PAGE_SIZE = 25
COUNT_CAP = 1000


def _cursor(value: str | None):
    """``2026-03-01.12.345`` → (date, number, pk); None when absent or malformed."""
    try:
        day, number, pk = (value or "").split(".")
        return datetime.date.fromisoformat(day), int(number), int(pk)
    except ValueError:
        return None


def _cursor_of(letter) -> str:
    return f"{letter.issued_on.isoformat()}.{letter.number}.{letter.pk}"


def _keyset_page(letters, params) -> tuple[list, bool, bool]:
    """(rows, has_previous, has_next) of the page the cursor in ``params`` designates."""
    if before := _cursor(params.get("avant")):
        day, number, pk = before
        newer = Q(issued_on__gt=day) | Q(issued_on=day, number__gt=number) | Q(issued_on=day, number=number, pk__gt=pk)
        rows = list(letters.filter(newer, issued_on__gte=day).order_by("issued_on", "number", "pk")[: PAGE_SIZE + 1])
        return rows[:PAGE_SIZE][::-1], len(rows) > PAGE_SIZE, True
    after = _cursor(params.get("apres"))
    if after:
        day, number, pk = after
        older = Q(issued_on__lt=day) | Q(issued_on=day, number__lt=number) | Q(issued_on=day, number=number, pk__lt=pk)
        letters = letters.filter(older, issued_on__lte=day)
    rows = list(letters.order_by(*ORDER)[: PAGE_SIZE + 1])
    return rows[:PAGE_SIZE], after is not None, len(rows) > PAGE_SIZE


def _page_url(params, **cursor) -> str:
    query = {k: v for k, v in params.items() if k not in ("apres", "avant", "page") and v}
    return "?" + urlencode({**query, **cursor})


@login_required
def letter_list(request):
    params = request.GET
    if fmt := requested_format(request):
        return table_export(request, letter_export_table, fmt)
    listed = _letters_listed(request.user, params)
    letters = listed.select_related("region", "cites").annotate(replaced_by_ref=replacement_reference())
    rows, has_previous, has_next = _keyset_page(letters, params)
    count = listed.values("pk")[: COUNT_CAP + 1].count()
    return render(
        request,
        "letters/letter_list.html",
        {
            "title": "Courriers émis",
            "letters": rows,
            "count": min(count, COUNT_CAP),
            "count_capped": count > COUNT_CAP,
            "first_url": _page_url(params) if has_previous else "",
            "previous_url": _page_url(params, avant=_cursor_of(rows[0])) if has_previous and rows else "",
            "next_url": _page_url(params, apres=_cursor_of(rows[-1])) if has_next and rows else "",
            "kinds": Letter.Kind.choices,
            "filters": {"kind": params.get("kind", ""), "year": params.get("year", "")},
        },
    )
