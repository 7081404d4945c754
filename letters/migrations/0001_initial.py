# The letters models left the reporting app (issue 14, item 3); their tables keep their names.

import functools

import core.models
import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


def _move_content_types(source, target, models, apps, schema_editor):
    """Existing content types follow their model, so permissions, object permissions, transition logs and
    letters' generic links to these rows keep pointing at them."""
    ContentType = apps.get_model("contenttypes", "ContentType")
    ContentType.objects.using(schema_editor.connection.alias).filter(app_label=source, model__in=models).update(
        app_label=target
    )


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('reporting', '0009_merge_letters_team_report_outbox'),
        ('centres', '0009_establishment_coordinates'),
        ('contenttypes', '0002_remove_content_type_name'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            # the tables keep their names (Meta.db_table): nothing moves in the database
            database_operations=[],
            state_operations=[
                migrations.CreateModel(
                    name='Letter',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('reference', models.CharField(max_length=60, unique=True, verbose_name='référence')),
                        ('sender_code', models.CharField(max_length=30, verbose_name='expéditeur (code)')),
                        ('year', models.PositiveSmallIntegerField()),
                        ('number', models.PositiveIntegerField()),
                        ('kind', models.CharField(choices=[('crcsep_labelling', 'Décision de labellisation CRC SEP'), ('crcsep_refusal', 'Refus de labellisation CRC SEP'), ('crcsep_withdrawal', 'Retrait de labellisation CRC SEP'), ('gp_transmission', 'Transmission au groupe permanent'), ('call_for_projects', 'Appel à projets'), ('succession', "Officialisation d'un coordonnateur"), ('ccmr_opinion', "Officialisation de l'avis sur un centre de compétences"), ('cpom', 'Notification par avenant au CPOM'), ('orphanet', "Information d'Orphanet"), ('other', 'Autre courrier')], max_length=30, verbose_name='nature')),
                        ('issued_on', models.DateField(verbose_name='date')),
                        ('sender_label', models.CharField(max_length=300, verbose_name='expéditeur')),
                        ('sender_lines', models.JSONField(blank=True, default=list, verbose_name='bloc expéditeur')),
                        ('sender_city', models.CharField(blank=True, max_length=100, verbose_name='lieu')),
                        ('sender_address', models.JSONField(blank=True, default=list, verbose_name="adresse de l'expéditeur")),
                        ('instruction', models.CharField(blank=True, max_length=300, verbose_name='texte appliqué')),
                        ('addressees', models.JSONField(default=list, verbose_name='destinataires')),
                        ('copies', models.JSONField(blank=True, default=list, verbose_name='copies')),
                        ('subject', models.CharField(max_length=500, verbose_name='objet')),
                        ('references_line', models.CharField(blank=True, max_length=500, verbose_name='références')),
                        ('attachments', models.JSONField(blank=True, default=list, verbose_name='pièces jointes')),
                        ('body_html', models.TextField(verbose_name='corps')),
                        ('signature_formula', models.CharField(blank=True, max_length=200, verbose_name='formule')),
                        ('signatory_name', models.CharField(max_length=200, verbose_name='signataire')),
                        ('signatory_function', models.CharField(max_length=300, verbose_name='fonction du signataire')),
                        ('object_id', models.PositiveBigIntegerField(blank=True, null=True)),
                        ('correction_reason', models.TextField(blank=True, verbose_name='motif de la correction')),
                        ('created_at', models.DateTimeField(auto_now_add=True)),
                        ('verification_code', models.CharField(blank=True, max_length=9, verbose_name='code de vérification')),
                        ('signature_demo', models.BooleanField(default=False, verbose_name='signature de démonstration')),
                        ('status', models.CharField(choices=[('pending', 'En cours de production'), ('issued', 'Émis')], default='pending', max_length=10)),
                        ('pdf', models.FileField(blank=True, max_length=200, upload_to='')),
                        ('sha256', models.CharField(blank=True, max_length=64)),
                        ('rendered_at', models.DateTimeField(blank=True, null=True)),
                        ('cites', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='corrections', to='letters.letter', verbose_name='corrige le courrier')),
                        ('content_type', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, to='contenttypes.contenttype')),
                        ('created_by', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
                        ('establishments', models.ManyToManyField(blank=True, related_name='letters', to='centres.establishment')),
                        ('region', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='letters', to='centres.region')),
                    ],
                    options={
                        'verbose_name': 'courrier',
                        'db_table': 'reporting_letter',
                        'ordering': ['-issued_on', '-number'],
                    },
                    bases=(core.models.ChoiceLabels, models.Model),
                ),
                migrations.CreateModel(
                    name='LetterCounter',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('sender_code', models.CharField(max_length=30)),
                        ('year', models.PositiveSmallIntegerField()),
                        ('last_number', models.PositiveIntegerField(default=0)),
                    ],
                    options={
                        'db_table': 'reporting_lettercounter',
                        'constraints': [models.UniqueConstraint(fields=('sender_code', 'year'), name='unique_counter_sender_year')],
                    },
                ),
                migrations.CreateModel(
                    name='LetterReader',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('party', models.CharField(max_length=40)),
                        ('letter', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='readers', to='letters.letter')),
                    ],
                    options={
                        'db_table': 'reporting_letterreader',
                    },
                ),
                migrations.CreateModel(
                    name='SenderIdentity',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('code', models.CharField(help_text='DGOS-PF2, DGOS-R4, ARS-53…', max_length=30, unique=True, verbose_name='code')),
                        ('kind', models.CharField(choices=[('dgos', 'Bureau de la DGOS'), ('ars', 'Agence régionale de santé')], max_length=4, verbose_name='nature')),
                        ('name', models.CharField(help_text='Nom employé dans les copies et les pages.', max_length=200, verbose_name='nom')),
                        ('lines', models.TextField(help_text='Une ligne par niveau (direction, sous-direction…).', verbose_name='bloc expéditeur')),
                        ('seat_city', models.CharField(max_length=100, verbose_name='ville du siège')),
                        ('postal_address', models.TextField(help_text="Une ligne par ligne d'adresse.", verbose_name='adresse postale')),
                        ('contact', models.CharField(blank=True, max_length=200, verbose_name='contact')),
                        ('instruction_reference', models.CharField(blank=True, help_text="Pour un bureau de la DGOS : l'instruction dont il est l'auteur (numéro et date).", max_length=200, verbose_name='instruction émise')),
                        ('instruction_subject', models.CharField(blank=True, max_length=300, verbose_name="objet de l'instruction")),
                        ('region', models.OneToOneField(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='sender_identity', to='centres.region', verbose_name='région (ARS)')),
                    ],
                    options={
                        'verbose_name': 'expéditeur',
                        'db_table': 'reporting_senderidentity',
                        'ordering': ['kind', 'code'],
                    },
                ),
                migrations.CreateModel(
                    name='Signatory',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('civility', models.CharField(choices=[('Mme', 'Madame'), ('M.', 'Monsieur')], max_length=3, verbose_name='civilité')),
                        ('first_name', models.CharField(max_length=100, verbose_name='prénom')),
                        ('last_name', models.CharField(max_length=100, verbose_name='nom')),
                        ('title', models.CharField(help_text='Accordée avec la civilité, par ex. « Directrice générale »', max_length=300, verbose_name='fonction')),
                        ('delegation', models.TextField(blank=True, help_text='Par ex. « Pour le directeur général et par délégation » (une ligne par formule).', verbose_name='formule de délégation')),
                        ('position', models.PositiveSmallIntegerField(default=0, verbose_name='ordre')),
                        ('is_active', models.BooleanField(default=True, verbose_name='signe les courriers')),
                        ('is_demo', models.BooleanField(default=False, help_text='Personne fictive des données de démonstration.', verbose_name='signataire de démonstration')),
                        ('sender', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='signatories', to='letters.senderidentity')),
                    ],
                    options={
                        'verbose_name': 'signataire',
                        'db_table': 'reporting_signatory',
                        'ordering': ['sender', 'position', 'pk'],
                    },
                ),
                migrations.AddIndex(
                    model_name='letter',
                    index=models.Index(fields=['content_type', 'object_id'], name='reporting_l_content_8da65f_idx'),
                ),
                migrations.AddIndex(
                    model_name='letter',
                    index=models.Index(fields=['status', 'created_at'], name='reporting_l_status_779c61_idx'),
                ),
                migrations.AddIndex(
                    model_name='letter',
                    index=models.Index(fields=['kind', 'issued_on'], name='reporting_l_kind_c33b33_idx'),
                ),
                migrations.AddIndex(
                    model_name='letter',
                    index=models.Index(fields=['-issued_on', '-number'], name='letter_newest_idx'),
                ),
                migrations.AddIndex(
                    model_name='letter',
                    index=models.Index(fields=['region', '-issued_on', '-number'], name='letter_region_newest_idx'),
                ),
                migrations.AddConstraint(
                    model_name='letter',
                    constraint=models.UniqueConstraint(fields=('sender_code', 'year', 'number'), name='unique_letter_number'),
                ),
                migrations.AddIndex(
                    model_name='letterreader',
                    index=models.Index(fields=['party', 'letter'], name='reporting_l_party_672896_idx'),
                ),
                migrations.AddConstraint(
                    model_name='letterreader',
                    constraint=models.UniqueConstraint(fields=('letter', 'party'), name='unique_letter_reader'),
                ),
            ],
        ),
        migrations.RunPython(
            functools.partial(_move_content_types, "reporting", "letters", ['senderidentity', 'signatory', 'lettercounter', 'letter', 'letterreader']),
            functools.partial(_move_content_types, "letters", "reporting", ['senderidentity', 'signatory', 'lettercounter', 'letter', 'letterreader']),
        ),
    ]
