"""Journey on the network map (issue 17, item 4): an ARS officer opens the map from the network page, sees
the own region highlighted and the same figures in the table, clicks a region and lands on that region's
registry at the same date; DGOS reaches a region with the keyboard."""

import os
import re

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
SHOTS = os.environ.get("MAP_SCREENSHOTS")


def shot(page, name):
    if SHOTS:
        page.screenshot(path=f"{SHOTS}/{name}.png", full_page=True)


@pytest.fixture
def demo(live_server):
    call_command("seed_demo")


def test_ars_officer_opens_the_map_and_clicks_a_region_to_its_registry(live_server, page, login, demo):
    login("ars-53")
    page.goto(f"{live_server.url}/centres/reseau/?date=2026-01-15")
    page.get_by_role("link", name="Voir la carte du réseau à cette date").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Carte du réseau au 15 janvier 2026")

    bretagne = page.get_by_role("link", name=re.compile(r"^Bretagne \(votre région\) :"))
    expect(bretagne).to_have_count(1)
    expect(bretagne).to_have_class(re.compile("app-map__region--own"))
    table = page.locator("#map-table")
    expect(table.locator("caption")).to_have_text("Le réseau par région au 15/01/2026")
    row = table.get_by_role("row").filter(has=page.get_by_role("rowheader", name=re.compile("^Bretagne")))
    expect(row.get_by_role("rowheader")).to_contain_text("Votre région")
    expect(row.get_by_role("cell").first).to_contain_text("/ 1")  # Annexe 2: Bretagne's quota is 1
    shot(page, "map-ars-53")

    page.get_by_role("link", name=re.compile(r"^Occitanie :")).click()
    expect(page).to_have_url(re.compile(r"/centres/reseau/\?region=76&date=2026-01-15$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Le réseau au 15 janvier 2026")
    expect(page.get_by_label("Région", exact=True)).to_have_value("76")
    expect(page.get_by_role("status")).to_contain_text("Occitanie")


def test_dgos_reaches_a_region_with_the_keyboard(live_server, page, login, demo):
    login("dgos")
    page.goto(f"{live_server.url}/centres/carte/")
    expect(page.get_by_text("Contour épais")).to_have_count(0)  # no own region outside an ARS
    page.locator("#registry-date").focus()
    for _ in range(40):  # Tab through the date form and the map until Île-de-France's shape has the focus
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.getAttribute('data-region')") == "11":
            break
    assert page.evaluate("document.activeElement.getAttribute('data-region')") == "11"
    shot(page, "map-dgos-focus")
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"/centres/reseau/\?region=11$"))
    expect(page.get_by_label("Région", exact=True)).to_have_value("11")


def test_the_map_fits_a_375_px_phone(live_server, page, login, demo):
    page.set_viewport_size({"width": 375, "height": 800})
    login("ars-53")
    page.goto(f"{live_server.url}/centres/carte/")
    expect(page.get_by_role("link", name=re.compile(r"^Bretagne \(votre région\) :"))).to_have_count(1)
    svg_width = page.evaluate("document.querySelector('.app-map__svg').getBoundingClientRect().width")
    assert 300 <= svg_width <= 375
    assert page.evaluate("document.documentElement.scrollWidth") <= 375  # nothing wider than the screen
    shot(page, "map-ars-53-phone")
