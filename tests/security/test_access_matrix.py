"""The access matrix, generated from the URL configuration (issue 7, security).

Every URL of the project × every role × GET and POST, with every object parameter pointing at an object
*outside* the role's scope (the "other world" of ``world.py``: same primary key ``OUT`` for every model,
in another region, another establishment, another CRMR, owned by another user):

* local roles (ARS of Bretagne, the CHU de Rennes direction, a Breton CRMR coordinator): 403, 404 or
  405 — never a page, never a redirect to a success page, never a server error; list pages never
  show the other world's marker;
* national roles (DGOS, groupe permanent, administrator): never a server error, and 404 on what is
  private even to them (another user's export, an establishment's documents sent to its ARS only);
* anonymous: the login page, never data.
"""

from __future__ import annotations

import re

import pytest
from django.urls import NoReverseMatch, URLPattern, URLResolver, get_resolver, reverse

from .world import MARKER, OUT, PRIVATE_EVEN_TO_NATIONAL, build_worlds

pytestmark = pytest.mark.django_db

SKIPPED_PREFIXES = ("admin:", "djdt")
# The letter verification page is public by design (issue 13, item 2): it answers only for a reference
# and its code, or a PDF's hash (tests/letters/test_letter_verification.py).
# The footer's pages (plan du site, accessibility statement, mentions légales, personal data) are public on
# every State site (issue 17, item 1); the plan du site lists only what the visitor may open.
PUBLIC = {
    "accounts:login",
    "healthz",
    "accounts:logout",
    "letter_verification",
    "plan_du_site",
    "accessibilite",
    "mentions_legales",
    "donnees_personnelles",
}
# The registry (published by arrêtés and Orphanet) is readable by every signed-in user: docs/decisions.md.
# The registry read rule (docs/decisions.md): the registry in force is published information, read by
# every signed-in agent on the pages and, for the pilotage roles, in the registry API's details.
PUBLIC_REGISTRY = ("centres:", "reporting:api-crmr-detail", "reporting:api-ccmr-detail")
LOCAL_ROLES = ("ars", "establishment", "coordinator")
NATIONAL_ROLES = ("dgos", "gp", "admin")


def _walk(patterns, namespace="", converters=None):
    for entry in patterns:
        if isinstance(entry, URLResolver):
            ns = namespace
            if entry.namespace:
                ns = f"{namespace}{entry.namespace}:"
            yield from _walk(entry.url_patterns, ns, {**(converters or {}), **entry.pattern.converters})
        elif isinstance(entry, URLPattern) and entry.name:
            yield f"{namespace}{entry.name}", {**(converters or {}), **entry.pattern.converters}


def project_urls() -> list[tuple[str, str, bool]]:
    """(url name, URL with every object parameter set to OUT, has object parameters)."""
    urls, seen = [], set()
    for name, converters in _walk(get_resolver().url_patterns):
        if name.startswith(SKIPPED_PREFIXES) or name in seen:
            continue
        seen.add(name)
        kwargs = {}
        for key, conv in converters.items():
            regex = getattr(conv, "regex", "")
            kwargs[key] = OUT if regex in ("[0-9]+",) else ("x" if "slug" in type(conv).__name__.lower() else OUT)
        try:
            url = reverse(name, kwargs=kwargs or None)
        except NoReverseMatch:
            raise AssertionError(f"the access matrix cannot fill the parameters of {name}: teach it") from None
        urls.append((name, url, bool(kwargs)))
    return sorted(urls)


URLS = project_urls()
ROLES = (*LOCAL_ROLES, *NATIONAL_ROLES, "anonymous")
CASES = [
    (name, url, has_obj, role, method) for name, url, has_obj in URLS for role in ROLES for method in ("get", "post")
]


def test_the_matrix_covers_at_least_500_cases():
    print(f"Access matrix: {len(URLS)} URLs × {len(ROLES)} roles × 2 methods = {len(CASES)} cases")
    assert len(CASES) >= 500


@pytest.fixture(scope="module")
def worlds(django_db_setup, django_db_blocker, tmp_path_factory):
    """Built once for the whole matrix inside a transaction rolled back at the end; each case runs in
    its own savepoint."""
    from django.conf import settings
    from django.db import transaction
    from django.test import override_settings

    from centres.models import Region
    from core.reference import load_reference_data

    media = tmp_path_factory.mktemp("media")
    with django_db_blocker.unblock(), override_settings(MEDIA_ROOT=media), transaction.atomic():
        if not Region.objects.exists():
            load_reference_data()
        built = build_worlds()
        built["media_root"] = settings.MEDIA_ROOT
        yield built
        transaction.set_rollback(True)


@pytest.mark.parametrize(
    ("name", "url", "has_obj", "role", "method"), CASES, ids=[f"{c[3]}-{c[4]}-{c[0]}" for c in CASES]
)
def test_out_of_scope_access_gives_404_or_403_never_data(client, worlds, settings, name, url, has_obj, role, method):
    settings.MEDIA_ROOT = worlds["media_root"]
    user = worlds["users"].get(role)
    if user is not None:
        client.force_login(user)
    response = getattr(client, method)(url)
    status = response.status_code
    assert status < 500, f"{role} {method.upper()} {url} → {status}"
    body = response.content.decode(errors="replace") if response.get("Content-Type", "").startswith("text") else ""

    if role == "anonymous":
        if name in PUBLIC:
            assert MARKER not in body, f"anonymous sees data on {url}"
            return
        assert status in (302, 401, 403, 404, 405), f"anonymous {method.upper()} {url} → {status}"
        if status == 401:  # the API challenges instead of redirecting (issue 16, item 6)
            assert "/api/" in url and response.has_header("WWW-Authenticate")
        if status == 302:
            assert reverse("accounts:login") in response.headers["Location"]
        return

    if role in LOCAL_ROLES:
        if has_obj and name.startswith(PUBLIC_REGISTRY):
            assert method == "get" or status in (403, 404, 405), f"{role} may not write the registry: {url} → {status}"
            return
        if has_obj:
            assert status in (403, 404, 405), f"{role} {method.upper()} {url} (outside scope) → {status}"
        else:
            assert MARKER not in body, f"{role} sees the other world's data on {url}"
        return

    # National roles see the whole country, except what the texts keep from them.
    if has_obj and any(re.fullmatch(p, name) for p in PRIVATE_EVEN_TO_NATIONAL.get(role, ())):
        assert status in (403, 404, 405), f"{role} {method.upper()} {url} → {status}"
