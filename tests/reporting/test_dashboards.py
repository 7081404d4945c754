"""Dashboards: an overview and one page per subject, national for DGOS, regional for an ARS (never another
region's figures), each chart with its data table and CSV export, a query count that does not grow."""

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from centres.models import Tranche
from centres.selectors import quota_rows
from core.workflow import run_transition
from reporting.dashboards import (
    funding_by_tranche,
    procedures_by_state_and_age,
    quota_figures,
    reports_due,
    reports_due_by_region,
)
from tests.activity_reports.factories import filled_report, labelled_centre, team_user
from tests.factories import EstablishmentFactory, admin_user, ars_user, dgos_user, establishment_user, gp_user, region

pytestmark = pytest.mark.django_db

SUBJECT_PAGES = (
    "reporting:dashboard",
    "reporting:dashboard_quotas",
    "reporting:dashboard_procedures",
    "reporting:dashboard_deadlines",
    "reporting:dashboard_reports",
)


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
    rows = {(r.region, r.tranche): r for r in quota_figures()}
    assert rows[("Bretagne", 1)].labelled == 1 and rows[("Bretagne", 1)].to_label == 0
    assert rows[("Île-de-France", 1)].labelled == 2 and rows[("Île-de-France", 1)].to_label == 1


def test_ars_dashboard_never_holds_another_regions_figures(network, client):
    client.force_login(ars_user("53"))
    response = client.get(reverse("reporting:dashboard") + "?region=11")  # the parameter is ignored for an ARS
    assert response.status_code == 200
    assert {r.region for r in response.context["quotas"]} == {"Bretagne"}
    assert sum(r["labelled"] for r in response.context["funding"]) == 1
    assert response.context["due"]["expected"] == 1
    html = response.content.decode()
    assert "Île-de-France" not in html and "Paris" not in html


@pytest.mark.parametrize("name", SUBJECT_PAGES)
def test_every_ars_subject_page_holds_only_the_own_region(network, client, name):
    from labellisation.models import Application
    from tests.labellisation.factories import make_application

    make_application(establishment=EstablishmentFactory(region=region("11")), state=Application.State.SUBMITTED)
    client.force_login(ars_user("53"))
    response = client.get(reverse(name) + "?region=11")
    assert response.status_code == 200
    assert response.context["region"].code == "53"
    html = response.content.decode()
    assert "Île-de-France" not in html and "Paris" not in html
    for block in response.context.get("blocks", []):
        assert not any(str(cell) in ("Île-de-France", "Auvergne-Rhône-Alpes") for row in block.rows for cell in row)


@pytest.mark.parametrize("name", SUBJECT_PAGES)
def test_dgos_subject_pages_are_national_or_the_chosen_region(network, client, name):
    client.force_login(dgos_user())
    national = client.get(reverse(name))
    assert national.status_code == 200 and national.context["region"] is None
    chosen = client.get(reverse(name) + "?region=11")
    assert chosen.context["region"].code == "11"
    assert all(s["url"].endswith("?region=11") for s in chosen.context["subjects"])  # the menu keeps the scope


def test_quota_page_remaining_is_the_quota_tables(network, client):
    """The "restants" deduct the applications in progress, as on the quotas page (docs/decisions.md)."""
    from labellisation.models import Application
    from tests.labellisation.factories import make_application

    make_application(establishment=EstablishmentFactory(region=region("11")), state=Application.State.SUBMITTED)
    client.force_login(dgos_user())
    blocks = {b.key: b for b in client.get(reverse("reporting:dashboard_quotas")).context["blocks"]}
    idf = next(row for row in blocks["quotas-tranche-1"].rows if row[0] == "Île-de-France")
    table = next(r for r in quota_rows() if r.region == "Île-de-France" and r.tranche == 1)
    assert (
        idf
        == ["Île-de-France", 3, 2, 1, 0]
        == [table.region, table.quota, table.labelled, table.in_progress, table.remaining]
    )


def test_funding_distinguishes_notified_from_planned_tranches(network, client):
    Tranche.objects.filter(number=1).update(funding_status=Tranche.FundingStatus.NOTIFIED, budget_circular="C 2015")
    Tranche.objects.filter(number=2).update(funding_status=Tranche.FundingStatus.PLANNED)
    labelled_centre("84", tranche=2)
    client.force_login(dgos_user())
    response = client.get(reverse("reporting:dashboard"))
    assert response.context["funding_total"] == {
        "notified": Decimal("300000"),
        "planned": Decimal("100000"),
        "envelope": Decimal("2300000"),
    }
    funding = next(
        b for b in client.get(reverse("reporting:dashboard_quotas")).context["blocks"] if b.key == "financement"
    )
    assert [row[1] for row in funding.rows] == ["Notifié", "Prévisionnel (financement à l'étude)"]
    assert "Engagé, financement notifié" in funding.chart["svg"]


