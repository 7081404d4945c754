from django.db import migrations

from core.db import append_only


class Migration(migrations.Migration):
    """Registry events are history: never edited or deleted."""

    dependencies = [("centres", "0001_initial")]
    operations = [append_only("centres_registryevent")]
