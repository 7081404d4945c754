"""Forms of the succession procedure (French labels; rules live in services)."""

from __future__ import annotations

from django import forms
from django.forms import formset_factory

from centres.models import Establishment

from .models import CvEntry, Document, Project, Succession, SuccessorCv

DATE = forms.DateInput(attrs={"type": "date", "class": "fr-input"}, format="%Y-%m-%d")


class DsfrMixin:
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            widget = field.widget
            if isinstance(widget, forms.Select):
                widget.attrs.setdefault("class", "fr-select")
            elif isinstance(widget, forms.RadioSelect):
                continue
            elif isinstance(widget, forms.ClearableFileInput | forms.FileInput):
                widget.attrs.setdefault("class", "fr-upload")
                widget.attrs.setdefault("accept", "application/pdf")
            else:
                widget.attrs.setdefault("class", "fr-input")


# Titles in letters agree with the person's civility (issue 13, item 5): asked, never guessed.
CIVILITY_CHOICES = [("", "Choisir une civilité"), ("Mme", "Madame"), ("M.", "Monsieur")]


class NoticeForm(DsfrMixin, forms.Form):
    effective_on = forms.DateField(label="Date effective de cessation d'activité", widget=DATE)
    letter = forms.FileField(label="Courrier de cessation d'activité (PDF signé)", required=False)


class SuccessorForm(DsfrMixin, forms.Form):
    case = forms.ChoiceField(label="Cas de succession", choices=Succession.Case.choices)
    establishment = forms.ModelChoiceField(label="Établissement du successeur", queryset=Establishment.objects.none())
    civility = forms.ChoiceField(
        label="Civilité du successeur",
        choices=CIVILITY_CHOICES,
        help_text="Accorde sa fonction dans le courrier d'officialisation (« désignée coordonnatrice »).",
    )
    title = forms.CharField(label="Titre (Pr, Dr…)", max_length=100)
    first_name = forms.CharField(label="Prénom du successeur", max_length=100)
    last_name = forms.CharField(label="Nom du successeur", max_length=100)
    specialty = forms.CharField(label="Spécialité", max_length=200, required=False)
    email = forms.EmailField(label="Courriel du successeur", required=False)

    def __init__(self, *args, crmr, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["establishment"].queryset = Establishment.objects.filter(crmr_sites__crmr=crmr).distinct()
        if crmr.kind != crmr.Kind.MULTI:
            self.fields["case"].choices = [
                (Succession.Case.SAME_ESTABLISHMENT, Succession.Case.SAME_ESTABLISHMENT.label)
            ]


class DocumentForm(DsfrMixin, forms.Form):
    kind = forms.ChoiceField(label="Pièce", choices=[])
    file = forms.FileField(label="Document (PDF signé)")

    def __init__(self, *args, kinds, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [(k, Document.Kind(k).label) for k in kinds]


class CvForm(DsfrMixin, forms.ModelForm):
    class Meta:
        model = SuccessorCv
        fields = [
            "centre_name",
            "establishment_name",
            "last_name",
            "first_name",
            "address",
            "phone",
            "email",
            "specialty_and_titles",
            "experience",
        ]
        widgets = {
            "specialty_and_titles": forms.Textarea(attrs={"rows": 3}),
            "experience": forms.Textarea(attrs={"rows": 4}),
        }


class CvEntryForm(DsfrMixin, forms.Form):
    kind = forms.ChoiceField(label="Rubrique", choices=[("", "—"), *CvEntry.Kind.choices])
    year = forms.IntegerField(label="Année", min_value=1900, max_value=2100)
    title = forms.CharField(label="Intitulé", max_length=500)


CvEntryFormSet = formset_factory(CvEntryForm, extra=3, can_delete=True)


class SpecialCaseForm(DsfrMixin, forms.Form):
    reason = forms.ChoiceField(label="Motif", choices=Succession.SpecialReason.choices)
    informed_by = forms.ChoiceField(label="Courrier reçu de", choices=Succession.InformedBy.choices)
    letter = forms.FileField(label="Courrier d'information (PDF)")

    def __init__(self, *args, by_coordinator: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if by_coordinator:  # the coordinator sends his or her own letter: the sender is known
            del self.fields["informed_by"]
            self.fields["letter"].label = "Votre courrier informant la DGOS de la difficulté de succession (PDF)"


class MigAgreementForm(DsfrMixin, forms.Form):
    amount = forms.DecimalField(
        label="Montant de la MIG de coordination redéployé vers l'établissement d'accueil (€)",
        min_value=0,
        decimal_places=2,
        help_text="Selon l'accord intervenu entre les établissements : tout, une partie ou rien (0).",
    )
    file = forms.FileField(label="Document d'accord entre les établissements (PDF)", required=False)


class SessionForm(DsfrMixin, forms.Form):
    session_date = forms.DateField(label="Date de la séance de délibération", widget=DATE)


class ProjectForm(DsfrMixin, forms.Form):
    civility = forms.ChoiceField(label="Civilité du candidat", choices=CIVILITY_CHOICES)
    title = forms.CharField(label="Titre du candidat (Pr, Dr…)", max_length=100)
    first_name = forms.CharField(label="Prénom du candidat", max_length=100)
    last_name = forms.CharField(label="Nom du candidat", max_length=100)
    establishment = forms.ModelChoiceField(label="Établissement porteur", queryset=Establishment.objects.none())
    mig_amount = forms.DecimalField(label="Dotation MIG prévue par le projet (€)", min_value=0, decimal_places=2)
    file = forms.FileField(label="Projet (PDF)")

    def __init__(self, *args, region, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["establishment"].queryset = Establishment.objects.filter(region=region)


class OpinionForm(DsfrMixin, forms.Form):
    opinion = forms.ChoiceField(label="Avis", choices=Project.Opinion.choices)
    reasons = forms.CharField(label="Motifs", widget=forms.Textarea(attrs={"rows": 2}), required=False)


class OfficialiseForm(DsfrMixin, forms.Form):
    project = forms.ModelChoiceField(label="Projet retenu", queryset=Project.objects.none())
    effective_on = forms.DateField(label="Date d'effet", widget=DATE)

    def __init__(self, *args, succession, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["project"].queryset = succession.projects.filter(
            gp_opinion=Project.Opinion.FAVOURABLE
        ).select_related("candidate", "establishment")


class OrphanetForm(DsfrMixin, forms.Form):
    communicated_on = forms.DateField(label="Orphanet informé le", widget=DATE)
    reference = forms.CharField(label="Référence de la communication", max_length=100)
