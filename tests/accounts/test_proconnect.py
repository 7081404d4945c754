"""ProConnect settings and account matching (the whole browser flow is tests/browser/test_proconnect.py)."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.contrib.messages import get_messages
from django.contrib.messages.storage.fallback import FallbackStorage
from django.contrib.sessions.backends.db import SessionStore
from django.core.exceptions import SuspiciousOperation
from django.test import RequestFactory

from accounts.proconnect import ProConnectBackend
from tests.factories import UserFactory, ars_user

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.django_db
def test_proconnect_is_off_unless_configured(client):
    assert "ProConnect" not in client.get("/accounts/login/").content.decode()
    assert client.get("/oidc/authenticate/").status_code == 404
    assert client.get("/oidc/callback/?code=x&state=y").status_code == 404


def test_a_client_id_without_secret_or_discovery_url_stops_the_start():
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "DJANGO_SETTINGS_MODULE": "config.settings.base",
        "DEBUG": "1",
        "PROCONNECT_CLIENT_ID": "centres-experts",
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "check"], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60
    )
    assert result.returncode != 0
    assert "PROCONNECT_CLIENT_ID needs PROCONNECT_CLIENT_SECRET and PROCONNECT_DISCOVERY_URL" in result.stderr


def _backend_for(claims, settings):
    settings.OIDC_RP_CLIENT_ID, settings.OIDC_RP_CLIENT_SECRET = "client", "secret"
    request = RequestFactory().get("/oidc/callback/")
    request.session = SessionStore()
    request._messages = FallbackStorage(request)
    backend = ProConnectBackend()
    backend.request = request
    backend.get_userinfo = lambda *args: claims  # the provider's verified answer
    return backend, request


@pytest.mark.django_db
def test_two_accounts_with_the_agents_email_are_refused_with_who_to_ask(settings):
    UserFactory(username="a", email="agent@ars.sante.fr")
    UserFactory(username="b", email="AGENT@ars.sante.fr")
    backend, request = _backend_for({"sub": "s1", "email": "agent@ars.sante.fr"}, settings)
    with pytest.raises(SuspiciousOperation):
        backend.get_or_create_user("access", "id", {})
    (message,) = [str(m) for m in get_messages(request)]
    assert "Plusieurs comptes portent cette adresse électronique" in message and "DGOS" in message


@pytest.mark.django_db
def test_a_deactivated_account_is_refused(settings):
    agent = ars_user("53", is_active=False)
    backend, request = _backend_for({"sub": "s2", "email": agent.email}, settings)
    assert backend.get_or_create_user("access", "id", {}) is None
    assert "Votre compte est désactivé" in str(next(iter(get_messages(request))))
    agent.refresh_from_db()
    assert agent.proconnect_sub == ""


@pytest.mark.django_db
def test_an_account_linked_to_one_identity_is_not_taken_by_another_with_the_same_email(settings):
    agent = ars_user("53")
    agent.proconnect_sub = "first-identity"
    agent.save(update_fields=["proconnect_sub"])
    backend, _request = _backend_for({"sub": "second-identity", "email": agent.email}, settings)
    assert backend.get_or_create_user("access", "id", {}) is None
    backend, _request = _backend_for({"sub": "first-identity", "email": "other@ars.sante.fr"}, settings)
    assert backend.get_or_create_user("access", "id", {}) == agent


@pytest.mark.django_db
def test_password_sign_in_works_while_proconnect_is_configured_but_unreachable(client, settings):
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]  # nothing listens there
    settings.PROCONNECT_DISCOVERY_URL = f"http://127.0.0.1:{port}/.well-known/openid-configuration"
    settings.OIDC_RP_CLIENT_ID, settings.OIDC_RP_CLIENT_SECRET = "client", "secret"
    settings.AUTHENTICATION_BACKENDS = [
        *settings.AUTHENTICATION_BACKENDS[:2],
        "accounts.proconnect.ProConnectBackend",
        *settings.AUTHENTICATION_BACKENDS[2:],
    ]
    from accounts import proconnect

    proconnect._discovery.update(url=None, document=None)
    ars_user("53")
    page = client.get("/accounts/login/").content.decode()
    assert "Se connecter avec" in page and "ProConnect" in page
    response = client.post("/accounts/login/", {"username": "ars-53", "password": "demo"})
    assert response.status_code == 302 and response.url == "/"
