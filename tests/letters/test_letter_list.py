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


# --- Keyset pagination (issue 15, item 5) -----------------------------------------------------------------


def _bulk_letters(n: int):
    """``n`` issued letters, three a day, numbers repeated across two senders (ties on date and number)."""
    import datetime

    from letters.models import Letter
    from tests.factories import admin_user

    author = admin_user(username="bulk-author")
    start = datetime.date(2020, 1, 1)
    Letter.objects.bulk_create(
        Letter(
            reference=f"{'DGOS' if i % 2 else 'ARS'}/{i:05d}",
            sender_code="DGOS" if i % 2 else "ARS",
            year=2020,
            number=i // 2,
            kind=Letter.Kind.OTHER,
            issued_on=start + datetime.timedelta(days=i // 3),
            sender_label="DGOS",
            subject=f"Courrier {i}",
            body_html="<p>Corps</p>",
            signatory_name="Signataire",
            signatory_function="Fonction",
            created_by=author,
            status=Letter.Status.ISSUED,
        )
        for i in range(n)
    )
    return list(Letter.objects.order_by("-issued_on", "-number", "-pk").values_list("reference", flat=True))


def _page(client, url):
    import re

    html = client.get(url).content.decode()
    refs = re.findall(r'<td><a href="/[^"]*">([^<]+)</a></td>', html)
    links = {rel: href.replace("&amp;", "&") for href, rel in re.findall(r'href="(\?[^"]*)" rel="(next|prev)"', html)}
    return html, refs, links


def test_keyset_pages_walk_every_letter_once_forwards_and_back(client):
    from tests.factories import admin_user

    expected = _bulk_letters(70)
    client.force_login(admin_user())
    url = reverse("letters:letter_list")
    seen, pages = [], []
    while url:
        html, refs, links = _page(client, url if url.startswith("/") else reverse("letters:letter_list") + url)
        seen += refs
        pages.append(refs)
        url = links.get("next")
    assert seen == expected and [len(p) for p in pages] == [25, 25, 20]
    assert "Courriers (70)" in html
    # and back from the last page
    _html, refs, links = _page(client, reverse("letters:letter_list") + links["prev"])
    assert refs == pages[1]
    _html, refs, links = _page(client, reverse("letters:letter_list") + links["prev"])
    assert refs == pages[0] and "prev" not in links


def test_deep_page_costs_the_queries_of_the_first_without_offset_or_full_count(client, monkeypatch):
    from django.test.utils import CaptureQueriesContext

    from letters import views
    from tests.factories import admin_user

    _bulk_letters(120)
    monkeypatch.setattr(views, "COUNT_CAP", 50)
    client.force_login(admin_user())
    url = reverse("letters:letter_list") + "?kind=other"
    with CaptureQueriesContext(connection) as first:
        html, _refs, links = _page(client, url)
    assert "Courriers (plus de 50)" in html
    for _ in range(3):  # the fourth page
        html, refs, links = _page(client, reverse("letters:letter_list") + links["next"])
    assert len(refs) == 25 and "kind=other" in links["next"]
    with CaptureQueriesContext(connection) as deep:
        client.get(reverse("letters:letter_list") + links["next"])
    assert len(deep) == len(first) == 4  # session, user, the page (LIMIT 26), the capped count
    sql = " ".join(q["sql"] for q in deep.captured_queries).upper()
    assert "OFFSET" not in sql and "LIMIT 51" in sql  # the count stops at the cap


def test_a_malformed_cursor_shows_the_first_page(client):
    from tests.factories import admin_user

    expected = _bulk_letters(30)
    client.force_login(admin_user())
    _html, refs, _links = _page(client, reverse("letters:letter_list") + "?apres=pas-un-curseur")
    assert refs == expected[:25]
