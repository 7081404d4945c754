"""Signing in and out in a real browser."""

import pytest
from playwright.sync_api import expect

from tests.factories import dgos_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_signing_in_shows_the_role_and_signing_out_returns_to_login(live_server, page, login):
    dgos_user(first_name="Alice", last_name="Martin")
    login("dgos")
    expect(page.locator("#current-user")).to_contain_text("Agent DGOS")
    page.get_by_role("button", name="Se déconnecter").click()
    expect(page).to_have_url(f"{live_server.url}/accounts/login/")


def test_wrong_password_is_refused_with_a_french_message(live_server, page):
    dgos_user()
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Identifiant").fill("dgos")
    page.get_by_label("Mot de passe").fill("mauvais")
    page.get_by_role("button", name="Se connecter").click()
    summary = page.locator("#error-summary")  # the page's error summary takes the focus (issue 17, item 2)
    expect(summary).to_contain_text("Saisissez un nom d’utilisateur et un mot de passe valides")
    expect(summary).to_be_focused()
