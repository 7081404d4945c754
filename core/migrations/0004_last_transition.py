import django.db.models.deletion
from django.db import migrations, models

from core.db import last_transition_trigger


class Migration(migrations.Migration):
    """The last transition of each dossier, kept by a trigger on the transition log and filled from it
    (issue 15, item 4: the dashboards no longer read the whole log)."""

    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("django_fsm_log", "0004_auto_20190131_0341"),
        ("django_fsm_log", "0005_description_null"),
        ("core", "0003_append_only_truncate"),
    ]

    operations = [
        migrations.CreateModel(
            name="LastTransition",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("object_id", models.PositiveIntegerField()),
                ("at", models.DateTimeField()),
                (
                    "content_type",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE, related_name="+", to="contenttypes.contenttype"
                    ),
                ),
            ],
            options={
                "constraints": [
                    models.UniqueConstraint(
                        fields=("content_type", "object_id"), name="core_lasttransition_one_per_dossier"
                    )
                ],
            },
        ),
        last_transition_trigger(),
    ]
