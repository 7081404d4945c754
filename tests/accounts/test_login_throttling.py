"""Repeated failed sign-ins lock the account for a while, with a French message (issue 7, security)."""

import pytest
from django.urls import reverse

from tests.factories import dgos_user

pytestmark = pytest.mark.django_db


def post_login(client, password):
    return client.post(reverse("accounts:login"), {"username": "dgos", "password": password}, REMOTE_ADDR="10.0.0.7")


def test_repeated_login_failures_lock_the_account_with_a_french_message(client, settings):
    dgos_user()
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        response = post_login(client, "mauvais")
        assert response.status_code == 200
        assert "Saisissez un nom d’utilisateur et un mot de passe valides" in response.content.decode()
    locked = post_login(client, "mauvais")
    assert locked.status_code == 429
    assert "Connexion temporairement bloquée" in locked.content.decode()
    # Even the right password is refused while locked.
    assert post_login(client, "demo").status_code == 429


def test_successful_login_resets_the_failure_count(client, settings):
    dgos_user()
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        post_login(client, "mauvais")
    assert post_login(client, "demo").status_code == 302
    client.logout()
    assert post_login(client, "mauvais").status_code == 200
