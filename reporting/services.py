"""Writes of the pilotage part: activity reports, letter exports, Orphanet communications.

Keyword-only, typed, each naming the paragraph of the texts it implements."""

from __future__ import annotations

import contextlib
import csv
import datetime
import errno
import io
import os
import tempfile
import zipfile
from pathlib import Path

from django.conf import settings
from django.core.files.base import File
from django.core.files.storage import FileSystemStorage, default_storage
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from centres.models import OrphanetNotice
from core.exports import neutralise_row
from letters.models import Letter
from letters.selectors import replacement_reference

from .models import ExportJob

EXPORT_TTL = datetime.timedelta(hours=24)


# --- Annual activity report (2016 instruction, Annexe 1 §4) ---------------------------------------------


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


# The export is split in parts built in parallel by the workers (each a small ZIP of stored PDFs);
# assembling copies the parts' raw entries one after the other and writes one central directory, so
# the serial step costs a byte copy only and two workers build an export about twice as fast.
# Parts and the final ZIP are written once, into a scratch file on the storage's own disk that saving
# then renames into place (Django's FileSystemStorage moves a file that has a temporary path); a
# storage without a disk (object storage) reads and uploads it instead.


PARTS_DIR = "exports/parts"
SCRATCH_DIR = "exports/tmp"


class _ScratchFile(File):
    """A file being written for the storage: ``temporary_file_path`` lets FileSystemStorage rename it."""

    def temporary_file_path(self) -> str:
        return self.file.name


@contextlib.contextmanager
def _scratch_file():
    directory = None  # another storage (object storage): an ordinary temporary file, uploaded when saved
    if isinstance(default_storage, FileSystemStorage):  # same disk as the destination: saving renames
        directory = Path(default_storage.path(SCRATCH_DIR))
        directory.mkdir(parents=True, exist_ok=True)
    with tempfile.NamedTemporaryFile(dir=directory, suffix=".zip", delete=False) as handle:
        try:
            yield _ScratchFile(handle)
        finally:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(handle.name)  # still there if the storage copied it rather than moved it


def export_job_plan(*, job_id: int, chunk_size: int | None = None) -> list[list[int]] | None:
    """Mark the job running with its total and return the letter ids per part (None if already done)."""
    job = ExportJob.objects.get(pk=job_id)
    if job.status == ExportJob.Status.DONE:
        return None
    chunk_size = chunk_size or settings.LETTER_EXPORT_CHUNK
    ids = list(letters_for_export(job.filters).values_list("pk", flat=True))
    ExportJob.objects.filter(pk=job.pk).update(status=ExportJob.Status.RUNNING, total=len(ids), done=0, error="")
    return [ids[i : i + chunk_size] for i in range(0, len(ids), chunk_size)]


def export_part_build(*, job_id: int, index: int, letter_ids: list[int]) -> dict:
    """One part: a ZIP of these letters' PDFs (stored, not recompressed) and their index rows."""
    letters = (
        Letter.objects.filter(pk__in=letter_ids)
        .only("reference", "issued_on", "addressees", "sha256", "pdf", "cites__reference")
        .select_related("cites")
        .annotate(replaced_by_ref=replacement_reference())
    )
    rows = []
    with _scratch_file() as handle:
        with zipfile.ZipFile(handle.file, "w", compression=zipfile.ZIP_STORED) as archive:
            for letter in sorted(letters, key=lambda x: (x.issued_on, x.reference)):
                name = f"{letter.reference.replace('/', '-')}.pdf"
                with letter.pdf.open("rb") as pdf:
                    archive.writestr(name, pdf.read())
                addressees = " ; ".join(letter.addressee_labels)
                rows.append(
                    [
                        letter.reference,
                        letter.issued_on.isoformat(),
                        addressees,
                        name,
                        letter.sha256,
                        letter.cites.reference if letter.cites else "",
                        letter.replaced_by_ref or "",
                    ]
                )
        handle.file.flush()
        handle.seek(0)
        path = f"{PARTS_DIR}/job-{job_id}-{index:05d}.zip"
        if default_storage.exists(path):  # a retried part replaces its previous file
            default_storage.delete(path)
        path = default_storage.save(path, handle)
    ExportJob.objects.filter(pk=job_id).update(done=F("done") + len(letter_ids))
    return {"index": index, "path": path, "rows": rows}


