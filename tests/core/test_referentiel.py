"""The "Référentiel réglementaire" page (every signed-in agent), the rules listed on each dossier page,
and blocking messages that cite their rule as a link to it."""

import re

import pytest
from django.urls import reverse

from core.rules import APPLIED, SHOWN, catalogue
from crmr_procedures.succession.models import State as SuccessionState
from tests.crmr_procedures.competence.conftest import world  # noqa: F401 - fixture of the CCMR tests
from tests.crmr_procedures.succession.helpers import Journey, in_months, pdf
from tests.factories import (
    UserFactory,
    admin_user,
    ars_user,
    coordinator_user,
    dgos_user,
    establishment_user,
    gp_user,
)
from tests.labellisation.factories import make_application

pytestmark = pytest.mark.django_db

URL = "/referentiel/"


def _rows(page: str) -> list[str]:
    return re.findall(r'data-rule="([^"]+)"', page)


def _users(establishment):
    from tests.factories import CrmrFactory

    return {
        "ars": ars_user("53"),
        "dgos": dgos_user(),
        "gp": gp_user(),
        "admin": admin_user(),
        "establishment": establishment_user(establishment),
        "coordinator": coordinator_user(CrmrFactory()),
        "sans rôle": UserFactory(username="sans-role"),
    }


def test_the_url_is_the_referentiel():
    assert reverse("referentiel") == URL


def test_anonymous_visitors_are_sent_to_the_login_page(client):
    response = client.get(URL)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


@pytest.mark.parametrize("role", ["ars", "dgos", "gp", "admin", "establishment", "coordinator", "sans rôle"])
def test_every_signed_in_agent_reads_the_referentiel_and_finds_it_in_the_menu(client, chu_rennes, role):
    client.force_login(_users(chu_rennes)[role])
    response = client.get(URL)
    assert response.status_code == 200
    page = response.content.decode()
    assert "<h1>Référentiel réglementaire</h1>" in page
    assert f'<a class="fr-nav__link" href="{URL}" aria-current="page">Référentiel réglementaire</a>' in page
    client.get(reverse("home"))
    assert f'href="{URL}"' in client.get(reverse("home")).content.decode()


def test_every_rule_is_listed_once_with_its_anchor_quote_and_status(client):
    client.force_login(dgos_user())
    page = client.get(URL).content.decode()
    assert sorted(_rows(page)) == sorted(rule.id for rule in catalogue())
    rule = catalogue().get("CRMR-A1-preavis-6-mois")
    assert f'id="{rule.id}"' in page
    assert "anticipation de 6 mois minimum" in page
    assert "Instruction DGOS/PF2/2013/308 du 29 juillet 2013" in page
    assert "Instruction CRC SEP (2016)" in page
    assert page.index('id="text-sep-2016"') < page.index('id="text-crmr-2013"')
    out_of_scope = catalogue().get("SEP-lettre-difficultes")
    assert out_of_scope.reason.replace("'", "&#x27;") in page


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"status": SHOWN}, lambda r: r.status == SHOWN),
        ({"text": "sep-2016"}, lambda r: r.text == "sep-2016"),
        ({"procedure": "competence"}, lambda r: r.procedure == "competence"),
        ({"text": "crmr-2013", "status": APPLIED}, lambda r: r.text == "crmr-2013" and r.status == APPLIED),
    ],
)
def test_filters_by_text_procedure_and_status(client, query, expected):
    client.force_login(ars_user("53"))
    page = client.get(URL, query).content.decode()
    wanted = [rule.id for rule in catalogue() if expected(rule)]
    assert wanted and sorted(_rows(page)) == sorted(wanted)
    assert f"{len(wanted)} règle" in page and f"sur {len(catalogue())}" in page


def test_an_unknown_filter_value_shows_a_french_error_and_every_rule(client):
    client.force_login(ars_user("53"))
    page = client.get(URL, {"status": "peut-être"}).content.decode()
    assert "Statut : la valeur « peut-être » n&#x27;existe pas ; le filtre est ignoré." in page
    assert len(_rows(page)) == len(catalogue())


