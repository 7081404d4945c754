"""Bulk export of issued letters: ZIP of the PDFs plus a CSV index, progress, requester-only download."""

import csv
import datetime
import hashlib
import io
import subprocess
import zipfile

import pytest
from django.urls import reverse
from django.utils import timezone

from letters.engine import ars_sender, dgos_sender, letter_compose, letter_issue
from letters.models import Letter
from reporting.export_jobs import export_job_build, export_jobs_purge
from reporting.models import ExportJob
from tests.factories import admin_user, ars_user, dgos_user, gp_user, region

pytestmark = pytest.mark.django_db


def issue(user, *, kind=Letter.Kind.OTHER, region_code=None, issued_on=None):
    sender = ars_sender(region(region_code)) if region_code else dgos_sender()
    draft = letter_compose(
        kind=kind,
        sender=sender,
        subject="Courrier à exporter",
        body_template="letters/layout/test_body.html",
        context={"message": "Export"},
        addressees=["Madame la directrice du CHU"],
        region=region(region_code) if region_code else None,
        created_by=user,
        issued_on=issued_on,
    )
    return letter_issue(draft)


@pytest.fixture
def letters(django_capture_on_commit_callbacks):
    user = dgos_user()
    with django_capture_on_commit_callbacks(execute=True):
        made = [
            issue(user, kind=Letter.Kind.SUCCESSION_OFFICIALISATION, issued_on=datetime.date(2026, 3, 1)),
            issue(user, kind=Letter.Kind.CCMR_OPINION, issued_on=datetime.date(2026, 4, 1)),
            issue(user, kind=Letter.Kind.CPOM_NOTIFICATION, region_code="53", issued_on=datetime.date(2026, 5, 1)),
        ]
    return [Letter.objects.get(pk=letter.pk) for letter in made]


@pytest.mark.parametrize("chunk", [1, 2, 50])
def test_zip_holds_each_pdf_and_an_index_with_sha256(letters, settings, chunk):
    settings.LETTER_EXPORT_CHUNK = chunk  # the parts built apart are assembled into one valid archive
    job = ExportJob.objects.create(requested_by=dgos_user(), filters={})
    job = export_job_build(job_id=job.pk)
    assert (job.status, job.done, job.total) == (ExportJob.Status.DONE, 3, 3)
    with zipfile.ZipFile(job.file.open("rb")) as archive:
        assert archive.testzip() is None  # every entry's CRC checks out
        rows = list(csv.reader(io.StringIO(archive.read("index.csv").decode("utf-8-sig")), delimiter=";"))
        assert rows[0] == [
            "Référence",
            "Date",
            "Destinataire(s)",
            "Fichier",
            "SHA-256",
            "Annule et remplace",
            "Remplacé par",
        ]
        for _reference, _date, addressee, name, sha, _cites, _replaced in rows[1:]:
            assert hashlib.sha256(archive.read(name)).hexdigest() == sha
            assert addressee == "Madame la directrice du CHU"
        assert {r[0] for r in rows[1:]} == {letter.reference for letter in letters}
    assert job.expires_at - job.finished_at == datetime.timedelta(hours=24)
    # an independent reader (Info-ZIP) accepts the assembled archive too
    check = subprocess.run(["unzip", "-tq", job.file.path], capture_output=True, text=True)
    assert check.returncode == 0, check.stdout + check.stderr
    # the scratch files were renamed into place, the parts deleted: nothing left behind
    from django.core.files.storage import default_storage

    assert default_storage.listdir("exports/tmp") == ([], [])
    assert default_storage.listdir("exports/parts")[1] == []


