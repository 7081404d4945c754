"""Writes of the annual activity report (2016 instruction, Annexe 1 §4)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from centres.models import CrcSepCentre

from .models import ActivityReport, OfsepBilan


def activity_report_start(*, centre: CrcSepCentre, year: int, user) -> ActivityReport:
    """Open (or return) the report of ``centre`` for ``year``: only for a labelled centre and a past
    or current year (Annexe 1 §4: "rendre compte de leur activité annuellement")."""
    if centre.status != CrcSepCentre.Status.LABELLED:
        raise ValidationError("Seul un CRC SEP labellisé remet un rapport annuel d'activité.")
    if year > timezone.localdate().year or year < 2015:
        raise ValidationError("L'année d'activité doit être comprise entre 2015 et l'année en cours.")
    report, _created = ActivityReport.objects.get_or_create(centre=centre, year=year, defaults={"updated_by": user})
    return report


def activity_report_update(*, report: ActivityReport, form, user) -> ActivityReport:
    """Save the figures of a draft (the caller checked WRITE access)."""
    report = form.save(commit=False)
    report.updated_by = user
    report.full_clean(exclude=["state"])  # the protected FSM field is not assignable, only transitions move it
    report.save()
    return report


def activity_report_attach_bilan(*, report: ActivityReport, semester: int, upload, user) -> OfsepBilan:
    """Attach a semestrial OFSEP bilan (§4: "accompagnés du bilan individualisé d'activité")."""
    bilan = OfsepBilan(report=report, semester=semester, uploaded_by=user)
    with transaction.atomic():
        bilan.attach(upload)  # raises a French ValidationError before anything is stored
        bilan.save()
    return bilan