def test_the_page_reads_no_table_beyond_the_session(client, django_assert_num_queries):
    client.force_login(dgos_user())
    client.get(URL)  # warm the cached catalogue
    with django_assert_num_queries(2):  # session + user, whatever the filters
        client.get(URL)
    with django_assert_num_queries(2):
        client.get(URL, {"procedure": "succession", "status": APPLIED})


# --- Dossier pages: the rules of the procedure, and refusals citing their rule ----------------------


def _rules_block(page: str, procedure: str) -> list[str]:
    start = page.index("Règles appliquées à cette procédure")
    block = page[start : page.index("</details>", start)]
    return re.findall(r'href="/referentiel/#([^"]+)"', block)


def test_labellisation_dossier_lists_its_applied_rules_and_links_the_quota_refusal(client):
    from labellisation import services

    officer = ars_user("53")  # Bretagne: one centre in tranche 1
    services.application_label(application=make_application(state="under_review", name="Premier"), user=officer)
    second = make_application(state="under_review", name="Second")
    client.force_login(officer)
    page = client.get(second.get_absolute_url()).content.decode()
    expected = [r.id for r in catalogue().filter(procedure="labellisation", status=APPLIED)]
    assert _rules_block(page, "labellisation") == expected
    assert 'href="/referentiel/?procedure=labellisation"' in page
    # the disabled "Labelliser" button says why, citing the Annexe 2 rule as a link
    link = '(règle <a href="/referentiel/#SEP-A2-quota-region-tranche">SEP-A2-quota-region-tranche</a>)'
    assert "quota de l&#x27;annexe 2 est atteint pour Bretagne" in page and link in page
    # the same message, when the officer tries anyway
    response = client.post(reverse("labellisation:action", args=[second.pk]), {"transition": "label"}, follow=True)
    assert link in response.content.decode().split("Actions possibles")[0]


def test_a_short_notice_refusal_links_the_six_month_rule(client):
    j = Journey()
    client.force_login(j.coordinator)
    response = client.post(
        reverse("crmr_procedures:succession_notice", args=[j.s.pk]),
        {"effective_on": in_months(2).isoformat(), "addressees": "PDG", "letter": pdf(), "send": "1"},
        follow=True,
    )
    page = response.content.decode()
    assert "au moins 6 mois" in page
    assert '(règle <a href="/referentiel/#CRMR-A1-preavis-6-mois">CRMR-A1-preavis-6-mois</a>)' in page
    assert j.refresh().state == SuccessionState.DRAFT


def test_succession_dossier_lists_its_applied_rules(client):
    j = Journey()
    client.force_login(j.dgos)
    page = client.get(j.to(SuccessionState.NOTICE_RECEIVED).get_absolute_url()).content.decode()
    expected = [r.id for r in catalogue().filter(procedure="succession", status=APPLIED)]
    assert _rules_block(page, "succession") == expected


def test_ccmr_request_dossier_lists_its_applied_rules(client, world):  # noqa: F811
    from tests.crmr_procedures.competence.conftest import create_request

    request = create_request(world)
    client.force_login(world.coordinator)
    page = client.get(request.get_absolute_url()).content.decode()
    expected = [r.id for r in catalogue().filter(procedure="competence", status=APPLIED)]
    assert expected and _rules_block(page, "competence") == expected


def test_activity_report_dossier_lists_its_applied_rules(client):
    from tests.activity_reports.factories import filled_report, labelled_centre

    centre = labelled_centre("53")
    etab = establishment_user(centre.establishment)
    report = filled_report(centre, 2016, etab)
    client.force_login(etab)
    page = client.get(report.get_absolute_url()).content.decode()
    expected = [r.id for r in catalogue().filter(procedure="activity_report", status=APPLIED)]
    assert expected and _rules_block(page, "activity_report") == expected


def test_a_message_citing_an_unknown_id_is_left_as_text():
    from core.templatetags.rule_tags import rule_links

    assert rule_links("Refus (règle SEP-inconnue).") == "Refus (règle SEP-inconnue)."
    assert rule_links("<b>x</b> (règle SEP-A1-1-chu)") == (
        '&lt;b&gt;x&lt;/b&gt; (règle <a href="/referentiel/#SEP-A1-1-chu">SEP-A1-1-chu</a>)'
    )
