"""Evidence uploads: PDF only (sniffed), 10 MB, not encrypted, no active content; a hostile or broken file
gets a French error and nothing of the form is saved (facts nor other files)."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from pypdf import PdfWriter

from labellisation.models import CriterionDocument
from tests.factories import establishment_user

from .factories import chu, make_application, pdf_bytes

pytestmark = pytest.mark.django_db


def encrypted_pdf() -> bytes:
    writer = PdfWriter()
    writer.add_blank_page(width=200, height=200)
    writer.encrypt("secret")
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def javascript_pdf() -> bytes:
    return pdf_bytes().replace(
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Catalog /Pages 2 0 R /OpenAction << /S /JavaScript /JS (app.alert(1);) >> >>",
    )


HOSTILE = {
    "not_a_pdf": (b"MZ\x90\x00 this is an executable", "Seuls les documents PDF sont acceptés"),
    "empty": (b"", "Le fichier est vide"),
    "encrypted": (encrypted_pdf(), "protégé par un mot de passe ou chiffré"),
    "javascript": (javascript_pdf(), "code actif"),
    "broken": (b"%PDF-1.4\n garbage without any object", "illisible ou endommagé"),
    "oversized": (pdf_bytes() + b"%" * (10 * 1024 * 1024), "taille maximale autorisée (10 Mo)"),
}


def post_evidence(client, app, files: dict, facts: dict):
    data = {f"fact_{c.code}": c.declared_fact for c in app.criteria.all()}
    data.update({f"fact_{code}": fact for code, fact in facts.items()})
    data.update({f"file_{code}": f for code, f in files.items()})
    return client.post(reverse("labellisation:evidence", args=[app.pk]), data)


@pytest.mark.parametrize("kind", list(HOSTILE))
def test_hostile_upload_is_refused_in_french_and_nothing_is_half_saved(client, kind):
    data, message = HOSTILE[kind]
    app = make_application(complete=False)
    client.force_login(establishment_user(chu()))
    response = post_evidence(
        client,
        app,
        files={
            "rcp": SimpleUploadedFile("rcp.pdf", pdf_bytes(), content_type="application/pdf"),
            "ofsep_edmus": SimpleUploadedFile("convention.pdf", data, content_type="application/pdf"),
        },
        facts={"care_offer": "Hôpital de jour de 10 places"},
    )
    assert response.status_code == 200
    content = response.content.decode()
    assert message in content
    assert "rien n&#x27;a été enregistré" in content
    assert CriterionDocument.objects.count() == 0
    assert app.criteria.get(code="care_offer").declared_fact == ""


def test_valid_pdf_is_stored_privately_with_its_fingerprint_and_served_to_those_concerned(client, settings):
    app = make_application(complete=False)
    applicant = establishment_user(chu())
    client.force_login(applicant)
    response = post_evidence(
        client,
        app,
        files={"ofsep_edmus": SimpleUploadedFile("../../etc/convention OFSEP.pdf", pdf_bytes())},
        facts={"care_offer": "Hôpital de jour de 10 places"},
    )
    assert response.status_code == 302
    doc = CriterionDocument.objects.get()
    assert doc.original_name == "convention OFSEP.pdf"
    assert doc.file.name.startswith("private/labellisation/")
    assert doc.file.path.startswith(str(settings.MEDIA_ROOT))
    assert app.criteria.get(code="care_offer").declared_fact == "Hôpital de jour de 10 places"
    download = client.get(reverse("labellisation:document", args=[app.pk, doc.pk]))
    assert download.status_code == 200 and b"".join(download.streaming_content) == pdf_bytes()
