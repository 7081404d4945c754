"""perms.py on its own: the access level of each role to a request and to each kind of document."""

import pytest

from core.perms import Access
from crmr_procedures.competence import perms
from crmr_procedures.competence.models import CcmrRequestDocument
from tests.factories import admin_user

from .conftest import State, advance, create_request, pdf_upload

pytestmark = pytest.mark.django_db

REQUEST_ACCESS = {
    "dgos": Access.WRITE,
    "gp": Access.WRITE,
    "coordinator": Access.WRITE,
    "ars_centre": Access.WRITE,
    "direction_centre": Access.WRITE,
    "ars_crmr": Access.READ,
    "direction_crmr": Access.READ,
    "ars_other": Access.NONE,
    "direction_other": Access.NONE,
    "other_coordinator": Access.NONE,
}
# Annexe 2, step 4: the cahier des charges and the contract go to the ARS, "pas de copie à la DGOS".
ARS_ONLY_DOCUMENT_READERS = {"coordinator", "ars_centre", "direction_centre"}


def test_request_access_per_role(world):
    request = create_request(world)
    assert {role: perms.request_access(user, request) for role, user in world.users().items()} == REQUEST_ACCESS


def test_platform_administrators_read_requests_but_not_the_ars_documents(world):
    request = advance(world, create_request(world), State.AWAITING_DOCUMENTS)
    doc = CcmrRequestDocument(request=request, kind="contract", uploaded_by=world.coordinator)
    doc.attach(pdf_upload())
    doc.save()
    admin = admin_user()
    assert perms.request_access(admin, request) == Access.READ
    assert perms.document_access(admin, doc) == Access.NONE


@pytest.mark.parametrize("kind", CcmrRequestDocument.Kind.values)
def test_document_access_per_role_and_kind(world, kind):
    request = advance(world, create_request(world), State.AWAITING_DOCUMENTS)
    doc = CcmrRequestDocument(request=request, kind=kind, uploaded_by=world.coordinator)
    doc.attach(pdf_upload())
    doc.save()
    for role, user in world.users().items():
        if kind in CcmrRequestDocument.ARS_ONLY_KINDS:
            expected = Access.READ if role in ARS_ONLY_DOCUMENT_READERS else Access.NONE
        else:
            expected = Access.READ if REQUEST_ACCESS[role] else Access.NONE
        assert perms.document_access(user, doc) == expected, role
