"""Issue 17, item 1: a complete State site — the menu grouped in DSFR dropdowns, breadcrumbs on every
page below home, the footer's mandatory pages, French answers to a GET on a POST-only address."""

import re

import pytest
from django.urls import reverse

from core import navigation
from tests.factories import (
    CrmrFactory,
    admin_user,
    ars_user,
    coordinator_user,
    dgos_user,
    establishment_user,
    gp_user,
)

pytestmark = pytest.mark.django_db

FOOTER_URLS = ("plan_du_site", "accessibilite", "mentions_legales", "donnees_personnelles")
GOVERNMENT_SITES = ("info.gouv.fr", "service-public.fr", "legifrance.gouv.fr", "data.gouv.fr")


def users(chu_rennes):
    return {
        "ars": ars_user("53"),
        "dgos": dgos_user(),
        "gp": gp_user(),
        "admin": admin_user(),
        "establishment": establishment_user(chu_rennes),
        "coordinator": coordinator_user(CrmrFactory(coordinating_establishment=chu_rennes)),
    }


def test_every_menu_entry_and_child_names_a_url():
    for group in navigation.MENU:
        for entry in group.entries:
            assert entry.url.startswith("/")
            for child in entry.children:
                assert child.url.startswith("/")


def test_the_menu_has_at_most_five_items_on_its_line_for_every_role(chu_rennes):
    """Accueil + the groups: what fits on one line at 1,280 px (the browser test measures it)."""
    for role, user in users(chu_rennes).items():
        groups = navigation.menu_for(user)
        assert 1 + len(groups) <= 5, role
        assert all(group["entries"] for group in groups), role


@pytest.mark.parametrize("role", ["ars", "dgos", "gp", "admin", "establishment", "coordinator"])
def test_the_plan_du_site_lists_only_pages_the_user_may_open(client, chu_rennes, role):
    user = users(chu_rennes)[role]
    client.force_login(user)
    page = client.get(reverse("plan_du_site")).content.decode()
    main = page[page.index('id="content"') : page.index('id="footer"')]
    links = set(re.findall(r'href="(/[^"]*)"', main))
    assert reverse("centres:index") in links
    for url in links:
        assert client.get(url).status_code == 200, f"{role}: {url} listed in the plan du site"


def test_the_plan_du_site_follows_the_role(client, chu_rennes):
    every = users(chu_rennes)
    client.force_login(every["establishment"])
    page = client.get(reverse("plan_du_site")).content.decode()
    assert reverse("labellisation:mine") in page and f'href="{reverse("labellisation:inbox")}"' not in page
    client.force_login(every["dgos"])
    page = client.get(reverse("plan_du_site")).content.decode()
    assert reverse("labellisation:inbox") in page and reverse("reporting:letter_export") in page


def test_footer_pages_are_public_and_every_page_links_them_and_the_government_sites(client):
    home = client.get(reverse("accounts:login")).content.decode()
    for name in FOOTER_URLS:
        assert f'href="{reverse(name)}"' in home
        response = client.get(reverse(name))
        assert response.status_code == 200, name
        assert 'class="fr-breadcrumb"' in response.content.decode()
    for site in GOVERNMENT_SITES:
        assert f'href="https://www.{site}"' in home


def test_the_personal_data_page_says_what_why_how_long_and_whom_to_contact(client, settings):
    settings.CONTACT_EMAIL = "pf2@exemple.gouv.fr"
    page = client.get(reverse("donnees_personnelles")).content.decode()
    for words in ("Quelles données", "Pourquoi", "Durée de conservation", "pf2@exemple.gouv.fr", "CNIL", "6.1.e"):
        assert words in page


def test_the_accessibility_statement_gives_the_level_the_audits_the_non_conformities_and_the_contact(client):
    page = client.get(reverse("accessibilite")).content.decode()
    assert "partiellement conforme" in page and "RGAA" in page
    assert "axe-core 4.14.1" in page  # the version the browser tests audit with (tools/package.json)
    assert "Non conforme" in page and "Non-conformités" in page
    assert "Défenseur des droits" in page


@pytest.mark.parametrize(
    ("url_name", "args", "trail"),
    [
        ("centres:crmr_list", [], ["Accueil", "Registre des centres"]),
        ("centres:quotas", [], ["Accueil"]),
        ("labellisation:inbox", [], ["Accueil"]),
        ("crmr_procedures:succession_list", [], ["Accueil"]),
        ("reporting:preferences", [], ["Accueil", "Alertes"]),
        ("referentiel", [], ["Accueil"]),
    ],
)
def test_breadcrumbs_link_home_and_the_page_parents_and_name_the_page(client, url_name, args, trail):
    client.force_login(ars_user("53"))
    response = client.get(reverse(url_name, args=args))
    page = response.content.decode()
    crumbs = page[page.index('class="fr-breadcrumb"') :]
    crumbs = crumbs[: crumbs.index("</nav>")]
    links = re.findall(r'<a class="fr-breadcrumb__link" href="[^"]+">([^<]+)</a>', crumbs)
    assert links == trail
    assert f'aria-current="page">{response.context["title"]}</a>' in crumbs


def test_a_detail_page_has_its_list_in_the_breadcrumbs(client, chu_rennes):
    crmr = CrmrFactory(coordinating_establishment=chu_rennes)
    client.force_login(ars_user("53"))
    page = client.get(reverse("centres:crmr_detail", args=[crmr.pk])).content.decode()
    assert f'href="{reverse("centres:crmr_list")}">CRMR</a>' in page


def test_the_home_page_has_no_breadcrumbs(client):
    client.force_login(ars_user("53"))
    assert 'class="fr-breadcrumb"' not in client.get(reverse("home")).content.decode()


def test_the_menu_marks_the_current_group_and_page(client):
    client.force_login(dgos_user())
    page = client.get(reverse("centres:quotas")).content.decode()
    assert re.search(r'aria-controls="menu-registre"\s+aria-current="true"', page)
    assert f'href="{reverse("centres:quotas")}" aria-current="page"' in page


@pytest.mark.parametrize("debug", [False, True])
def test_a_get_on_a_post_only_address_answers_a_french_page_that_explains(client, settings, debug):
    settings.DEBUG = debug
    client.force_login(ars_user("53"))
    response = client.get(reverse("labellisation:action", args=[1]))
    assert response.status_code == 405
    assert response["Allow"] == "POST"
    page = response.content.decode()
    assert "ne s'ouvre pas directement" in page and "Rien n'a été enregistré" in page
    assert f'href="{reverse("labellisation:detail", args=[1])}"' in page  # the dossier's page


def test_a_csrf_failure_is_french(client):
    from django.test import Client

    csrf_client = Client(enforce_csrf_checks=True)
    response = csrf_client.post(reverse("accounts:login"), {"username": "x", "password": "y"})
    assert response.status_code == 403
    assert "Le formulaire a expiré" in response.content.decode()