def test_export_to_a_storage_without_disk_uploads_the_scratch_file_and_removes_it(letters, settings, tmp_path):
    """Object storage (no local path): the part and the ZIP are read and stored, the scratch files deleted."""
    settings.STORAGES = {**settings.STORAGES, "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"}}
    settings.LETTER_EXPORT_CHUNK = 2
    import tempfile

    settings_tmp = tmp_path / "scratch"
    settings_tmp.mkdir()
    tempfile.tempdir, saved = str(settings_tmp), tempfile.tempdir
    try:
        # the letters' PDFs live on the previous storage: give the in-memory storage its own copies
        from django.core.files.base import ContentFile
        from django.core.files.storage import default_storage

        for letter in letters:
            default_storage.save(letter.pdf.name, ContentFile(b"%PDF-1.4 " + letter.reference.encode()))
        job = export_job_build(job_id=ExportJob.objects.create(requested_by=dgos_user(), filters={}).pk)
        from django.core.files.storage import FileSystemStorage

        assert not isinstance(default_storage, FileSystemStorage)
        with zipfile.ZipFile(job.file.open("rb")) as archive:
            assert archive.testzip() is None and len(archive.namelist()) == 4
        assert list(settings_tmp.iterdir()) == []
    finally:
        tempfile.tempdir = saved


@pytest.mark.parametrize(
    "filters, expected_kinds",
    [
        ({"kind": "succession"}, {"succession"}),
        ({"region": "53"}, {"cpom"}),
        ({"date_from": "2026-03-15", "date_to": "2026-04-30"}, {"ccmr_opinion"}),
    ],
)
def test_export_honours_period_procedure_and_region(letters, filters, expected_kinds):
    job = export_job_build(job_id=ExportJob.objects.create(requested_by=dgos_user(), filters=filters).pk)
    with zipfile.ZipFile(job.file.open("rb")) as archive:
        index = csv.reader(io.StringIO(archive.read("index.csv").decode("utf-8-sig")), delimiter=";")
        references = {row[0] for row in list(index)[1:]}
        assert len(archive.namelist()) == len(references) + 1
    assert {letter.kind for letter in letters if letter.reference in references} == expected_kinds


def test_request_queues_the_task_and_page_shows_download_to_requester_only(
    letters, client, django_capture_on_commit_callbacks
):
    client.force_login(admin_user())
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("reporting:letter_export"), {"kind": "", "region": ""})
    job = ExportJob.objects.get()
    assert response.url == reverse("reporting:export_job", args=[job.pk])
    status = client.get(reverse("reporting:export_job_status", args=[job.pk])).json()
    assert status["percent"] == 100 and status["download_url"]
    assert client.get(status["download_url"]).status_code == 200
    client.force_login(dgos_user())  # another authorised user is an outsider to this job
    for name in ("export_job", "export_job_status", "export_job_download"):
        assert client.get(reverse(f"reporting:{name}", args=[job.pk])).status_code == 404


@pytest.mark.parametrize("make_user", [lambda: ars_user("53"), gp_user])
def test_only_admin_and_dgos_may_export_letters(make_user, client):
    client.force_login(make_user())
    assert client.get(reverse("reporting:letter_export")).status_code == 404
    assert client.post(reverse("reporting:letter_export"), {}).status_code == 404
    assert not ExportJob.objects.exists()


def test_inverted_period_is_refused_in_french(client):
    client.force_login(dgos_user())
    response = client.post(reverse("reporting:letter_export"), {"date_from": "2026-05-01", "date_to": "2026-01-01"})
    assert "La date de début doit précéder la date de fin." in response.content.decode()
    assert not ExportJob.objects.exists()


def test_expired_exports_are_deleted_with_their_file(letters, client):
    job = export_job_build(job_id=ExportJob.objects.create(requested_by=dgos_user(), filters={}).pk)
    path = job.file.path
    assert export_jobs_purge(now=timezone.now() + datetime.timedelta(hours=23)) == 0
    assert export_jobs_purge(now=timezone.now() + datetime.timedelta(hours=25)) == 1
    assert not ExportJob.objects.exists()
    import os

    assert not os.path.exists(path)


def test_parts_are_deleted_once_assembled(letters, settings):
    from django.core.files.storage import default_storage

    settings.LETTER_EXPORT_CHUNK = 1
    export_job_build(job_id=ExportJob.objects.create(requested_by=dgos_user(), filters={}).pk)
    assert default_storage.listdir("exports/parts")[1] == []


def test_export_with_no_matching_letter_gives_an_index_only(letters):
    job = export_job_build(job_id=ExportJob.objects.create(requested_by=dgos_user(), filters={"kind": "orphanet"}).pk)
    with zipfile.ZipFile(job.file.open("rb")) as archive:
        assert archive.namelist() == ["index.csv"]


