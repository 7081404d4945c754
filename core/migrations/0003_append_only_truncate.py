from django.db import migrations

from core.db import append_only_truncate


class Migration(migrations.Migration):
    """TRUNCATE fires no row trigger: refuse it on every append-only table too (issue 16, item 5)."""

    dependencies = [
        ("core", "0002_admin_change_journal"),
        ("reporting", "0002_letters_append_only"),
        ("centres", "0002_registry_events_append_only"),
    ]
    operations = [append_only_truncate()]
