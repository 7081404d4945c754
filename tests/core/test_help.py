"""The in-app guide of each role (issue 17, item 6): every role has one, its steps cite paragraphs the
référentiel holds, its screenshots ship with the application, and ``/aide/`` opens the reader's own guide
first with the others listed."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.urls import reverse

from accounts.models import Role
from core.help import GUIDES, PAGE_LABELS, SHORT_TEXTS, guide_for
from core.rules import catalogue
from tests.factories import (
    CrmrFactory,
    UserFactory,
    admin_user,
    ars_user,
    coordinator_user,
    dgos_user,
    establishment_user,
    gp_user,
)
from tests.labellisation.factories import chu

HELP_STATIC = Path(__file__).resolve().parents[2] / "core" / "static" / "help"


def test_every_role_of_the_brief_has_a_guide():
    roles = {g.role for g in GUIDES}
    assert set(Role.values) == roles
    assert len({g.slug for g in GUIDES}) == len(GUIDES)


@pytest.mark.parametrize("guide", GUIDES, ids=lambda g: g.slug)
def test_each_step_cites_rules_of_the_catalogue_and_links_a_known_page(guide):
    for procedure in guide.procedures:
        for step in procedure.steps:
            for rule_id in step.rules:
                assert rule_id in catalogue(), f"{guide.slug}: unknown rule {rule_id}"
            if step.url_name:
                assert step.url_name in PAGE_LABELS
                reverse(step.url_name)
    cited = [s for p in guide.procedures for s in p.steps if s.rules]
    assert len(cited) >= len([s for p in guide.procedures for s in p.steps]) - 1  # (the admin's export cites none)


def test_a_citation_names_the_text_and_the_catalogues_paragraph():
    step = next(s for s in GUIDES[2].procedures[0].steps if "CRMR-A1-preavis-6-mois" in s.rules)
    labels = [c["label"] for c in step.citations]
    assert labels == [
        f"{SHORT_TEXTS['crmr-2013']}, {catalogue().get('CRMR-A1-preavis-6-mois').paragraph}"
    ]  # four rules of the same paragraph are grouped under it
    assert step.citations[0]["ids"] == list(step.rules)


@pytest.mark.parametrize("shot", [s for g in GUIDES for s in g.screenshots], ids=lambda s: s.name)
def test_each_screenshot_ships_optimised_with_a_french_alternative_text(shot):
    path = HELP_STATIC / shot.name
    assert path.exists(), f"run python manage.py help_screenshots ({shot.name} missing)"
    assert path.stat().st_size < 150 * 1024
    assert len(shot.alt) > 40 and shot.alt[0].isupper()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("make_user", "slug"),
    [
        (lambda: ars_user("53"), "agent-ars"),
        (dgos_user, "dgos"),
        (gp_user, "groupe-permanent"),
        (lambda: coordinator_user(CrmrFactory()), "coordonnateur"),
        (lambda: establishment_user(chu("350005179")), "direction"),
        (admin_user, "administrateur"),
    ],
)
def test_the_help_page_opens_the_readers_own_guide_first(client, make_user, slug):
    user = make_user()
    assert guide_for(user).slug == slug
    client.force_login(user)
    response = client.get(reverse("help"))
    assert response.status_code == 200
    assert response.context["guide"].slug == slug
    assert [g.slug for g in response.context["menu"]][0] == slug
    assert len(response.context["menu"]) == len(GUIDES)
    page = response.content.decode()
    assert "(votre rôle)" in page and reverse("referentiel") + "#" in page


@pytest.mark.django_db
def test_another_roles_guide_is_readable_and_an_unknown_one_is_404(client):
    client.force_login(ars_user("53"))
    page = client.get(reverse("help_role", args=["dgos"])).content.decode()
    assert "Aide — Agent DGOS – bureau PF2" in page and "Guide d'un autre rôle que le vôtre" in page
    assert client.get(reverse("help_role", args=["inconnu"])).status_code == 404


@pytest.mark.django_db
def test_the_crcsep_team_reads_its_own_guide(client):
    from tests.activity_reports.factories import labelled_centre, team_user

    client.force_login(team_user(labelled_centre("53")))
    response = client.get(reverse("help"))
    assert response.context["guide"].slug == "equipe-crc-sep"
    assert "SEP-A1-4-bilan-ofsep" in response.content.decode()


@pytest.mark.django_db
def test_a_role_without_guide_gets_the_list(client):
    client.force_login(UserFactory(username="sans-role"))
    response = client.get(reverse("help"))
    assert response.status_code == 200 and response.context["guide"] is None
    assert "choisissez le guide d'un rôle" in response.content.decode()


@pytest.mark.django_db
def test_help_and_search_are_in_the_header_of_every_page(client):
    client.force_login(dgos_user())
    page = client.get(reverse("centres:index")).content.decode()
    assert f'href="{reverse("help")}"' in page
    assert f'action="{reverse("search")}"' in page and 'class="fr-search-bar"' in page


@pytest.mark.django_db
def test_the_help_page_asks_for_a_sign_in(client):
    response = client.get(reverse("help"))
    assert response.status_code == 302 and reverse("accounts:login") in response["Location"]
