"""The bench's data is not young: logged transitions, change history, computed alerts, distinct PDFs."""

import hashlib
import re

import pytest

from bench import register  # noqa: F401  (the workflows' generators)
from bench.generate import SCALES, TRANSITIONS_PER_DOSSIER, generate, tiny_pdf


def test_tiny_pdf_is_a_valid_pdf_whose_xref_points_at_its_objects():
    data = tiny_pdf("Courrier BENCH/2026/000001 (x)")
    assert data.startswith(b"%PDF-1.4") and data.rstrip().endswith(b"%%EOF")
    xref = int(re.search(rb"startxref\n(\d+)", data).group(1))
    assert data[xref:].startswith(b"xref")
    offsets = [int(o) for o in re.findall(rb"(\d{10}) 00000 n", data)]
    assert [data[o:].split(b" ", 1)[0] for o in offsets] == [b"1", b"2", b"3", b"4", b"5"]
    assert b"BENCH/2026/000001 \\(x\\)" in data
    assert tiny_pdf("a") != tiny_pdf("b")


def test_scales_go_to_ten_times_national():
    national, x10 = SCALES["national"], SCALES["x10"]
    assert (x10.procedures, x10.letters, x10.ccmr) == (50000, 200000, 18000)
    assert x10.letters == 10 * national.letters and x10.ccmr == 10 * national.ccmr
    assert national.letter_years == 10 and national.report_years == 10


@pytest.mark.django_db
def test_tiny_generation_has_history_alerts_and_one_pdf_per_letter(settings, tmp_path):
    from django.contrib.contenttypes.models import ContentType
    from django_fsm_log.models import StateLog

    from centres.models import Ccmr, Crmr
    from labellisation.models import Application
    from letters.models import Letter
    from reporting.models import Alert

    settings.MEDIA_ROOT = tmp_path
    made = generate(SCALES["tiny"])

    application = Application.objects.order_by("pk").first()
    logs = StateLog.objects.filter(
        content_type=ContentType.objects.get_for_model(Application), object_id=application.pk
    ).order_by("timestamp")
    assert logs.count() == TRANSITIONS_PER_DOSSIER
    assert logs.last().state == application.state
    assert made["transitions"] >= TRANSITIONS_PER_DOSSIER * made["procedures"]

    assert Crmr.history.count() > Crmr.objects.count()  # creations and later changes
    assert Ccmr.history.filter(history_type="~").exists()
    assert made["history"] > 0

    assert made["alerts"] == Alert.objects.count() > 0

    letters = list(Letter.objects.filter(sender_code="BENCH"))
    assert len(letters) == made["letters"] == SCALES["tiny"].letters
    assert len({letter.pdf.name for letter in letters}) == len(letters)
    for letter in letters[:20]:
        data = letter.pdf.read()
        letter.pdf.close()
        assert data.startswith(b"%PDF") and letter.reference.encode() in data
        assert hashlib.sha256(data).hexdigest() == letter.sha256
    assert len({letter.sha256 for letter in letters}) == len(letters)
    assert len({letter.year for letter in letters}) == 10  # ten years of letters
