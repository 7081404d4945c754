"""Sign-in, sign-out and password change, in French."""

import pytest
from django.urls import reverse

from tests.factories import ars_user, dgos_user

pytestmark = pytest.mark.django_db


def test_the_login_page_is_in_french(client):
    html = client.get(reverse("accounts:login")).content.decode()
    assert "<h1>Connexion</h1>" in html and "Identifiant" in html and "Mot de passe" in html
    assert 'lang="fr"' in html


def test_signing_in_leads_to_the_home_page_with_the_role(client):
    ars_user("53", first_name="Nolwenn", last_name="Le Gall")
    response = client.post(reverse("accounts:login"), {"username": "ars-53", "password": "demo"}, follow=True)
    html = response.content.decode()
    assert response.redirect_chain[-1][0] == reverse("home")
    assert "Bonjour Nolwenn Le Gall" in html and "Agent d&#x27;ARS" in html and "Bretagne" in html


def test_a_wrong_password_is_refused_in_french(client):
    dgos_user()
    response = client.post(reverse("accounts:login"), {"username": "dgos", "password": "faux"})
    assert response.status_code == 200
    assert "Saisissez un nom d’utilisateur et un mot de passe valides" in response.content.decode()


def test_signing_out_returns_to_the_login_page(client):
    client.force_login(dgos_user())
    response = client.post(reverse("accounts:logout"))
    assert response.url == reverse("accounts:login")
    assert client.get(reverse("home")).status_code == 302


def test_password_change_refuses_a_weak_password_in_french_and_keeps_the_old_one(client):
    user = dgos_user()
    client.force_login(user)
    response = client.post(
        reverse("accounts:password_change"),
        {"old_password": "demo", "new_password1": "court", "new_password2": "court"},
    )
    assert response.status_code == 200
    assert "Ce mot de passe est trop court" in response.content.decode()
    user.refresh_from_db()
    assert user.check_password("demo")


def test_password_change_with_a_strong_password(client):
    user = dgos_user()
    client.force_login(user)
    new = "Rennes-Pontchaillou-2016!"
    response = client.post(
        reverse("accounts:password_change"), {"old_password": "demo", "new_password1": new, "new_password2": new}
    )
    assert response.url == reverse("accounts:password_done")
    user.refresh_from_db()
    assert user.check_password(new)
