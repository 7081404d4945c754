"""Journey (b): a special case — DGOS informed, deliberation session, call for projects answered by two ARS
(one ranking its two projects), opinion of the groupe permanent per project, DGOS officialisation."""

import datetime
import os

import pytest
from django.utils import dateformat, translation
from playwright.sync_api import expect

from centres.models import CrmrSite, MigAllocation
from crmr_procedures.succession.models import Project, State, Succession
from tests.browser.menu import go_to
from tests.crmr_procedures.succession.helpers import in_months, mono_crmr, pdf_bytes
from tests.factories import CrmrFactory, EstablishmentFactory, ars_user, coordinator_user, dgos_user, gp_user, region

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
SHOTS = os.environ.get("SUCCESSION_SCREENSHOTS")


def shot(page, name):
    if SHOTS:
        page.screenshot(path=f"{SHOTS}/{name}.png", full_page=True)


def open_dossier(page, crmr):
    go_to(page, "Successions CRMR")
    page.get_by_role("link", name=crmr.name).click()


def add_project(page, first, last, establishment, amount, document):
    page.get_by_label("Civilité du candidat").select_option(label="Madame")
    page.get_by_label("Titre du candidat (Pr, Dr…)").fill("Pr")
    page.get_by_label("Prénom du candidat").fill(first)
    page.get_by_label("Nom du candidat", exact=True).fill(last)
    page.get_by_label("Établissement porteur").select_option(label=establishment.name)
    page.get_by_label("Dotation MIG prévue par le projet (€)").fill(amount)
    page.get_by_label("Projet (PDF)").set_input_files(str(document))
    page.get_by_role("button", name="Enregistrer le projet").click()
    expect(page.get_by_text("Projet enregistré.")).to_be_visible()


def test_special_case_with_call_for_projects_two_ars_ranking_and_gp_opinion(live_server, page, login, tmp_path):
    crmr = mono_crmr(name="Centre de référence des maladies vasculaires rares")
    sister = CrmrFactory(filiere=crmr.filiere, coordinating_establishment=EstablishmentFactory(region=region("52")))
    rennes = EstablishmentFactory(region=region("53"), name="CHU Armorique (essai)")
    lorient = EstablishmentFactory(region=region("53"), name="CH Scorff (essai)")
    nantes = sister.coordinating_establishment
    for user in (dgos_user(), gp_user(), ars_user("53"), ars_user("52")):
        assert user.pk
    document = tmp_path / "projet.pdf"
    document.write_bytes(pdf_bytes("projet"))

    def as_user(username):
        if page.get_by_role("button", name="Se déconnecter").count():
            page.get_by_role("button", name="Se déconnecter").click()
        login(username)

    # 1-2. DGOS records the letter informing it of the difficulty and forwards it to the groupe permanent.
    as_user("dgos")
    go_to(page, "Successions CRMR")
    page.get_by_role("link", name="Enregistrer un cas particulier").click()
    page.get_by_label("Centre de référence").select_option(label=crmr.name)
    page.get_by_label("Motif").select_option(label="Absence de proposition de successeur")
    page.get_by_label("Courrier reçu de").select_option(label="Le président du directoire de l'établissement")
    page.get_by_label("Courrier d'information (PDF)").set_input_files(str(document))
    page.get_by_role("button", name="Enregistrer le cas particulier").click()
    expect(page.get_by_text("Cas particulier : DGOS informée").first).to_be_visible()
    page.get_by_role("button", name="Transmettre le courrier au groupe permanent").click()
    expect(page.get_by_text("Cas particulier transmis au groupe permanent").first).to_be_visible()

    # The groupe permanent sets its deliberation session.
    as_user("gp")
    open_dossier(page, crmr)
    session_day = in_months(2)
    page.get_by_label("Date de la séance de délibération").fill(session_day.isoformat())
    page.get_by_role("button", name="Fixer la séance de délibération").click()
    expect(page.get_by_text("Séance de délibération fixée").first).to_be_visible()

    # 3. DGOS launches the call for projects through the ARS of the filière's regions.
    as_user("dgos")
    open_dossier(page, crmr)
    page.get_by_role("button", name="Lancer l'appel à projets auprès des ARS").click()
    expect(page.get_by_role("cell", name="Bretagne")).to_be_visible()
    expect(page.get_by_role("cell", name="Pays de la Loire")).to_be_visible()

    # 4. ARS Bretagne collects two projects, must rank them, then transmits.
    as_user("ars-53")
    open_dossier(page, crmr)
    page.get_by_role("link", name="Projets de ma région").click()
    add_project(page, "Anne", "Le Goff", rennes, "150000", document)
    add_project(page, "Yann", "Kerjean", lorient, "140000", document)
    page.get_by_role("button", name="Transmettre les projets de la région à la DGOS").click()
    expect(page.get_by_text("classez-les avant de les transmettre")).to_be_visible()
    page.get_by_label("Rang de Pr Anne Le Goff").fill("1")
    page.get_by_label("Rang de Pr Yann Kerjean").fill("2")
    page.get_by_role("button", name="Enregistrer le classement").click()
    expect(page.get_by_text("Classement enregistré.")).to_be_visible()
    shot(page, "b-ars-projects")
    page.get_by_role("button", name="Transmettre les projets de la région à la DGOS").click()
    expect(page.get_by_text("Projets transmis à la DGOS.")).to_be_visible()

    # ARS Pays de la Loire sends its single project (no rank needed).
    as_user("ars-52")
    open_dossier(page, crmr)
    page.get_by_role("link", name="Projets de ma région").click()
    add_project(page, "Paul", "Nantais", nantes, "160000", document)
    page.get_by_role("button", name="Transmettre les projets de la région à la DGOS").click()
    expect(page.get_by_text("Projets transmis à la DGOS.")).to_be_visible()

    # DGOS closes the call; the groupe permanent gives an opinion per project.
    as_user("dgos")
    open_dossier(page, crmr)
    page.get_by_role("button", name="Clore l'appel à projets et saisir le groupe permanent").click()
    as_user("gp")
    go_to(page, "Successions CRMR")
    expect(page.get_by_text("Projets en attente de l'avis du groupe permanent")).to_be_visible()
    page.get_by_role("link", name=crmr.name).first.click()
    # Opinions come out of the séance: none can be recorded before its date.
    expect(page.get_by_text(f"Avis à enregistrer en séance, à compter du {session_day:%d/%m/%Y}").first).to_be_visible()
    expect(page.get_by_role("button", name="Enregistrer l'avis sur Pr Anne Le Goff")).to_have_count(0)
    expect(page.locator("#why-give_gp_opinion")).to_contain_text("la séance est fixée au")
    shot(page, "b-gp-before-session")
    Succession.objects.filter(crmr=crmr).update(session_date=datetime.date.today())  # the séance day comes
    page.reload()
    for name, opinion, reasons in (
        ("Pr Anne Le Goff", "Favorable", "Projet solide, équipe en place."),
        ("Pr Yann Kerjean", "Défavorable", "Activité insuffisante."),
        ("Pr Paul Nantais", "Défavorable", "Éloignement des patients."),
    ):
        page.get_by_label(f"Avis sur le projet de {name}").select_option(label=opinion)
        page.get_by_label(f"Motifs ({name})").fill(reasons)
        page.get_by_role("button", name=f"Enregistrer l'avis sur {name}").click()
        expect(page.get_by_text("Avis enregistré.")).to_be_visible()
    shot(page, "b-gp-opinions")
    page.get_by_role("button", name="Transmettre l'avis du groupe permanent à la DGOS").click()
    expect(page.get_by_text("Avis du groupe permanent rendu").first).to_be_visible()

    # 6-7. DGOS officialises the favoured project; the MIG is "débasée" and assigned per the project.
    as_user("dgos")
    open_dossier(page, crmr)
    page.get_by_role("link", name="Officialiser le nouveau coordonnateur").click()
    page.get_by_label("Projet retenu").select_option(label="Pr Anne Le Goff — CHU Armorique (essai)")
    page.get_by_label("Date d'effet").fill(in_months(4).isoformat())
    page.get_by_role("button", name="Officialiser et émettre le courrier").click()
    expect(page.get_by_text("Nouveau coordonnateur officialisé").first).to_be_visible()
    shot(page, "b-officialised")

    s = Succession.objects.get(crmr=crmr)
    assert s.state == State.OFFICIALISED and s.chosen_project.candidate.last_name == "Le Goff"
    assert list(Project.objects.filter(region__code="53").order_by("rank").values_list("rank", flat=True)) == [1, 2]
    assert Project.objects.get(region__code="52").rank is None
    # The registry changes on the effective date (dated rows): read it on that day.
    on = s.effective_on
    assert MigAllocation.objects.active_on(on).get(crmr=crmr, establishment=rennes).amount == 150000
    assert CrmrSite.objects.active_on(on).get(crmr=crmr, is_coordinating=True).establishment == rennes
    assert s.letter.copy_labels == ["Agence régionale de santé Bretagne"]
    with translation.override("fr"):
        held = dateformat.format(datetime.date.today(), "j F Y")
    assert f"séance de délibération du {held}" in s.letter.body_html  # the séance that took place


