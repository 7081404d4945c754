"""Lockout behind the reverse proxy (issue 16, item 3): axes reads the client's address from the
X-Forwarded-For entry written by the trusted proxy and locks the pair user name + address, so an attacker
cannot lock out a user who signs in from another address, nor escape the lock by forging the header."""

import pytest
from django.test import RequestFactory
from django.urls import reverse

from accounts.client_ip import client_ip
from tests.factories import dgos_user

pytestmark = pytest.mark.django_db

PROXY = "172.18.0.2"  # every request reaches the application from the proxy
ATTACKER, USER = "203.0.113.66", "198.51.100.7"


def sign_in(client, password, forwarded_for):
    return client.post(
        reverse("accounts:login"),
        {"username": "dgos", "password": password},
        REMOTE_ADDR=PROXY,
        HTTP_X_FORWARDED_FOR=forwarded_for,
    )


def test_an_attacker_cannot_lock_out_a_user_signing_in_from_another_address(client, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    dgos_user()
    for _ in range(settings.AXES_FAILURE_LIMIT):
        sign_in(client, "mauvais", ATTACKER)
    assert sign_in(client, "mauvais", ATTACKER).status_code == 429  # the attacker is locked
    assert sign_in(client, "demo", USER).status_code == 302  # the real user still signs in


def test_a_forged_header_does_not_escape_the_lock(client, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    dgos_user()
    for n in range(settings.AXES_FAILURE_LIMIT):
        sign_in(client, "mauvais", f"10.9.9.{n}, {ATTACKER}")  # the left part is the attacker's own
    assert sign_in(client, "demo", f"{USER}, {ATTACKER}").status_code == 429


@pytest.mark.parametrize(
    ("count", "forwarded", "expected"),
    [
        (0, "203.0.113.66", PROXY),  # no trusted proxy: the header is ignored
        (1, "203.0.113.66", "203.0.113.66"),
        (1, "6.6.6.6, 203.0.113.66", "203.0.113.66"),
        (2, "203.0.113.66, 10.0.0.3", "203.0.113.66"),  # CDN then the proxy
        (2, "203.0.113.66", PROXY),  # fewer entries than trusted proxies: not through them
        (1, "pas-une-adresse", PROXY),
        (1, "", PROXY),
    ],
)
def test_client_address_is_the_entry_written_by_the_trusted_proxies(settings, count, forwarded, expected):
    settings.TRUSTED_PROXY_COUNT = count
    request = RequestFactory().get("/", REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=forwarded)
    assert client_ip(request) == expected
