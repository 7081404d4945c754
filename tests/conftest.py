"""Shared fixtures: reference data, users per role, a real Celery worker, headless Chromium."""

import os

import pytest

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # Playwright's sync API beside live_server

pytest_plugins = ("celery.contrib.pytest", "tests.factories")


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
    from centres.reference_data import load_reference_data

    if not Region.objects.exists():
        load_reference_data()


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
