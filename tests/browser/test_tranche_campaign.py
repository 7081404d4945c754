"""Journey (2016 instruction, Annexe 2): tranche 2 is "Prévisionnel 2017", closed; an ARS is refused; DGOS opens the
campaign (funding still prévisionnel) and the ARS can then prepare a tranche-2 application."""

import pytest
from playwright.sync_api import expect

from centres.models import Tranche
from labellisation.models import Application
from tests.browser.menu import go_to
from tests.factories import EstablishmentFactory, ars_user, dgos_user, region

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _prepare(page, live_server):
    page.goto(f"{live_server.url}/labellisation/nouvelle/")
    page.get_by_label("Établissement (CHU)").select_option(label="Hôpitaux universitaires de Strasbourg")
    page.get_by_label("Site hospitalier d'implantation").select_option(
        label="Hôpital civil (Hôpitaux universitaires de Strasbourg)"
    )
    page.get_by_label("Tranche").select_option(label="Tranche 2 (prévisionnel 2017)")
    page.get_by_label("Nom du centre").fill("CRC SEP de Strasbourg")
    page.get_by_role("button", name="Créer la candidature").click()


@pytest.mark.rule("SEP-A2-tranche2-previsionnel")
def test_dgos_opens_tranche_2_then_the_ars_may_apply(live_server, page, login):
    strasbourg = EstablishmentFactory(region=region("44"), name="Hôpitaux universitaires de Strasbourg")
    strasbourg.hospitals.create(name="Hôpital civil")
    ars_user("44")
    dgos_user(first_name="Julien", last_name="Moreau")

    login("ars-44")
    _prepare(page, live_server)
    expect(page.get_by_text("campagne de la tranche 2 (prévisionnel 2017) n'est pas ouverte")).to_be_visible()
    expect(page.get_by_label("Nom du centre")).to_have_value("CRC SEP de Strasbourg")
    assert not Application.objects.exists()
    page.get_by_role("button", name="Se déconnecter").click()

    login("dgos")
    go_to(page, "Campagnes CRC SEP")
    expect(page.get_by_role("table", name="Campagnes par tranche")).to_contain_text("Non ouverte")
    page.get_by_role("link", name="Modifier la campagne — Tranche 2 (prévisionnel 2017)").click()
    page.get_by_label("Ouverture de la campagne").fill("2017-01-02")
    page.get_by_label("Motif de la modification").fill("Ouverture de la campagne 2017")
    page.get_by_role("button", name="Enregistrer la campagne").click()
    history = page.get_by_role("table", name="Modifications des campagnes (qui, quand, quoi, pourquoi)")
    expect(history).to_contain_text("Julien Moreau")
    expect(history).to_contain_text("Ouverture de la campagne 2017")
    assert Tranche.objects.get(number=2).campaign_is_open()
    page.get_by_role("button", name="Se déconnecter").click()

    login("ars-44")
    _prepare(page, live_server)
    expect(page.get_by_role("heading", level=1)).to_contain_text("Équipe du centre")
    assert Application.objects.get().tranche.number == 2
