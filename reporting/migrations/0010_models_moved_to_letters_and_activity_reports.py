# Letters and activity reports now live in their own apps (state only: the tables stay).

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('activity_reports', '0001_initial'),
        ('letters', '0001_initial'),
        ('crmr_procedures', '0004_letters_app'),
        ('reporting', '0009_merge_letters_team_report_outbox'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            # the tables keep their names (Meta.db_table): nothing moves in the database
            database_operations=[],
            state_operations=[
                migrations.RemoveField(
                    model_name='activityreport',
                    name='centre',
                ),
                migrations.RemoveField(
                    model_name='activityreport',
                    name='updated_by',
                ),
                migrations.RemoveField(
                    model_name='ofsepbilan',
                    name='report',
                ),
                migrations.RemoveField(
                    model_name='letter',
                    name='cites',
                ),
                migrations.RemoveField(
                    model_name='letter',
                    name='content_type',
                ),
                migrations.RemoveField(
                    model_name='letter',
                    name='created_by',
                ),
                migrations.RemoveField(
                    model_name='letter',
                    name='establishments',
                ),
                migrations.RemoveField(
                    model_name='letter',
                    name='region',
                ),
                migrations.RemoveField(
                    model_name='letterreader',
                    name='letter',
                ),
                migrations.DeleteModel(
                    name='LetterCounter',
                ),
                migrations.RemoveField(
                    model_name='ofsepbilan',
                    name='uploaded_by',
                ),
                migrations.RemoveField(
                    model_name='senderidentity',
                    name='region',
                ),
                migrations.RemoveField(
                    model_name='signatory',
                    name='sender',
                ),
                migrations.DeleteModel(
                    name='ActivityReport',
                ),
                migrations.DeleteModel(
                    name='Letter',
                ),
                migrations.DeleteModel(
                    name='LetterReader',
                ),
                migrations.DeleteModel(
                    name='OfsepBilan',
                ),
                migrations.DeleteModel(
                    name='SenderIdentity',
                ),
                migrations.DeleteModel(
                    name='Signatory',
                ),
            ],
        ),
    ]
