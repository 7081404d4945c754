# The activity report models left the reporting app (issue 14, item 3); their tables keep their names.

import functools

import core.models
import core.uploads
import django.core.validators
import django.db.models.deletion
import django_fsm
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
        ('contenttypes', '0002_remove_content_type_name'),
        ('reporting', '0009_merge_letters_team_report_outbox'),
        ('centres', '0009_establishment_coordinates'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            # the tables keep their names (Meta.db_table): nothing moves in the database
            database_operations=[],
            state_operations=[
                migrations.CreateModel(
                    name='ActivityReport',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('year', models.PositiveSmallIntegerField(verbose_name="année d'activité")),
                        ('state', django_fsm.FSMField(choices=[('draft', 'En cours de saisie par le centre'), ('submitted', "Transmis à l'établissement"), ('validated', "Validé par l'établissement"), ('confirmed', "Confirmé par l'ARS")], default='draft', max_length=12, protected=True, verbose_name='état')),
                        ('active_file_patients', models.PositiveIntegerField(blank=True, null=True, verbose_name='file active (patients)')),
                        ('new_patients', models.PositiveIntegerField(blank=True, null=True, verbose_name='nouveaux patients')),
                        ('consultations', models.PositiveIntegerField(blank=True, null=True, verbose_name='consultations')),
                        ('announcement_consultations', models.PositiveIntegerField(blank=True, null=True, verbose_name="consultations d'annonce")),
                        ('multidisciplinary_followups', models.PositiveIntegerField(blank=True, null=True, verbose_name='consultations de suivi pluridisciplinaire')),
                        ('day_hospitalisations', models.PositiveIntegerField(blank=True, null=True, verbose_name='hospitalisations de jour')),
                        ('full_hospitalisations', models.PositiveIntegerField(blank=True, null=True, verbose_name='hospitalisations complètes')),
                        ('rcp_meetings', models.PositiveIntegerField(blank=True, null=True, verbose_name='RCP tenues')),
                        ('therapeutic_meetings', models.PositiveIntegerField(blank=True, null=True, verbose_name='réunions de concertation thérapeutique tenues')),
                        ('etp_programmes', models.PositiveIntegerField(blank=True, null=True, verbose_name="programmes d'ETP")),
                        ('etp_patients', models.PositiveIntegerField(blank=True, null=True, verbose_name="patients ayant suivi un programme d'ETP")),
                        ('ofsep_exports', models.PositiveSmallIntegerField(blank=True, null=True, verbose_name="exports OFSEP/EDMUS dans l'année")),
                        ('edmus_records', models.PositiveIntegerField(blank=True, null=True, verbose_name='dossiers EDMUS exportés')),
                        ('research_projects', models.PositiveIntegerField(blank=True, null=True, verbose_name='projets de recherche en cours')),
                        ('publications', models.PositiveIntegerField(blank=True, null=True, verbose_name='publications')),
                        ('training_sessions', models.PositiveIntegerField(blank=True, null=True, verbose_name='actions de formation dispensées')),
                        ('referred_patients', models.PositiveIntegerField(blank=True, null=True, verbose_name='patients adressés par un praticien du territoire')),
                        ('care_plans', models.PositiveIntegerField(blank=True, null=True, verbose_name='projets personnalisés de soins formalisés et transmis')),
                        ('research_details', models.TextField(blank=True, verbose_name='projets de recherche et publications (détail)')),
                        ('training_details', models.TextField(blank=True, verbose_name='formations dispensées (détail)')),
                        ('partnerships', models.TextField(blank=True, verbose_name='partenariats (réseaux, associations, médico-social)')),
                        ('dim_sep_stays', models.PositiveIntegerField(blank=True, null=True, verbose_name='séjours et venues des patients SEP (PMSI, DIM)')),
                        ('dim_sep_patients', models.PositiveIntegerField(blank=True, null=True, verbose_name='patients SEP distincts pris en charge (PMSI, DIM)')),
                        ('daf_expenses', models.DecimalField(blank=True, decimal_places=2, max_digits=12, null=True, validators=[django.core.validators.MinValueValidator(0)], verbose_name='dépenses affectées au centre (DAF, €)')),
                        ('daf_staff_fte', models.DecimalField(blank=True, decimal_places=2, max_digits=6, null=True, validators=[django.core.validators.MinValueValidator(0)], verbose_name='personnel affecté au centre (équivalents temps plein, DAF)')),
                        ('created_at', models.DateTimeField(auto_now_add=True)),
                        ('updated_at', models.DateTimeField(auto_now=True)),
                        ('centre', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='activity_reports', to='centres.crcsepcentre', verbose_name='CRC SEP')),
                        ('updated_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
                    ],
                    options={
                        'verbose_name': "rapport annuel d'activité",
                        'verbose_name_plural': "rapports annuels d'activité",
                        'db_table': 'reporting_activityreport',
                        'ordering': ['-year', 'centre__name'],
                    },
                    bases=(core.models.ChoiceLabels, django_fsm.FSMModelMixin, models.Model),
                ),
                migrations.CreateModel(
                    name='OfsepBilan',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('file', models.FileField(max_length=200, upload_to=core.uploads.private_upload_path, verbose_name='fichier')),
                        ('original_name', models.CharField(max_length=120, verbose_name='nom du fichier')),
                        ('size', models.PositiveIntegerField(verbose_name='taille (octets)')),
                        ('sha256', models.CharField(max_length=64)),
                        ('uploaded_at', models.DateTimeField(auto_now_add=True, verbose_name='déposé le')),
                        ('semester', models.PositiveSmallIntegerField(choices=[(1, '1er semestre'), (2, '2nd semestre')], verbose_name='semestre')),
                        ('report', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='ofsep_bilans', to='activity_reports.activityreport')),
                        ('uploaded_by', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
                    ],
                    options={
                        'verbose_name': 'bilan OFSEP',
                        'db_table': 'reporting_ofsepbilan',
                        'ordering': ['semester', 'uploaded_at'],
                    },
                    bases=(core.models.ChoiceLabels, models.Model),
                ),
                migrations.AddIndex(
                    model_name='activityreport',
                    index=models.Index(fields=['state', 'year'], name='reporting_a_state_cbf94d_idx'),
                ),
                migrations.AddConstraint(
                    model_name='activityreport',
                    constraint=models.UniqueConstraint(fields=('centre', 'year'), name='unique_activity_report_year'),
                ),
            ],
        ),
        migrations.RunPython(
            functools.partial(_move_content_types, "reporting", "activity_reports", ['activityreport', 'ofsepbilan']),
            functools.partial(_move_content_types, "activity_reports", "reporting", ['activityreport', 'ofsepbilan']),
        ),
    ]
