"""Journey in the registry read at a date: DGOS sees a transfer decided for later as "à venir", reads the
CRMR on its effective date with the date field, then opens the network on that date and exports it."""

import datetime
import re

import pytest
from django.core.management import call_command
from django.utils import timezone
from playwright.sync_api import expect

from tests.browser.menu import go_to

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def decided_transfer(live_server):
    """The demo SLA CRMR (AP-HP coordinating, HCL and Bordeaux constitutive), its coordination moving to
    the Hospices Civils de Lyon on a date 200 days ahead, decided today."""
    from centres import models as c
    from centres import services

    call_command("seed_demo")
    crmr = c.Crmr.objects.get(name__contains="neurone moteur")
    lyon = c.Establishment.objects.get(finess_ej="690781810")
    on = timezone.localdate() + datetime.timedelta(days=200)
    services.coordination_transfer(crmr=crmr, to_establishment=lyon, on=on, act="DGOS-PF2/2026/09999")
    person = c.Person.objects.create(title="Pr", first_name="Camille", last_name="Rivière")
    services.coordinator_change(crmr=crmr, person=person, establishment=lyon, on=on, act="DGOS-PF2/2026/09999")
    return crmr, on


def test_dgos_reads_a_decided_transfer_at_its_date_and_the_network(live_server, page, login, decided_transfer):
    crmr, on = decided_transfer
    login("dgos")
    go_to(page, "Registre des centres")
    page.get_by_role("link", name="CRMR", exact=True).click()
    page.get_by_label("Rechercher").fill("neurone moteur")
    page.get_by_role("button", name="Filtrer").click()
    row = page.get_by_role("row").filter(has_text="neurone moteur")
    expect(row).to_contain_text(f"Changement à venir le {on:%d/%m/%Y}")
    row.get_by_role("link").first.click()

    expect(page.locator("#coordinating-establishment")).to_contain_text("Assistance Publique - Hôpitaux de Paris")
    expect(page.locator("#current-coordinator")).to_contain_text(f"À venir le {on:%d/%m/%Y}")
    expect(page.locator("#current-coordinator")).to_contain_text("Camille Rivière")

    page.get_by_label(re.compile("^Registre au")).fill(on.isoformat())
    page.get_by_role("button", name="Afficher à cette date").click()
    expect(page.locator("#registry-date-notice")).to_contain_text("date future")
    expect(page.locator("#coordinating-establishment")).to_contain_text("Hospices Civils de Lyon")
    expect(page.get_by_role("heading", name=f"Coordonnateur au {on:%d/%m/%Y}")).to_be_visible()
    expect(page.locator("#current-coordinator")).to_contain_text("Camille Rivière")

    page.get_by_role("link", name="Revenir à aujourd'hui").click()
    expect(page.locator("#coordinating-establishment")).to_contain_text("Assistance Publique - Hôpitaux de Paris")

    go_to(page, "Registre des centres")
    page.get_by_role("link", name=re.compile("^Le réseau au")).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Le réseau au")
    page.get_by_label(re.compile("^Registre au")).fill(on.isoformat())
    page.get_by_role("button", name="Afficher à cette date").click()
    sla = page.get_by_role("row").filter(has_text="neurone moteur")
    expect(sla).to_contain_text("Hospices Civils de Lyon")
    expect(sla).to_contain_text("Camille Rivière")
    page.get_by_role("navigation", name="Sections du réseau").get_by_role("link", name="Centres de compétences").click()
    expect(page.get_by_role("status")).to_contain_text("Centres de compétences en vigueur")
    with page.expect_download() as download_info:
        page.get_by_role("link", name="CSV").click()
    assert download_info.value.suggested_filename.startswith(f"reseau-ccmr-au-{on.isoformat()}")


def test_a_bad_date_typed_in_the_address_bar_says_why(live_server, page, login, decided_transfer):
    login("ars-53")
    page.goto(f"{live_server.url}/centres/crmr/?date=31-02-2027")
    expect(page.locator("#registry-date-error")).to_contain_text("n'est pas valide")
