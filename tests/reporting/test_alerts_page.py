"""The alerts page: the user's own alerts only, 50 a page, filtered by nature, procedure, region and due date,
in a number of queries that does not grow with the alerts."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from reporting.models import Alert
from tests.factories import ars_user, dgos_user, region

pytestmark = pytest.mark.django_db

URL = reverse("reporting:alerts")


def _alerts(user, n: int, *, kind=Alert.Kind.WAITING, procedure="labellisation.application", code="53", due=None):
    Alert.objects.bulk_create(
        Alert(
            user=user,
            key=f"{kind}:{code}:{procedure}:{due}:{i}",
            kind=kind,
            message=f"Alerte {kind} {code} n°{i}",
            url="/",
            due_on=due,
            procedure=procedure,
            region=region(code),
        )
        for i in range(n)
    )


def _rows(response) -> int:
    return response.content.decode().count('class="fr-badge fr-badge--sm fr-badge--warning"')


def test_alerts_are_shown_fifty_a_page(client):
    dgos = dgos_user()
    _alerts(dgos, 120)
    client.force_login(dgos)
    first = client.get(URL)
    assert _rows(first) == 50 and "120 alertes — page 1 sur 3" in first.content.decode()
    assert 'class="fr-pagination' in first.content.decode()
    assert _rows(client.get(URL, {"page": 3})) == 20


def test_alerts_are_filtered_by_nature_procedure_region_and_due_date(client):
    dgos = dgos_user()
    today = timezone.localdate()
    _alerts(dgos, 3, kind=Alert.Kind.WAITING, code="53")
    _alerts(dgos, 4, kind=Alert.Kind.SUCCESSION, procedure="crmr_procedures.succession", code="11", due=today)
    _alerts(
        dgos,
        5,
        kind=Alert.Kind.REPORT_DUE,
        procedure="activity_reports.activityreport",
        code="52",
        due=today.replace(day=1) - datetime.timedelta(days=1),
    )
    client.force_login(dgos)
    counts = {
        "kind=succession": 4,
        "procedure=activity_reports.activityreport": 5,
        "procedure=labellisation.application": 3,
        "region=11": 4,
        "region=53": 3,
        "when=upcoming": 4,
        "when=overdue": 8,  # past due, or a dossier waiting beyond the threshold (no due date)
        "kind=waiting&region=11": 0,
        "": 12,
    }
    for query, expected in counts.items():
        assert _rows(client.get(f"{URL}?{query}")) == expected, query


# the session, the user, the region asked for, the count, the regions offered, the page's rows
QUERIES = 6


def test_the_page_costs_the_same_queries_for_few_and_many_alerts(client, django_assert_num_queries):
    dgos = dgos_user()
    client.force_login(dgos)
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    _alerts(dgos, 3)
    client.get(URL)  # sessions and caches warmed alike for both counts
    with django_assert_num_queries(QUERIES):
        assert _rows(client.get(URL, {"region": "53", "when": "overdue"})) == 3
    _alerts(dgos, 300, kind=Alert.Kind.TRANCHE, due=yesterday)
    with django_assert_num_queries(QUERIES):
        assert _rows(client.get(URL, {"region": "53", "when": "overdue", "page": 4})) == 50


def test_an_ars_sees_its_own_alerts_only_and_no_other_region(client):
    ars_53, ars_11, dgos = ars_user("53"), ars_user("11"), dgos_user()
    _alerts(ars_53, 2, code="53")
    _alerts(ars_11, 2, code="11")
    _alerts(dgos, 2, code="11")
    client.force_login(ars_53)
    page = client.get(URL).content.decode()
    assert _rows(client.get(URL)) == 2 and "Alerte waiting 53" in page and "Alerte waiting 11" not in page
    assert '<option value="11"' not in page  # the region filter offers the own region only
    other = client.get(URL, {"region": "11"})
    assert other.status_code == 200 and "Alerte waiting 11" not in other.content.decode()
    assert _rows(other) == 2  # the foreign region refused as a choice: the own alerts, unfiltered


def test_anonymous_is_sent_to_login(client):
    response = client.get(URL)
    assert response.status_code == 302 and "/accounts/login/" in response.url
