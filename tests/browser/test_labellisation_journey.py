"""A CHU applies for tranche 1, the ARS of Bretagne instructs, previews and labels it; the quota is then
used up, and another region's ARS cannot see the dossier."""

import re
import subprocess

import pytest
from playwright.sync_api import expect

from centres.models import CrcSepCentre, Establishment
from labellisation.models import CRITERIA, Application
from tests.browser.menu import go_to
from tests.factories import ars_user, establishment_user
from tests.labellisation.factories import make_application, pdf_bytes

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def pdf_text(data: bytes, tmp_path, name: str) -> str:
    path = tmp_path / name
    path.write_bytes(data)
    text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout
    return " ".join(text.split())


def sign_out(page):
    page.get_by_role("button", name="Se déconnecter").click()


def test_chu_applies_and_ars_labels_within_the_regional_quota(live_server, page, login, tmp_path):
    rennes = Establishment.objects.get(finess_ej="350005179")
    establishment_user(rennes)
    ars_user("53")
    ars_user("11")
    evidence = tmp_path / "convention-ofsep.pdf"
    evidence.write_bytes(pdf_bytes("Convention OFSEP"))

    # The CHU de Rennes prepares and files its application.
    login("etab-350005179")
    go_to(page, "Mes candidatures CRC SEP")
    page.get_by_role("link", name="Nouvelle candidature").click()
    page.get_by_label("Site hospitalier d'implantation").select_option(label="Hôpital Pontchaillou (CHU de Rennes)")
    page.get_by_label("Tranche").select_option(label="Tranche 1 (financée en 2015)")
    page.get_by_label("Nom du centre").fill("CRC SEP de Rennes")
    page.get_by_role("button", name="Créer la candidature").click()

    expect(page.get_by_role("heading", level=1)).to_contain_text("Équipe du centre")
    page.get_by_label("Nom du coordonnateur").fill("Pr Gilles Edan")
    page.get_by_label("Années de pratique en établissement expert SEP").fill("12")
    page.get_by_label("Expérience de recherche").fill("Investigateur OFSEP, 40 publications")
    page.get_by_label("Nom de l'infirmier(ère) spécialisé(e)").fill("Mme Anne Le Goff")
    page.get_by_label("Médecin spécialiste qualifié en neurologie").check(force=True)
    page.get_by_label("Spécialisé(e) dans les soins requis pour la SEP").check(force=True)
    page.get_by_label("Formé(e) à l'éducation thérapeutique (ETP)").check(force=True)
    page.get_by_label("Assure l'accueil et l'orientation").check(force=True)
    page.get_by_label("Assure l'information et l'accompagnement").check(force=True)
    page.get_by_role("button", name="Enregistrer et continuer").click()

    expect(page.get_by_role("heading", level=1)).to_contain_text("Critères du cahier des charges")
    for spec in CRITERIA:
        if spec.mandatory:
            page.get_by_label(f"Élément déclaré — {spec.label}").fill(f"Justifié : {spec.paragraph}")
    ofsep = next(spec for spec in CRITERIA if spec.code == "ofsep_edmus")
    page.get_by_label(f"Pièce justificative — {ofsep.label}").set_input_files(str(evidence))
    page.get_by_role("button", name="Enregistrer les critères").click()

    expect(page.get_by_text("Critères du cahier des charges enregistrés.")).to_be_visible()
    expect(page.get_by_role("link", name="convention-ofsep.pdf")).to_be_visible()
    page.get_by_role("button", name="Déposer la candidature").click()
    expect(page.get_by_text("le dossier est désormais « Déposée »")).to_be_visible()
    dossier_url = page.url
    sign_out(page)

    # The ARS of Bretagne opens it from its inbox, takes it under review, previews and labels it.
    login("ars-53")
    go_to(page, "Labellisation CRC SEP")
    expect(page.get_by_text("1 dossier déposé ou en instruction à traiter")).to_be_visible()
    page.get_by_role("link", name="CRC SEP de Rennes").click()
    page.get_by_role("button", name="Prendre en instruction").click()
    expect(page.get_by_text("le dossier est désormais « En instruction »")).to_be_visible()

    preview_link = page.get_by_role("link", name="Prévisualiser le courrier — Labelliser le centre")
    preview = page.request.get(live_server.url + preview_link.get_attribute("href"))
    assert preview.headers["content-type"] == "application/pdf"
    preview_text = pdf_text(preview.body(), tmp_path, "preview.pdf")
    assert "PROJET" in preview_text and "CHU de Rennes" in preview_text

    page.get_by_role("button", name="Labelliser le centre").click()
    expect(page.get_by_text("le dossier est désormais « Labellisée »")).to_be_visible()
    expect(page.get_by_text("Décision tardive")).to_be_visible()  # 30 September 2016 is long past

    with page.expect_download() as download_info:
        page.get_by_role("link", name="Télécharger le courrier ARS-53").click()
    letter_path = tmp_path / "decision.pdf"
    download_info.value.save_as(letter_path)
    text = pdf_text(letter_path.read_bytes(), tmp_path, "decision-copy.pdf")
    for expected in ("CHU de Rennes", "ARS-53/", "je labellise", "CRC SEP de Rennes", "100 000 € par an"):
        assert expected in text, expected

    # Bretagne's quota (1 in tranche 1) is used up: the registry's quota table shows 1 labelled of 1.
    go_to(page, "Quotas CRC SEP")
    row = page.locator("#quotas-tranche-1 tbody tr").filter(
        has=page.get_by_role("rowheader", name=re.compile("^Bretagne"))
    )
    expect(row.locator("td").nth(1)).to_have_text("1")  # quota
    expect(row.locator("td").nth(2)).to_have_text("1")  # labelled
    assert CrcSepCentre.objects.filter(region__code="53", tranche__number=1, status="labelled").count() == 1

    # A second Breton application can no longer be labelled, and the page says why.
    second = make_application(establishment=rennes, state=Application.State.UNDER_REVIEW, name="Second")
    page.goto(f"{live_server.url}/labellisation/{second.pk}/")
    expect(page.get_by_role("button", name="Labelliser le centre")).to_be_disabled()
    expect(page.get_by_text(re.compile("quota de l'annexe 2 est atteint pour Bretagne"))).to_be_visible()
    sign_out(page)

    # Another region's ARS cannot open the Breton dossier.
    login("ars-11")
    response = page.goto(dossier_url)
    assert response.status == 404
