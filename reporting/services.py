"""Writes of the pilotage part: activity reports, letter exports, Orphanet communications.

Keyword-only, typed, each naming the paragraph of the texts it implements."""

from __future__ import annotations

import csv
import datetime
import io
import zipfile

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from centres.models import CrcSepCentre, OrphanetNotice

from .models import ActivityReport, ExportJob, Letter, OfsepBilan

EXPORT_TTL = datetime.timedelta(hours=24)


# --- Annual activity report (seed 000, Annexe 1 §4) ---------------------------------------------


def activity_report_start(*, centre: CrcSepCentre, year: int, user) -> ActivityReport:
    """Open (or return) the report of ``centre`` for ``year``: only for a labelled centre and a past
    or current year (Annexe 1 §4: "rendre compte de leur activité annuellement")."""
    if centre.status != CrcSepCentre.Status.LABELLED:
        raise ValidationError(_("Seul un CRC SEP labellisé remet un rapport annuel d'activité."))
    if year > timezone.localdate().year or year < 2015:
        raise ValidationError(_("L'année d'activité doit être comprise entre 2015 et l'année en cours."))
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


# --- Bulk export of notification letters ---------------------------------------------------------


def letters_for_export(filters: dict):
    """The issued letters matching an export's filters (period, letter kind, region)."""
    qs = Letter.objects.filter(status=Letter.Status.ISSUED).order_by("issued_on", "reference")
    if filters.get("date_from"):
        qs = qs.filter(issued_on__gte=filters["date_from"])
    if filters.get("date_to"):
        qs = qs.filter(issued_on__lte=filters["date_to"])
    if filters.get("kind"):
        qs = qs.filter(kind=filters["kind"])
    if filters.get("region"):
        qs = qs.filter(region__code=filters["region"])
    return qs


def export_job_request(*, user, filters: dict) -> ExportJob:
    """Record the request and queue the build once the row is committed."""
    from .tasks import build_letters_export

    job = ExportJob.objects.create(requested_by=user, filters=filters)
    transaction.on_commit(lambda: build_letters_export.delay(job.pk))
    return job


def export_job_build(*, job_id: int, progress_every: int = 10) -> ExportJob:
    """Build the ZIP (the PDFs plus ``index.csv``: reference, date, addressee, SHA-256) with progress.

    Idempotent: a finished job is left alone; a job restarted after a crash is rebuilt from scratch."""
    job = ExportJob.objects.get(pk=job_id)
    if job.status == ExportJob.Status.DONE:
        return job
    letters = list(letters_for_export(job.filters).only("pk", "reference", "issued_on", "addressees", "sha256", "pdf"))
    ExportJob.objects.filter(pk=job.pk).update(status=ExportJob.Status.RUNNING, total=len(letters), done=0)
    buffer = io.BytesIO()
    index = io.StringIO()
    writer = csv.writer(index, delimiter=";")
    writer.writerow([_("Référence"), _("Date"), _("Destinataire(s)"), _("Fichier"), "SHA-256"])
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_STORED) as archive:  # PDFs are compressed already
        for count, letter in enumerate(letters, start=1):
            name = f"{letter.reference.replace('/', '-')}.pdf"
            with letter.pdf.open("rb") as handle:
                archive.writestr(name, handle.read())
            writer.writerow(
                [letter.reference, letter.issued_on.isoformat(), " ; ".join(letter.addressees), name, letter.sha256]
            )
            if count % progress_every == 0 or count == len(letters):
                ExportJob.objects.filter(pk=job.pk).update(done=count)
        archive.writestr("index.csv", "\ufeff" + index.getvalue())
    job.refresh_from_db()
    if job.file:
        job.file.delete(save=False)
    job.file.save(
        f"exports/courriers-{job.pk}-{timezone.now():%Y%m%d%H%M%S}.zip", ContentFile(buffer.getvalue()), save=False
    )
    job.status = ExportJob.Status.DONE
    job.done = job.total = len(letters)
    job.finished_at = timezone.now()
    job.expires_at = job.finished_at + getattr(settings, "LETTER_EXPORT_TTL", EXPORT_TTL)
    job.save(update_fields=["file", "status", "done", "total", "finished_at", "expires_at"])
    return job


def export_jobs_purge(*, now: datetime.datetime | None = None) -> int:
    """Delete the ZIP files (and rows) of expired exports."""
    now = now or timezone.now()
    count = 0
    for job in ExportJob.objects.filter(expires_at__lte=now):
        if job.file:
            job.file.delete(save=False)
        job.delete()
        count += 1
    return count


# --- Orphanet (seed 004, Annexe 1 and 2, last step: "la DGOS informe Orphanet") ------------------


def orphanet_notice_record(
    *, notice: OrphanetNotice, communicated_on: datetime.date, reference: str, user
) -> OrphanetNotice:
    """DGOS records when and under which reference Orphanet was told of the change."""
    notice.communicated_on = communicated_on
    notice.reference = reference
    notice.communicated_by = user
    notice.full_clean()
    notice.save(update_fields=["communicated_on", "reference", "communicated_by"])
    return notice
