"""Forms of the pilotage pages: activity report, OFSEP bilan, letter export, Orphanet notice, preferences."""

from django import forms
from django.utils.translation import gettext_lazy as _
from dsfr.forms import DsfrBaseForm

from accounts.models import User
from centres.models import Region

from .models import ActivityReport, Letter, OfsepBilan


class ActivityReportForm(DsfrBaseForm, forms.ModelForm):
    """The team's part of the standardised form of Annexe 1 §4: the activity per mission (§2.1 to §2.4)."""

    GROUPS = ActivityReport.MISSIONS

    def fieldsets(self):
        return [(legend, [self[name] for name in names]) for legend, names in self.GROUPS]

    class Meta:
        model = ActivityReport
        fields = [*ActivityReport.FIGURE_FIELDS, *ActivityReport.TEXT_FIELDS]
        widgets = {name: forms.Textarea(attrs={"rows": 3}) for name in ActivityReport.TEXT_FIELDS}


class AdministrativePartForm(DsfrBaseForm, forms.ModelForm):
    """The part of the establishment's administrative services (Annexe 1 §4: "DIM, DAF, etc.")."""

    GROUPS = (
        (_("Département d'information médicale (DIM)"), ("dim_sep_stays", "dim_sep_patients")),
        (_("Direction des affaires financières (DAF)"), ("daf_expenses", "daf_staff_fte")),
    )

    def fieldsets(self):
        return [(legend, [self[name] for name in names]) for legend, names in self.GROUPS]

    class Meta:
        model = ActivityReport
        fields = list(ActivityReport.ADMINISTRATIVE_FIELDS)


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
        label=_("Comment souhaitez-vous recevoir les courriels ?"), choices=User.Digest.choices
    )


class LetterCorrectionForm(DsfrBaseForm):
    """Issue 13, item 1: the correcting letter's reason (required), object and body."""

    reason = forms.CharField(
        label=_("Motif de la correction"),
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Indiquez le motif de la correction.")},
    )
    subject = forms.CharField(label=_("Objet"), max_length=500)
    body = forms.CharField(
        label=_("Corps du courrier corrigé"),
        help_text=_("Un paragraphe par bloc, séparés par une ligne vide."),
        widget=forms.Textarea(attrs={"rows": 16}),
        error_messages={"required": _("Le corps du courrier corrigé ne peut pas être vide.")},
    )
