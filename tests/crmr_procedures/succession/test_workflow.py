"""Every transition × every source state, built from the declared state machine itself."""

import pytest
from django.core.exceptions import PermissionDenied

from core.workflow import TransitionRefused, available_actions, awaiting, run_transition, user_may
from crmr_procedures.succession.models import State, Succession
from tests.factories import ars_user, establishment_user
from tests.workflow_matrix import declared_transitions, sources, transition_names

from .helpers import Journey

pytestmark = pytest.mark.django_db

TRANSITIONS = declared_transitions(Succession)
TRANSITION_NAMES = transition_names(Succession)
SOURCES = sources(Succession)
# Which role each transition belongs to (Annexe 1): a wrong role is refused even from a valid source.
ROLE = {
    "send_notice": ("coordinator",),
    "submit_dossier": ("coordinator",),
    "set_session": ("gp",),
    "give_gp_opinion": ("gp",),
    "transmit_projects": ("ars",),
    # Special cases, step 1: a letter "du coordonnateur ou du président du directoire" reaches DGOS: DGOS
    # records one it received, the coordinator may send his or hers through the platform.
    "declare_special_case": ("dgos", "coordinator"),
}


def _force_state(succession, state):
    Succession.objects.filter(pk=succession.pk).update(state=state)
    return Succession.objects.get(pk=succession.pk)


@pytest.mark.parametrize("state", State.values)
@pytest.mark.parametrize("name", TRANSITION_NAMES)
@pytest.mark.rule("CRMR-A1-preavis-communique-vp")
@pytest.mark.rule("CRMR-A1-cas-particuliers-communication-gp")
@pytest.mark.rule("CRMR-A1-cas-particuliers-organisation-seance")
def test_transition_from_state_is_allowed_only_from_its_declared_sources(name, state):
    j = Journey()
    s = _force_state(j.s, state)
    users = {"coordinator": j.coordinator, "gp": j.gp, "dgos": j.dgos, "ars": ars_user("53")}
    roles = ROLE.get(name, ("dgos",))
    if state not in SOURCES[name]:
        with pytest.raises(TransitionRefused, match="n'est pas possible lorsque le dossier est"):
            run_transition(s, name, user=users[roles[0]])
        assert Succession.objects.get(pk=s.pk).state == state
        return
    for other_role, user in users.items():
        if other_role not in roles:
            with pytest.raises(PermissionDenied):
                run_transition(s, name, user=user)
    with pytest.raises(PermissionDenied):
        run_transition(s, name, user=establishment_user(j.crmr.coordinating_establishment))


@pytest.mark.parametrize(
    "state",
    [
        State.DRAFT,
        State.NOTICE_RECEIVED,
        State.NOTICE_FORWARDED,
        State.DOSSIER_SUBMITTED,
        State.DOSSIER_RETURNED,
        State.DOSSIER_COMPLETE,
        State.FORWARDED_TO_GP,
        State.OPINION_FAVOURABLE,
        State.OFFICIALISED,
        State.SPECIAL_INFORMED,
        State.SPECIAL_FORWARDED,
        State.SESSION_SET,
        State.CALL_OPEN,
        State.PROJECTS_RECEIVED,
        State.GP_OPINION_GIVEN,
    ],
)
def test_every_state_is_reachable_through_the_services_and_its_actions_are_offered_to_the_right_role(state):
    j = Journey()
    s = j.to(state)
    assert s.state == state
    role_users = {"coordinator": j.coordinator, "dgos": j.dgos, "gp": j.gp}
    from crmr_procedures.succession.models import AWAITING_ROLE

    role = AWAITING_ROLE.get(state)
    if role in role_users:
        user = role_users[role]
        assert any(user_may(s, name, user) for name in TRANSITION_NAMES if state in SOURCES[name])
        assert user in awaiting(s)
        shown = {a.name for a in available_actions(s, user)}
        assert all(user_may(s, name, user) for name in shown)
    if state == State.OFFICIALISED:
        assert awaiting(s) == []
