"""The list of issued letters and its export: an ARS sees its region's letters only; fixed query count."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.factories import ars_user, dgos_user
from tests.reporting.test_letter_export import issue

pytestmark = pytest.mark.django_db


def _issue_many(n, region_code, django_capture_on_commit_callbacks):
    user = dgos_user(username="signing-officer")
    with django_capture_on_commit_callbacks(execute=True):
        return [issue(user, region_code=region_code) for _ in range(n)]


def test_ars_lists_and_exports_only_its_regions_letters(client, django_capture_on_commit_callbacks):
    own = _issue_many(1, "53", django_capture_on_commit_callbacks)[0]
    other = _issue_many(1, "11", django_capture_on_commit_callbacks)[0]
    client.force_login(ars_user("53"))
    html = client.get(reverse("letters:letter_list")).content.decode()
    assert own.reference in html and other.reference not in html
    csv = client.get(reverse("letters:letter_list") + "?export=csv").content.decode("utf-8-sig")
    assert own.reference in csv and other.reference not in csv


def test_letter_list_query_count_is_the_same_at_3_and_30_rows(client, django_capture_on_commit_callbacks):
    client.force_login(dgos_user())
    _issue_many(3, "53", django_capture_on_commit_callbacks)
    with CaptureQueriesContext(connection) as small:
        client.get(reverse("letters:letter_list"))
    _issue_many(27, "11", django_capture_on_commit_callbacks)
    with CaptureQueriesContext(connection) as large:
        client.get(reverse("letters:letter_list"))
    assert len(small) == len(large)
