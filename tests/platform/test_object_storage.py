"""Object storage over HTTP against a local S3-compatible server (moto): letters, uploads and export
archives go through Django's storage API into a private bucket, nothing lands on the host's disk, and
every download passes the application's permission check first (streamed, or a short-lived signed URL
issued after the check)."""

from __future__ import annotations

import datetime
import hashlib
import os
import re
import subprocess
import sys
import zipfile
from pathlib import Path
from urllib.parse import parse_qs, urlparse

import pytest
import requests
from django.urls import reverse

from activity_reports.models import ActivityReport
from letters.engine import dgos_sender, letter_compose, letter_issue
from letters.models import Letter
from letters.rendering import letter_verify
from reporting.export_jobs import export_job_build, export_jobs_purge
from reporting.models import ExportJob
from tests.activity_reports.factories import labelled_centre, pdf_upload
from tests.factories import ars_user, dgos_user

ROOT = Path(__file__).resolve().parents[2]
ALL_USERS = "http://acs.amazonaws.com/groups/global/AllUsers"


def issue_letters(count: int, django_capture_on_commit_callbacks) -> list[Letter]:
    user = dgos_user()
    with django_capture_on_commit_callbacks(execute=True):
        drafts = [
            letter_compose(
                kind=Letter.Kind.OTHER,
                sender=dgos_sender(),
                subject=f"Courrier {n} stocké dans le compartiment",
                body_template="letters/layout/test_body.html",
                context={"message": "Stockage objet"},
                addressees=["Madame la directrice du CHR d'Orléans"],
                created_by=user,
                issued_on=datetime.date(2026, 3, 1 + n),
            )
            for n in range(count)
        ]
        made = [letter_issue(draft) for draft in drafts]
    return [Letter.objects.get(pk=letter.pk) for letter in made]


def local_files(settings) -> list[Path]:
    root = Path(settings.MEDIA_ROOT)
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


def assert_private(s3_server, bucket: str, key: str) -> None:
    acl = s3_server.client().get_object_acl(Bucket=bucket, Key=key)
    assert [g["Permission"] for g in acl["Grants"]] == ["FULL_CONTROL"]  # the owner only
    assert all(g["Grantee"].get("URI") != ALL_USERS for g in acl["Grants"])


@pytest.mark.django_db
def test_an_issued_letter_is_a_private_object_in_the_bucket_and_nothing_on_disk(
    s3_bucket, s3_server, settings, django_capture_on_commit_callbacks
):
    (letter,) = issue_letters(1, django_capture_on_commit_callbacks)
    assert letter.status == Letter.Status.ISSUED
    assert s3_server.keys(s3_bucket) == [letter.pdf.name]
    assert_private(s3_server, s3_bucket, letter.pdf.name)
    body = s3_server.client().get_object(Bucket=s3_bucket, Key=letter.pdf.name)["Body"].read()
    assert body.startswith(b"%PDF-") and hashlib.sha256(body).hexdigest() == letter.sha256
    assert letter_verify(letter)  # read back through the storage API
    assert local_files(settings) == []


@pytest.mark.django_db
def test_a_letter_is_streamed_from_the_bucket_only_after_the_permission_check(
    s3_bucket, s3_server, client, django_capture_on_commit_callbacks
):
    (letter,) = issue_letters(1, django_capture_on_commit_callbacks)
    url = reverse("letters:letter_pdf", args=[letter.pk])
    client.force_login(ars_user("11"))  # a letter of no region of theirs: outsider
    assert client.get(url).status_code == 404
    client.force_login(dgos_user())
    response = client.get(url)
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;")
    body = b"".join(response.streaming_content)
    assert hashlib.sha256(body).hexdigest() == letter.sha256


@pytest.mark.django_db
def test_signed_url_mode_redirects_after_the_check_to_a_url_valid_one_minute(
    s3_bucket, s3_server, client, settings, django_capture_on_commit_callbacks
):
    settings.S3_SIGNED_URLS = True
    (letter,) = issue_letters(1, django_capture_on_commit_callbacks)
    url = reverse("letters:letter_pdf", args=[letter.pk])
    client.force_login(ars_user("11"))
    response = client.get(url)
    assert response.status_code == 404 and "Location" not in response
    client.force_login(dgos_user())
    response = client.get(url)
    assert response.status_code == 302 and response["Cache-Control"] == "no-store"
    location = response["Location"]
    assert location.startswith(f"{s3_server.endpoint}/{s3_bucket}/")
    query = parse_qs(urlparse(location).query)
    assert query["X-Amz-Expires"] == ["60"] and query["X-Amz-Signature"]
    fetched = requests.get(location, timeout=10)
    assert fetched.status_code == 200
    assert hashlib.sha256(fetched.content).hexdigest() == letter.sha256
    assert fetched.headers["Content-Type"] == "application/pdf"
    assert fetched.headers["Content-Disposition"].startswith("attachment;")
    assert letter.reference.replace("/", "-") in fetched.headers["Content-Disposition"]