def test_building_twice_is_idempotent(letters):
    job = export_job_build(job_id=ExportJob.objects.create(requested_by=dgos_user(), filters={}).pk)
    again = export_job_build(job_id=job.pk)
    assert again.file.name == job.file.name


def test_abandoned_jobs_and_their_parts_are_purged_after_a_day(letters, settings):
    from django.core.files.storage import default_storage

    from reporting.export_jobs import export_job_plan, export_part_build

    job = ExportJob.objects.create(requested_by=dgos_user(), filters={})
    plan = export_job_plan(job_id=job.pk)
    export_part_build(job_id=job.pk, index=0, letter_ids=plan[0])  # the assembly never came
    assert export_jobs_purge(now=timezone.now() + datetime.timedelta(hours=1)) == 0
    assert export_jobs_purge(now=timezone.now() + datetime.timedelta(hours=25)) == 1
    assert default_storage.listdir("exports/parts")[1] == []


def test_purge_removes_scratch_files_a_killed_worker_left_after_a_day(letters):
    import os

    from django.core.files.storage import default_storage

    from reporting.export_jobs import _scratch_file

    with _scratch_file() as scratch:  # a part being written when its worker was killed: never renamed
        scratch.write(b"PK partial")
        leftover = scratch.file.name
        os.link(leftover, leftover + ".kept")  # what the kill would have left on disk
    name = os.path.basename(leftover) + ".kept"
    assert default_storage.exists(f"exports/tmp/{name}")
    export_jobs_purge(now=timezone.now() + datetime.timedelta(hours=1))
    assert default_storage.exists(f"exports/tmp/{name}")  # maybe still being written: kept
    export_jobs_purge(now=timezone.now() + datetime.timedelta(hours=25))
    assert not default_storage.exists(f"exports/tmp/{name}")


def _part_and_output(tmp_path, on_disk: bool, content: bytes):
    """A part holding ``content`` and an empty output: two files on disk, or two in-memory streams."""
    if not on_disk:
        return io.BytesIO(content), io.BytesIO()
    (tmp_path / "part").write_bytes(content)
    return open(tmp_path / "part", "rb"), open(tmp_path / "out", "w+b")  # noqa: SIM115


@pytest.mark.parametrize("on_disk", [True, False], ids=["kernel-copy", "by-blocks"])
def test_assembly_copy_appends_exactly_the_parts_records(tmp_path, on_disk):
    from reporting.export_jobs import _copy_bytes

    payload = bytes(range(256)) * 5000  # 1.28 MB: more than one block
    source, target = _part_and_output(tmp_path, on_disk, payload + b"CENTRAL-DIRECTORY")
    with source, target:
        source.read(7)  # the reader's position does not matter: the copy starts at the beginning
        target.write(b"HEAD")
        _copy_bytes(source, target, len(payload))
        target.write(b"TAIL")
        target.seek(0)
        assert target.read() == b"HEAD" + payload + b"TAIL"


@pytest.mark.parametrize("on_disk", [True, False], ids=["kernel-copy", "by-blocks"])
def test_assembly_refuses_a_truncated_part(tmp_path, on_disk):
    from reporting.export_jobs import _copy_bytes

    source, target = _part_and_output(tmp_path, on_disk, b"short")
    with source, target, pytest.raises(OSError, match="truncated"):
        _copy_bytes(source, target, 1000)


# --- Parts on storage, nothing in the broker (issue 15, item 6) --------------------------------------------


def test_export_tasks_keep_no_result_in_the_broker():
    from reporting.tasks import assemble_letters_export, build_letters_export, build_letters_export_part

    tasks = (build_letters_export, build_letters_export_part, assemble_letters_export)
    assert all(task.ignore_result for task in tasks)


def test_a_part_built_twice_is_counted_once_and_the_last_one_calls_for_the_assembly(letters, settings):
    from reporting.export_jobs import export_job_assemble, export_job_plan, export_part_build

    settings.LETTER_EXPORT_CHUNK = 1
    job = ExportJob.objects.create(requested_by=dgos_user(), filters={})
    plan = export_job_plan(job_id=job.pk)
    assert [export_part_build(job_id=job.pk, index=0, letter_ids=plan[0]) for _ in range(2)] == [False, False]
    job.refresh_from_db()
    assert (job.parts_total, job.parts_done, job.done) == (3, [0], 1)
    with pytest.raises(OSError, match="missing"):  # an early assembly refuses, the job is not done
        export_job_assemble(job_id=job.pk)
    assert export_part_build(job_id=job.pk, index=2, letter_ids=plan[2]) is False
    assert export_part_build(job_id=job.pk, index=1, letter_ids=plan[1]) is True
    job = export_job_assemble(job_id=job.pk)
    assert (job.status, job.done, job.total) == (ExportJob.Status.DONE, 3, 3)
    with zipfile.ZipFile(job.file.open("rb")) as archive:
        assert archive.testzip() is None and len(archive.namelist()) == 4


def test_the_part_task_queues_the_assembly_after_the_last_part(letters, settings):
    """Eager tasks (no broker): planning queues the parts, the last part the assembly; no chord."""
    from reporting.tasks import build_letters_export

    settings.LETTER_EXPORT_CHUNK = 2
    job = ExportJob.objects.create(requested_by=dgos_user(), filters={})
    build_letters_export.delay(job.pk)
    job.refresh_from_db()
    assert (job.status, job.parts_total, sorted(job.parts_done), job.total) == (ExportJob.Status.DONE, 2, [0, 1], 3)


def test_central_directory_written_by_blocks_is_the_one_zipfile_writes():
    """The assembly writes each part's central directory records as it goes (no list of every entry):
    records and end of archive byte for byte as zipfile writes them."""
    from reporting.export_jobs import _central_records, _write_central_directory

    reference = io.BytesIO()
    with zipfile.ZipFile(reference, "w") as archive:
        for i in range(3):
            archive.writestr(zipfile.ZipInfo(f"courrier-{i}.pdf", date_time=(2026, 3, 1, 12, 0, 0)), b"%PDF" * i)
    raw = reference.getvalue()
    with zipfile.ZipFile(io.BytesIO(raw)) as archive:
        infos, start = archive.infolist(), archive.start_dir
    rebuilt = io.BytesIO(raw[:start])
    rebuilt.seek(start)
    _write_central_directory(rebuilt, io.BytesIO(_central_records(infos[:2]) + _central_records(infos[2:])), 3)
    assert rebuilt.getvalue() == raw


def _stored_parts(job, parts: int, per_part: int = 250) -> None:
    from django.core.files.base import ContentFile
    from django.core.files.storage import default_storage

    from reporting.export_jobs import _part_path

    for p in range(parts):
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w") as archive:
            for i in range(per_part):
                archive.writestr(f"DGOS-2026-{p:04d}{i:04d}.pdf", b"%PDF-1.4 " + b"x" * 500)
        default_storage.save(_part_path(job.pk, p, "zip"), ContentFile(buffer.getvalue()))
        row = f"DGOS/2026/{p};2026-01-01;Madame;x.pdf;{'a' * 64};;\r\n".encode()
        default_storage.save(_part_path(job.pk, p, "csv"), ContentFile(row * per_part))


def test_assembly_memory_does_not_grow_with_the_letters():
    """2,500 then 25,000 letters (10 and 100 parts): the same peak, under 4 MB (tracemalloc)."""
    import tracemalloc

    from reporting.export_jobs import export_job_assemble

    peaks = []
    for parts in (10, 100):
        job = ExportJob.objects.create(
            requested_by=dgos_user(), status="running", parts_total=parts, parts_done=list(range(parts))
        )
        _stored_parts(job, parts)
        tracemalloc.start()
        try:
            job = export_job_assemble(job_id=job.pk)
            peaks.append(tracemalloc.get_traced_memory()[1])
        finally:
            tracemalloc.stop()
        with zipfile.ZipFile(job.file.open("rb")) as archive:
            assert len(archive.infolist()) == parts * 250 + 1
        job.file.delete()
    assert peaks[1] < 4 * 1024 * 1024 and peaks[1] < peaks[0] * 1.5, peaks
