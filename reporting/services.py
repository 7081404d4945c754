"""Writes of the pilotage part: activity reports, letter exports, Orphanet communications.

Keyword-only, typed, each naming the paragraph of the texts it implements."""

from __future__ import annotations

import datetime

from django.db import transaction

from centres.models import OrphanetNotice

from .models import ExportJob
from .tasks import build_letters_export, build_table_export

EXPORT_TTL = datetime.timedelta(hours=24)


# --- Annual activity report (2016 instruction, Annexe 1 §4) ---------------------------------------------


# --- Bulk export of notification letters ---------------------------------------------------------


def export_job_request(*, user, filters: dict) -> ExportJob:
    """Record the request and queue the build once the row is committed."""
    job = ExportJob.objects.create(requested_by=user, filters=filters)
    transaction.on_commit(lambda: build_letters_export.delay(job.pk))
    return job


def table_export_request(*, user, builder: str, params: dict, fmt: str, title: str, filename: str) -> ExportJob:
    """A long list as XLSX/ODS (issue 15, item 2): recorded, then written by a worker once committed.
    ``builder`` is the dotted name of the view's export builder (set by the code, never by the user)."""
    job = ExportJob.objects.create(
        requested_by=user,
        kind=ExportJob.Kind.TABLE,
        filters={"builder": builder, "params": params, "format": fmt, "title": title, "filename": filename},
    )
    transaction.on_commit(lambda: build_table_export.delay(job.pk))
    return job


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


# --- Corrections of issued letters (issue 13, item 1) ---------------------------------------------
