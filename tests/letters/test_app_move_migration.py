"""Letters and activity reports left the reporting app (issue 14, item 3) without losing a row: the tables
keep their names and the content types follow their models, so the generic links of letters, the
transition logs of reports and the permissions still point at the same rows, on PostgreSQL."""

from __future__ import annotations

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

# Before the move: neither new app migrated, the foreign keys still to reporting.Letter.
BEFORE = [
    ("letters", None),
    ("activity_reports", None),
    ("crmr_procedures", "0003_succession_notice_recipients_mig_agreement"),
    ("reporting", "0009_merge_letters_team_report_outbox"),
]


def _migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state([t for t in targets if t[1] is not None]).apps


def _latest():
    return MigrationExecutor(connection).loader.graph.leaf_nodes()


@pytest.mark.django_db(transaction=True)
def test_rows_and_content_types_follow_the_models_into_their_apps():
    old = _migrate(BEFORE)
    try:
        ContentType = old.get_model("contenttypes", "ContentType")
        SenderIdentity = old.get_model("reporting", "SenderIdentity")
        report_type = ContentType.objects.get(app_label="reporting", model="activityreport").pk
        letter_type = ContentType.objects.get(app_label="reporting", model="letter").pk
        sender = SenderIdentity.objects.create(
            code="TEST-MOVE",
            kind="dgos",
            name="Expéditeur d'essai",
            lines="DGOS",
            seat_city="Paris",
            postal_address="Paris",
        )

        new = _migrate(_latest())
        ContentType = new.get_model("contenttypes", "ContentType")
        assert ContentType.objects.get(pk=report_type).app_label == "activity_reports"
        assert ContentType.objects.get(pk=letter_type).app_label == "letters"
        assert not ContentType.objects.filter(
            app_label="reporting", model__in=["letter", "activityreport", "senderidentity"]
        ).exists()
        moved = new.get_model("letters", "SenderIdentity").objects.get(pk=sender.pk)
        assert moved.name == "Expéditeur d'essai"
    finally:
        _migrate(_latest())
