"""Annexe 2 in a real browser: a competence centre created from the coordinator's request to Orphanet,
and one abrogated, each actor clicking through his or her own pages."""

import datetime
import io

import pytest
from playwright.sync_api import expect
from pypdf import PdfWriter

from centres.models import Ccmr, RegistryEvent
from tests.browser.menu import go_to
from tests.factories import (
    CcmrFactory,
    CrmrFactory,
    EstablishmentFactory,
    ars_user,
    coordinator_user,
    dgos_user,
    establishment_user,
    gp_user,
    region,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _pdf() -> bytes:
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


@pytest.fixture
def network(db):
    crmr_est = EstablishmentFactory(region=region("53"), name="CHU de Rennes (essai)")
    centre_est = EstablishmentFactory(region=region("52"), name="CHU de Nantes (essai)")
    crmr = CrmrFactory(coordinating_establishment=crmr_est, name="CRMR des maladies neuromusculaires (essai)")
    coordinator_user(crmr, username="coord")
    dgos_user()
    gp_user()
    ars_user("52")
    establishment_user(centre_est, username="direction-nantes")
    return {"crmr": crmr, "centre_est": centre_est}


def _logout(page):
    page.get_by_role("button", name="Se déconnecter").click()
    expect(page.get_by_role("button", name="Se connecter")).to_be_visible()


def _open_first_request(page, live_server):
    page.goto(f"{live_server.url}/")
    go_to(page, "Centres de compétences")
    page.get_by_role("table").get_by_role("link").first.click()


def _gp_gives_favourable_opinion(page, live_server, login):
    login("gp")
    _open_first_request(page, live_server)
    form = page.locator("form", has=page.get_by_role("button", name="Rendre un avis favorable"))
    form.get_by_label("Motif ou message (obligatoire)").fill("Besoin régional avéré ; équipe expérimentée.")
    form.get_by_role("button", name="Rendre un avis favorable").click()
    expect(page.locator("#request-state")).to_have_text("Avis à officialiser par la DGOS")
    _logout(page)


def _dgos_transmits_and_later_officialises(page, live_server, login, network):
    login("dgos")
    _open_first_request(page, live_server)
    page.get_by_role("button", name="Transmettre au groupe permanent et demander son avis d'opportunité").click()
    expect(page.locator("#request-state")).to_have_text("En attente de l'avis du groupe permanent")
    _logout(page)
    _gp_gives_favourable_opinion(page, live_server, login)
    login("dgos")
    expect(page.locator("#tile-ccmr")).to_contain_text("1 demande")
    _open_first_request(page, live_server)
    expect(page.get_by_role("radio", name="Favorable", exact=True)).to_be_checked()
    page.get_by_label("Paragraphe du courrier (motifs, précisions)").fill("Avis rendu après consultation.")
    page.get_by_role("button", name="Émettre le courrier").click()
    expect(page.get_by_text("L'avis a été officialisé ; le courrier est émis.")).to_be_visible()
    _logout(page)


def _ars_notifies_cpom(page, live_server, login):
    login("ars-52")
    _open_first_request(page, live_server)
    page.get_by_label("Référence de l'avenant au CPOM").fill("AV-2026-007")
    page.get_by_label("Date de l'avenant (date d'effet dans le registre)").fill("2026-01-15")
    page.get_by_role("button", name="Enregistrer l'avenant et émettre le courrier").click()
    expect(page.locator("#request-state")).to_have_text("Information d'Orphanet à faire par la DGOS")
    _logout(page)


def _dgos_informs_orphanet(page, live_server, login):
    login("dgos")
    _open_first_request(page, live_server)
    page.get_by_label("Date de l'information d'Orphanet").fill("2026-02-01")
    page.get_by_label("Référence de la communication").fill("ORPHA-2026-42")
    page.get_by_role("button", name="Enregistrer l'information d'Orphanet").click()
    expect(page.locator("#request-state")).to_have_text("Terminée")
    expect(page.get_by_role("table", name="Historique du dossier")).to_contain_text("Terminée")


def test_ccmr_creation_from_request_to_orphanet(live_server, page, login, network):
    login("coord")
    go_to(page, "Centres de compétences")
    page.get_by_role("link", name="Nouvelle demande").click()
    page.get_by_role("radio", name="Création").check(force=True)  # the DSFR label covers the input
    page.get_by_label("Nom du centre de compétences à créer").fill("Centre de compétences neuromusculaire de Nantes")
    page.get_by_label("Établissement de santé du centre de compétences").select_option(label="CHU de Nantes (essai)")
    page.get_by_label("Titre (Pr, Dr…)").fill("Dr")
    page.get_by_label("Prénom du responsable").fill("Anne")
    page.get_by_label("Nom du responsable (facultatif)", exact=True).fill("Lebreton")
    page.get_by_label("Équipe (membres et fonctions)").fill("Dr Anne Lebreton, neurologue")
    page.get_by_label("Texte du courrier à la DGOS").fill("Je souhaite créer un centre de compétences à Nantes.")
    page.get_by_role("button", name="Adresser la demande à la DGOS").click()
    expect(page.get_by_text("Votre demande a été adressée à la DGOS.")).to_be_visible()
    expect(page.locator("#request-state")).to_have_text("Reçue par la DGOS")
    _logout(page)

    _dgos_transmits_and_later_officialises(page, live_server, login, network)

    login("direction-nantes")
    _open_first_request(page, live_server)
    for label in ("Cahier des charges (modèle de 2007)", "Contrat"):
        page.get_by_role("combobox", name="Pièce").select_option(label=label)
        page.get_by_label("Fichier PDF").set_input_files(
            {"name": "piece.pdf", "mimeType": "application/pdf", "buffer": _pdf()}
        )
        page.get_by_role("button", name="Déposer la pièce").click()
        expect(page.get_by_text("La pièce a été déposée.")).to_be_visible()
    page.get_by_role("button", name="Adresser le cahier des charges et le contrat à l'ARS").click()
    expect(page.locator("#request-state")).to_have_text("Avenant au CPOM à notifier par l'ARS")
    _logout(page)

    _ars_notifies_cpom(page, live_server, login)
    _dgos_informs_orphanet(page, live_server, login)
    # No copy to DGOS: the dossier names the two pieces without offering them.
    expect(page.locator("#hidden-documents")).to_contain_text("Cahier des charges (modèle de 2007) — transmis à l'ARS")
    expect(page.get_by_role("link", name="Contrat")).to_have_count(0)

    # The registry now lists the centre, created at the CPOM amendment's date, with its history.
    page.goto(f"{live_server.url}/centres/ccmr/?q=neuromusculaire+de+Nantes&region=")
    page.get_by_role("link", name="Centre de compétences neuromusculaire de Nantes").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Centre de compétences neuromusculaire de Nantes")
    expect(page.get_by_text("15/01/2026").first).to_be_visible()
    ccmr = Ccmr.objects.get(name="Centre de compétences neuromusculaire de Nantes")
    assert ccmr.created_on == datetime.date(2026, 1, 15)
    assert Ccmr.objects.active_on(datetime.date(2026, 1, 15)).filter(pk=ccmr.pk).exists()
    assert RegistryEvent.objects.get(ccmr=ccmr).orphanet_notice.reference == "ORPHA-2026-42"


def test_ccmr_abrogation_from_request_to_orphanet(live_server, page, login, network):
    existing = CcmrFactory(crmr=network["crmr"], establishment=network["centre_est"], name="Centre de Nantes à abroger")
    login("coord")
    page.goto(f"{live_server.url}/crmr/centres-de-competences/nouvelle/")
    page.get_by_role("radio", name="Abrogation").check(force=True)
    page.get_by_label("Centre de compétences à abroger").select_option(
        label="Centre de Nantes à abroger — CHU de Nantes (essai)"
    )
    page.get_by_label("Texte du courrier à la DGOS").fill("L'équipe de Nantes cesse son activité.")
    page.get_by_role("button", name="Adresser la demande à la DGOS").click()
    expect(page.locator("#request-state")).to_have_text("Reçue par la DGOS")
    _logout(page)

    _dgos_transmits_and_later_officialises(page, live_server, login, network)
    _ars_notifies_cpom(page, live_server, login)
    _dgos_informs_orphanet(page, live_server, login)

    # The registry page shows the abrogation at the CPOM amendment's date.
    existing.refresh_from_db()
    page.goto(f"{live_server.url}{existing.get_absolute_url()}")
    expect(page.locator("main")).to_contain_text("Abrogé le")
    expect(page.locator("main")).to_contain_text("15/01/2026")
    assert existing.abrogated_on == datetime.date(2026, 1, 15)
    assert existing.status_on(datetime.date(2026, 1, 15)) == "abrogated"
