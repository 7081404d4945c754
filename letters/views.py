"""Letters: a page per letter and its PDF download, both checked by ``perms.letter_access``; the
correction of an issued letter by its sender (``perms.letter_correct_access``)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from core.exports import dataset_from_rows, export_response, requested_format
from core.perms import Access, require
from core.storage import private_file_response

from .engine import letter_render_pdf
from .forms import LetterCorrectionForm
from .models import Letter
from .perms import letter_access, letter_correct_access, letters_visible
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
                _("Le courrier correctif %(ref)s est émis ; il annule et remplace le courrier %(old)s.")
                % {"ref": correction.reference, "old": letter.reference},
            )
            return redirect(correction)
    return render(
        request,
        "letters/letter_correction.html",
        {"letter": letter, "form": form, "title": _("Corriger le courrier %(ref)s") % {"ref": letter.reference}},
    )


@login_required
def letter_list(request):
    letters = (
        letters_visible(request.user, Letter.objects.filter(status=Letter.Status.ISSUED))
        .select_related("region", "cites")
        .annotate(replaced_by_ref=replacement_reference())
    )
    kind, year = request.GET.get("kind", ""), request.GET.get("year", "")
    if kind in Letter.Kind.values:
        letters = letters.filter(kind=kind)
    if year.isdigit():
        letters = letters.filter(year=int(year))
    if fmt := requested_format(request):
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
            for x in letters
        )
        headers = [
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
        return export_response(dataset_from_rows(headers, rows, "Courriers"), fmt, "courriers")
    page = Paginator(letters, 25).get_page(request.GET.get("page"))
    return render(
        request,
        "letters/letter_list.html",
        {
            "title": _("Courriers émis"),
            "page_obj": page,
            "kinds": Letter.Kind.choices,
            "filters": {"kind": kind, "year": year},
        },
    )
