"""The competence-centre workflow writes the registry through ``centres.services``, dated by the CPOM
amendment (2013 instruction, Annexe 2, step 5)."""

import datetime

import pytest

from .conftest import advance, create_request

pytestmark = pytest.mark.django_db

DAY = datetime.timedelta(days=1)


def test_ccmr_workflow_writes_the_registry_at_the_amendment_date(world):
    from crmr_procedures.competence.models import CcmrRequest

    CState = CcmrRequest.State

    from .conftest import CPOM_DATE

    request = advance(world, create_request(world), CState.AWAITING_ORPHANET)
    ccmr = request.ccmr
    assert ccmr.created_on == CPOM_DATE and ccmr.source == request.cpom_letter.reference
    assert ccmr.status_on(CPOM_DATE - DAY) == "planned" and ccmr.status_on(CPOM_DATE) == "active"


def test_ccmr_abrogation_takes_effect_at_the_amendment_date(world):
    from crmr_procedures.competence.models import CcmrRequest

    CState = CcmrRequest.State

    from .conftest import CPOM_DATE

    request = advance(world, create_request(world, CcmrRequest.Kind.ABROGATION), CState.AWAITING_ORPHANET)
    ccmr = request.ccmr
    ccmr.refresh_from_db()
    assert ccmr.abrogated_on == CPOM_DATE and ccmr.abrogation_source == request.cpom_letter.reference
    assert ccmr.status_on(CPOM_DATE - DAY) == "active" and ccmr.status_on(CPOM_DATE) == "abrogated"
