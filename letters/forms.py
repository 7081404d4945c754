"""The correction form of an issued letter (issue 13, item 1)."""

from __future__ import annotations

from django import forms
from dsfr.forms import DsfrBaseForm


class LetterCorrectionForm(DsfrBaseForm):
    """Issue 13, item 1: the correcting letter's reason (required), object and body."""

    reason = forms.CharField(
        label="Motif de la correction",
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Indiquez le motif de la correction."},
    )
    subject = forms.CharField(label="Objet", max_length=500)
    body = forms.CharField(
        label="Corps du courrier corrigé",
        help_text="Un paragraphe par bloc, séparés par une ligne vide.",
        widget=forms.Textarea(attrs={"rows": 16}),
        error_messages={"required": "Le corps du courrier corrigé ne peut pas être vide."},
    )
