"""Forms of the CRC SEP application (French labels; the services hold the rules)."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError

from centres.models import Establishment, Hospital, Tranche
from core.uploads import validate_pdf_upload

from .models import CRITERIA, Application


def _dsfr(form: forms.Form) -> None:
    """DSFR classes on the widgets."""
    for field in form.fields.values():
        widget = field.widget
        if isinstance(widget, forms.CheckboxInput):
            continue
        if isinstance(widget, forms.Select):
            widget.attrs.setdefault("class", "fr-select")
        elif isinstance(widget, forms.ClearableFileInput | forms.FileInput):
            widget.attrs.setdefault("class", "fr-upload")
        else:
            widget.attrs.setdefault("class", "fr-input")


class ApplicationCreateForm(forms.Form):
    establishment = forms.ModelChoiceField(queryset=Establishment.objects.none(), label="Établissement (CHU)")
    hospital = forms.ModelChoiceField(queryset=Hospital.objects.none(), label="Site hospitalier d'implantation")
    tranche = forms.ModelChoiceField(queryset=Tranche.objects.all(), label="Tranche", empty_label=None)
    centre_name = forms.CharField(label="Nom du centre", max_length=200)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        if user.is_ars:
            # The ARS prepares an application on behalf of a CHU of its region.
            establishments = Establishment.objects.filter(region_id=user.region_id, kind=Establishment.Kind.CHU)
        else:
            establishments = Establishment.objects.filter(pk=user.establishment_id)
            self.fields["establishment"].initial = user.establishment_id
            self.fields["establishment"].empty_label = None
        self.fields["establishment"].queryset = establishments
        self.fields["hospital"].queryset = Hospital.objects.filter(establishment__in=establishments).select_related(
            "establishment"
        )
        self.fields["hospital"].label_from_instance = lambda h: f"{h.name} ({h.establishment.name})"
        # Annexe 2: each tranche's campaign state (a closed one is refused by the service, by name)
        self.fields["tranche"].help_text = " ; ".join(
            f"{t.label} : campagne {t.campaign_state_label()}" for t in Tranche.objects.all()
        )
        _dsfr(self)

    def clean(self):
        data = super().clean()
        establishment, hospital = data.get("establishment"), data.get("hospital")
        if establishment and hospital and hospital.establishment_id != establishment.pk:
            self.add_error("hospital", "Ce site hospitalier n'appartient pas à l'établissement choisi.")
        return data


class TrancheCampaignForm(forms.ModelForm):
    """DGOS: the tranche's campaign dates and funding status (Annexe 2), with the reason of the change."""

    reason = forms.CharField(
        label="Motif de la modification",
        max_length=100,
        help_text="Conservé dans l'historique de la tranche (100 caractères au plus).",
    )

    class Meta:
        model = Tranche
        fields = ["funding_status", "budget_circular", "campaign_opens_on", "campaign_closes_on"]
        widgets = {
            "campaign_opens_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "campaign_closes_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        }
        help_texts = {
            "budget_circular": "Obligatoire pour un financement notifié : référence et date de la circulaire.",
            "campaign_opens_on": "Vide : campagne non ouverte. Candidatures possibles à partir de cette date.",
            "campaign_closes_on": "Facultatif : après cette date, plus de candidature ni de labellisation.",
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _dsfr(self)


class ApplicationTeamForm(forms.ModelForm):
    """Annexe 1, §3: the coordinator, the specialised nurse and the optional resources."""

    class Meta:
        model = Application
        fields = [
            "centre_name",
            "coordinator_name",
            "coordinator_specialty",
            "coordinator_neurologist",
            "coordinator_years_expert",
            "coordinator_research",
            "nurse_name",
            "nurse_ms_specialised",
            "nurse_etp_trained",
            "nurse_reception_orientation",
            "nurse_information_support",
            "external_specialists",
            "other_professionals",
        ]
        widgets = {
            "coordinator_research": forms.Textarea(attrs={"rows": 3}),
            "external_specialists": forms.Textarea(attrs={"rows": 2}),
            "other_professionals": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _dsfr(self)


class EvidenceForm(forms.Form):
    """One declared fact and one optional PDF per criterion of the cahier des charges."""

    def __init__(self, *args, application: Application, **kwargs):
        super().__init__(*args, **kwargs)
        current = {c.code: c for c in application.criteria.all()}
        self.rows = []
        for spec in CRITERIA:
            criterion = current.get(spec.code)
            self.fields[f"fact_{spec.code}"] = forms.CharField(
                label="Élément déclaré",
                required=False,
                widget=forms.Textarea(attrs={"rows": 2}),
                initial=criterion.declared_fact if criterion else "",
            )
            self.fields[f"file_{spec.code}"] = forms.FileField(
                label="Pièce justificative",
                required=False,
                allow_empty_file=True,  # core.uploads refuses it with its own French message
                widget=forms.FileInput(attrs={"accept": "application/pdf"}),
            )
        _dsfr(self)
        for spec in CRITERIA:
            criterion = current.get(spec.code)
            self.rows.append(
                {
                    "spec": spec,
                    "fact": self[f"fact_{spec.code}"],
                    "file": self[f"file_{spec.code}"],
                    "documents": list(criterion.documents.all()) if criterion else [],
                }
            )

    def clean(self):
        data = super().clean()
        for spec in CRITERIA:
            upload = data.get(f"file_{spec.code}")
            if upload:
                try:
                    validate_pdf_upload(upload)
                except ValidationError as exc:
                    self.add_error(f"file_{spec.code}", exc)
        return data

    @property
    def facts(self) -> dict[str, str]:
        return {spec.code: self.cleaned_data.get(f"fact_{spec.code}", "").strip() for spec in CRITERIA}

    @property
    def uploads(self) -> dict:
        return {spec.code: f for spec in CRITERIA if (f := self.cleaned_data.get(f"file_{spec.code}"))}


class FilterForm(forms.Form):
    state = forms.ChoiceField(
        label="État", required=False, choices=[("", "Tous les états"), *Application.State.choices]
    )
    tranche = forms.ChoiceField(label="Tranche", required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["tranche"].choices = [("", "Toutes les tranches")] + [
            (str(t.number), t.label) for t in Tranche.objects.all()
        ]
        _dsfr(self)
