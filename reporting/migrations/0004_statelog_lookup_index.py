"""Dashboards and alerts read "the last transition of this dossier" for every dossier of a procedure:
a composite index on django-fsm-log's table makes that a single index probe (the table is append-only,
an index changes nothing of its content)."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("reporting", "0003_activity_exports_alerts"),
        ("django_fsm_log", "0005_description_null"),
    ]

    operations = [
        migrations.RunSQL(
            "CREATE INDEX IF NOT EXISTS reporting_statelog_last_step "
            "ON django_fsm_log_statelog (content_type_id, object_id, timestamp)",
            "DROP INDEX IF EXISTS reporting_statelog_last_step",
        )
    ]
