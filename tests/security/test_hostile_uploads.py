"""Hostile uploads on every upload view (issue 7, Security): a wrong type under a .pdf name, an oversized, empty,
encrypted or scripted PDF, and hostile file names (path traversal, NUL and control characters, non-UTF-8
bytes, 300 characters). Every refusal is a French message with nothing half-saved; every accepted name is
stored under MEDIA_ROOT/private with an opaque name.

The multipart body is built by hand so that the file name reaches Django byte for byte (the test client
would re-encode it). A part whose headers are not UTF-8 is dropped by Django's parser before any view runs:
the upload then simply did not happen (a required file gets "Ce champ est obligatoire."), nothing is stored."""

from __future__ import annotations

import datetime
import html
import io
import re
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.urls import reverse
from pypdf import PdfWriter

from . import hostile_pdfs
from .scenes import (
    Scene,
    activity_report_open,
    ccmr_request_awaiting_documents,
    ccmr_world,
    labellisation_draft,
    pdf_bytes,
    succession_journey,
)

pytestmark = pytest.mark.django_db

BOUNDARY = "----hostile-7f3a9c"
OPAQUE = re.compile(r"^private/[a-z_]+/[0-9a-f]{32}\.pdf$")


def multipart(fields: dict[str, Any], file_field: str, filename: bytes, content: bytes) -> bytes:
    out = io.BytesIO()
    for name, value in fields.items():
        out.write(f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n'.encode())
        out.write(str(value).encode() + b"\r\n")
    out.write(f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="{file_field}"; filename="'.encode())
    out.write(filename + b'"\r\nContent-Type: application/pdf\r\n\r\n' + content + b"\r\n")
    out.write(f"--{BOUNDARY}--\r\n".encode())
    return out.getvalue()


def encrypted_pdf() -> bytes:
    writer = PdfWriter()
    writer.add_blank_page(width=200, height=200)
    writer.encrypt("secret")
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def javascript_pdf() -> bytes:
    from pypdf.generic import DictionaryObject, NameObject, TextStringObject

    writer = PdfWriter()
    page = writer.add_blank_page(width=200, height=200)
    action = {NameObject("/S"): NameObject("/JavaScript"), NameObject("/JS"): TextStringObject("app.alert(1);")}
    page[NameObject("/AA")] = DictionaryObject({NameObject("/O"): DictionaryObject(action)})  # on page open
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def open_action_pdf() -> bytes:
    from tests.labellisation.factories import pdf_bytes as handmade_pdf

    return handmade_pdf().replace(
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Catalog /Pages 2 0 R /OpenAction << /S /JavaScript /JS (app.alert(1);) >> >>",
    )


# Refused by the parser, or before it by ClamAV's PDF heuristics (obfuscated names): either way, refused.
ACTIVE = ("code actif", "contient un virus")

# Hostile contents under an innocent name: (bytes, the French reasons one of which must be shown).
HOSTILE_CONTENTS: dict[str, tuple[Callable[[], bytes], tuple[str, ...]]] = {
    "executable_named_pdf": (lambda: b"MZ\x90\x00\x03 not a pdf at all", ("Seuls les documents PDF",)),
    "html_named_pdf": (lambda: b"<html><script>alert(1)</script></html>", ("Seuls les documents PDF",)),
    "oversized": (lambda: pdf_bytes() + b"%" * (10 * 1024 * 1024), ("taille maximale autorisée (10 Mo)",)),
    "empty": (lambda: b"", ("est vide",)),
    "encrypted": (encrypted_pdf, ("protégé par un mot de passe ou chiffré",)),
    "javascript": (javascript_pdf, ("code actif",)),
    "open_action": (open_action_pdf, ("code actif",)),
    "truncated": (lambda: pdf_bytes()[:200], ("illisible ou endommagé", "aucune page")),
    # Issue 16, item 2: active content that a byte search misses, a polyglot, and viruses (ClamAV).
    "hex_escaped_javascript": (hostile_pdfs.hex_escaped_javascript, ACTIVE),
    "hex_escaped_launch": (hostile_pdfs.hex_escaped_launch, ACTIVE),
    "javascript_in_object_stream": (hostile_pdfs.javascript_in_object_stream, ACTIVE),
    "launch_in_object_stream": (hostile_pdfs.launch_in_object_stream, ACTIVE),
    "embedded_file": (hostile_pdfs.embedded_file, ACTIVE),
    "xfa_form": (hostile_pdfs.xfa_form, ACTIVE),
    "html_polyglot": (hostile_pdfs.html_polyglot, ("Seuls les documents PDF",)),
    "eicar": (lambda: hostile_pdfs.EICAR, ("contient un virus",)),
    "pdf_with_eicar": (hostile_pdfs.pdf_with_eicar, ("contient un virus",)),
}

# Hostile names on a valid PDF: accepted, but stored under an opaque name inside MEDIA_ROOT/private.
HOSTILE_NAMES: dict[str, bytes] = {
    "traversal": b"../../etc/passwd.pdf",
    "windows_traversal": b"..\\..\\x.pdf",
    "absolute": b"/etc/cron.d/evil.pdf",
    "nul": b"piece\x00.sh.pdf",
    "control": b"pi\x01\x1b[31mece\x7f.pdf",
    "non_utf8": b"caf\xe9 \xff\xfe.pdf",  # Django drops a part whose headers are not UTF-8: nothing reaches the view
    "bidi_and_unicode": "facture\u202egpj.exe\u200b 中文 ﬁ.pdf".encode(),
    "three_hundred": b"A" * 296 + b".pdf",
    "only_dots": b"...pdf",
    "html": b"<img src=x onerror=alert(1)>.pdf",
}


@dataclass
class UploadView:
    """An upload form set up for its entitled user: the other fields, the file field, the documents it
    stores, and a snapshot of what a refusal must leave unchanged."""

    scene: Scene
    file_field: str
    documents: Callable[[], Any]
    snapshot: Callable[[], Any]


def labellisation_evidence() -> UploadView:
    from labellisation.models import CriterionDocument

    scene = labellisation_draft()
    scene.data["fact_care_offer"] = "Hôpital de jour de 10 places"
    app = scene.obj
    return UploadView(
        scene,
        "file_ofsep_edmus",
        lambda: CriterionDocument.objects.filter(criterion__application=app),
        lambda: (CriterionDocument.objects.count(), list(app.criteria.values_list("code", "declared_fact"))),
    )


def succession_notice() -> UploadView:
    from crmr_procedures.succession.models import Document, Succession

    journey = succession_journey()
    s = journey.s
    scene = Scene(
        user=journey.coordinator,
        url=reverse("crmr_procedures:succession_notice", args=[s.pk]),
        data={"effective_on": (datetime.date.today() + datetime.timedelta(days=250)).isoformat()},
    )
    return UploadView(
        scene,
        "letter",
        lambda: Document.objects.filter(succession=s),
        lambda: (
            Document.objects.count(),
            Succession.objects.filter(pk=s.pk).values("state", "effective_on", "notice_director_name").get(),
        ),
    )


def succession_dossier_piece() -> UploadView:
    from crmr_procedures.succession.models import Document, State

    journey = succession_journey(State.NOTICE_FORWARDED)
    s = journey.s
    scene = Scene(
        user=journey.coordinator,
        url=reverse("crmr_procedures:succession_dossier", args=[s.pk]),
        data={"op": "document", "kind": Document.Kind.DIRECTOR_OPINION},
    )
    return UploadView(
        scene, "file", lambda: Document.objects.filter(succession=s), lambda: (Document.objects.count(), s.state)
    )


def succession_special_case() -> UploadView:
    from crmr_procedures.succession.models import Document, Succession
    from tests.crmr_procedures.succession.helpers import mono_crmr
    from tests.factories import dgos_user

    crmr = mono_crmr()
    scene = Scene(
        user=dgos_user(),
        url=reverse("crmr_procedures:succession_special_new"),
        data={"crmr": crmr.pk, "reason": Succession.SpecialReason.NO_SUCCESSOR, "informed_by": "coordinator"},
    )
    return UploadView(
        scene,
        "letter",
        lambda: Document.objects.filter(succession__crmr=crmr),
        lambda: (Succession.objects.count(), Document.objects.count()),
    )


def succession_project() -> UploadView:
    from centres.models import Person
    from crmr_procedures.succession.models import Project, State
    from tests.factories import EstablishmentFactory, ars_user

    journey = succession_journey(State.CALL_OPEN)
    s = journey.s
    ars = ars_user(s.crmr.coordinating_establishment.region.code)
    est = EstablishmentFactory(region=ars.region)
    scene = Scene(
        user=ars,
        url=reverse("crmr_procedures:succession_projects", args=[s.pk]),
        data={
            "op": "add",
            "civility": "M.",
            "title": "Dr",
            "first_name": "Bruno",
            "last_name": "Martin",
            "establishment": est.pk,
            "mig_amount": Decimal("120000"),
        },
    )
    return UploadView(
        scene,
        "file",
        lambda: Project.objects.filter(succession=s),
        lambda: (Project.objects.count(), Person.objects.count()),
    )


def ccmr_request_letter() -> UploadView:
    from crmr_procedures.competence.models import CcmrRequest, CcmrRequestDocument

    world = ccmr_world()
    scene = Scene(
        user=world["coordinator"],
        url=reverse("crmr_procedures:ccmr_request_create"),
        data={
            "kind": "creation",
            "crmr": world["crmr"].pk,
            "proposed_name": "Centre de compétences de Nantes",
            "establishment": world["centre_est"].pk,
            "lead_first_name": "Anne",
            "lead_last_name": "Lebreton",
        },
    )
    return UploadView(
        scene,
        "letter_file",
        CcmrRequestDocument.objects.all,
        lambda: (CcmrRequest.objects.count(), CcmrRequestDocument.objects.count()),
    )


def ccmr_request_piece() -> UploadView:
    from crmr_procedures.competence.models import CcmrRequestDocument

    world = ccmr_world()
    request = ccmr_request_awaiting_documents(world)
    scene = Scene(
        user=world["direction_centre"],
        url=reverse("crmr_procedures:ccmr_request_upload", args=[request.pk]),
        data={"kind": CcmrRequestDocument.ARS_ONLY_KINDS[0].value},
    )
    return UploadView(
        scene,
        "file",
        lambda: CcmrRequestDocument.objects.filter(request=request),
        lambda: (CcmrRequestDocument.objects.count(), type(request).objects.get(pk=request.pk).state),
    )


def ofsep_bilan() -> UploadView:
    from activity_reports.models import OfsepBilan

    report, user = activity_report_open()
    scene = Scene(
        user=user, url=reverse("activity_reports:report_bilan_upload", args=[report.pk]), data={"semester": 1}
    )
    return UploadView(
        scene,
        "file",
        lambda: OfsepBilan.objects.filter(report=report),
        lambda: (OfsepBilan.objects.count(), type(report).objects.get(pk=report.pk).state),
    )


UPLOAD_VIEWS = {
    "labellisation_criteria": labellisation_evidence,
    "succession_notice_letter": succession_notice,
    "succession_dossier_piece": succession_dossier_piece,
    "succession_special_case": succession_special_case,
    "succession_project": succession_project,
    "ccmr_request_letter": ccmr_request_letter,
    "ccmr_request_piece": ccmr_request_piece,
    "ofsep_bilan": ofsep_bilan,
}


def stored_files() -> set[Path]:
    return {p for p in Path(settings.MEDIA_ROOT).rglob("*") if p.is_file()}


def _post(client, view: UploadView, filename: bytes, content: bytes):
    client.force_login(view.scene.user)
    return client.post(
        view.scene.url,
        data=multipart(view.scene.data, view.file_field, filename, content),
        content_type=f"multipart/form-data; boundary={BOUNDARY}",
        follow=True,
    )


@pytest.mark.parametrize("kind", list(HOSTILE_CONTENTS))
@pytest.mark.parametrize("view_name", list(UPLOAD_VIEWS))
def test_hostile_file_is_refused_in_french_and_nothing_is_half_saved(client, view_name, kind):
    view = UPLOAD_VIEWS[view_name]()
    make, reasons = HOSTILE_CONTENTS[kind]
    before, files_before = view.snapshot(), stored_files()
    response = _post(client, view, b"piece.pdf", make())
    assert response.status_code < 500
    page = html.unescape(response.content.decode())
    assert any(reason in page for reason in reasons), f"{view_name}/{kind}: no French reason among {reasons}"
    assert view.snapshot() == before
    assert stored_files() == files_before, "a refused file was stored"


@pytest.mark.parametrize("name", list(HOSTILE_NAMES))
@pytest.mark.parametrize("view_name", list(UPLOAD_VIEWS))
def test_hostile_file_name_is_stored_under_an_opaque_private_name(client, view_name, name):
    view = UPLOAD_VIEWS[view_name]()
    known = set(view.documents().values_list("pk", flat=True))
    response = _post(client, view, HOSTILE_NAMES[name], pdf_bytes())
    assert response.status_code < 500
    new = [d for d in view.documents() if d.pk not in known]
    if name == "non_utf8":
        assert new == []
        return
    assert len(new) == 1, f"{view_name}/{name}: the valid PDF was not stored"
    doc = new[0]
    assert OPAQUE.match(doc.file.name), doc.file.name
    private = (Path(settings.MEDIA_ROOT) / "private").resolve()
    assert Path(doc.file.path).resolve().is_relative_to(private)
    assert not any(ch in doc.original_name for ch in "/\\\x00<>") and doc.original_name.isprintable()
    assert 0 < len(doc.original_name) <= 120


def test_every_upload_view_is_covered():
    """Each model storing an uploaded document is reached by one of the views above."""
    from django.apps import apps

    from core.models import UploadedDocument

    stored = {m.__name__ for m in apps.get_models() if issubclass(m, UploadedDocument)}
    assert stored == {"CriterionDocument", "Document", "Project", "CcmrRequestDocument", "OfsepBilan"}
