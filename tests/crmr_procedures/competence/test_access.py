"""Who sees what: outsiders get 404 on every view, readers who write get 403, and the cahier des
charges and contract are not communicated to DGOS (Annexe 2, step 4: "pas de copie à la DGOS")."""

import pytest
from django.urls import reverse

from core.perms import Access
from crmr_procedures.competence.models import CcmrRequest
from crmr_procedures.competence.perms import document_access, request_access

from .conftest import State, advance, create_request, pdf_upload

pytestmark = pytest.mark.django_db

WRITERS = ["dgos", "gp", "coordinator", "ars_centre", "direction_centre"]
READERS = ["ars_crmr", "direction_crmr"]
OUTSIDERS = ["ars_other", "direction_other", "other_coordinator"]


@pytest.fixture
def at_documents(world):
    request = advance(world, create_request(world), State.AWAITING_DOCUMENTS)
    from crmr_procedures.competence import services

    services.ccmr_request_upload_document(
        request=request, user=world.direction_centre, kind="specifications", upload=pdf_upload("cdc.pdf")
    )
    return request


def _urls(request):
    doc = request.documents.get(kind="specifications")
    pk = request.pk
    get = {
        "detail": reverse("crmr_procedures:ccmr_request_detail", args=[pk]),
        "document": reverse("crmr_procedures:ccmr_request_document", args=[pk, doc.pk]),
    }
    post = {
        "action": (reverse("crmr_procedures:ccmr_request_action", args=[pk]), {"transition": "send_to_ars"}),
        "officialise": (
            reverse("crmr_procedures:ccmr_request_officialise", args=[pk]),
            {"decision": "favourable", "preview": "1"},
        ),
        "upload": (reverse("crmr_procedures:ccmr_request_upload", args=[pk]), {"kind": "contract"}),
        "cpom": (
            reverse("crmr_procedures:ccmr_request_cpom", args=[pk]),
            {"reference": "AV", "date": "2026-01-01", "preview": "1"},
        ),
        "orphanet": (
            reverse("crmr_procedures:ccmr_request_orphanet", args=[pk]),
            {"communicated_on": "2026-01-01", "reference": "O"},
        ),
    }
    return get, post


@pytest.mark.parametrize("role", OUTSIDERS)
def test_outsiders_get_404_on_every_view(client, world, at_documents, role):
    client.force_login(getattr(world, role))
    get, post = _urls(at_documents)
    for name, url in get.items():
        assert client.get(url).status_code == 404, name
    for name, (url, data) in post.items():
        assert client.post(url, data).status_code == 404, name
    assert at_documents.pk not in [
        r.pk for r in client.get(reverse("crmr_procedures:ccmr_request_list") + "?vue=toutes").context["page_obj"]
    ]


@pytest.mark.parametrize("role", READERS)
def test_readers_see_the_request_and_get_403_when_writing(client, world, at_documents, role):
    client.force_login(getattr(world, role))
    get, post = _urls(at_documents)
    assert client.get(get["detail"]).status_code == 200
    for name, (url, data) in post.items():
        assert client.post(url, data).status_code == 403, name
    assert CcmrRequest.objects.get(pk=at_documents.pk).state == State.AWAITING_DOCUMENTS


@pytest.mark.parametrize("role", WRITERS)
def test_actors_see_the_request(client, world, at_documents, role):
    client.force_login(getattr(world, role))
    assert request_access(getattr(world, role), at_documents) == Access.WRITE
    get, _ = _urls(at_documents)
    assert client.get(get["detail"]).status_code == 200


@pytest.mark.parametrize("role", ["dgos", "gp"])
def test_actors_get_403_on_steps_that_are_not_theirs(client, world, at_documents, role):
    client.force_login(getattr(world, role))
    _, post = _urls(at_documents)
    for name in ("action", "upload", "cpom"):
        url, data = post[name]
        assert client.post(url, data).status_code == 403, name


@pytest.mark.rule("CRMR-A2-pas-copie-dgos")
def test_no_copy_to_dgos_of_the_cahier_des_charges_and_contract(client, world, at_documents):
    get, _ = _urls(at_documents)
    doc = at_documents.documents.get(kind="specifications")
    for role in ("dgos", "gp", "ars_crmr", "direction_crmr"):
        assert document_access(getattr(world, role), doc) == Access.NONE, role
        client.force_login(getattr(world, role))
        assert client.get(get["document"]).status_code == 404, role
    for role in ("ars_centre", "direction_centre", "coordinator"):
        client.force_login(getattr(world, role))
        response = client.get(get["document"])
        assert response.status_code == 200, role
        assert b"".join(response.streaming_content).startswith(b"%PDF")
    client.force_login(world.dgos)
    page = client.get(get["detail"]).content.decode()
    assert "transmis à l'ARS, non communiqué à la DGOS" in page
    assert get["document"] not in page


def test_coordinator_letter_is_visible_to_dgos(client, world):
    from crmr_procedures.competence import services

    request = services.ccmr_request_create(
        user=world.coordinator,
        crmr=world.crmr,
        kind=CcmrRequest.Kind.ABROGATION,
        ccmr=world.existing_ccmr,
        letter_file=pdf_upload("courrier.pdf"),
    )
    doc = request.documents.get()
    client.force_login(world.dgos)
    url = reverse("crmr_procedures:ccmr_request_document", args=[request.pk, doc.pk])
    assert client.get(url).status_code == 200


def test_only_coordinators_open_the_request_form(client, world):
    url = reverse("crmr_procedures:ccmr_request_create")
    for role in ("dgos", "gp", "ars_centre", "direction_centre"):
        client.force_login(getattr(world, role))
        assert client.get(url).status_code == 403, role
    client.force_login(world.coordinator)
    assert client.get(url).status_code == 200


@pytest.mark.rule("CRMR-A2-copies-directoires")
@pytest.mark.rule("CRMR-A2-copies-ars")
def test_opinion_letter_reaches_the_copied_ars_and_directions(client, world):
    request = advance(world, create_request(world), State.AWAITING_DOCUMENTS)
    letter = request.opinion_letter
    url = reverse("letters:letter_detail", args=[letter.pk])
    for role in ("coordinator", "ars_centre", "ars_crmr", "direction_centre", "direction_crmr", "dgos"):
        client.force_login(getattr(world, role))
        assert client.get(url).status_code == 200, role
    for role in OUTSIDERS:
        client.force_login(getattr(world, role))
        assert client.get(url).status_code == 404, role
