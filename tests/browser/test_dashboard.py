"""The dashboard in a browser (issue 17, item 3): a subject page fits the screen, each chart has its data
table beside it, the table's CSV and the chart's images download."""

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def demo(live_server):
    call_command("seed_demo")


def test_dgos_opens_the_quota_page_reads_the_table_beside_the_chart_and_downloads(live_server, page, login, demo):
    page.set_viewport_size({"width": 1280, "height": 800})
    login("dgos")
    page.goto(f"{live_server.url}/pilotage/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Tableau de bord")
    menu = page.get_by_role("navigation", name="Tableau de bord")
    menu.get_by_role("link", name="Quotas et financement").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Quotas et financement")
    expect(menu.get_by_role("link", name="Quotas et financement")).to_have_attribute("aria-current", "page")

    section = page.locator("section#quotas-tranche-1")
    chart = section.get_by_role("img")
    table = section.get_by_role("table")
    expect(chart).to_be_visible()
    expect(table).to_be_visible()
    chart_box, table_box = chart.bounding_box(), table.bounding_box()
    assert table_box["x"] > chart_box["x"] + chart_box["width"] - 1  # beside, not under
    bretagne = table.get_by_role("row").filter(has=page.get_by_role("rowheader", name="Bretagne"))
    expect(bretagne.get_by_role("cell")).to_have_text(["1", "0", "0", "1"])  # quota, labelled, in progress, left
    expect(chart).to_contain_text("0 / 1")  # the same figure on the chart

    with page.expect_download() as download_info:
        section.get_by_role("link", name="Données du tableau (CSV)").click()
    download = download_info.value
    assert download.suggested_filename.startswith("tableau-de-bord-quotas-quotas-tranche-1-")
    with open(download.path(), encoding="utf-8-sig") as handle:
        lines = handle.read().splitlines()
    assert lines[0] == "Région;Quota;Labellisés;En cours d'instruction;Restants"
    assert "Bretagne;1;0;0;1" in lines

    for fmt in ("SVG", "PNG"):
        with page.expect_download() as download_info:
            section.get_by_role("button", name=f"Image {fmt}").click()
        image = download_info.value
        assert image.suggested_filename == f"graphique-chart-quotas-1.{fmt.lower()}"
        with open(image.path(), "rb") as handle:
            content = handle.read()
        assert content.startswith(b"<?xml" if fmt == "SVG" else b"\x89PNG")

    assert page.evaluate("document.documentElement.scrollHeight") < 2 * 1600  # no 10,000-pixel page any more


def test_ars_officer_browses_every_subject_of_the_own_region(live_server, page, login, demo):
    page.set_viewport_size({"width": 1280, "height": 800})
    login("ars-53")
    page.goto(f"{live_server.url}/pilotage/")
    menu = page.get_by_role("navigation", name="Tableau de bord")
    for subject in ("Procédures", "Échéances", "Rapports d'activité", "Quotas et financement"):
        menu.get_by_role("link", name=subject).click()
        expect(page.get_by_role("heading", level=1)).to_contain_text(subject)
        expect(page.get_by_role("heading", level=1)).to_contain_text("Bretagne")
        expect(page.locator("main")).not_to_contain_text("Île-de-France")
        assert page.evaluate("document.documentElement.scrollHeight") < 2 * 1000
