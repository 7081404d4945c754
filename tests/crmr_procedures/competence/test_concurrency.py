"""Two ARS officers recording the CPOM amendment at the same moment: the registry is written once."""

import threading

import pytest
from django.db import connection

from centres.models import Ccmr, RegistryEvent
from core.workflow import TransitionRefused
from crmr_procedures.competence import services
from crmr_procedures.competence.models import CcmrRequest
from tests.factories import ars_user

from .conftest import CPOM_DATE, State, advance, create_request

pytestmark = pytest.mark.django_db(transaction=True)


def test_simultaneous_cpom_notifications_create_the_centre_once(world):
    request = advance(world, create_request(world), State.AWAITING_CPOM)
    second_officer = ars_user("52", username="ars-52-bis")
    barrier = threading.Barrier(2)
    outcomes = []

    def notify(user, reference):
        try:
            barrier.wait(timeout=10)
            services.ccmr_request_notify_cpom(
                request=CcmrRequest.objects.get(pk=request.pk), user=user, reference=reference, date=CPOM_DATE
            )
            outcomes.append("ok")
        except TransitionRefused as exc:
            outcomes.append(exc.reasons[0])
        finally:
            connection.close()

    threads = [
        threading.Thread(target=notify, args=(world.ars_centre, "AV-1")),
        threading.Thread(target=notify, args=(second_officer, "AV-2")),
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    assert len(outcomes) == 2 and outcomes.count("ok") == 1
    assert "n'est pas possible" in next(o for o in outcomes if o != "ok")
    assert Ccmr.objects.filter(name="Centre de compétences de Nantes").count() == 1
    assert RegistryEvent.objects.filter(kind=RegistryEvent.Kind.CCMR_CREATED).count() == 1