def export_job_assemble(*, job_id: int, parts: list[dict]) -> ExportJob:
    """Concatenate the parts' entries, add ``index.csv`` and one central directory; delete the parts."""
    job = ExportJob.objects.get(pk=job_id)
    if job.status == ExportJob.Status.DONE:
        return job
    parts = sorted(parts, key=lambda p: p["index"])
    index = io.StringIO()
    writer = csv.writer(index, delimiter=";")
    writer.writerow(
        [
            _("Référence"),
            _("Date"),
            _("Destinataire(s)"),
            _("Fichier"),
            "SHA-256",
            _("Annule et remplace"),
            _("Remplacé par"),
        ]
    )
    entries = []
    with _scratch_file() as scratch:
        out = scratch.file
        for part in parts:
            writer.writerows(neutralise_row(row) for row in part["rows"])
            base = out.tell()
            with default_storage.open(part["path"], "rb") as source, zipfile.ZipFile(source) as archive:
                for info in archive.infolist():
                    info.header_offset += base
                    entries.append(info)
                source.seek(0)
                _copy_bytes(source, out, archive.start_dir)
        with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_STORED) as final:
            final.filelist.extend(entries)  # central directory entries for the copied local records
            final.NameToInfo.update({info.filename: info for info in entries})
            final.writestr("index.csv", "\ufeff" + index.getvalue())
        out.flush()
        out.seek(0)
        if job.file:
            job.file.delete(save=False)
        job.file.save(f"exports/courriers-{job.pk}-{timezone.now():%Y%m%d%H%M%S}.zip", scratch, save=False)
    for part in parts:
        default_storage.delete(part["path"])
    job.status = ExportJob.Status.DONE
    job.done = job.total = sum(len(p["rows"]) for p in parts)
    job.finished_at = timezone.now()
    job.expires_at = job.finished_at + getattr(settings, "LETTER_EXPORT_TTL", EXPORT_TTL)
    job.save(update_fields=["file", "status", "done", "total", "finished_at", "expires_at"])
    return job


def _copy_bytes(source, target, length: int, block: int = 1024 * 1024) -> None:
    """Append the first ``length`` bytes of ``source`` (read from its start) to ``target``.

    Between two files on disk the kernel copies them (``copy_file_range``: no trip through Python);
    otherwise, or if the kernel refuses, by blocks."""
    try:
        source_fd, target_fd = source.fileno(), target.fileno()
    except (AttributeError, OSError, io.UnsupportedOperation):
        source_fd = target_fd = None
    if source_fd is not None and hasattr(os, "copy_file_range"):
        target.flush()
        start = target.tell()
        copied = 0
        try:
            while copied < length:
                n = os.copy_file_range(source_fd, target_fd, length - copied, copied, start + copied)
                if n == 0:
                    break
                copied += n
        except OSError as exc:
            if copied or not _kernel_copy_unsupported(exc):
                raise
        else:
            if copied < length:
                raise OSError("export part truncated")
            target.seek(start + length)
            return
    source.seek(0)
    remaining = length
    while remaining > 0:
        data = source.read(min(block, remaining))
        if not data:
            raise OSError("export part truncated")
        target.write(data)
        remaining -= len(data)


def _kernel_copy_unsupported(exc: OSError) -> bool:
    return exc.errno in (errno.EXDEV, errno.ENOSYS, errno.EINVAL, errno.EOPNOTSUPP, errno.EBADF)


def export_job_build(*, job_id: int) -> ExportJob:
    """The whole export in one process (tests, management use); workers run the same steps in parallel."""
    plan = export_job_plan(job_id=job_id)
    if plan is None:
        return ExportJob.objects.get(pk=job_id)
    parts = [export_part_build(job_id=job_id, index=i, letter_ids=ids) for i, ids in enumerate(plan)]
    return export_job_assemble(job_id=job_id, parts=parts)


def export_jobs_purge(*, now: datetime.datetime | None = None) -> int:
    """Delete expired exports (ZIP and row), and the leftovers of jobs that failed or never finished."""
    now = now or timezone.now()
    abandoned = Q(status__in=[ExportJob.Status.FAILED, ExportJob.Status.RUNNING, ExportJob.Status.QUEUED]) & Q(
        created_at__lte=now - getattr(settings, "LETTER_EXPORT_TTL", EXPORT_TTL)
    )
    count = 0
    for job in ExportJob.objects.filter(Q(expires_at__lte=now) | abandoned):
        if job.file:
            job.file.delete(save=False)
        _delete_parts(job.pk)
        job.delete()
        count += 1
    _delete_stale_scratch_files(before=now - getattr(settings, "LETTER_EXPORT_TTL", EXPORT_TTL))
    return count


def _delete_stale_scratch_files(*, before: datetime.datetime) -> None:
    """Scratch files a worker killed mid-part left behind (the rename never came)."""
    _delete_files_in(SCRATCH_DIR, lambda path: default_storage.get_modified_time(path) <= before)


def _delete_parts(job_id: int) -> None:
    _delete_files_in(PARTS_DIR, lambda path: path.rsplit("/", 1)[1].startswith(f"job-{job_id}-"))


def _delete_files_in(directory: str, condition) -> None:
    """Delete the files of ``directory`` (a storage path) for which ``condition(path)`` holds."""
    try:
        _dirs, files = default_storage.listdir(directory)
    except (FileNotFoundError, NotImplementedError):  # nothing there yet, or a storage that cannot list
        return
    for name in files:
        path = f"{directory}/{name}"
        with contextlib.suppress(FileNotFoundError):  # another purge or worker got there first
            if condition(path):
                default_storage.delete(path)


# --- Orphanet (2013 instruction, Annexe 1 and 2, last step: "la DGOS informe Orphanet") ------------------


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
