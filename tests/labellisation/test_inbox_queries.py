"""The inbox costs the same number of queries at 3 and at 30 dossiers (select_related + pagination)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.factories import ars_user

from .factories import make_application

pytestmark = pytest.mark.django_db


def count_queries(client, url) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize("url_name", ["labellisation:inbox"])
def test_inbox_query_count_does_not_grow_with_the_dossiers(client, django_assert_num_queries, url_name):
    client.force_login(ars_user("53"))
    states = ["submitted", "under_review", "draft"]
    for i in range(3):
        make_application(state=states[i % 3], name=f"Centre {i}")
    small = count_queries(client, reverse(url_name))
    for i in range(3, 30):
        make_application(state=states[i % 3], name=f"Centre {i}")
    with django_assert_num_queries(small):
        response = client.get(reverse(url_name))
    assert response.content.decode().count("Centre ") >= 25


def test_inbox_filters_by_state_and_tranche(client):
    client.force_login(ars_user("53"))
    make_application(state="submitted", name="Déposé")
    make_application(state="draft", name="Brouillon")
    content = client.get(reverse("labellisation:inbox"), {"state": "submitted", "tranche": "1"}).content.decode()
    assert "Déposé" in content and "Brouillon Hôpital" not in content
    assert "Brouillon Hôpital" not in client.get(reverse("labellisation:inbox"), {"tranche": "2"}).content.decode()
