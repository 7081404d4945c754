"""Letters: a page per letter and its PDF download, both checked by ``perms.letter_access``; the
correction of an issued letter by its sender (``perms.letter_correct_access``)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from core.perms import Access, require
from core.storage import private_file_response

from .forms import LetterCorrectionForm
from .letters import letter_render_pdf
from .models import Letter
from .perms import letter_access, letter_correct_access
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
        "reporting/letter_detail.html",
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
        "reporting/letter_correction.html",
        {"letter": letter, "form": form, "title": _("Corriger le courrier %(ref)s") % {"ref": letter.reference}},
    )
