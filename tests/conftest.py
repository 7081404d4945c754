"""Shared fixtures: reference data, users per role, a real Celery worker, headless Chromium."""

import os

import pytest

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # Playwright's sync API beside live_server

pytest_plugins = ("celery.contrib.pytest", "tests.factories", "tests.object_storage")


@pytest.fixture(autouse=True)
def reference_data(request):
    """The texts' reference facts (regions, Annexe 2 quotas, CHU, filières), present in every DB test."""
    marker = request.node.get_closest_marker("django_db")
    names = request.fixturenames
    transactional = bool(marker and marker.kwargs.get("transaction")) or any(
        f in names for f in ("transactional_db", "live_server")
    )
    if not (marker or transactional or "db" in names):
        return
    request.getfixturevalue("transactional_db" if transactional else "db")
    from centres.models import Region
    from core.reference import load_reference_data

    if not Region.objects.exists():
        load_reference_data()
        from letters.senders import demo_signatories_load

        demo_signatories_load()  # letters need a signatory; the demo ones are flagged as such


@pytest.fixture(autouse=True)
def _cold_process_caches(reference_data):
    """Every test starts from the same process-level caches, whatever ran before it in this process
    (the suite runs in random order, pytest-randomly): a pinned query count must not depend on a cache
    warmed by an earlier test. Runs after ``reference_data`` so that loading it warms nothing either.

    The caches that memoise database reads: Django's ContentType cache (guardian and the generic
    relations read it), guardian's own content type per permission cache, the sites framework's if it
    is installed, and Django's cache backends (the local-memory ones of the test settings: rate limits,
    guardian's anonymous user, django-fsm-log's pending logs). The project's own ``functools.cache``
    functions read files (rules catalogue, map shapes, letter fonts and CSS), not the database."""
    from django.apps import apps
    from django.contrib.contenttypes.models import ContentType
    from django.core.cache import caches
    from guardian.shortcuts import clear_ct_cache

    ContentType.objects.clear_cache()
    clear_ct_cache()
    if apps.is_installed("django.contrib.sites"):
        apps.get_model("sites", "Site").objects.clear_cache()
    for cache in caches.all():
        cache.clear()


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


# --- Celery: a real worker on Redis (tests marked ``worker``) ---------------------------------


@pytest.fixture
def celery_app():
    """The project's own Celery app, switched out of eager mode, for ``celery_worker`` (a real worker
    thread consuming from Redis)."""
    from config.celery import app

    app.conf.update(task_always_eager=False, broker_transport_options={"visibility_timeout": 30})
    yield app
    app.conf.update(task_always_eager=True)


@pytest.fixture(scope="session")
def celery_worker_parameters():
    return {"perform_ping_check": False, "queues": ("celery",)}


# --- Browser: Debian's Chromium through Playwright --------------------------------------------


@pytest.fixture(scope="session")
def browser_type_launch_args():
    return {
        "executable_path": os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium"),
        "args": [
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--disable-dev-shm-usage",
        ],
    }


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    return {**browser_context_args, "locale": "fr-FR", "timezone_id": "Europe/Paris", "accept_downloads": True}


@pytest.fixture
def login(live_server, page):
    """Sign in through the real login form: ``login("ars-53")``."""

    def _login(username: str, password: str = "demo"):
        page.goto(f"{live_server.url}/accounts/login/")
        page.get_by_label("Identifiant").fill(username)
        page.get_by_label("Mot de passe").fill(password)
        page.get_by_role("button", name="Se connecter").click()
        page.wait_for_url(lambda url: "/accounts/login/" not in url)
        return page

    return _login


# --- Accessibility: axe-core on every page a browser test visits ----------------------------------

AXE_PATH = __import__("pathlib").Path(__file__).resolve().parent.parent / "tools/node_modules/axe-core/axe.min.js"
AXE_BLOCKING = ("serious", "critical")


def axe_violations(page) -> list[dict]:
    """Run axe-core (WCAG 2 A/AA rules) on the current page; return serious and critical violations."""
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.evaluate(AXE_PATH.read_text(encoding="utf-8"))  # evaluate is not subject to the page's CSP
    result = page.evaluate(
        "async () => await axe.run(document, {runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21aa']}})"
    )
    return [
        {"id": v["id"], "impact": v["impact"], "help": v["help"], "targets": [n["target"] for n in v["nodes"]][:5]}
        for v in result["violations"]
        if v["impact"] in AXE_BLOCKING
    ]


@pytest.fixture(autouse=True)
def accessibility_audit(request):
    """For browser tests: every page loaded during the journey is audited with axe-core at the end of
    the test (re-opened in the same signed-in context); any serious or critical violation fails it."""
    if not request.node.get_closest_marker("browser") or request.node.get_closest_marker("no_axe"):
        yield
        return
    page = request.getfixturevalue("page")
    visited: list[str] = []
    page.on("load", lambda p: visited.append(p.url))
    yield
    if request.node.rep_call.failed if hasattr(request.node, "rep_call") else False:
        return
    problems = {}
    seen = set()
    for url in visited:
        key = url.split("#")[0]
        if key in seen or key.endswith((".pdf", ".csv", ".zip")) or "/pdf" in key:
            continue
        seen.add(key)
        response = page.goto(key)
        if response is None or "html" not in (response.headers.get("content-type") or ""):
            continue
        found = axe_violations(page)
        if found:
            problems[key] = found
    assert not problems, f"Accessibility (axe-core) serious/critical violations: {problems}"


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    setattr(item, f"rep_{report.when}", report)


# --- Antivirus: clamd on a test signature database (EICAR), started once per machine and reused ----


@pytest.fixture(scope="session", autouse=True)
def clamd_socket():
    """Every upload is scanned (core.antivirus, fail closed): the tests run a real clamd, started by
    ``.ci/ensure-clamd`` (the script ``make test`` runs too) unless CLAMD_SOCKET is given."""
    import subprocess
    from pathlib import Path

    from django.conf import settings

    socket_path = os.environ.get("CLAMD_SOCKET")
    if not socket_path:
        script = Path(__file__).resolve().parent.parent / ".ci" / "ensure-clamd"
        result = subprocess.run(["bash", str(script)], capture_output=True, text=True, timeout=120)
        if result.returncode != 0:
            pytest.fail(f"clamd could not be started for the tests:\n{result.stderr}", pytrace=False)
        socket_path = result.stdout.strip().splitlines()[-1]
    settings.CLAMD_SOCKET = socket_path
    return socket_path
