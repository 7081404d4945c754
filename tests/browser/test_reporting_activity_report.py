"""Journey (Annexe 1 §4): the centre's team files its annual activity report, the establishment's direction
fills the DIM/DAF part and validates it, and the region's ARS confirms it."""

import pytest
from playwright.sync_api import expect

from tests.activity_reports.factories import labelled_centre, pdf_bytes, team_user
from tests.browser.menu import go_to
from tests.factories import ars_user, establishment_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

FIGURES = {
    "File active (patients)": "420",
    "Nouveaux patients": "60",
    "Consultations": "1800",
    "Consultations d'annonce": "55",
    "Consultations de suivi pluridisciplinaire": "240",
    "Hospitalisations de jour": "900",
    "Hospitalisations complètes": "70",
    "RCP tenues": "24",
    "Réunions de concertation thérapeutique tenues": "12",
    "Programmes d'ETP": "2",
    "Patients ayant suivi un programme d'ETP": "48",
    "Exports OFSEP/EDMUS dans l'année": "2",
    "Dossiers EDMUS exportés": "410",
    "Projets de recherche en cours": "5",
    "Publications": "9",
    "Actions de formation dispensées": "6",
    "Patients adressés par un praticien du territoire": "150",
    "Projets personnalisés de soins formalisés et transmis": "95",
}


@pytest.mark.rule("SEP-A1-4-rapport-annuel")
@pytest.mark.rule("SEP-A1-4-rapport-contenu")
def test_centre_files_its_report_and_the_ars_confirms_it(live_server, page, login):
    centre = labelled_centre("53", name="CRC SEP de Rennes")
    etab = establishment_user(centre.establishment)
    team = team_user(centre)
    ars_user("53")

    login(team.username)
    go_to(page, "Rapports d'activité")
    page.get_by_label("Année d'activité").fill("2025")
    page.get_by_role("button", name="Remplir le rapport de CRC SEP de Rennes").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Rapport annuel d'activité 2025")

    for label, value in FIGURES.items():
        page.get_by_label(f"{label} (facultatif)", exact=True).fill(value)
    page.get_by_label("Partenariats (réseaux, associations, médico-social)").fill(
        "Association de patients, réseau régional SEP"
    )
    page.get_by_role("button", name="Enregistrer le rapport").click()
    expect(page.get_by_text("Le rapport a été enregistré.")).to_be_visible()

    page.get_by_role("link", name="Modifier le rapport").click()
    page.get_by_label("Semestre").select_option(label="1er semestre")
    page.get_by_label("Bilan OFSEP (PDF)").set_input_files(
        {"name": "bilan-ofsep-s1.pdf", "mimeType": "application/pdf", "buffer": pdf_bytes()}
    )
    page.get_by_role("button", name="Joindre le bilan").click()
    expect(page.get_by_text("Le bilan OFSEP a été joint au rapport.")).to_be_visible()
    page.get_by_role("link", name="Retour au rapport").click()

    page.get_by_role("button", name="Transmettre à la direction de l'établissement").click()
    expect(page.locator("#report-state")).to_have_text("Transmis à l'établissement")
    expect(page.get_by_role("button", name="Valider au nom de l'établissement")).to_have_count(0)
    page.get_by_role("button", name="Se déconnecter").click()

    login(etab.username)
    go_to(page, "Rapports d'activité")
    page.get_by_role("link", name="CRC SEP de Rennes").click()
    page.get_by_role("link", name="Renseigner le volet DIM / DAF").click()
    page.get_by_label("Séjours et venues des patients SEP (PMSI, DIM)").fill("1250")
    page.get_by_label("Patients SEP distincts pris en charge (PMSI, DIM)").fill("390")
    page.get_by_label("Dépenses affectées au centre (DAF, €)").fill("98500")
    page.get_by_label("Personnel affecté au centre (équivalents temps plein, DAF)").fill("2.5")
    page.get_by_role("button", name="Enregistrer le volet DIM / DAF").click()
    expect(page.get_by_text("Le volet DIM / DAF a été enregistré.")).to_be_visible()
    page.get_by_role("button", name="Valider au nom de l'établissement").click()
    expect(page.locator("#report-state")).to_have_text("Validé par l'établissement")
    page.get_by_role("button", name="Se déconnecter").click()

    login("ars-53")
    go_to(page, "Rapports d'activité")
    page.get_by_role("link", name="CRC SEP de Rennes").click()
    expect(page.get_by_role("cell", name="420")).to_be_visible()
    expect(page.get_by_text("ajuster les ressources financières des centres").first).to_be_visible()
    page.get_by_role("button", name="Confirmer le rapport").click()
    expect(page.locator("#report-state")).to_have_text("Confirmé par l'ARS")
    expect(page.get_by_role("table", name="Historique du dossier")).to_contain_text("Confirmé par l'ARS")
