"""The transition log, issued letters and registry events are append-only at the database level."""

import datetime

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import IntegrityError, connection, transaction
from django_fsm_log.models import StateLog

from centres.models import Region, RegistryEvent
from tests.factories import dgos_user

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL triggers"),
]


def test_transition_log_rows_cannot_be_updated_or_deleted():
    user = dgos_user()
    log = StateLog.objects.create(
        by=user,
        source_state="draft",
        state="submitted",
        transition="submit",
        content_type=ContentType.objects.get_for_model(Region),
        object_id=1,
        description="Dépôt",
    )
    with pytest.raises(IntegrityError, match="append-only"), transaction.atomic():
        StateLog.objects.filter(pk=log.pk).update(description="Réécrit")
    with pytest.raises(IntegrityError, match="append-only"), transaction.atomic():
        StateLog.objects.filter(pk=log.pk).delete()
    assert StateLog.objects.get(pk=log.pk).description == "Dépôt"


def test_registry_events_cannot_be_updated_or_deleted():
    event = RegistryEvent.objects.create(
        kind=RegistryEvent.Kind.OTHER, effective_on=datetime.date(2026, 1, 1), summary="Événement"
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        RegistryEvent.objects.filter(pk=event.pk).update(summary="Réécrit")
    with pytest.raises(IntegrityError), transaction.atomic():
        RegistryEvent.objects.filter(pk=event.pk).delete()
