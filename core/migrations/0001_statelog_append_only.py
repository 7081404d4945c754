from django.db import migrations

from core.db import append_only


class Migration(migrations.Migration):
    """The transition log (django-fsm-log) is never edited or deleted."""

    dependencies = [("django_fsm_log", "0004_auto_20190131_0341"), ("django_fsm_log", "0005_description_null")]
    operations = [append_only("django_fsm_log_statelog")]
