"""Dashboards: national for DGOS, regional for an ARS (never another region's figures), few queries."""

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from core.workflow import run_transition
from reporting.dashboards import funding_by_tranche, procedures_by_state_and_age, quotas_by_region, reports_due
from tests.factories import admin_user, ars_user, dgos_user, establishment_user, gp_user, region

from .factories import filled_report, labelled_centre, team_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def network():
    bretagne = labelled_centre("53", name="CRC SEP Rennes")
    idf = [labelled_centre("11", name=f"CRC SEP Paris {i}") for i in range(2)]
    return bretagne, idf


@pytest.mark.rule("SEP-lettre-tranche1-1-2-meur")
def test_tranche_one_envelope_is_one_point_two_million(network):
    tranche_one = next(r for r in funding_by_tranche() if r["number"] == 1)
    assert tranche_one["envelope"] == Decimal("1200000")
    assert tranche_one["committed"] == Decimal("300000") and tranche_one["labelled"] == 3


def test_quota_rows_count_labelled_centres_per_region_and_tranche(network):
    rows = {(r["region"], r["tranche"]): r for r in quotas_by_region()}
    assert rows[("Bretagne", 1)]["labelled"] == 1 and rows[("Bretagne", 1)]["remaining"] == 0
    assert rows[("Île-de-France", 1)]["labelled"] == 2 and rows[("Île-de-France", 1)]["remaining"] == 1


def test_ars_dashboard_never_holds_another_regions_figures(network, client):
    client.force_login(ars_user("53"))
    response = client.get(reverse("reporting:dashboard") + "?region=11")  # the parameter is ignored for an ARS
    assert response.status_code == 200
    assert {r["region"] for r in response.context["quotas"]} == {"Bretagne"}
    assert sum(r["labelled"] for r in response.context["funding"]) == 1
    assert response.context["due"]["expected"] == 1
    html = response.content.decode()
    assert "Île-de-France" not in html and "Paris" not in html


def test_regional_figures_for_dgos_choosing_a_region(network):
    assert reports_due(region("11"))["expected"] == 2
    assert sum(r["labelled"] for r in funding_by_tranche(region("11"))) == 2


@pytest.mark.parametrize("make_user", [gp_user, lambda: establishment_user(labelled_centre("53").establishment)])
def test_dashboard_is_for_dgos_admin_and_ars_only(make_user, client):
    client.force_login(make_user())
    assert client.get(reverse("reporting:dashboard")).status_code == 404


def test_procedures_by_state_and_age_covers_registered_activity_reports(network):
    centre = network[0]
    etab = establishment_user(centre.establishment)
    run_transition(filled_report(centre, 2024, etab), "submit", user=team_user(centre))
    filled_report(centre, 2023, etab)
    figures = next(f for f in procedures_by_state_and_age() if f.label.startswith("Rapport annuel"))
    by_state = {row["state"]: row for row in figures.rows}
    assert by_state["Transmis à l'établissement"]["total"] == 1
    assert by_state["Transmis à l'établissement"]["ages"][0] == 1  # moved today: less than 15 days
    assert by_state["En cours de saisie par le centre"]["total"] == 1
    assert sum(row["total"] for row in procedures_by_state_and_age(region("11"))[0].rows) == 0


def test_procedure_age_counts_from_the_last_transition_else_from_creation():
    """Issue 6, "procedures by state and by age": the age is the time since the last logged transition."""
    import datetime

    from django.contrib.contenttypes.models import ContentType
    from django.utils import timezone
    from django_fsm_log.models import StateLog

    from labellisation.models import Application
    from tests.labellisation.factories import make_application

    now = timezone.now()
    old = make_application(state=Application.State.SUBMITTED, name="Ancienne")
    moved = make_application(state=Application.State.SUBMITTED, name="Déplacée")
    Application.objects.filter(pk__in=[old.pk, moved.pk]).update(created_at=now - datetime.timedelta(days=200))
    StateLog.objects.create(
        content_type=ContentType.objects.get_for_model(Application),
        object_id=moved.pk,
        source_state="draft",
        state="submitted",
        transition="submit",
        timestamp=now - datetime.timedelta(days=20),
    )
    figures = next(f for f in procedures_by_state_and_age(now=now) if f.label.lower().startswith("labellisation"))
    submitted = next(row for row in figures.rows if row["state"] == "Déposée")
    assert submitted["ages"] == [0, 1, 0, 1]  # 20 days since its last step; 200 days since creation
    assert submitted["total"] == 2


def test_reports_due_counts_confirmed_in_progress_and_missing(network):
    bretagne, idf = network
    etab = establishment_user(bretagne.establishment)
    year = reports_due()["year"]
    report = filled_report(bretagne, year, etab)
    for name, actor in (("submit", team_user(bretagne)), ("validate", etab), ("confirm", ars_user("53"))):
        report = run_transition(report, name, user=actor)
    filled_report(idf[0], year, etab)
    figures = reports_due()
    assert (figures["expected"], figures["confirmed"], figures["in_progress"], figures["missing"]) == (3, 1, 1, 1)


def test_dashboard_query_count_does_not_grow_with_the_network(client):
    client.force_login(dgos_user())
    labelled_centre("53")
    with CaptureQueriesContext(connection) as small:
        assert client.get(reverse("reporting:dashboard")).status_code == 200
    etab = admin_user()
    for code in ("11", "84", "75", "76", "44"):
        for _ in range(3):
            filled_report(labelled_centre(code), 2024, etab, with_bilan=False)
    with CaptureQueriesContext(connection) as large:
        client.get(reverse("reporting:dashboard"))
    assert len(small) == len(large)
    assert len(large) <= 15


def test_chart_is_followed_by_its_data_table_and_labels_each_bar(network, client):
    client.force_login(dgos_user())
    html = client.get(reverse("reporting:dashboard")).content.decode()
    from core.workflow import procedures

    charts = 3 + len(procedures())  # quotas, funding, reports, then one per registered procedure
    assert html.count("<svg") == html.count("données du graphique") == charts
    assert 'role="img"' in html and "les valeurs sont reprises dans le tableau" in html
    assert "<pattern" in html  # series differ by pattern, not by colour alone
