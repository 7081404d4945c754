"""Journey: an ARS officer opens the "Référentiel réglementaire" from the menu, filters the rules still to
apply of the 2013 instruction, follows a rule's anchor, and finds the rules of a dossier on its page.
Every page visited is audited with axe-core (tests/conftest.py)."""

import re

import pytest
from playwright.sync_api import expect

from core.rules import catalogue
from tests.browser.menu import go_to
from tests.factories import ars_user
from tests.labellisation.factories import make_application

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_ars_officer_filters_the_referentiel_and_opens_a_rule(live_server, page, login):
    ars_user("53")
    login("ars-53")
    go_to(page, "Référentiel réglementaire")
    expect(page.get_by_role("heading", level=1)).to_have_text("Référentiel réglementaire")
    expect(page.locator("tr[data-rule]")).to_have_count(len(catalogue()))

    page.get_by_label("Texte").select_option("crmr-2013")
    page.get_by_label("Statut").select_option("appliquée")
    page.get_by_role("button", name="Filtrer").click()
    expected = catalogue().filter(text="crmr-2013", status="appliquée")
    expect(page.locator("tr[data-rule]")).to_have_count(len(expected))
    expect(page.locator("#rule-count")).to_contain_text(f"{len(expected)} règles sur {len(catalogue())}")
    expect(page.get_by_role("heading", level=2, name=re.compile("Instruction CRC SEP"))).to_have_count(0)
    row = page.locator("#CRMR-A1-preavis-6-mois")
    expect(row).to_contain_text("anticipation de 6 mois minimum")
    expect(row).to_contain_text("Appliquée")

    page.get_by_role("link", name="Tout afficher").click()
    expect(page.locator("tr[data-rule]")).to_have_count(len(catalogue()))
    page.get_by_label("Procédure").select_option("labellisation")
    page.get_by_role("button", name="Filtrer").click()
    expect(page.locator("tr[data-rule]")).to_have_count(len(catalogue().filter(procedure="labellisation")))
    page.get_by_role("link", name="SEP-lettre-echeance-septembre-2016", exact=True).click()
    expect(page).to_have_url(re.compile(r"#SEP-lettre-echeance-septembre-2016$"))
    expect(page.locator("#SEP-lettre-echeance-septembre-2016")).to_be_in_viewport()


def test_the_dossier_page_links_its_rules_to_the_referentiel(live_server, page, login):
    app = make_application(state="under_review")
    ars_user("53")
    login("ars-53")
    page.goto(f"{live_server.url}{app.get_absolute_url()}")
    page.get_by_text("Règles appliquées à cette procédure").click()
    page.get_by_role("link", name="SEP-lettre-echeance-septembre-2016").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Référentiel réglementaire")
    expect(page.locator("#SEP-lettre-echeance-septembre-2016")).to_be_in_viewport()
