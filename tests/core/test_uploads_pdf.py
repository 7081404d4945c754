"""The upload check (core.uploads, issue 16 item 2) on its own: a real parser finds active content wherever
pypdf reads it, the header must be at byte 0, and ClamAV scans every file, failing closed."""

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from core.antivirus import antivirus_state
from core.uploads import validate_pdf_upload
from tests.security import hostile_pdfs


@pytest.fixture
def without_antivirus(settings):
    """The parser alone (ClamAV's own PDF heuristics catch some of these files too)."""
    settings.CLAMD_SOCKET = ""
    settings.ANTIVIRUS_REQUIRED = False


def check(data: bytes) -> bytes:
    return validate_pdf_upload(SimpleUploadedFile("piece.pdf", data, content_type="application/pdf"))


def refusal(data: bytes) -> ValidationError:
    with pytest.raises(ValidationError) as info:
        check(data)
    return info.value


@pytest.mark.parametrize(
    "make",
    [
        hostile_pdfs.hex_escaped_javascript,
        hostile_pdfs.hex_escaped_launch,
        hostile_pdfs.javascript_in_object_stream,
        hostile_pdfs.launch_in_object_stream,
        hostile_pdfs.embedded_file,
        hostile_pdfs.xfa_form,
    ],
)
def test_active_content_hidden_from_a_byte_search_is_found_by_the_parser(make, without_antivirus):
    assert refusal(make()).code == "active_content"


def test_the_object_stream_files_are_read_by_the_parser_and_hide_their_names():
    from io import BytesIO

    from pypdf import PdfReader

    data = hostile_pdfs.javascript_in_object_stream()
    assert b"OpenAction" not in data and b"JavaScript" not in data
    assert "/OpenAction" in PdfReader(BytesIO(data)).trailer["/Root"]


def test_a_pdf_header_after_other_bytes_is_refused(without_antivirus):
    assert refusal(hostile_pdfs.html_polyglot()).code == "not_pdf"
    assert refusal(b" " + hostile_pdfs.classic_pdf()).code == "not_pdf"


def test_an_ordinary_pdf_with_links_and_a_classic_pdf_are_accepted():
    assert check(hostile_pdfs.clean_with_links())
    assert check(hostile_pdfs.classic_pdf())


def test_clamav_refuses_the_eicar_test_file_and_a_pdf_carrying_it_with_a_french_message():
    error = refusal(hostile_pdfs.EICAR)
    assert error.code == "virus" and "contient un virus" in error.messages[0] and "Eicar" in error.messages[0]
    assert refusal(hostile_pdfs.pdf_with_eicar()).code == "virus"


def test_an_unreachable_scanner_refuses_the_upload_fail_closed(settings, tmp_path):
    settings.CLAMD_SOCKET = str(tmp_path / "absent.sock")
    error = refusal(hostile_pdfs.classic_pdf())
    assert error.code == "antivirus_unavailable"
    assert "L'analyse antivirus est indisponible" in error.messages[0]
    settings.CLAMD_SOCKET = "tcp://127.0.0.1:9"  # nothing listens on the discard port
    assert refusal(hostile_pdfs.classic_pdf()).code == "antivirus_unavailable"


def test_no_scanner_configured_refuses_unless_antivirus_is_explicitly_optional(settings):
    settings.CLAMD_SOCKET = ""
    settings.ANTIVIRUS_REQUIRED = True
    assert refusal(hostile_pdfs.classic_pdf()).code == "antivirus_unavailable"
    settings.ANTIVIRUS_REQUIRED = False  # make run (DEBUG): accepted, /healthz says "disabled"
    assert check(hostile_pdfs.classic_pdf())
    assert antivirus_state() == "disabled"


def test_antivirus_state_is_ok_with_the_test_clamd():
    assert antivirus_state() == "ok"
