"""ProConnect sign-in in Chromium against a real OpenID Connect provider started for the tests (npm
oidc-provider, tools/oidc-test-provider.mjs): discovery, authorization code with PKCE (S256), state and
nonce checked, signed ID token and userinfo, sign-out at the provider. The agent's account is matched by
e-mail and linked at the first sign-in; no account, no access (French message)."""

from __future__ import annotations

import copy
import json
import os
import shutil
import signal
import socket
import subprocess
import time
import urllib.request
from pathlib import Path
from urllib.parse import parse_qs, urlparse

import pytest
from django.contrib.sessions.backends.db import SessionStore
from playwright.sync_api import expect

from accounts.models import User
from tests.factories import ars_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ROOT = Path(__file__).resolve().parents[2]
CLIENT_ID, CLIENT_SECRET = "centres-experts-test", "client-secret-for-tests-only-0123456789"


@pytest.fixture(scope="session")
def oidc_provider(live_server):
    """The provider on a free loopback port, its client registered for the live server's callback."""
    node = shutil.which("node")
    script = ROOT / "tools" / "oidc-test-provider.mjs"
    assert node and (ROOT / "tools/node_modules/oidc-provider").exists(), "run .ci/ensure-browser (npm ci in tools/)"
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "OIDC_PORT": str(port),
        "OIDC_CLIENT_ID": CLIENT_ID,
        "OIDC_CLIENT_SECRET": CLIENT_SECRET,
        "OIDC_REDIRECT_URI": f"{live_server.url}/oidc/callback/",
        "OIDC_POST_LOGOUT_REDIRECT_URI": f"{live_server.url}/accounts/login/",
    }
    proc = subprocess.Popen(
        [node, str(script)],
        cwd=ROOT / "tools",
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    issuer = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while True:
        try:
            with urllib.request.urlopen(f"{issuer}/.well-known/openid-configuration", timeout=2) as response:  # noqa: S310
                json.load(response)
            break
        except OSError:
            if proc.poll() is not None or time.monotonic() > deadline:
                raise AssertionError(proc.stdout.read().decode(errors="replace")) from None
            time.sleep(0.2)
    yield issuer
    os.killpg(proc.pid, signal.SIGTERM)
    proc.wait(timeout=10)


@pytest.fixture
def proconnect(settings, oidc_provider):
    """ProConnect configured as production does it (discovery URL, client id and secret)."""
    from accounts import proconnect as module

    settings.PROCONNECT_DISCOVERY_URL = f"{oidc_provider}/.well-known/openid-configuration"
    settings.OIDC_RP_CLIENT_ID, settings.OIDC_RP_CLIENT_SECRET = CLIENT_ID, CLIENT_SECRET
    settings.AUTHENTICATION_BACKENDS = [
        *settings.AUTHENTICATION_BACKENDS[:2],
        "accounts.proconnect.ProConnectBackend",
        *settings.AUTHENTICATION_BACKENDS[2:],
    ]
    module._discovery.update(url=None, document=None)
    policy = copy.deepcopy(settings.CONTENT_SECURITY_POLICY)
    policy["DIRECTIVES"]["form-action"].append(oidc_provider)  # as base.py adds the provider's origin
    settings.CONTENT_SECURITY_POLICY = policy
    return oidc_provider


def _sign_in_at_provider(page, live_server, email: str, *, at_provider=None) -> dict:
    """Click the button, sign in on the provider's page; returns the authorization request's parameters."""
    seen = {}
    page.on("request", lambda r: seen.setdefault("auth", r.url) if urlparse(r.url).path == "/auth" else None)
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_role("link", name="Se connecter avec ProConnect").click()
    page.locator("input[name=login]").fill(email)
    if at_provider:
        at_provider()  # while the browser is at the provider, before it comes back to the callback
    page.locator("input[name=password]").fill("any")
    page.locator("button[type=submit]").click()
    page.wait_for_url(lambda url: url.startswith(live_server.url) and "/oidc/callback/" not in url)
    return {k: v[0] for k, v in parse_qs(urlparse(seen["auth"]).query).items()}


@pytest.mark.no_axe  # the provider's own pages are a test double; the login page is audited below
def test_an_agent_signs_in_with_proconnect_is_linked_by_email_then_signs_out_at_the_provider(
    live_server, page, proconnect
):
    agent = ars_user("53", first_name="Yvonne", last_name="Le Bihan")
    params = _sign_in_at_provider(page, live_server, agent.email.upper())  # e-mail case does not matter

    # The request carried state, nonce and a PKCE S256 challenge, and asked for ProConnect's scopes.
    assert params["response_type"] == "code" and params["client_id"] == CLIENT_ID
    assert params["code_challenge_method"] == "S256" and len(params["code_challenge"]) == 43
    assert len(params["state"]) == 32 and len(params["nonce"]) == 32
    assert params["scope"] == "openid email given_name usual_name" and params["acr_values"] == "eidas1"
    expect(page).to_have_url(f"{live_server.url}/")
    expect(page.locator("#current-user")).to_contain_text("Agent d'ARS")
    agent.refresh_from_db()
    assert agent.proconnect_sub == agent.email.upper()  # linked at the first sign-in (the provider's sub)

    # Signing out ends the session at the provider too (id_token_hint), then comes back to the login page.
    page.get_by_role("button", name="Se déconnecter").click()
    page.wait_for_url(lambda url: url.startswith(proconnect))
    page.locator("button[autofocus], button[type=submit]").first.click()  # the provider's confirmation
    page.wait_for_url(lambda url: url.startswith(f"{live_server.url}/accounts/login/?state="))
    page.get_by_role("link", name="Se connecter avec ProConnect").click()
    expect(page.locator("input[name=login]")).to_be_visible()  # the provider asks to sign in again

    # The second sign-in finds the account by its ProConnect identifier, even with another e-mail now.
    User.objects.filter(pk=agent.pk).update(email="nouvelle.adresse@ars.sante.fr")
    page.locator("input[name=login]").fill(agent.email.upper())
    page.locator("input[name=password]").fill("any")
    page.locator("button[type=submit]").click()
    expect(page).to_have_url(f"{live_server.url}/")
    expect(page.locator("#current-user")).to_contain_text("Agent d'ARS")


@pytest.mark.no_axe
def test_no_account_for_the_email_means_no_access_with_a_french_message_saying_who_to_ask(
    live_server, page, proconnect
):
    _sign_in_at_provider(page, live_server, "inconnu@ars.sante.fr")
    expect(page).to_have_url(f"{live_server.url}/accounts/login/")
    alert = page.locator(".fr-alert, [role=alert]").first
    expect(alert).to_contain_text("Aucun compte de la plateforme ne correspond à votre adresse électronique")
    expect(alert).to_contain_text("administrateur de la plateforme")
    assert not User.objects.filter(email__iexact="inconnu@ars.sante.fr").exists()  # nothing created


@pytest.mark.no_axe
@pytest.mark.parametrize("tampered", ["nonce", "code_verifier", "state"])
def test_a_callback_whose_state_nonce_or_pkce_verifier_does_not_match_is_refused(
    live_server, page, proconnect, tampered
):
    """The session's copy of the value is changed while the browser is at the provider: the callback must
    refuse (state: unknown state; nonce: the ID token's nonce differs; verifier: the provider refuses the
    code exchange)."""
    agent = ars_user("53")

    def tamper():
        session_key = next(c["value"] for c in page.context.cookies() if c["name"] == "sessionid")
        session = SessionStore(session_key)
        states = session["oidc_states"]
        if tampered == "state":
            states = {"someone-else": next(iter(states.values()))}
        else:
            for value in states.values():
                value[tampered] = value[tampered][::-1] if value[tampered] else "x" * 64
        session["oidc_states"] = states
        session.save()

    _sign_in_at_provider(page, live_server, agent.email, at_provider=tamper)
    expect(page).to_have_url(f"{live_server.url}/accounts/login/")
    expect(page.locator(".fr-alert, [role=alert]").first).to_contain_text("La connexion avec ProConnect n'a pas abouti")
    agent.refresh_from_db()
    assert agent.proconnect_sub == ""  # never linked
    page.goto(f"{live_server.url}/")
    expect(page).to_have_url(f"{live_server.url}/accounts/login/?next=/")  # not signed in


def test_the_login_page_offers_proconnect_only_when_configured(live_server, page, settings, oidc_provider):
    page.goto(f"{live_server.url}/accounts/login/")
    expect(page.get_by_role("link", name="Se connecter avec ProConnect")).to_have_count(0)
    settings.OIDC_RP_CLIENT_ID, settings.OIDC_RP_CLIENT_SECRET = CLIENT_ID, CLIENT_SECRET
    settings.PROCONNECT_DISCOVERY_URL = f"{oidc_provider}/.well-known/openid-configuration"
    page.goto(f"{live_server.url}/accounts/login/")
    expect(page.get_by_role("link", name="Se connecter avec ProConnect")).to_be_visible()
    expect(page.get_by_label("Identifiant")).to_be_visible()  # local passwords stay (admin, demo)
