"""Journeys in the registry: an ARS officer reads the Annexe 2 quota table and downloads it; DGOS finds a
CRMR and opens it."""

import re

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from tests.browser.menu import go_to

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def demo(live_server):
    call_command("seed_demo")


def test_ars_officer_reads_the_bretagne_quota_and_downloads_the_csv(live_server, page, login, demo):
    login("ars-53")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Bonjour Nolwenn Le Gall")

    go_to(page, "Quotas CRC SEP")
    expect(page.get_by_role("heading", level=1)).to_have_text("Quotas de CRC SEP par région (annexe 2)")

    tranche_1 = page.locator("#quotas-tranche-1")
    bretagne = tranche_1.get_by_role("row").filter(has=page.get_by_role("rowheader", name=re.compile("Bretagne")))
    expect(bretagne.get_by_role("rowheader")).to_contain_text("Votre région")
    expect(bretagne.get_by_role("cell").nth(1)).to_have_text("1")  # quota
    expect(bretagne.get_by_role("cell").nth(2)).to_have_text("0")  # labelled
    expect(tranche_1.locator("tfoot")).to_contain_text("12")
    expect(page.locator("#quotas-total")).to_contain_text("23")

    with page.expect_download() as download_info:
        page.get_by_role("link", name="Télécharger le tableau (CSV)").click()
    download = download_info.value
    assert download.suggested_filename.startswith("quotas-crc-sep-") and download.suggested_filename.endswith(".csv")
    with open(download.path(), encoding="utf-8-sig") as handle:  # BOM, ";" and French headers (issue 17)
        lines = handle.read().splitlines()
    assert lines[0] == "Code région;Région;Tranche;Quota (annexe 2);Labellisés;En cours;Restant"
    assert "53;Bretagne;1;1;0;0;1" in lines
    assert "11;Île-de-France;1;3;0;0;3" in lines


def test_ars_officer_sees_the_own_region_first_and_removes_the_filter(live_server, page, login, demo):
    login("ars-53")
    go_to(page, "Registre des centres")
    page.get_by_role("link", name="CRMR", exact=True).click()
    expect(page.get_by_text("votre région est sélectionnée par défaut")).to_be_visible()
    expect(page.locator("#result-count")).to_have_text("1 résultat")
    page.get_by_role("link", name=re.compile("Région : Bretagne")).click()
    expect(page.locator("#result-count")).to_have_text("14 résultats")


def test_dgos_searches_the_crmr_list_and_opens_a_crmr(live_server, page, login, demo):
    login("dgos")
    go_to(page, "Registre des centres")
    page.get_by_role("link", name="CRMR", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Centres de référence maladies rares")

    page.get_by_label("Rechercher").fill("neurone moteur")
    page.get_by_role("button", name="Filtrer").click()
    expect(page.locator("#result-count")).to_have_text("1 résultat")
    page.get_by_role("link", name=re.compile("Sclérose latérale amyotrophique")).click()

    expect(page.get_by_role("heading", level=1)).to_contain_text("Sclérose latérale amyotrophique")
    expect(page.get_by_text("Coordonnateur actuel")).to_be_visible()
    expect(page.locator(".fr-callout")).to_contain_text("Vasseur")
    sites = page.get_by_role("table", name="Sites du CRMR")
    expect(sites.get_by_role("row")).to_have_count(4)  # header + AP-HP, HCL, Bordeaux
    expect(sites).to_contain_text("Hospices Civils de Lyon")
    expect(page.get_by_role("table", name="Mandats de coordination")).to_contain_text("Lemaire")
    expect(page.get_by_role("heading", name="Historique")).to_be_visible()
