"""Uploaded documents are always served as attachments, never displayed inline by the browser (issue 16,
item 2): a PDF that slipped through would otherwise run in the browser's viewer on the site's origin."""

import pytest
from django.urls import reverse

from crmr_procedures.succession import services
from crmr_procedures.succession.models import State
from tests.crmr_procedures.succession.helpers import Journey, multi_crmr, pdf
from tests.factories import ars_user, dgos_user

pytestmark = pytest.mark.django_db


def _served(client, user, name, s, *args):
    client.force_login(user)
    response = client.get(reverse(f"crmr_procedures:{name}", args=[s.pk, *args]))
    assert response.status_code == 200
    return response["Content-Disposition"]


def test_succession_documents_and_projects_are_attachments(client):
    crmr, other = multi_crmr(other_region="52")
    j = Journey(crmr)
    s = j.to(State.CALL_OPEN)
    doc = s.documents.first()
    assert _served(client, dgos_user(), "succession_document", s, doc.pk).startswith("attachment;")
    ars52 = ars_user("52")
    services.project_add(
        succession=s,
        user=ars52,
        title="Dr",
        first_name="B",
        last_name="Projet",
        establishment=other,
        mig_amount=1,
        upload=pdf(),
    )
    project = s.projects.get()
    assert _served(client, ars52, "succession_project_file", s, project.pk).startswith("attachment;")
