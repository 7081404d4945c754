# Issue 12 (items 6, 7, 8, 9): the notice's addressees come from the registry instead of free text, the
# establishments' agreement on the MIG, the date DGOS passed the notice to the vice-président santé.

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


def _default_text(establishment_name: str) -> str:
    """The free text the application used to pre-fill (services._default_addressees before issue 12)."""
    return "\n".join(
        [
            f"Président(e) du directoire — {establishment_name}",
            "Copie : président(e) du comité de suivi et de prospective (CoSPro) du PNMR",
            "Copie : Direction générale de l'offre de soins (DGOS)",
        ]
    )


def forwards(apps, schema_editor):
    """Existing rows: a free text equal to the old pre-filled default says nothing the registry does not, so it
    is cleared; any other text is kept, read-only, for the record. Sent notices get the director's name from
    the registry and their sending date; forwarded ones the date DGOS passed them on (from the trace)."""
    Succession = apps.get_model("crmr_procedures", "Succession")
    StateLog = apps.get_model("django_fsm_log", "StateLog")
    ContentType = apps.get_model("contenttypes", "ContentType")
    content_type = ContentType.objects.filter(app_label="crmr_procedures", model="succession").first()
    for s in Succession.objects.select_related("former_establishment").iterator():
        fields = []
        text = (s.legacy_notice_addressees or "").strip()
        if text and text.replace("\r\n", "\n") == _default_text(s.former_establishment.name):
            s.legacy_notice_addressees = ""
            fields.append("legacy_notice_addressees")
        logs = (
            StateLog.objects.filter(content_type=content_type, object_id=s.pk).order_by("timestamp")
            if content_type
            else StateLog.objects.none()
        )
        sent = logs.filter(transition__in=["send_notice", "accept_short_notice"]).first()
        if sent is not None:
            s.notice_director_name = s.former_establishment.director_name
            s.notice_sent_on = sent.timestamp.date()
            fields += ["notice_director_name", "notice_sent_on"]
        forwarded = logs.filter(transition="forward_notice").first()
        if forwarded is not None:
            s.notice_forwarded_on = forwarded.timestamp.date()
            fields.append("notice_forwarded_on")
        if fields:
            s.save(update_fields=fields)


class Migration(migrations.Migration):

    dependencies = [
        ('crmr_procedures', '0002_inbox_order_indexes'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
        ("django_fsm_log", "0005_description_null"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [
        migrations.RenameField(
            model_name='succession',
            old_name='notice_addressees',
            new_name='legacy_notice_addressees',
        ),
        migrations.AlterField(
            model_name='succession',
            name='legacy_notice_addressees',
            field=models.TextField(blank=True, editable=False, verbose_name='destinataires saisis librement (ancienne saisie, conservée pour mémoire)'),
        ),
        migrations.AddField(
            model_name='succession',
            name='mig_agreed_amount',
            field=models.DecimalField(blank=True, decimal_places=2, max_digits=12, null=True, verbose_name="montant de la MIG de coordination redéployé selon l'accord (€)"),
        ),
        migrations.AddField(
            model_name='succession',
            name='mig_agreement_recorded_at',
            field=models.DateTimeField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name='succession',
            name='mig_agreement_recorded_by',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL),
        ),
        migrations.AddField(
            model_name='succession',
            name='mig_at_call',
            field=models.DecimalField(blank=True, decimal_places=2, max_digits=12, null=True, verbose_name="MIG initiale au moment de l'appel à projets (€)"),
        ),
        migrations.AddField(
            model_name='succession',
            name='notice_director_name',
            field=models.CharField(blank=True, editable=False, max_length=200, verbose_name='président(e) du directoire destinataire du préavis'),
        ),
        migrations.AddField(
            model_name='succession',
            name='notice_forwarded_on',
            field=models.DateField(blank=True, null=True, verbose_name='préavis communiqué au vice-président santé le'),
        ),
        migrations.AddField(
            model_name='succession',
            name='notice_sent_on',
            field=models.DateField(blank=True, editable=False, null=True, verbose_name='préavis envoyé le'),
        ),
        migrations.AlterField(
            model_name='document',
            name='kind',
            field=models.CharField(choices=[('notice', "Courrier de cessation d'activité"), ('proposal', 'Lettre proposant le successeur avec engagement sur ses compétences'), ('motivation', 'Lettre de motivation signée du successeur'), ('director_opinion', 'Avis favorable du président du directoire sur le successeur'), ('transfer_agreement', "Avis favorable du président du directoire de l'établissement actuel au transfert de la coordination"), ('receiving_agreement', "Avis favorable du président du directoire de l'établissement d'accueil (coordination et successeur)"), ('informing', 'Courrier informant la DGOS de la difficulté de succession'), ('mig_agreement', 'Accord entre les établissements sur le redéploiement de la dotation MIG de coordination')], max_length=20, verbose_name='pièce'),
        ),
        migrations.AlterField(
            model_name='succession',
            name='short_notice_justification',
            field=models.TextField(blank=True, editable=False, verbose_name='justification du préavis court (ancienne dérogation DGOS)'),
        ),
        migrations.RunPython(forwards, migrations.RunPython.noop),
    ]
