"""Forms of the pilotage pages: activity report, OFSEP bilan, letter export, Orphanet notice, preferences."""

from django import forms
from django.utils.translation import gettext_lazy as _
from dsfr.forms import DsfrBaseForm

from accounts.models import User
from centres.models import Region

from .models import ActivityReport, Letter, OfsepBilan


class ActivityReportForm(DsfrBaseForm, forms.ModelForm):
    """The standardised form of Annexe 1 §4, in the order of the cahier des charges' missions."""

    GROUPS = (
        (
            _("File active et consultations"),
            (
                "active_file_patients",
                "new_patients",
                "consultations",
                "announcement_consultations",
                "multidisciplinary_followups",
            ),
        ),
        (_("Hospitalisations"), ("day_hospitalisations", "full_hospitalisations")),
        (_("Réunions de concertation"), ("rcp_meetings", "therapeutic_meetings")),
        (_("Éducation thérapeutique du patient"), ("etp_programmes", "etp_patients")),
        (_("OFSEP et base EDMUS"), ("ofsep_exports", "edmus_records")),
        (
            _("Recherche et formation"),
            ("research_projects", "publications", "training_sessions", "research_details", "training_details"),
        ),
        (_("Partenariats"), ("partnerships",)),
    )

    def fieldsets(self):
        return [(legend, [self[name] for name in names]) for legend, names in self.GROUPS]

    class Meta:
        model = ActivityReport
        fields = [*ActivityReport.FIGURE_FIELDS, *ActivityReport.TEXT_FIELDS]
        widgets = {name: forms.Textarea(attrs={"rows": 3}) for name in ActivityReport.TEXT_FIELDS}


class OfsepBilanForm(DsfrBaseForm):
    semester = forms.TypedChoiceField(label=_("Semestre"), choices=OfsepBilan.Semester.choices, coerce=int)
    file = forms.FileField(label=_("Bilan OFSEP (PDF)"))


class LetterExportForm(DsfrBaseForm):
    date_from = forms.DateField(label=_("Du"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    date_to = forms.DateField(label=_("Au"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    kind = forms.ChoiceField(label=_("Procédure (nature du courrier)"), required=False)
    region = forms.ModelChoiceField(
        label=_("Région"), required=False, queryset=Region.objects.all(), empty_label=_("Toutes les régions")
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [("", _("Toutes les procédures")), *Letter.Kind.choices]

    def clean(self):
        data = super().clean()
        if data.get("date_from") and data.get("date_to") and data["date_from"] > data["date_to"]:
            raise forms.ValidationError(_("La date de début doit précéder la date de fin."))
        return data

    def filters(self) -> dict:
        data = self.cleaned_data
        return {
            "date_from": data["date_from"].isoformat() if data.get("date_from") else "",
            "date_to": data["date_to"].isoformat() if data.get("date_to") else "",
            "kind": data.get("kind") or "",
            "region": data["region"].code if data.get("region") else "",
        }


class OrphanetCommunicationForm(DsfrBaseForm):
    communicated_on = forms.DateField(label=_("Communiqué le"), widget=forms.DateInput(attrs={"type": "date"}))
    reference = forms.CharField(label=_("Référence de la communication"), max_length=100)


class NotificationPreferenceForm(forms.Form):
    """Rendered by hand in the template as DSFR radio buttons (django-dsfr's radio snippet needs
    django-widget-tweaks, which is not installed)."""

    notification_mode = forms.ChoiceField(
        label=_("Comment souhaitez-vous être prévenu(e) ?"), choices=User.Digest.choices
    )