@pytest.mark.django_db
def test_an_uploaded_bilan_goes_to_the_bucket_and_back_through_the_view(s3_bucket, s3_server, client, settings):
    from tests.activity_reports.factories import team_user

    centre = labelled_centre("53")
    client.force_login(team_user(centre))  # the CRC SEP team fills the report (2016 instruction, Annexe 1 §4)
    client.post(reverse("activity_reports:report_start"), {"centre": centre.pk, "year": 2024})
    report = ActivityReport.objects.get(centre=centre, year=2024)
    upload = pdf_upload("bilan-ofsep-été.pdf")
    sent = upload.read()
    upload.seek(0)
    response = client.post(
        reverse("activity_reports:report_bilan_upload", args=[report.pk]), {"semester": 1, "file": upload}
    )
    assert response.status_code == 302
    bilan = report.ofsep_bilans.get()
    assert s3_server.keys(s3_bucket) == [bilan.file.name] and bilan.file.name.startswith("private/activity_reports/")
    assert_private(s3_server, s3_bucket, bilan.file.name)
    assert local_files(settings) == []
    response = client.get(reverse("activity_reports:report_bilan", args=[report.pk, bilan.pk]))
    assert response.status_code == 200 and b"".join(response.streaming_content) == sent
    assert "bilan-ofsep-%C3%A9t%C3%A9.pdf" in response["Content-Disposition"]
    client.force_login(ars_user("11"))  # another region's ARS
    assert client.get(reverse("activity_reports:report_bilan", args=[report.pk, bilan.pk])).status_code == 404


@pytest.mark.django_db
def test_a_zip_export_is_built_from_parts_in_the_bucket_and_downloaded_by_its_requester_only(
    s3_bucket, s3_server, client, settings, django_capture_on_commit_callbacks
):
    settings.LETTER_EXPORT_CHUNK = 2  # three parts, assembled without a shared disk
    letters = issue_letters(5, django_capture_on_commit_callbacks)
    requester = dgos_user()
    job = export_job_build(job_id=ExportJob.objects.create(requested_by=requester, filters={}).pk)
    assert job.status == ExportJob.Status.DONE and job.total == 5
    keys = s3_server.keys(s3_bucket)
    assert keys == sorted([job.file.name, *(letter.pdf.name for letter in letters)])  # the parts are gone
    assert_private(s3_server, s3_bucket, job.file.name)
    assert local_files(settings) == []

    client.force_login(requester)
    response = client.get(reverse("reporting:export_job_download", args=[job.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "application/zip"
    archive_path = Path(settings.MEDIA_ROOT).parent / "download.zip"
    archive_path.write_bytes(b"".join(response.streaming_content))
    with zipfile.ZipFile(archive_path) as archive:
        assert archive.testzip() is None
        pdfs = sorted(n for n in archive.namelist() if n.endswith(".pdf"))
        assert len(pdfs) == 5 and "index.csv" in archive.namelist()
        for letter in letters:
            data = archive.read(f"{letter.reference.replace('/', '-')}.pdf")
            assert hashlib.sha256(data).hexdigest() == letter.sha256
    client.force_login(dgos_user(username="dgos-autre"))
    assert client.get(reverse("reporting:export_job_download", args=[job.pk])).status_code == 404

    ExportJob.objects.filter(pk=job.pk).update(expires_at=job.finished_at)
    assert export_jobs_purge() == 1
    assert job.file.name not in s3_server.keys(s3_bucket)


def _settings_in_subprocess(code: str, *, command: str = "shell", **env) -> subprocess.CompletedProcess:
    clean = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": os.environ.get("HOME", "/tmp"),
        "DJANGO_SETTINGS_MODULE": "config.settings.base",
        "DEBUG": "1",
        **env,
    }
    return subprocess.run(
        [sys.executable, "manage.py", command, *(["--no-imports", "-c", code] if command == "shell" else [])],
        cwd=ROOT,
        env=clean,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_s3_variables_select_a_private_bucket_that_the_health_check_reaches(s3_server):
    bucket = s3_server.new_bucket()
    code = (
        "from django.core.files.base import ContentFile; from django.core.files.storage import default_storage as s; "
        "from core.storage import storage_state; "
        "name = s.save('private/essai.pdf', ContentFile(b'%PDF-1.7 essai')); "
        "print(type(s._wrapped).__name__, s.default_acl, s.querystring_expire, storage_state(), name)"
    )
    result = _settings_in_subprocess(code, **s3_server.env(bucket))
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[-1].split() == ["S3Storage", "private", "60", "ok", "private/essai.pdf"]
    assert s3_server.keys(bucket) == ["private/essai.pdf"]

    code = "from core.storage import storage_state; print(storage_state())"
    missing = _settings_in_subprocess(code, **s3_server.env("crmr-no-such-bucket"))
    assert missing.returncode == 0, missing.stderr
    assert missing.stdout.splitlines()[-1] == "error: NoSuchBucket"  # /healthz will say the storage is down


def test_s3_settings_without_a_bucket_stop_the_start_with_a_clear_message(s3_server):
    result = _settings_in_subprocess("", command="check", S3_ENDPOINT_URL=s3_server.endpoint)
    assert result.returncode != 0
    assert "S3_ENDPOINT_URL set without S3_BUCKET" in result.stderr


def test_every_file_download_goes_through_private_file_response():
    """A view that opened a stored file itself would bypass the object-storage download path."""
    offenders = []
    skipped = {".venv", ".git", "tests", "bench", "tools", "var", "staticfiles", "node_modules"}
    for top in ROOT.iterdir():
        if not top.is_dir() or top.is_symlink() or top.name in skipped:
            continue
        for path in top.rglob("*.py"):
            if path.name != "storage.py" and re.search(r"FileResponse\(\s*\w[\w.]*\.open\(", path.read_text()):
                offenders.append(str(path.relative_to(ROOT)))
    assert offenders == []
