"""Forms of the annual activity report (2016 instruction, Annexe 1 §4)."""

from __future__ import annotations

from django import forms
from dsfr.forms import DsfrBaseForm

from .models import ActivityReport, OfsepBilan


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
        ("Département d'information médicale (DIM)", ("dim_sep_stays", "dim_sep_patients")),
        ("Direction des affaires financières (DAF)", ("daf_expenses", "daf_staff_fte")),
    )

    def fieldsets(self):
        return [(legend, [self[name] for name in names]) for legend, names in self.GROUPS]

    class Meta:
        model = ActivityReport
        fields = list(ActivityReport.ADMINISTRATIVE_FIELDS)


class OfsepBilanForm(DsfrBaseForm):
    semester = forms.TypedChoiceField(label="Semestre", choices=OfsepBilan.Semester.choices, coerce=int)
    file = forms.FileField(label="Bilan OFSEP (PDF)")
