"""Journey (a): a mono-site succession from the coordinator's notice to the DGOS officialisation letter."""

import os
import re
import subprocess

import pytest
from playwright.sync_api import expect

from tests.browser.menu import go_to
from tests.crmr_procedures.succession.helpers import in_months, mono_crmr, pdf_bytes
from tests.factories import coordinator_user, dgos_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
SHOTS = os.environ.get("SUCCESSION_SCREENSHOTS")


def shot(page, name):
    if SHOTS:
        page.screenshot(path=f"{SHOTS}/{name}.png", full_page=True)


def logout(page):
    page.get_by_role("button", name="Se déconnecter").click()


def test_mono_site_succession_from_notice_to_officialisation_letter(live_server, page, login, tmp_path):
    crmr = mono_crmr(name="Centre de référence des maladies neuromusculaires rares")
    chu = crmr.coordinating_establishment
    chu.director_name = "Mme Claire Martin"
    chu.director_civility = "Mme"
    chu.save()
    coordinator = coordinator_user(crmr, username="coord")
    dgos_user()
    letter = tmp_path / "courrier.pdf"
    letter.write_bytes(pdf_bytes("courrier"))

    # The coordinator records the notice (6 months ahead at least, no waiver) and sends it to the président
    # du directoire named from the registry, copies CoSPro president and DGOS.
    login(coordinator.username)
    go_to(page, "Successions CRMR")
    page.get_by_role("button", name="Informer de la cessation de mes fonctions").click()
    recipients = page.locator("#notice-recipients")
    expect(recipients).to_contain_text("Mme Claire Martin, présidente du directoire")
    expect(recipients).to_contain_text("Copie : Présidence du comité de suivi et de prospective (CoSPro)")
    expect(recipients).to_contain_text("Copie : Direction générale de l'offre de soins (DGOS)")
    page.get_by_label("Date effective de cessation d'activité").fill(in_months(2).isoformat())
    page.get_by_label("Courrier de cessation d'activité (PDF signé)").set_input_files(str(letter))
    page.get_by_role("button", name="Enregistrer et envoyer le préavis à la DGOS").click()
    expect(page.get_by_role("alert").or_(page.locator(".fr-alert--error")).first).to_contain_text("au moins 6 mois")
    # A sudden departure is a special case ("Autres"), offered instead of a waiver.
    page.get_by_role("link", name="Retour au dossier").click()
    page.get_by_role("link", name="Compléter le préavis").click()
    expect(page.locator("#sudden-departure")).to_contain_text("Préavis de moins de 6 mois")
    expect(page.get_by_role("link", name="Déclarer un cas particulier (départ soudain)")).to_be_visible()
    shot(page, "a-short-notice")
    page.get_by_label("Date effective de cessation d'activité").fill(in_months(7).isoformat())
    page.get_by_role("button", name="Enregistrer et envoyer le préavis à la DGOS").click()
    expect(page.locator("h1")).to_contain_text("Succession du coordonnateur")
    expect(page.get_by_text("Préavis reçu par la DGOS").first).to_be_visible()
    expect(page.locator("#notice-recipients")).to_contain_text("Mme Claire Martin")

    # The dossier can be prepared, but not filed before DGOS passes the notice to the vice-président santé.
    page.get_by_role("link", name="Compléter le dossier").click()
    expect(page.get_by_text("Pièces manquantes").first).to_be_visible()
    page.get_by_label("Civilité du successeur").select_option(label="Madame")
    page.get_by_label("Titre (Pr, Dr…)").fill("Pr")
    page.get_by_label("Prénom du successeur").fill("Alice")
    page.get_by_label("Nom du successeur", exact=True).fill("Durand")
    page.get_by_role("button", name="Enregistrer le successeur").click()
    for label in (
        "Lettre proposant le successeur avec engagement sur ses compétences",
        "Lettre de motivation signée du successeur",
        "Avis favorable du président du directoire sur le successeur",
    ):
        page.get_by_label("Pièce", exact=True).select_option(label=label)
        page.get_by_label("Document (PDF signé)").set_input_files(str(letter))
        page.get_by_role("button", name="Déposer la pièce").click()
        expect(page.get_by_text("Pièce déposée.")).to_be_visible()
    page.get_by_role("link", name="Saisir le CV").click()
    page.get_by_label("Adresse", exact=True).fill("2 rue Henri Le Guilloux, Rennes")
    page.get_by_label("Téléphone").fill("02 99 28 43 21")
    page.get_by_label("Adresse électronique").fill("alice.durand@chu-rennes.fr")
    page.get_by_label("Spécialité médicale et titres hospitalo-universitaires").fill("Neurologie — PU-PH")
    page.get_by_label("Expérience professionnelle").fill("Responsable de l'unité neuromusculaire depuis 2012")
    year = str(in_months(0).year - 1)
    entry = page.locator("#entry-0")
    entry.get_by_label("Rubrique").select_option("publication")
    entry.get_by_label("Année").fill(year)
    entry.get_by_label("Intitulé").fill("Myopathies rares : cohorte nationale")
    shot(page, "a-cv")
    page.get_by_role("button", name="Enregistrer le CV").click()
    expect(page.get_by_text("Toutes les pièces requises sont présentes")).to_be_visible()
    expect(page.get_by_role("button", name="Déposer le dossier de succession")).to_be_disabled()
    expect(page.locator("#why-submit_dossier")).to_contain_text("vice-président santé du CoSPro")
    shot(page, "a-dossier-waiting")
    logout(page)

    login("dgos")
    go_to(page, "Successions CRMR")
    page.get_by_role("link", name=crmr.name).click()
    page.get_by_role("button", name="Communiquer le préavis au vice-président santé du CoSPro").click()
    expect(page.get_by_text("Préavis communiqué au vice-président santé").first).to_be_visible()
    logout(page)

    login(coordinator.username)
    go_to(page, "Successions CRMR")
    page.get_by_role("link", name=crmr.name).click()
    page.get_by_role("link", name="Compléter le dossier").click()
    shot(page, "a-dossier")
    page.get_by_role("button", name="Déposer le dossier de succession").click()
    expect(page.get_by_text("Dossier de succession déposé").first).to_be_visible()
    logout(page)

    # DGOS PF2 checks, forwards to the groupe permanent, records the opinion, previews and officialises.
    login("dgos")
    go_to(page, "Successions CRMR")
    expect(page.get_by_text(in_months(7).strftime("%d/%m/%Y"))).to_be_visible()
    shot(page, "a-dgos-inbox")
    page.get_by_role("link", name=crmr.name).click()
    cv_href = page.get_by_role("link", name=re.compile("Curriculum vitae du successeur")).get_attribute("href")
    cv = page.request.get(live_server.url + cv_href)
    assert cv.ok and cv.body().startswith(b"%PDF")
    page.get_by_role("button", name="Constater la complétude du dossier").click()
    page.get_by_role("button", name=re.compile("Transmettre au groupe permanent")).click()
    page.get_by_role("button", name="Enregistrer l'avis favorable").click()
    page.get_by_role("link", name="Officialiser le nouveau coordonnateur").click()
    preview_href = page.get_by_role("link", name="Prévisualiser le courrier").get_attribute("href")
    preview = page.request.get(live_server.url + preview_href)
    assert preview.ok and preview.body().startswith(b"%PDF")
    page.get_by_role("button", name="Officialiser et émettre le courrier").click()
    expect(page.get_by_text("Nouveau coordonnateur officialisé").first).to_be_visible()
    shot(page, "a-officialised")
    with page.expect_download() as download_info:
        page.get_by_role("listitem").filter(has_text="Officialisation d'un coordonnateur").get_by_role("link").click()
    path = tmp_path / "officialisation.pdf"
    download_info.value.save_as(path)
    text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout
    assert "Alice Durand" in text and "Agence régionale de santé Bretagne" in text
