"""Forms of the pilotage pages: activity report, OFSEP bilan, letter export, Orphanet notice, preferences."""

from django import forms
from dsfr.forms import DsfrBaseForm

from accounts.models import User
from centres.models import Region
from letters.models import Letter


class LetterExportForm(DsfrBaseForm):
    date_from = forms.DateField(label="Du", required=False, widget=forms.DateInput(attrs={"type": "date"}))
    date_to = forms.DateField(label="Au", required=False, widget=forms.DateInput(attrs={"type": "date"}))
    kind = forms.ChoiceField(label="Procédure (nature du courrier)", required=False)
    region = forms.ModelChoiceField(
        label="Région", required=False, queryset=Region.objects.all(), empty_label="Toutes les régions"
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [("", "Toutes les procédures"), *Letter.Kind.choices]

    def clean(self):
        data = super().clean()
        if data.get("date_from") and data.get("date_to") and data["date_from"] > data["date_to"]:
            raise forms.ValidationError("La date de début doit précéder la date de fin.")
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
    communicated_on = forms.DateField(label="Communiqué le", widget=forms.DateInput(attrs={"type": "date"}))
    reference = forms.CharField(label="Référence de la communication", max_length=100)


class NotificationPreferenceForm(forms.Form):
    """Rendered by hand in the template as DSFR radio buttons (django-dsfr's radio snippet needs
    django-widget-tweaks, which is not installed)."""

    notification_mode = forms.ChoiceField(
        label="Comment souhaitez-vous recevoir les courriels ?", choices=User.Digest.choices
    )
