"""Security baseline (issue 7): CSP and the usual headers, CSRF everywhere, session expiry, deploy check."""

import os
import subprocess
import sys

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from tests.factories import dgos_user

pytestmark = pytest.mark.django_db


def test_every_page_sends_a_content_security_policy_and_the_usual_headers(client):
    dgos_user()
    client.login(username="dgos", password="demo")
    response = client.get(reverse("home"))
    csp = response.headers["Content-Security-Policy"]
    for directive in ("default-src 'self'", "frame-ancestors 'none'", "object-src 'none'", "script-src 'self'"):
        assert directive in csp
    script_src = next(d for d in csp.split(";") if d.strip().startswith("script-src"))
    assert "unsafe-inline" not in script_src and "unsafe-eval" not in script_src
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "same-origin"
    assert response.headers["Cross-Origin-Opener-Policy"] == "same-origin"


def test_pages_load_no_inline_script(client):
    """Scripts are static files allowed by 'self'; an inline script would need a CSP nonce."""
    dgos_user()
    client.login(username="dgos", password="demo")
    html = client.get(reverse("home")).content.decode()
    assert "<script>" not in html and '<script type="text/javascript">' not in html


def test_posts_without_csrf_token_are_refused():
    dgos_user()
    client = Client(enforce_csrf_checks=True)
    response = client.post(reverse("accounts:login"), {"username": "dgos", "password": "demo"})
    assert response.status_code == 403


def test_sessions_expire_and_end_with_the_browser():
    assert settings.SESSION_COOKIE_AGE <= 8 * 3600
    assert settings.SESSION_EXPIRE_AT_BROWSER_CLOSE
    assert settings.SESSION_COOKIE_HTTPONLY


def test_anonymous_users_are_sent_to_the_login_page(client):
    response = client.get(reverse("home"))
    assert response.status_code == 302
    assert response.headers["Location"].startswith(reverse("accounts:login"))


def test_deploy_check_is_clean_with_production_settings():
    env = {
        "PATH": os.environ["PATH"],
        "DJANGO_SETTINGS_MODULE": "config.settings.base",
        "DEBUG": "0",
        "SECRET_KEY": "k" * 20 + "-Zx9!q2@W#e4$R%t6^Y&u8*I(o0)P_" + "m" * 20,
        "ALLOWED_HOSTS": "centres-experts.sante.gouv.fr",
        "DATABASE_URL": "sqlite:////tmp/deploy-check.sqlite3",
        "CLAMD_SOCKET": "/run/clamav/clamd.ctl",
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout
