"""Background exports (run by the tasks):

- the bulk ZIP of issued letters (``services.export_job_request``), part by part on whichever worker is
  free, then assembled; every part and its index rows go to storage, the job row records which parts are
  there, and the task finishing the last part queues the assembly: nothing passes through the broker's
  result backend (issue 15, item 6), and every copy goes by blocks (never a whole PDF or part in memory);
- a long list as XLSX/ODS (``services.table_export_request``, issue 15, item 2), written row by row by
  ``core.exports`` streaming writers."""

from __future__ import annotations

import contextlib
import csv
import datetime
import errno
import io
import os
import shutil
import struct
import tempfile
import time
import zipfile
from pathlib import Path

from django.conf import settings
from django.core.files.base import ContentFile, File
from django.core.files.storage import FileSystemStorage, default_storage
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.module_loading import import_string

from core.exports import cells, neutralise_row, write_ods, write_xlsx
from letters.models import Letter
from letters.selectors import replacement_reference

from .models import ExportJob
from .selectors import letters_for_export

EXPORT_TTL = datetime.timedelta(hours=24)


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
def _scratch_file(suffix: str = ".zip"):
    directory = None  # another storage (object storage): an ordinary temporary file, uploaded when saved
    if isinstance(default_storage, FileSystemStorage):  # same disk as the destination: saving renames
        directory = Path(default_storage.path(SCRATCH_DIR))
        directory.mkdir(parents=True, exist_ok=True)
    with tempfile.NamedTemporaryFile(dir=directory, suffix=suffix, delete=False) as handle:
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
    plan = [ids[i : i + chunk_size] for i in range(0, len(ids), chunk_size)]
    ExportJob.objects.filter(pk=job.pk).update(
        status=ExportJob.Status.RUNNING, total=len(ids), done=0, error="", parts_total=len(plan), parts_done=[]
    )
    return plan


def _part_path(job_id: int, index: int, ext: str) -> str:
    return f"{PARTS_DIR}/job-{job_id}-{index:05d}.{ext}"


def _store(path: str, content) -> None:
    if default_storage.exists(path):  # a retried part replaces its previous file
        default_storage.delete(path)
    saved = default_storage.save(path, content)
    if saved != path:  # another run of the same part saved it meanwhile: keep one
        default_storage.delete(saved)


def export_part_build(*, job_id: int, index: int, letter_ids: list[int]) -> bool:
    """One part: a ZIP of these letters' PDFs (stored, not recompressed, copied by blocks) and its index
    rows (a CSV beside it), both on storage; True when this part was the last one missing."""
    letters = (
        Letter.objects.filter(pk__in=letter_ids)
        .only("reference", "issued_on", "addressees", "sha256", "pdf", "cites__reference")
        .select_related("cites")
        .annotate(replaced_by_ref=replacement_reference())
    )
    index_rows = io.StringIO()
    writer = csv.writer(index_rows, delimiter=";")
    stamp = time.localtime()[:6]
    with _scratch_file() as handle:
        with zipfile.ZipFile(handle.file, "w", compression=zipfile.ZIP_STORED) as archive:
            for letter in sorted(letters, key=lambda x: (x.issued_on, x.reference)):
                name = f"{letter.reference.replace('/', '-')}.pdf"
                info = zipfile.ZipInfo(name, date_time=stamp)
                info.compress_type = zipfile.ZIP_STORED
                with letter.pdf.open("rb") as pdf, archive.open(info, "w") as entry:
                    shutil.copyfileobj(pdf, entry, COPY_BLOCK)
                addressees = " ; ".join(letter.addressee_labels)
                writer.writerow(
                    neutralise_row(
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
                )
        handle.file.flush()
        handle.seek(0)
        _store(_part_path(job_id, index, "zip"), handle)
    _store(_part_path(job_id, index, "csv"), ContentFile(index_rows.getvalue().encode("utf-8")))
    return _part_recorded(job_id=job_id, index=index, count=len(letter_ids))


def _part_recorded(*, job_id: int, index: int, count: int) -> bool:
    """Count a stored part once (a retried part is not counted twice); True when every part is stored."""
    with transaction.atomic():
        job = ExportJob.objects.select_for_update().only("parts_done", "parts_total", "done").get(pk=job_id)
        if index not in job.parts_done:
            job.parts_done = [*job.parts_done, index]
            job.done += count
            job.save(update_fields=["parts_done", "done"])
        return len(job.parts_done) >= job.parts_total


def export_job_assemble(*, job_id: int) -> ExportJob:
    """Concatenate the stored parts' entries, add ``index.csv`` and one central directory; delete the parts.

    The job row stays locked while assembling, so that a second assembly (the last part run twice) waits
    and then finds the job done."""
    with transaction.atomic():
        job = ExportJob.objects.select_for_update().get(pk=job_id)
        if job.status == ExportJob.Status.DONE:
            return job
        missing = set(range(job.parts_total)) - set(job.parts_done)
        if missing:
            raise OSError(f"export parts missing: {sorted(missing)[:5]}")
        _assemble(job)
    for index in range(job.parts_total):
        for ext in ("zip", "csv"):
            with contextlib.suppress(FileNotFoundError):
                default_storage.delete(_part_path(job.pk, index, ext))
    return job


def _assemble(job: ExportJob) -> None:
    header = [
        "Référence",
        "Date",
        "Destinataire(s)",
        "Fichier",
        "SHA-256",
        "Annule et remplace",
        "Remplacé par",
    ]
    count = 0
    # The central directory is written by blocks too: each part's records (offsets moved) go to a
    # temporary file as the part is copied, never a list of every entry in memory (~500 B an entry).
    with _scratch_file() as scratch, tempfile.TemporaryFile() as directory:
        out = scratch.file
        for index in range(job.parts_total):
            base = out.tell()
            with (
                default_storage.open(_part_path(job.pk, index, "zip"), "rb") as source,
                zipfile.ZipFile(source) as archive,
            ):
                infos = archive.infolist()
                for info in infos:
                    info.header_offset += base
                directory.write(_central_records(infos))
                count += len(infos)
                source.seek(0)
                _copy_bytes(source, out, archive.start_dir)
        info = zipfile.ZipInfo("index.csv", date_time=time.localtime()[:6])
        info.compress_type = zipfile.ZIP_DEFLATED
        with _records_only(out) as final, final.open(info, "w") as entry:
            first = io.StringIO()
            csv.writer(first, delimiter=";").writerow(header)
            entry.write(("\ufeff" + first.getvalue()).encode("utf-8"))
            for index in range(job.parts_total):
                with default_storage.open(_part_path(job.pk, index, "csv"), "rb") as rows:
                    shutil.copyfileobj(rows, entry, COPY_BLOCK)
        directory.write(_central_records([info]))
        directory.seek(0)
        _write_central_directory(out, directory, count + 1)
        out.flush()
        out.seek(0)
        if job.file:
            job.file.delete(save=False)
        job.file.save(f"exports/courriers-{job.pk}-{timezone.now():%Y%m%d%H%M%S}.zip", scratch, save=False)
    job.status = ExportJob.Status.DONE
    job.done = job.total = count
    job.finished_at = timezone.now()
    job.expires_at = job.finished_at + getattr(settings, "LETTER_EXPORT_TTL", EXPORT_TTL)
    job.save(update_fields=["file", "status", "done", "total", "finished_at", "expires_at"])


COPY_BLOCK = 1024 * 1024


def _central_records(entries: list[zipfile.ZipInfo]) -> bytes:
    """The central directory records of ``entries``, as zipfile writes them (ZIP64 extras included)."""
    records = b""
    for start in range(0, len(entries), 10_000):  # below 65,536: no ZIP64 end record to strip
        buffer = io.BytesIO()
        writer = zipfile.ZipFile(buffer, "w")
        writer.filelist = entries[start : start + 10_000]
        writer.start_dir = 0
        writer._write_end_record()  # the records, then a 22-byte end record (no comment)
        writer.filelist, writer._didModify = [], False
        writer.close()
        records += buffer.getvalue()[:-22]
    return records


@contextlib.contextmanager
def _records_only(out):
    """A ZipFile appending entries at ``out``'s position and writing no central directory on close."""
    writer = zipfile.ZipFile(out, "w", compression=zipfile.ZIP_STORED)
    try:
        yield writer
    finally:
        writer.filelist, writer._didModify = [], False
        writer.close()


def _write_central_directory(out, directory, count: int) -> None:
    """Append the records gathered in ``directory`` and the end of archive (ZIP64 when needed)."""
    start = out.tell()
    shutil.copyfileobj(directory, out, COPY_BLOCK)
    end = out.tell()
    size = end - start
    if count > 0xFFFF or start > zipfile.ZIP64_LIMIT or size > zipfile.ZIP64_LIMIT:
        out.write(
            struct.pack(
                zipfile.structEndArchive64,
                zipfile.stringEndArchive64,
                44,
                45,
                45,
                0,
                0,
                count,
                count,
                size,
                start,
            )
        )
        out.write(struct.pack(zipfile.structEndArchive64Locator, zipfile.stringEndArchive64Locator, 0, end, 1))
    out.write(
        struct.pack(
            zipfile.structEndArchive,
            zipfile.stringEndArchive,
            0,
            0,
            min(count, 0xFFFF),
            min(count, 0xFFFF),
            min(size, 0xFFFFFFFF),
            min(start, 0xFFFFFFFF),
            0,
        )
    )


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
    for i, ids in enumerate(plan):
        export_part_build(job_id=job_id, index=i, letter_ids=ids)
    return export_job_assemble(job_id=job_id)


# --- Long lists as XLSX/ODS (issue 15, item 2) ----------------------------------------------------------

TABLE_PROGRESS_EVERY = 1000  # rows between two progress updates of the job row
TABLE_WRITERS = {"xlsx": write_xlsx, "ods": write_ods}


def table_export_build(*, job_id: int) -> ExportJob:
    """Write the list the requester asked for (same builder, same scope, same filters) into a file."""
    job = ExportJob.objects.select_related("requested_by").get(pk=job_id)
    if job.status == ExportJob.Status.DONE:
        return job
    spec = job.filters
    table = import_string(spec["builder"])(job.requested_by, spec.get("params", {}))
    total = table.count() if table.count else 0
    ExportJob.objects.filter(pk=job.pk).update(status=ExportJob.Status.RUNNING, total=total, done=0, error="")
    fmt = spec["format"]
    written = 0

    def rows():
        nonlocal written
        for row in table.rows:
            yield cells(row)
            written += 1
            if written % TABLE_PROGRESS_EVERY == 0:
                ExportJob.objects.filter(pk=job.pk).update(done=written, total=max(total, written))

    with _scratch_file(suffix=f".{fmt}") as scratch:
        TABLE_WRITERS[fmt](scratch.file, table.headers, rows(), table.title)
        scratch.file.flush()
        scratch.file.seek(0)
        if job.file:
            job.file.delete(save=False)
        job.file.save(f"exports/{table.filename}-{job.pk}-{timezone.now():%Y%m%d%H%M%S}.{fmt}", scratch, save=False)
    job.status = ExportJob.Status.DONE
    job.done = job.total = written
    job.finished_at = timezone.now()
    job.expires_at = job.finished_at + getattr(settings, "LETTER_EXPORT_TTL", EXPORT_TTL)
    job.save(update_fields=["file", "status", "done", "total", "finished_at", "expires_at"])
    return job


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
