"""Each actor's inbox (Annexe 2) and the query count of the list page (same at 3 and 30 rows)."""

import pytest
from django.urls import reverse

from core.workflow import awaiting
from crmr_procedures.competence.models import CcmrRequest
from crmr_procedures.competence.selectors import ccmr_inbox, ccmr_requests_visible_to

from .conftest import State, advance, create_request

pytestmark = pytest.mark.django_db


def _bulk(world, n: int, state: str):
    CcmrRequest.objects.bulk_create(
        [
            CcmrRequest(
                kind=CcmrRequest.Kind.CREATION,
                state=state,
                crmr=world.crmr,
                establishment=world.ccmr_establishment,
                proposed_name=f"Centre {i}",
                submitted_by=world.coordinator,
            )
            for i in range(n)
        ]
    )


def test_each_actor_inbox_holds_what_waits_for_it(world):
    submitted = create_request(world)
    at_opinion = advance(world, create_request(world), State.AWAITING_OPINION)
    at_cpom = advance(world, create_request(world), State.AWAITING_CPOM)
    done = advance(world, create_request(world, CcmrRequest.Kind.ABROGATION), State.COMPLETED)

    def pks(user):
        return set(ccmr_inbox(user).values_list("pk", flat=True))

    assert pks(world.dgos) == {submitted.pk}
    assert pks(world.gp) == {at_opinion.pk}
    assert pks(world.ars_centre) == {at_cpom.pk}
    assert pks(world.ars_crmr) == set()  # the CRMR's region is copied, it does not act
    assert pks(world.coordinator) == {submitted.pk, at_opinion.pk, at_cpom.pk}
    assert pks(world.direction_centre) == {submitted.pk, at_opinion.pk, at_cpom.pk}
    assert pks(world.other_coordinator) == pks(world.ars_other) == pks(world.direction_other) == set()
    assert done.pk in set(ccmr_requests_visible_to(world.direction_crmr).values_list("pk", flat=True))


def test_awaiting_names_the_accounts_that_must_act(world):
    request = create_request(world)
    assert awaiting(request) == [world.dgos]
    request = advance(world, request, State.AWAITING_OPINION)
    assert awaiting(request) == [world.gp]
    request = advance(world, request, State.AWAITING_DOCUMENTS)
    assert set(awaiting(request)) == {world.direction_centre, world.coordinator}
    request = advance(world, request, State.AWAITING_CPOM)
    assert awaiting(request) == [world.ars_centre]
    request = advance(world, request, State.COMPLETED)
    assert awaiting(request) == []


@pytest.mark.parametrize(
    ("role", "state"),
    [
        ("dgos", State.SUBMITTED),
        ("gp", State.AWAITING_OPINION),
        ("ars_centre", State.AWAITING_CPOM),
        ("coordinator", State.AWAITING_DOCUMENTS),
        ("direction_centre", State.AWAITING_DOCUMENTS),
    ],
)
def test_inbox_page_query_count_does_not_grow_with_rows(client, world, django_assert_num_queries, role, state):
    user = getattr(world, role)
    client.force_login(user)
    url = reverse("crmr_procedures:ccmr_request_list")
    _bulk(world, 3, state)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.get(url)  # warm-up: guardian caches the content type of a permission once per process
    with CaptureQueriesContext(connection) as few:
        response = client.get(url)
    assert len(response.context["page_obj"].object_list) == 3
    _bulk(world, 27, state)
    with django_assert_num_queries(len(few)):
        response = client.get(url)
    assert len(response.context["page_obj"].object_list) == 25  # paginated


def test_home_tile_counts_the_inbox(client, world):
    create_request(world)
    client.force_login(world.dgos)
    page = client.get(reverse("home")).content.decode()
    assert "1 demande de création ou d'abrogation à traiter" in page


@pytest.mark.parametrize("role", ["dgos", "ars_centre"])
def test_detail_page_query_count_does_not_grow_with_documents(client, world, role):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from crmr_procedures.competence import services

    from .conftest import pdf_upload

    request = advance(world, create_request(world), State.AWAITING_DOCUMENTS)
    services.ccmr_request_upload_document(request=request, user=world.coordinator, kind="contract", upload=pdf_upload())
    client.force_login(getattr(world, role))
    with CaptureQueriesContext(connection) as one:
        client.get(request.get_absolute_url())
    services.ccmr_request_upload_document(
        request=request, user=world.coordinator, kind="specifications", upload=pdf_upload()
    )
    with CaptureQueriesContext(connection) as two:
        client.get(request.get_absolute_url())
    assert len(two) == len(one)
