"""The public verification page (issue 13, item 2): no sign-in, rate-limited, answers only what
``verification.Answer`` holds."""

from django import forms
from django.shortcuts import render
from django.views.decorators.csrf import csrf_protect
from dsfr.forms import DsfrBaseForm

from . import verification
from .verification import rate_limited, verify_by_code, verify_by_file


class CodeForm(DsfrBaseForm):
    reference = forms.CharField(label="Référence du courrier", max_length=60)
    code = forms.CharField(label="Code de vérification", max_length=20, help_text="Par ex. ABCD-EFGH")


class FileForm(DsfrBaseForm):
    file = forms.FileField(label="Fichier PDF du courrier", help_text="10 Mo au plus.")

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > verification.MAX_UPLOAD_BYTES:
            raise forms.ValidationError("Le fichier dépasse 10 Mo : ce n'est pas un courrier de la plateforme.")
        head = upload.read(5)
        upload.seek(0)
        if head != b"%PDF-":  # sniffed from the content, not from the name or the declared type
            raise forms.ValidationError("Le fichier n'est pas un PDF.")
        return upload


def _client_ip(request) -> str:
    return request.META.get("REMOTE_ADDR", "") or "unknown"


@csrf_protect
def letter_verification(request):
    answer = None
    code_form = CodeForm(request.GET if "reference" in request.GET else None)
    file_form = FileForm(request.POST or None, request.FILES or None)
    asked = code_form.is_bound or request.method == "POST"
    if asked and rate_limited(_client_ip(request)):
        return render(
            request,
            "letters/verification.html",
            {"title": "Vérifier un courrier", "code_form": CodeForm(), "file_form": FileForm(), "limited": True},
            status=429,
        )
    if request.method == "POST" and file_form.is_valid():
        answer = verify_by_file(file_form.cleaned_data["file"].read())
    elif code_form.is_bound and code_form.is_valid():
        answer = verify_by_code(code_form.cleaned_data["reference"], code_form.cleaned_data["code"])
    response = render(
        request,
        "letters/verification.html",
        {"title": "Vérifier un courrier", "code_form": code_form, "file_form": file_form, "answer": answer},
    )
    response["Cache-Control"] = "no-store"
    response["X-Robots-Tag"] = "noindex"
    return response