def test_regional_figures_for_dgos_choosing_a_region(network):
    assert reports_due(region("11"))["expected"] == 2
    assert sum(r["labelled"] for r in funding_by_tranche(region("11"))) == 2


@pytest.mark.parametrize("name", SUBJECT_PAGES)
@pytest.mark.parametrize("make_user", [gp_user, lambda: establishment_user(labelled_centre("53").establishment)])
def test_dashboard_is_for_dgos_admin_and_ars_only(make_user, client, name):
    client.force_login(make_user())
    assert client.get(reverse(name)).status_code == 404
    assert client.get(reverse(name) + "?export=csv&tableau=financement").status_code == 404


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


def test_reports_by_region_add_up_to_the_national_figures(network):
    by_region = {r["region"]: r for r in reports_due_by_region()}
    assert (by_region["Bretagne"]["expected"], by_region["Île-de-France"]["expected"]) == (1, 2)
    assert sum(r["missing"] for r in by_region.values()) == reports_due()["missing"] == 3
    assert reports_due_by_region(region("53")) == [by_region["Bretagne"]]


def test_quota_figures_are_the_quota_table_rows_of_the_region(network):
    assert {r.region for r in quota_figures(region("53"))} == {"Bretagne"}
    assert quota_figures() == [r for r in quota_rows() if r.quota or r.labelled]


# Pinned: a page costs these queries whatever the size of the network (session, user, selectors).
QUERIES = {
    "reporting:dashboard": 12,
    "reporting:dashboard_quotas": 6,
    "reporting:dashboard_procedures": 7,
    "reporting:dashboard_deadlines": 7,
    "reporting:dashboard_reports": 5,
}


@pytest.mark.parametrize("name", SUBJECT_PAGES)
def test_dashboard_query_count_does_not_grow_with_the_network(client, name):
    client.force_login(dgos_user())
    labelled_centre("53")
    client.get(reverse(name))  # content types and other per-process caches
    with CaptureQueriesContext(connection) as small:
        assert client.get(reverse(name)).status_code == 200
    etab = admin_user()
    for code in ("11", "84", "75", "76", "44"):
        for _ in range(3):
            filled_report(labelled_centre(code), 2024, etab, with_bilan=False)
    with CaptureQueriesContext(connection) as large:
        client.get(reverse(name))
    assert len(small) == len(large) == QUERIES[name], [q["sql"][:120] for q in large.captured_queries]


@pytest.mark.parametrize(
    "name", ["reporting:dashboard_quotas", "reporting:dashboard_procedures", "reporting:dashboard_reports"]
)
def test_each_chart_is_beside_its_data_table_and_labels_each_bar(network, client, name):
    filled_report(network[0], 2024, establishment_user(network[0].establishment))  # a dossier to draw
    client.force_login(dgos_user())
    html = client.get(reverse(name)).content.decode()
    assert html.count("<svg") == html.count("données du graphique") >= 1
    assert 'role="img"' in html and "les valeurs sont reprises dans le tableau" in html
    assert "<pattern" in html  # series differ by pattern, not by colour alone
    assert html.count('data-chart-export="png"') == html.count("<svg")
    assert "reporting/chart-export" in html and "<script>" not in html  # a static file: the CSP allows no inline


def test_procedure_charts_draw_no_empty_state_and_no_zero_bar(network, client):
    """Issue 17: "four bars per state, mostly stacked 0 labels" no more."""
    centre = network[0]
    run_transition(
        filled_report(centre, 2024, establishment_user(centre.establishment)), "submit", user=team_user(centre)
    )
    client.force_login(dgos_user())
    blocks = client.get(reverse("reporting:dashboard_procedures")).context["blocks"]
    report = next(b for b in blocks if b.title.startswith("Rapport annuel"))
    assert report.rows == [["Transmis à l'établissement", 1, 0, 0, 0, 1]]
    assert [g.label for g in report.chart["groups"]] == ["Transmis à l'établissement"]
    assert [bar.value for g in report.chart["groups"] for bar in g.bars] == [1]
    assert "En cours de saisie par le centre" in report.note  # the empty states are named, not drawn
    assert len(report.csv_rows) > len(report.rows)  # the export keeps every state
    assert all(b.chart is None and not b.rows for b in blocks if b.title.startswith("Labellisation"))


