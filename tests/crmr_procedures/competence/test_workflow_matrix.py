"""Every transition × every source state, and every transition × every role, built from the declared
state machine itself (CcmrRequest.state)."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied

from centres.models import RegistryEvent
from core.workflow import TransitionRefused, run_transition, user_may
from crmr_procedures.competence.models import CcmrRequest, CcmrRequestDocument
from tests.workflow_matrix import declared_transitions, sources

from .conftest import State, create_request, force_state, pdf_upload

pytestmark = pytest.mark.django_db

TRANSITIONS = {t.name: t for t in declared_transitions(CcmrRequest)}
SOURCES = sources(CcmrRequest)

ACTOR = {
    "submit": "coordinator",
    "transmit_for_opinion": "dgos",
    "transmit_for_information": "dgos",
    "give_favourable_opinion": "gp",
    "give_unfavourable_opinion": "gp",
    "officialise_favourable": "dgos",
    "officialise_unfavourable": "dgos",
    "send_to_ars": "direction_centre",
    "notify_cpom": "ars_centre",
    "inform_orphanet": "dgos",
}


def test_every_declared_transition_has_an_actor():
    assert set(ACTOR) == set(TRANSITIONS)


def _satisfy_conditions(world, request):
    """Make every condition true, so only the state decides."""
    for kind in CcmrRequestDocument.ARS_ONLY_KINDS:
        doc = CcmrRequestDocument(request=request, kind=kind, uploaded_by=world.coordinator)
        doc.attach(pdf_upload())
        doc.save()
    event = RegistryEvent.objects.create(
        kind=RegistryEvent.Kind.CCMR_CREATED, effective_on=datetime.date(2026, 1, 1), summary="test"
    )
    CcmrRequest.objects.filter(pk=request.pk).update(
        cpom_reference="AV", cpom_date=datetime.date(2026, 1, 1), registry_event=event
    )


@pytest.mark.parametrize("state", State.values)
@pytest.mark.parametrize("name", sorted(TRANSITIONS))
def test_transition_runs_only_from_its_declared_sources(world, name, state):
    request = create_request(world)
    _satisfy_conditions(world, request)
    request = force_state(request, state)
    user = getattr(world, ACTOR[name])
    if state in SOURCES[name]:
        after = run_transition(request, name, user=user, comment="Motifs")
        assert after.state != state
    else:
        with pytest.raises(TransitionRefused) as refused:
            run_transition(request, name, user=user, comment="Motifs")
        assert "n'est pas possible lorsque le dossier est à l'état" in refused.value.reasons[0]
        assert CcmrRequest.objects.get(pk=request.pk).state == state


@pytest.mark.parametrize("name", sorted(TRANSITIONS))
def test_only_the_declared_role_may_run_each_transition(world, name):
    request = force_state(create_request(world), sorted(SOURCES[name])[0])
    allowed = {ACTOR[name]}
    if name == "send_to_ars":
        allowed.add("coordinator")  # our reading of step 4: the coordinator may send on the centre's behalf
    for attr, user in world.users().items():
        assert user_may(request, name, user) == (attr in allowed), attr
        if attr not in allowed:
            with pytest.raises(PermissionDenied):
                run_transition(request, name, user=user)
