"""The dashboards' figures kept a short while per scope (issue 15, item 4): read back with no figure query,
never another scope's, dropped when a transition or a new dossier changes what they count."""

import re

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from core.workflow import run_transition
from tests.activity_reports.factories import filled_report, labelled_centre, team_user
from tests.factories import ars_user, dgos_user, establishment_user

pytestmark = pytest.mark.django_db

PAGES = (
    "reporting:dashboard",
    "reporting:dashboard_quotas",
    "reporting:dashboard_procedures",
    "reporting:dashboard_deadlines",
    "reporting:dashboard_reports",
)


@pytest.fixture(autouse=True)
def cached(settings):
    settings.DASHBOARD_CACHE_SECONDS = 60
    cache.clear()
    yield
    cache.clear()


def _without_tokens(response) -> str:
    """The page less what changes at each request: the form tokens and the script nonces."""
    return re.sub(r'(csrfmiddlewaretoken" value|nonce)="[^"]*"', "", response.content.decode())


def _reports(response) -> dict:
    figures = next(f for f in response.context["procedures"] if f.label.startswith("Rapport"))
    return {row["state"]: row["total"] for row in figures.rows if row["total"]}


@pytest.mark.parametrize("name", PAGES)
def test_a_second_reading_runs_no_figure_query_and_shows_the_same_page(client, name):
    client.force_login(dgos_user())
    labelled_centre("53")
    client.get(reverse(name))  # content types and other per-process caches
    cache.clear()
    with CaptureQueriesContext(connection) as first:
        computed = client.get(reverse(name))
    with CaptureQueriesContext(connection) as second:
        read_back = client.get(reverse(name))
    assert computed.status_code == read_back.status_code == 200
    assert len(second) < len(first)
    tables = " ".join(q["sql"] for q in second.captured_queries)
    assert "centres_regionalquota" not in tables and "core_lasttransition" not in tables
    assert _without_tokens(read_back) == _without_tokens(computed)


def test_a_transition_drops_the_figures_once_committed(client, django_capture_on_commit_callbacks):
    centre = labelled_centre("53")
    etab = establishment_user(centre.establishment)
    report = filled_report(centre, 2024, etab)
    client.force_login(dgos_user())
    assert _reports(client.get(reverse("reporting:dashboard"))) == {"En cours de saisie par le centre": 1}
    with django_capture_on_commit_callbacks(execute=True):
        run_transition(report, "submit", user=team_user(centre))
    assert _reports(client.get(reverse("reporting:dashboard"))) == {"Transmis à l'établissement": 1}


def test_a_new_dossier_drops_the_figures_once_committed(client, django_capture_on_commit_callbacks):
    centre = labelled_centre("53")
    etab = establishment_user(centre.establishment)
    client.force_login(dgos_user())
    assert _reports(client.get(reverse("reporting:dashboard"))) == {}
    with django_capture_on_commit_callbacks(execute=True):
        filled_report(centre, 2024, etab)
    assert _reports(client.get(reverse("reporting:dashboard"))) == {"En cours de saisie par le centre": 1}


def test_each_scope_has_its_own_figures(client):
    for code in ("53", "11", "11"):
        labelled_centre(code)
    client.force_login(ars_user("53"))
    assert {r.region for r in client.get(reverse("reporting:dashboard")).context["quotas"]} == {"Bretagne"}
    client.force_login(dgos_user())
    national = client.get(reverse("reporting:dashboard")).context["quotas"]
    assert {"Bretagne", "Île-de-France"} <= {r.region for r in national}
    chosen = client.get(reverse("reporting:dashboard") + "?region=11").context["quotas"]
    assert {r.region for r in chosen} == {"Île-de-France"}
    client.force_login(ars_user("53"))
    response = client.get(reverse("reporting:dashboard") + "?region=11")  # ignored for an ARS: its own region
    assert {r.region for r in response.context["quotas"]} == {"Bretagne"}
    assert response.context["regions"] == ()


def test_a_cache_out_of_service_costs_the_computation_not_the_page(client, monkeypatch):
    from reporting import dashboard_cache

    class Down:
        def __getattr__(self, name):
            def fail(*args, **kwargs):
                raise ConnectionError("cache down")

            return fail

    monkeypatch.setattr(dashboard_cache, "cache", Down())
    labelled_centre("53")
    client.force_login(dgos_user())
    response = client.get(reverse("reporting:dashboard"))
    assert response.status_code == 200
    assert next(r for r in response.context["quotas"] if r.region == "Bretagne").labelled == 1
    dashboard_cache.invalidate()  # logged, not raised