def test_quota_csv_export_is_french_with_the_same_figures(network, client):
    client.force_login(ars_user("53"))
    response = client.get(reverse("reporting:dashboard_quotas") + "?export=csv&tableau=quotas-tranche-1")
    assert response.status_code == 200
    assert 'filename="tableau-de-bord-quotas-quotas-tranche-1-53-' in response["Content-Disposition"]
    text = response.content.decode("utf-8")
    assert text.startswith("\ufeff")
    lines = text.lstrip("\ufeff").splitlines()
    assert lines == ["Région;Quota;Labellisés;En cours d'instruction;Restants", "Bretagne;1;1;0;0"]


def test_funding_and_procedure_csv_exports(network, client):
    client.force_login(dgos_user())
    funding = client.get(reverse("reporting:dashboard_quotas") + "?export=csv&tableau=financement").content
    lines = funding.decode("utf-8").lstrip("\ufeff").splitlines()
    assert lines[0].startswith("Tranche;Statut du financement;Centres prévus;Centres labellisés;Enveloppe prévue")
    assert lines[1].split(";")[2:6] == ["12", "3", "1200000", "300000"]
    procedures = client.get(reverse("reporting:dashboard_procedures") + "?export=csv&tableau=procedure-1").content
    assert procedures.decode("utf-8").lstrip("\ufeff").splitlines()[0] == "État;< 15 j;15 à 30 j;30 à 90 j;> 90 j;Total"
    assert client.get(reverse("reporting:dashboard_quotas") + "?export=csv&tableau=inconnu").status_code == 404


def test_deadlines_page_counts_the_regions_before_a_tranche_deadline(network, client):
    import datetime

    from django.utils import timezone

    Tranche.objects.filter(number=1).update(deadline=timezone.localdate() + datetime.timedelta(days=10))
    client.force_login(dgos_user())
    blocks = {b.key: b for b in client.get(reverse("reporting:dashboard_deadlines")).context["blocks"]}
    tranche_row = blocks["echeances"].rows[0]
    unfilled = sum(1 for r in quota_figures() if r.tranche == 1 and r.remaining)
    assert tranche_row == ["Quotas de tranche non atteints (régions)", 0, unfilled, 0, 0]
    client.force_login(ars_user("53"))  # Bretagne's quota is filled: nothing falls due there
    blocks = {b.key: b for b in client.get(reverse("reporting:dashboard_deadlines")).context["blocks"]}
    assert blocks["echeances"].rows[0][1:] == [0, 0, 0, 0]


def _dossiers_with_long_histories(count: int, steps: int = 30):
    """``count`` applications, each with ``steps`` logged transitions over ten years (bulk-inserted, as an
    import would: the log's trigger keeps their last transition)."""
    import datetime

    from django.contrib.contenttypes.models import ContentType
    from django.utils import timezone
    from django_fsm_log.models import StateLog

    from labellisation.models import Application
    from tests.labellisation.factories import make_application

    content_type = ContentType.objects.get_for_model(Application)
    now = timezone.now()
    logs = []
    for index in range(count):
        application = make_application(state=Application.State.SUBMITTED, name=f"Centre {index}")
        logs += [
            StateLog(
                content_type=content_type,
                object_id=application.pk,
                source_state="draft",
                state="submitted",
                transition="submit",
                timestamp=now - datetime.timedelta(days=3650 - step * 120 - index),
            )
            for step in range(steps)
        ]
    StateLog.objects.bulk_create(logs)


@pytest.mark.parametrize("name", SUBJECT_PAGES)
@pytest.mark.parametrize("viewer", ["dgos", "ars"])
def test_dashboard_query_count_does_not_grow_with_dossiers_and_their_history(client, name, viewer):
    """Issue 15, item 4: the same queries with 2 and with 50 dossiers of 30 logged transitions each."""
    client.force_login(dgos_user() if viewer == "dgos" else ars_user("53"))
    labelled_centre("53")
    _dossiers_with_long_histories(2)
    client.get(reverse(name))  # content types and other per-process caches
    with CaptureQueriesContext(connection) as small:
        assert client.get(reverse(name)).status_code == 200
    _dossiers_with_long_histories(48)
    with CaptureQueriesContext(connection) as large:
        assert client.get(reverse(name)).status_code == 200
    assert len(small) == len(large), [q["sql"][:120] for q in large.captured_queries]
    assert "django_fsm_log_statelog" not in " ".join(q["sql"] for q in large.captured_queries)
