"""Journeys through the header (issue 17, items 5 and 6): an ARS officer searches from the header field,
finds a CRC SEP centre and opens it, while another region's application of the same name stays out of
the results; a coordinator opens the help from the header, reads the own guide, then another role's.
Every page visited is audited with axe-core (tests/conftest.py)."""

import re

import pytest
from playwright.sync_api import expect

from tests.activity_reports.factories import labelled_centre
from tests.factories import ars_user, coordinator_user
from tests.labellisation.factories import chu, make_application

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_search_from_the_header_finds_a_centre_and_opens_it(live_server, page, login):
    centre = labelled_centre("53", establishment=chu("350005179"), name="CRC SEP Pontchaillou")
    outside = make_application(establishment=chu("750712184"), name="CRC SEP Pontchaillou", state="submitted")
    inside = make_application(establishment=chu("350005179"), name="CRC SEP Pontchaillou", state="submitted")
    ars_user("53")
    login("ars-53")

    header_search = page.get_by_role("search", name="Recherche dans la plateforme")
    header_search.get_by_role("searchbox").fill("pontchaillou")  # no accent, lower case
    header_search.get_by_role("searchbox").press("Enter")

    expect(page.get_by_role("heading", level=1)).to_have_text("Recherche")
    expect(page.locator("#search-summary")).to_contain_text("2 résultats pour « pontchaillou »")
    centres = page.locator("section[data-kind=crcsep]")
    expect(centres.get_by_role("heading", level=2)).to_contain_text("Centres CRC SEP")
    applications = page.locator("section[data-kind=application]")
    expect(applications.get_by_role("link")).to_have_count(1)
    expect(applications.get_by_role("link")).to_have_attribute("href", inside.get_absolute_url())
    expect(page.locator(f'a[href="{outside.get_absolute_url()}"]')).to_have_count(0)

    centres.get_by_role("link", name="CRC SEP Pontchaillou").click()
    expect(page).to_have_url(re.compile(f"{centre.get_absolute_url()}$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("CRC SEP Pontchaillou")


def test_the_help_opens_from_the_header_on_the_readers_role(live_server, page, login):
    from tests.factories import CrmrFactory

    coordinator_user(CrmrFactory(), username="coord-aide")
    login("coord-aide")
    page.get_by_role("link", name="Aide", exact=True).click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Aide — Coordonnateur de CRMR")
    menu = page.get_by_role("navigation", name="Guides par rôle")
    expect(menu.get_by_role("link").first).to_have_text("Coordonnateur de CRMR (votre rôle)")
    expect(page.get_by_role("heading", level=2, name="Succession d'un coordonnateur de CRMR")).to_be_visible()
    expect(page.get_by_role("link", name="CRMR-A1-preavis-6-mois")).to_have_attribute(
        "href", "/referentiel/#CRMR-A1-preavis-6-mois"
    )
    image = page.get_by_role("img", name=re.compile("Formulaire de demande de création"))
    image.scroll_into_view_if_needed()
    expect(image).to_be_visible()
    handle = image.element_handle()  # a lazy image: wait until the browser has fetched and decoded it
    page.wait_for_function("img => img.complete && img.naturalWidth > 0", arg=handle)
    assert handle.evaluate("img => img.naturalWidth") == 1024

    menu.get_by_role("link", name="Agent d'ARS").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Aide — Agent d'ARS")
    expect(page.get_by_text("Guide d'un autre rôle que le vôtre")).to_be_visible()
