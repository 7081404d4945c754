"""Letters: a page per letter and its PDF download, both checked by ``perms.letter_access``."""

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, render

from core.perms import Access, require
from core.storage import private_file_response

from .models import Letter
from .perms import letter_access


def _letter_for(request, pk) -> Letter:
    letter = get_object_or_404(Letter.objects.select_related("region", "cites", "created_by"), pk=pk)
    require(letter_access(request.user, letter), Access.READ)
    return letter


@login_required
def letter_detail(request, pk):
    letter = _letter_for(request, pk)
    return render(request, "reporting/letter_detail.html", {"letter": letter, "title": letter.reference})


@login_required
def letter_pdf(request, pk):
    letter = _letter_for(request, pk)
    if not letter.is_issued or not letter.pdf:
        raise Http404("Le courrier est en cours de production.")
    filename = f"{letter.reference.replace('/', '-')}.pdf"
    return private_file_response(letter.pdf, filename=filename, content_type="application/pdf")
