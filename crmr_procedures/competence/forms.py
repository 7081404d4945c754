"""Forms of the CCMR procedure (French labels; bad input re-displays with French errors)."""

from __future__ import annotations

from django import forms
from django.utils import timezone

from centres.models import Ccmr, Establishment

from .models import CcmrRequest, CcmrRequestDocument


class DsfrFormMixin:
    """DSFR classes on the widgets, so templates can render fields with includes/field.html."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            widget = field.widget
            if isinstance(widget, forms.RadioSelect):
                continue
            if isinstance(widget, forms.Select):
                widget.attrs.setdefault("class", "fr-select")
            elif isinstance(widget, forms.FileInput):
                widget.attrs.setdefault("class", "fr-upload")
                widget.attrs.setdefault("accept", "application/pdf")
            else:
                widget.attrs.setdefault("class", "fr-input")


class CcmrRequestForm(DsfrFormMixin, forms.Form):
    """Annexe 2, step 1: the coordinator's request to DGOS."""

    kind = forms.ChoiceField(label="Nature de la demande", choices=CcmrRequest.Kind.choices, widget=forms.RadioSelect)
    crmr = forms.ModelChoiceField(label="Centre de référence (CRMR)", queryset=None)
    # creation
    proposed_name = forms.CharField(label="Nom du centre de compétences à créer", max_length=250, required=False)
    establishment = forms.ModelChoiceField(
        label="Établissement de santé du centre de compétences",
        queryset=Establishment.objects.select_related("region").order_by("name"),
        required=False,
    )
    lead_title = forms.CharField(label="Titre (Pr, Dr…)", max_length=100, required=False)
    lead_first_name = forms.CharField(label="Prénom du responsable", max_length=100, required=False)
    lead_last_name = forms.CharField(label="Nom du responsable", max_length=100, required=False)
    lead_specialty = forms.CharField(label="Spécialité du responsable", max_length=200, required=False)
    lead_email = forms.EmailField(label="Courriel du responsable", required=False)
    team = forms.CharField(
        label="Équipe (membres et fonctions)", widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    # abrogation
    ccmr = forms.ModelChoiceField(label="Centre de compétences à abroger", queryset=None, required=False)
    # the letter to DGOS
    letter_text = forms.CharField(
        label="Texte du courrier à la DGOS", widget=forms.Textarea(attrs={"rows": 5}), required=False
    )
    letter_file = forms.FileField(label="Courrier signé (PDF)", required=False)

    def __init__(self, *args, crmrs, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["crmr"].queryset = crmrs
        self.fields["ccmr"].queryset = (
            Ccmr.objects.active_on(timezone.localdate()).filter(crmr__in=crmrs).select_related("establishment")
        )
        self.fields["ccmr"].label_from_instance = lambda c: f"{c.name} — {c.establishment.name}"
        if crmrs.count() == 1:
            self.fields["crmr"].initial = crmrs.first()

    def clean(self):
        data = super().clean()
        kind = data.get("kind")
        if kind == CcmrRequest.Kind.CREATION:
            for name in ("proposed_name", "establishment", "lead_first_name", "lead_last_name"):
                if not data.get(name):
                    self.add_error(name, "Ce champ est obligatoire pour une création.")
        elif kind == CcmrRequest.Kind.ABROGATION:
            ccmr, crmr = data.get("ccmr"), data.get("crmr")
            if not ccmr:
                self.add_error("ccmr", "Choisissez le centre de compétences à abroger.")
            elif crmr and ccmr.crmr_id != crmr.pk:
                self.add_error("ccmr", "Ce centre de compétences ne relève pas du centre de référence choisi.")
        if not (data.get("letter_text") or "").strip() and not data.get("letter_file"):
            self.add_error("letter_text", "Joignez votre courrier à la DGOS (PDF) ou saisissez-en le texte.")
        return data

    def team_lead(self) -> dict:
        d = self.cleaned_data
        return {
            "title": d["lead_title"],
            "first_name": d["lead_first_name"],
            "last_name": d["lead_last_name"],
            "specialty": d["lead_specialty"],
            "email": d["lead_email"],
        }


class OfficialiseForm(DsfrFormMixin, forms.Form):
    """Annexe 2, step 3: the opinion DGOS officialises, and a paragraph for its letter."""

    decision = forms.ChoiceField(
        label="Avis officialisé", choices=CcmrRequest.Opinion.choices, widget=forms.RadioSelect
    )
    paragraph = forms.CharField(
        label="Paragraphe du courrier (motifs, précisions)", widget=forms.Textarea(attrs={"rows": 4}), required=False
    )


class DocumentForm(DsfrFormMixin, forms.Form):
    kind = forms.ChoiceField(
        label="Pièce",
        choices=[(k.value, k.label) for k in CcmrRequestDocument.ARS_ONLY_KINDS],
    )
    file = forms.FileField(label="Fichier PDF")


class CpomForm(DsfrFormMixin, forms.Form):
    """Annexe 2, step 5: the CPOM amendment."""

    reference = forms.CharField(label="Référence de l'avenant au CPOM", max_length=100)
    date = forms.DateField(
        label="Date de l'avenant (date d'effet dans le registre)", widget=forms.DateInput(attrs={"type": "date"})
    )
    paragraph = forms.CharField(
        label="Paragraphe du courrier de notification", widget=forms.Textarea(attrs={"rows": 3}), required=False
    )


class OrphanetForm(DsfrFormMixin, forms.Form):
    """Annexe 2, step 6."""

    communicated_on = forms.DateField(
        label="Date de l'information d'Orphanet", widget=forms.DateInput(attrs={"type": "date"})
    )
    reference = forms.CharField(label="Référence de la communication", max_length=100)
