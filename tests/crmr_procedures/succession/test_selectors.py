"""Inboxes of the succession procedure (selectors): who sees which dossier, each exactly once."""

import pytest

from centres import models as c
from crmr_procedures.succession import selectors
from crmr_procedures.succession.models import Project, RegionalCall, State, Succession
from tests.factories import EstablishmentFactory, PersonFactory, ars_user, dgos_user, establishment_user, region

from .helpers import multi_crmr, pdf

pytestmark = pytest.mark.django_db


def _succession(crmr, state=State.CALL_OPEN) -> Succession:
    return Succession.objects.create(
        crmr=crmr,
        state=state,
        path="special",
        former_coordinator=crmr.coordinator,
        former_establishment=crmr.coordinating_establishment,
        created_by=dgos_user(),
    )


def test_ars_sees_a_succession_once_with_two_sites_and_a_call_in_its_region():
    """Annexe 1, special cases, step 3: the ARS of a region concerned reads the dossier (once in its list)."""
    crmr, other = multi_crmr("52")
    c.CrmrSite.objects.create(crmr=crmr, establishment=EstablishmentFactory(region=region("52"), name="CH bis"))
    succession = _succession(crmr)
    RegionalCall.objects.create(succession=succession, region=region("52"), reason="Appel")
    ars = ars_user("52")
    inbox = list(selectors.succession_inbox(ars))
    assert inbox == [succession]
    assert list(selectors.waiting_for(ars, selectors.succession_inbox(ars))) == [succession]


def test_ars_of_a_region_without_site_or_call_does_not_see_the_succession():
    crmr, _ = multi_crmr("52")
    _succession(crmr)
    assert list(selectors.succession_inbox(ars_user("11"))) == []


def test_ars_waits_only_while_its_regions_projects_are_not_transmitted():
    from django.utils import timezone

    crmr, _ = multi_crmr("52")
    succession = _succession(crmr)
    RegionalCall.objects.create(
        succession=succession, region=region("52"), reason="Appel", transmitted_at=timezone.now()
    )
    ars = ars_user("52")
    assert list(selectors.succession_inbox(ars)) == [succession]
    assert list(selectors.waiting_for(ars, selectors.succession_inbox(ars))) == []


def test_establishment_sees_a_succession_once_as_site_and_project_bearer():
    crmr, other = multi_crmr("52")
    succession = _succession(crmr, state=State.PROJECTS_RECEIVED)
    project = Project(
        succession=succession,
        region=region("52"),
        establishment=other,
        candidate=PersonFactory(),
        mig_amount=100000,
        uploaded_by=dgos_user(username="dgos-2"),
    )
    project.attach(pdf("projet.pdf"))
    project.save()
    assert list(selectors.succession_inbox(establishment_user(other))) == [succession]