def test_sudden_departure_is_sent_by_the_coordinator_as_a_special_case(live_server, page, login, tmp_path):
    """No waiver of the 6-month notice: the coordinator declares a special case ("Autres") instead."""
    crmr = mono_crmr(name="Centre de référence des maladies auto-immunes rares")
    coordinator_user(crmr, username="coord")
    dgos_user()
    document = tmp_path / "depart.pdf"
    document.write_bytes(pdf_bytes("depart"))
    login("coord")
    go_to(page, "Successions CRMR")
    page.get_by_role("button", name="Informer de la cessation de mes fonctions").click()
    page.get_by_label("Date effective de cessation d'activité").fill(in_months(1).isoformat())
    page.get_by_label("Courrier de cessation d'activité (PDF signé)").set_input_files(str(document))
    page.get_by_role("button", name="Enregistrer", exact=True).click()
    page.get_by_role("link", name="Déclarer un cas particulier (départ soudain)").click()
    expect(page.get_by_label("Motif")).to_have_value("other")
    page.get_by_label("Votre courrier informant la DGOS de la difficulté de succession (PDF)").set_input_files(
        str(document)
    )
    page.get_by_role("button", name="Transmettre mon courrier à la DGOS").click()
    expect(page.get_by_text("Cas particulier : DGOS informée").first).to_be_visible()
    page.get_by_role("button", name="Se déconnecter").click()
    login("dgos")
    go_to(page, "Successions CRMR")
    page.get_by_role("link", name=crmr.name).click()
    expect(page.get_by_role("button", name="Transmettre le courrier au groupe permanent")).to_be_visible()
    s = Succession.objects.get(crmr=crmr)
    assert (s.path, s.special_reason, s.informed_by) == ("special", "other", "coordinator")
