"""Issue 17, items 1–2 in a browser: the footer's pages, the menu on one line at 1,280 px, breadcrumbs, a
refused form (summary focused, links to fields), the French 403/404 pages, and an ARS officer's journey on a
375-px phone screen. axe-core audits every page visited (tests/conftest.py)."""

import re

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SCREENSHOTS = "test-results/site-frame"


@pytest.fixture
def demo(live_server):
    call_command("seed_demo")


def test_a_visitor_opens_every_page_of_the_footer(live_server, page):
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(f"{live_server.url}/accounts/login/")
    footer = page.locator("#footer")
    for site in ("info.gouv.fr", "service-public.fr", "legifrance.gouv.fr", "data.gouv.fr"):
        expect(footer.get_by_role("link", name=re.compile(re.escape(site)))).to_have_attribute("target", "_blank")
    for link, heading in (
        ("Plan du site", "Plan du site"),
        ("Accessibilité : partiellement conforme", "Déclaration d'accessibilité"),
        ("Mentions légales", "Mentions légales"),
        ("Données personnelles", "Données personnelles"),
    ):
        page.locator("#footer").get_by_role("link", name=link, exact=True).click()
        expect(page.get_by_role("heading", level=1)).to_have_text(heading)
        expect(page.locator(".fr-breadcrumb [aria-current=page]")).to_have_text(heading)
        page.screenshot(path=f"{SCREENSHOTS}/footer-{heading[:12]}.png", full_page=True)
    expect(page.get_by_role("link", name="Se connecter").first).to_be_visible()  # the plan names the sign-in


@pytest.mark.parametrize("username", ["dgos", "admin", "ars-53"])
def test_the_menu_fits_on_one_line_at_1280_px(live_server, page, login, demo, username):
    page.set_viewport_size({"width": 1280, "height": 900})
    login(username)
    items = page.locator("#main-navigation > .fr-nav__list > .fr-nav__item")
    tops = {round(items.nth(i).bounding_box()["y"]) for i in range(items.count())}
    assert len(tops) == 1, f"{username}: the menu wraps ({tops})"
    menu = page.locator("#main-navigation")
    menu.get_by_role("button", name="Registre").click()
    menu.get_by_role("link", name="Quotas CRC SEP").click()
    expect(menu.get_by_role("button", name="Registre")).to_have_attribute("aria-current", "true")
    trail = page.locator(".fr-breadcrumb")
    expect(trail.get_by_role("link", name="Accueil")).to_be_visible()
    page.screenshot(path=f"{SCREENSHOTS}/menu-{username}.png")


def test_a_refused_form_shows_a_summary_that_takes_the_focus_and_leads_to_each_field(live_server, page, login, demo):
    login("coord-1")
    page.goto(f"{live_server.url}/crmr/centres-de-competences/nouvelle/")
    expect(
        page.get_by_text("Sauf mention contraire « (facultatif) », tous les champs sont obligatoires.")
    ).to_be_visible()
    page.get_by_label("Équipe (membres et fonctions) (facultatif)").fill("Dr Martin, Dr Le Bihan")
    page.get_by_role("button", name="Adresser la demande à la DGOS").click()

    summary = page.locator("#error-summary")
    expect(summary).to_be_visible()
    expect(summary).to_be_focused()
    expect(summary.get_by_role("heading")).to_have_text("Le formulaire contient 2 erreurs")
    expect(page.get_by_label("Équipe (membres et fonctions) (facultatif)")).to_have_value("Dr Martin, Dr Le Bihan")
    page.screenshot(path=f"{SCREENSHOTS}/form-errors.png")

    summary.get_by_role("link", name=re.compile("^Nature de la demande")).click()
    expect(page.get_by_role("radio", name="Création")).to_be_focused()
    summary.get_by_role("link", name=re.compile("^Texte du courrier")).click()
    expect(page.get_by_label("Texte du courrier à la DGOS (facultatif)")).to_be_focused()


def test_error_pages_are_french_and_say_what_to_do(live_server, page, login, demo):
    login("ars-53")
    page.goto(f"{live_server.url}/labellisation/999999/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Page introuvable")
    expect(page.get_by_text("Retrouvez vos dossiers depuis l'accueil ou le plan du site", exact=False)).to_be_visible()
    page.goto(f"{live_server.url}/labellisation/campagnes/2/")  # DGOS alone changes a campaign
    expect(page.get_by_role("heading", level=1)).to_have_text("Accès refusé")
    expect(page.get_by_text("vous êtes connecté comme Nolwenn Le Gall", exact=False)).to_be_visible()
    page.goto(f"{live_server.url}/labellisation/1/action/")  # an address that only takes a form's POST
    expect(page.get_by_role("heading", level=1)).to_have_text("Cette adresse ne s'ouvre pas directement")
    page.screenshot(path=f"{SCREENSHOTS}/error-405.png")


def test_an_ars_officer_works_on_a_375_px_phone_screen(live_server, page, login, demo):
    page.set_viewport_size({"width": 375, "height": 812})
    login("ars-53")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Bonjour Nolwenn Le Gall")

    def no_horizontal_scroll():
        assert page.evaluate("document.documentElement.scrollWidth") <= 375, page.url

    no_horizontal_scroll()
    menu = page.locator("#header-menu")

    def go(group, entry):
        page.get_by_role("button", name="Menu").click()  # the header menu becomes a modal on a phone
        menu.get_by_role("button", name=group).click()
        menu.get_by_role("link", name=entry).click()

    go("Registre", "Registre des centres")
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    page.get_by_role("button", name="Voir le fil d'Ariane").click()  # the DSFR collapses the trail on a phone
    expect(page.locator(".fr-breadcrumb").get_by_role("link", name="Accueil")).to_be_visible()
    no_horizontal_scroll()
    page.screenshot(path=f"{SCREENSHOTS}/ars-375-registry.png", full_page=True)

    go("Registre", "Quotas CRC SEP")
    expect(page.locator("#quotas-tranche-1")).to_contain_text("Bretagne")
    go("CRC SEP", "Labellisation CRC SEP")
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    no_horizontal_scroll()
    page.locator("#footer").get_by_role("link", name="Plan du site").click()
    expect(page.locator("#content").get_by_role("link", name="Successions CRMR")).to_be_visible()
    no_horizontal_scroll()
    page.screenshot(path=f"{SCREENSHOTS}/ars-375-plan.png", full_page=True)
