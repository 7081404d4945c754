"""The set-based ``awaiting_bulk`` of every procedure names the same accounts as its ``awaiting()``, in every
state, from an :class:`accounts.directory.AccountDirectory` read once."""

import pytest

from accounts.directory import AccountDirectory
from core.workflow import procedure_for, procedures
from tests.reporting.alert_world import alert_world, states_of

pytestmark = pytest.mark.django_db


def test_every_registered_procedure_awaits_in_bulk():
    assert procedures()
    for procedure in procedures():
        assert callable(procedure.awaiting_bulk), procedure.label


def test_awaiting_bulk_names_the_accounts_awaiting_names_in_every_state():
    world = alert_world()
    checked = 0
    for model, dossier in world.dossiers.items():
        manager = model._default_manager
        for state in states_of(model):
            manager.filter(pk=dossier.pk).update(state=state)
            fresh = manager.get(pk=dossier.pk)
            procedure = procedure_for(model)
            expected = sorted(user.pk for user in procedure.awaiting(fresh))
            found = {
                obj.pk: (str(obj), sorted(ids))
                for obj, ids in procedure.awaiting_bulk(manager.filter(pk=dossier.pk), AccountDirectory())
            }
            assert found.get(dossier.pk, (str(fresh), []))[1] == expected, (model.__name__, state)
            assert found.get(dossier.pk, (str(fresh),))[0] == str(fresh)  # what the alert's message names
            checked += bool(expected)
    assert checked >= 12  # most states await someone: the comparison is not between empty lists


def test_a_directory_reads_the_accounts_once_whatever_it_is_asked(django_assert_num_queries):
    world = alert_world()
    directory = AccountDirectory()
    with django_assert_num_queries(3):  # the accounts; the coordinators bound directly, through a group
        for _ in range(50):
            directory.with_role("dgos")
            directory.in_region("ars", world.establishment.region_id)
            directory.in_establishment("establishment", world.establishment.pk)
            directory.in_centre("crcsep_team", world.centre.pk)
            directory.crmr_coordinators(world.crmr.pk)


def test_an_abrogation_is_named_after_its_ccmr_without_a_query_per_request(django_assert_num_queries):
    from crmr_procedures.competence.models import CcmrRequest
    from tests.factories import CcmrFactory

    world = alert_world()
    request = world.dossiers[CcmrRequest]
    ccmr = CcmrFactory(crmr=world.crmr, establishment=world.establishment)
    CcmrRequest.objects.filter(pk=request.pk).update(
        kind=CcmrRequest.Kind.ABROGATION, ccmr=ccmr, state=CcmrRequest.State.SUBMITTED
    )
    expected = str(CcmrRequest.objects.get(pk=request.pk))
    directory = AccountDirectory()
    directory.with_role("dgos")
    with django_assert_num_queries(1):
        bulk = procedure_for(CcmrRequest).awaiting_bulk(CcmrRequest.objects.filter(pk=request.pk), directory)
        [(found, _ids)] = list(bulk)
        assert str(found) == expected and ccmr.name in expected
