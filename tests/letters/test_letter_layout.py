"""The layout and language of each letter kind (issue 13, items 4 and 5): bloc-marque with the Marianne,
seat city and French date, addresses, courtesy closing, signature block with the delegation line and an
agreed title, copies kept with their heading, and no inclusive "(e)" or missing elision."""

import subprocess

import pytest

from core.typography import date_fr
from crmr_procedures.succession.models import State as SuccessionState
from letters.engine import dgos_sender, letter_compose, letter_issue, letter_produce, marianne_svg_data_uri
from letters.models import Letter
from tests.crmr_procedures.competence.conftest import world  # noqa: F401
from tests.crmr_procedures.succession.helpers import Journey
from tests.factories import dgos_user
from tests.letters.test_letter_readers import letters  # noqa: F401

pytestmark = pytest.mark.django_db


def pages_of(letter, tmp_path) -> list[str]:
    letter = letter_produce(letter.pk)
    path = tmp_path / f"{letter.pk}.pdf"
    with letter.pdf.open("rb") as handle:
        path.write_bytes(handle.read())
    out = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout
    return [" ".join(page.split()) for page in out.split("\f") if page.strip()]


def _check(letter, tmp_path, *, city: str) -> str:
    pages = pages_of(letter, tmp_path)
    text = " ".join(pages)
    assert "RÉPUBLIQUE" in text and "FRANÇAISE" in text and "Liberté Égalité Fraternité" in text
    assert f"{city}, le {date_fr(letter.issued_on)}" in text
    assert letter.signatory_name in text and letter.signatory_function.split()[0] in text
    assert "par délégation" in text
    assert "considération" in text  # courtesy closing
    for wrong in ("(e)", "(trice)", "de Assistance", "par CHU", "à Hôpital", "de CHU", "à CHU"):
        assert wrong not in text, wrong
    if letter.copies:
        page = next(p for p in pages if "Copie" in p)
        assert all(label.split(" ")[0] in page for label in letter.copy_labels)  # heading kept with its lines
    return text


def test_each_letter_kind_of_the_ccmr_and_crc_sep_procedures_reads_like_an_administrative_letter(
    letters,  # noqa: F811
    tmp_path,
):
    for kind, letter in letters.items():
        city = "Nantes" if kind == "cpom" else ("Rennes" if kind.startswith("crcsep") else "Paris")
        text = _check(letter, tmp_path, city=city)
        if kind.startswith("crcsep"):
            assert "CHU de Rennes (test)" in text


def test_succession_letters_read_like_administrative_letters(tmp_path):
    journey = Journey()
    succession = journey.to(SuccessionState.OFFICIALISED)
    for letter in Letter.objects.filter(object_id=succession.pk, content_type__model="succession"):
        _check(letter, tmp_path, city="Paris")


def test_copies_stay_with_their_heading_when_the_body_fills_the_page(tmp_path):
    for repeat in range(30, 46, 3):  # bodies of several lengths: the copies' heading never ends a page alone
        draft = letter_compose(
            kind=Letter.Kind.OTHER,
            sender=dgos_sender(),
            subject="Mise en page",
            body_template="letters/layout/test_body.html",
            context={"message": "Texte du courrier. " * repeat * 6},
            addressees=["Destinataire"],
            copies=["Agence régionale de santé Bretagne", "Agence régionale de santé Pays de la Loire"],
            created_by=dgos_user(username=f"dgos-{repeat}"),
        )
        pages = pages_of(letter_issue(draft), tmp_path)
        heading = [p for p in pages if "Copies :" in p]
        assert len(heading) == 1 and "Pays de la Loire" in heading[0] and "Bretagne" in heading[0]


def test_the_shipped_marianne_is_django_dsfrs_drawing(tmp_path):
    """marianne.png (printed for speed) is the 150 dpi rasterisation of django-dsfr's fr-logo emblem."""
    from django.contrib.staticfiles import finders
    from PIL import Image, ImageChops, ImageStat
    from weasyprint import HTML

    html = (
        "<style>@page { size: 44mm 16mm; margin: 0 } body { margin: 0 } img { display: block; width: 44mm; "
        f'height: 16mm }}</style><img src="{marianne_svg_data_uri()}">'
    )
    HTML(string=html).write_pdf(tmp_path / "m.pdf")
    subprocess.run(["pdftoppm", "-r", "150", "-png", "-singlefile", tmp_path / "m.pdf", tmp_path / "m"], check=True)
    fresh = Image.open(tmp_path / "m.png").convert("RGB")
    shipped = Image.open(finders.find("letters/marianne.png")).convert("RGB")
    assert fresh.size == shipped.size
    assert max(ImageStat.Stat(ImageChops.difference(fresh, shipped)).mean) < 2


@pytest.mark.rule("CRMR-lettre-adresse-pf2")
def test_a_bureau_pf2_letter_gives_the_bureaus_mailbox_from_the_reference_data(tmp_path):
    draft = letter_compose(
        kind=Letter.Kind.OTHER,
        sender=dgos_sender(),
        subject="Adresse du bureau",
        body_template="letters/layout/test_body.html",
        context={"message": "Texte."},
        addressees=["Destinataire"],
        created_by=dgos_user(),
    )
    text = " ".join(pages_of(letter_issue(draft), tmp_path))
    assert "Courriel : DGOS-PF2@sante.gouv.fr" in text
