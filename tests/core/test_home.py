"""The home page: a welcome per role and the tiles of every app."""

import pytest
from django.urls import reverse

from tests.factories import CrmrFactory, admin_user, ars_user, coordinator_user, dgos_user, establishment_user, gp_user

pytestmark = pytest.mark.django_db


def test_anonymous_visitors_are_sent_to_sign_in(client):
    response = client.get(reverse("home"))
    assert response.status_code == 302 and response.url.startswith(reverse("accounts:login"))


def test_ars_officer_home_points_to_the_regional_quota(client):
    client.force_login(ars_user("53"))
    html = client.get(reverse("home")).content.decode()
    assert "labellisation des CRC SEP de votre région" in html
    assert "Le quota de Bretagne par tranche" in html
    assert reverse("centres:quotas") in html


def test_dgos_home_lists_the_registry_and_the_quotas(client):
    client.force_login(dgos_user())
    html = client.get(reverse("home")).content.decode()
    assert "officialisez les décisions" in html
    assert reverse("centres:index") in html and reverse("centres:quotas") in html


def test_coordinator_home_names_the_crmr_coordinated(client, chu_rennes):
    crmr = CrmrFactory(coordinating_establishment=chu_rennes, name="CRMR de démonstration")
    client.force_login(coordinator_user(crmr))
    html = client.get(reverse("home")).content.decode()
    assert "Le CRMR que vous coordonnez" in html and "CRMR de démonstration" in html


def test_establishment_home_links_its_establishment(client, chu_rennes):
    client.force_login(establishment_user(chu_rennes))
    html = client.get(reverse("home")).content.decode()
    assert chu_rennes.get_absolute_url() in html and "avis de la direction" in html


@pytest.mark.parametrize("make_user", [gp_user, admin_user])
def test_national_roles_have_a_welcome(client, make_user):
    client.force_login(make_user())
    response = client.get(reverse("home"))
    assert response.status_code == 200
    assert "Vous " in response.context["welcome"]
