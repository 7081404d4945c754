# Foreign keys to letters follow the Letter model into the letters app (state only).

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('crmr_procedures', '0003_succession_notice_recipients_mig_agreement'),
        ('letters', '0001_initial'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            # the tables keep their names (Meta.db_table): nothing moves in the database
            database_operations=[],
            state_operations=[
                migrations.AlterField(
                    model_name='ccmrrequest',
                    name='cpom_letter',
                    field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='letters.letter'),
                ),
                migrations.AlterField(
                    model_name='ccmrrequest',
                    name='opinion_letter',
                    field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='letters.letter'),
                ),
                migrations.AlterField(
                    model_name='ccmrrequest',
                    name='transmission_letter',
                    field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='letters.letter'),
                ),
                migrations.AlterField(
                    model_name='succession',
                    name='letter',
                    field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='letters.letter', verbose_name='courrier'),
                ),
            ],
        ),
    ]
