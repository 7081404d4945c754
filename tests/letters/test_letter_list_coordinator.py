"""The letters list for a coordinator: the letters addressed or copied to the coordinator of his or her
CRMR (issue 13, item 6: reader ``crmr:<id>``), never another CRMR's; fixed query count."""

from __future__ import annotations

import datetime
import itertools

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from core.perms import Access
from crmr_procedures.competence.models import CcmrRequest
from crmr_procedures.succession.models import State as SuccessionState
from crmr_procedures.succession.models import Succession
from letters.models import Letter, LetterReader
from letters.perms import letter_access
from tests.factories import CrmrFactory, EstablishmentFactory, UserFactory, coordinator_user, dgos_user, region

pytestmark = pytest.mark.django_db

_numbers = itertools.count(1)


def _letter(dossier, *, kind=Letter.Kind.OTHER, subject: str = "Courrier") -> Letter:
    """A letter of ``dossier`` addressed to the coordinator of its CRMR, as the procedures' letters are."""
    number = next(_numbers)
    letter = Letter.objects.create(
        reference=f"DGOS/PF2/2026/{number:05d}",
        sender_code="DGOS",
        year=2026,
        number=number,
        kind=kind,
        issued_on=datetime.date(2026, 3, 1),
        sender_label="DGOS",
        addressees=["Madame la directrice générale du CHU"],
        subject=subject,
        body_html="<p>Courrier</p>",
        signatory_name="Le sous-directeur",
        signatory_function="Sous-directeur",
        content_type=ContentType.objects.get_for_model(dossier) if dossier is not None else None,
        object_id=dossier.pk if dossier is not None else None,
        created_by=dgos_user(),
        status=Letter.Status.ISSUED,
    )
    if dossier is not None:
        LetterReader.objects.create(letter=letter, party=f"crmr:{dossier.crmr_id}")
    return letter


def _succession(crmr) -> Succession:
    return Succession.objects.create(
        crmr=crmr,
        state=SuccessionState.OFFICIALISED,
        former_coordinator=crmr.coordinator,
        former_establishment=crmr.coordinating_establishment,
        created_by=UserFactory(),
    )


def _ccmr_request(crmr) -> CcmrRequest:
    return CcmrRequest.objects.create(
        kind=CcmrRequest.Kind.CREATION,
        state=CcmrRequest.State.AWAITING_CPOM,
        crmr=crmr,
        establishment=EstablishmentFactory(region=region("52")),
        proposed_name="Centre de compétences de Nantes",
        submitted_by=UserFactory(),
    )


def _crmr():
    return CrmrFactory(coordinating_establishment=EstablishmentFactory(region=region("53")))


def _listed(client, user, **params) -> str:
    client.force_login(user)
    response = client.get(reverse("letters:letter_list"), params)
    assert response.status_code == 200
    return response.content.decode()


def test_a_coordinator_lists_the_letters_of_his_or_her_crmrs_procedures_only(client):
    crmr, other = _crmr(), _crmr()
    coordinator = coordinator_user(crmr)
    own = [
        _letter(_succession(crmr), kind=Letter.Kind.SUCCESSION_OFFICIALISATION, subject="Officialisation"),
        _letter(_ccmr_request(crmr), kind=Letter.Kind.CCMR_OPINION, subject="Avis sur le centre de compétences"),
    ]
    foreign = [_letter(_succession(other)), _letter(_ccmr_request(other)), _letter(None)]
    page = _listed(client, coordinator)
    assert all(letter.reference in page for letter in own)
    assert not any(letter.reference in page for letter in foreign)
    # The list and the dossier access agree: every listed letter opens, no other one does.
    for letter in own:
        assert letter_access(coordinator, letter) >= Access.READ
    for letter in foreign:
        assert letter_access(coordinator, letter) == Access.NONE


def test_a_coordinator_opens_and_exports_the_listed_letters(client):
    crmr = _crmr()
    coordinator = coordinator_user(crmr)
    own = _letter(_succession(crmr))
    foreign = _letter(_succession(_crmr()))
    client.force_login(coordinator)
    assert client.get(reverse("letters:letter_detail", args=[own.pk])).status_code == 200
    assert client.get(reverse("letters:letter_detail", args=[foreign.pk])).status_code == 404
    csv = client.get(reverse("letters:letter_list"), {"export": "csv"}).content.decode("utf-8-sig")
    assert own.reference in csv and foreign.reference not in csv


def test_the_coordinators_letter_list_honours_the_kind_filter(client):
    crmr = _crmr()
    succession_letter = _letter(_succession(crmr), kind=Letter.Kind.SUCCESSION_OFFICIALISATION)
    ccmr_letter = _letter(_ccmr_request(crmr), kind=Letter.Kind.CCMR_OPINION)
    page = _listed(client, coordinator_user(crmr), kind=Letter.Kind.CCMR_OPINION)
    assert ccmr_letter.reference in page and succession_letter.reference not in page


def test_a_coordinator_sees_the_letters_link_in_the_navigation(client):
    page = _listed(client, coordinator_user(_crmr()))
    assert f'href="{reverse("letters:letter_list")}" aria-current="page">Courriers</a>' in page


def test_coordinator_letter_list_query_count_is_the_same_at_3_and_30_rows(client, django_assert_num_queries):
    crmr = _crmr()
    coordinator = coordinator_user(crmr)
    for _ in range(3):
        _letter(_succession(crmr))
    client.force_login(coordinator)
    url = reverse("letters:letter_list")
    client.get(url)  # warm-up: guardian caches the content type of a permission once per process
    with CaptureQueriesContext(connection) as small:
        assert client.get(url).status_code == 200
    for i in range(27):
        _letter(_ccmr_request(crmr) if i % 2 else _succession(crmr))
    with django_assert_num_queries(len(small)):
        page = client.get(url).content.decode()
    assert page.count("DGOS/PF2/2026/") == 25  # the first page of 30 letters
