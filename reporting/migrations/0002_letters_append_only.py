from django.db import migrations

from core.db import append_only


class Migration(migrations.Migration):
    """A letter row may be completed once (pending -> issued with its PDF and hash), then never changes;
    no letter is ever deleted."""

    dependencies = [("reporting", "0001_initial")]
    operations = [
        append_only("reporting_letter", update_when="OLD.sha256 <> ''"),
        append_only("reporting_letter_establishments"),
    ]
