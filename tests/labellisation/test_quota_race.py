"""Annexe 2: the number of labelled centres never exceeds the regional quota, even under concurrency.

Real threads on PostgreSQL: each officer's labelling locks the quota row first (services.application_label)."""

import threading

import pytest
from django.db import connection

from centres.models import CrcSepCentre
from core.workflow import TransitionRefused
from labellisation import services
from labellisation.models import Application
from tests.factories import ars_user

from .factories import chu, make_application

pytestmark = pytest.mark.django_db(transaction=True)


def label_concurrently(applications, officers) -> tuple[list, list, list]:
    barrier = threading.Barrier(len(applications))
    labelled, refused, errors = [], [], []

    def decide(app, officer):
        try:
            barrier.wait(timeout=30)
            services.application_label(application=app, user=officer)
            labelled.append(app.pk)
        except TransitionRefused as exc:
            refused.append(exc.reasons)
        except Exception as exc:  # noqa: BLE001 - reported by the assertion below
            errors.append(repr(exc))
        finally:
            connection.close()

    threads = [threading.Thread(target=decide, args=(a, o)) for a, o in zip(applications, officers, strict=True)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return labelled, refused, errors


@pytest.mark.rule("SEP-A2-quota-region-tranche")
def test_two_officers_labelling_at_the_same_moment_never_exceed_quota():
    # Bretagne, tranche 1: quota 1.
    apps = [make_application(state=Application.State.UNDER_REVIEW, name=f"Centre {i}") for i in range(2)]
    officers = [ars_user("53"), ars_user("53", username="ars-53-bis")]
    labelled, refused, errors = label_concurrently(apps, officers)
    assert errors == []
    assert len(labelled) == 1 and len(refused) == 1
    assert "quota de l'annexe 2 est atteint" in refused[0][0]
    assert CrcSepCentre.objects.filter(region__code="53", tranche__number=1, status="labelled").count() == 1


@pytest.mark.rule("SEP-A2-quota-region-tranche")
def test_twenty_concurrent_labellings_in_a_region_with_quota_three_label_exactly_three():
    # Île-de-France, tranche 1: quota 3; its centres may all belong to AP-HP.
    aphp = chu("750712184")
    hospitals = list(aphp.hospitals.all())
    apps = [
        make_application(
            establishment=aphp,
            hospital=hospitals[i % len(hospitals)],
            state=Application.State.UNDER_REVIEW,
            name=f"Centre {i}",
        )
        for i in range(20)
    ]
    officers = [ars_user("11", username=f"ars-11-{i}") for i in range(20)]
    labelled, refused, errors = label_concurrently(apps, officers)
    assert errors == []
    assert (len(labelled), len(refused)) == (3, 17)
    assert all("3 centre(s) labellisé(s) sur 3" in reasons[0] for reasons in refused)
    assert CrcSepCentre.objects.filter(region__code="11", tranche__number=1, status="labelled").count() == 3
    assert Application.objects.filter(state=Application.State.LABELLED).count() == 3
