"""Several hosts: two web servers (gunicorn) and two Celery workers as separate processes, each with its own
empty local folder (MEDIA_ROOT), sharing only PostgreSQL, Redis and the bucket (moto over HTTP).

A labelling decision taken through web A gets its letter rendered by a worker and downloaded through web B;
a ZIP export started on B is downloaded on A; no host writes a file to its own disk."""

from __future__ import annotations

import hashlib
import io
import os
import re
import signal
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pytest
import requests
from django.db import connection

from labellisation.models import Application
from letters.models import Letter
from reporting.models import ExportJob
from tests.factories import ars_user, dgos_user
from tests.labellisation.factories import make_application

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]

ROOT = Path(__file__).resolve().parents[2]


def _free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Host:
    """One process of the deployment (a web server or a worker) with its own empty MEDIA_ROOT and log."""

    def __init__(self, name: str, command: list[str], env: dict, folder: Path):
        self.name, self.media, self.log = name, folder / name / "media", folder / f"{name}.log"
        self.media.mkdir(parents=True)
        self.port = None
        self.proc = subprocess.Popen(  # its own process group: stopped as a whole, by its id
            command,
            cwd=ROOT,
            env={**env, "MEDIA_ROOT": str(self.media)},
            stdout=self.log.open("wb"),
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )

    def output(self) -> str:
        return self.log.read_text(errors="replace")

    def files(self) -> list[Path]:
        return [p for p in self.media.rglob("*") if p.is_file()]

    def stop(self) -> None:
        if self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait(timeout=10)


def _wait(condition, what: str, timeout: float = 90.0, hosts=()):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        for host in hosts:
            if host.proc.poll() is not None:
                raise AssertionError(f"{host.name} stopped:\n{host.output()[-3000:]}")
        time.sleep(0.3)
    logs = "\n".join(f"--- {h.name}\n{h.output()[-2000:]}" for h in hosts)
    raise AssertionError(f"{what}: not after {timeout}s\n{logs}")


@pytest.fixture
def deployment(s3_server, s3_bucket, settings, tmp_path):
    """web-a, web-b (gunicorn, one process each) and worker-1, worker-2 (Celery), with production settings
    from the environment: the test database, the test Redis, the moto bucket, nothing else in common."""
    db = connection.settings_dict
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": os.environ.get("HOME", "/tmp"),
        "DJANGO_SETTINGS_MODULE": "config.settings.base",
        # DEBUG=1 only so that the plain-HTTP session cookie is not "Secure" and templates need no
        # collectstatic; storage, broker and database are the production code paths.
        "DEBUG": "1",
        "SECRET_KEY": "multi-host-test-secret-key-0123456789-abcdefghijklmnopqrstuvwxyz",
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "DATABASE_URL": f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}",
        "REDIS_URL": settings.REDIS_URL,
        "EMAIL_URL": "consolemail://",
        "LETTER_EXPORT_CHUNK": "1",  # one part per letter: the parts spread over both workers
        **s3_server.env(s3_bucket),
    }
    hosts = []
    try:
        for name in ("worker-1", "worker-2"):
            command = [sys.executable, "-m", "celery", "-A", "config.celery:app", "worker", "-n", f"{name}@%h"]
            command += ["--concurrency", "1", "--loglevel", "INFO", "--without-gossip", "--without-mingle"]
            hosts.append(Host(name, command, env, tmp_path))
        for name in ("web-a", "web-b"):
            port = _free_port()
            command = [sys.executable, "-m", "gunicorn", "config.wsgi", "--bind", f"127.0.0.1:{port}"]
            host = Host(name, [*command, "--workers", "1", "--timeout", "120"], env, tmp_path)
            host.port, host.url = port, f"http://127.0.0.1:{port}"
            hosts.append(host)
        for host in hosts:
            if host.port:
                _wait(lambda h=host: _healthy(h.url), f"{host.name} healthy", hosts=hosts)
            else:
                _wait(lambda h=host: " ready." in h.output(), f"{host.name} ready", hosts=hosts)
        yield {h.name: h for h in hosts}
    finally:
        for host in hosts:
            host.stop()


def _healthy(url: str) -> bool:
    try:
        response = requests.get(f"{url}/healthz", timeout=5)
    except requests.ConnectionError:
        return False
    return response.status_code == 200 and response.json() == {
        "database": "ok",
        "broker": "ok",
        "storage": "ok",
        "antivirus": "disabled",  # DEBUG hosts without a scanner (the antivirus has its own tests)
    }


def _with_production_hash(user):
    """The test run hashes with MD5 (fast); the hosts run the production hashers: store a PBKDF2 hash."""
    from django.contrib.auth.hashers import PBKDF2PasswordHasher

    user.password = PBKDF2PasswordHasher().encode("demo", "multihostsalt", iterations=1000)
    user.save(update_fields=["password"])
    return user


def _sign_in(base_url: str, username: str) -> requests.Session:
    from accounts.models import User

    _with_production_hash(User.objects.get(username=username))
    session = requests.Session()
    page = session.get(f"{base_url}/accounts/login/", timeout=20)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text).group(1)
    response = session.post(
        f"{base_url}/accounts/login/",
        data={"username": username, "password": "demo", "csrfmiddlewaretoken": token},
        timeout=20,
        allow_redirects=False,
    )
    assert response.status_code == 302, response.text[:500]
    return session


def _csrf(session: requests.Session, url: str) -> str:
    return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', session.get(url, timeout=20).text).group(1)


def test_a_decision_on_web_a_is_rendered_by_a_worker_and_downloaded_on_web_b_and_exports_cross_too(deployment):
    web_a, web_b = deployment["web-a"], deployment["web-b"]
    workers = [deployment["worker-1"], deployment["worker-2"]]
    officer = ars_user("53")
    app = make_application(state=Application.State.UNDER_REVIEW)

    # The ARS officer signs in and labels the centre through web A.
    browser = _sign_in(web_a.url, officer.username)
    detail = f"/labellisation/{app.pk}/"
    response = browser.post(
        f"{web_a.url}/labellisation/{app.pk}/action/",
        data={"transition": "label", "comment": "", "csrfmiddlewaretoken": _csrf(browser, web_a.url + detail)},
        timeout=60,
        allow_redirects=False,
    )
    assert response.status_code == 302
    assert Application.objects.get(pk=app.pk).state == Application.State.LABELLED
    letter = Letter.objects.get(object_id=app.pk)

    # A worker renders the letter into the bucket.
    letter = _wait(
        lambda: Letter.objects.filter(pk=letter.pk, status=Letter.Status.ISSUED).first(),
        "letter issued",
        hosts=list(deployment.values()),
    )
    rendered_by = [w.name for w in workers if re.search(r"render_letter\[[^\]]+\] succeeded", w.output())]
    assert rendered_by, "no worker logged the letter's rendering"

    # The same signed-in session (stored in PostgreSQL) downloads it through web B.
    pdf = browser.get(f"{web_b.url}/pilotage/courriers/{letter.pk}/pdf/", timeout=60)
    assert pdf.status_code == 200 and pdf.headers["Content-Type"] == "application/pdf"
    assert hashlib.sha256(pdf.content).hexdigest() == letter.sha256
    outsider = _sign_in(web_b.url, ars_user("11").username)
    assert outsider.get(f"{web_b.url}/pilotage/courriers/{letter.pk}/pdf/", timeout=60).status_code == 404

    # DGOS starts a ZIP export of every issued letter on web B; the parts are built by the workers.
    dgos = _sign_in(web_b.url, dgos_user().username)
    response = dgos.post(
        f"{web_b.url}/pilotage/courriers/export/",
        data={"kind": "", "region": "", "csrfmiddlewaretoken": _csrf(dgos, f"{web_b.url}/pilotage/courriers/export/")},
        timeout=60,
        allow_redirects=False,
    )
    assert response.status_code == 302
    job = ExportJob.objects.get(requested_by__username="dgos")
    status_url = f"/pilotage/courriers/export/{job.pk}/etat.json"
    status = _wait(
        lambda: (s := dgos.get(f"{web_a.url}{status_url}", timeout=30).json())["download_url"] and s,
        "export done",
        hosts=list(deployment.values()),
    )
    # ... and downloads it through web A.
    archive = dgos.get(f"{web_a.url}{status['download_url']}", timeout=60)
    assert archive.status_code == 200
    with zipfile.ZipFile(io.BytesIO(archive.content)) as zipped:
        assert zipped.testzip() is None
        data = zipped.read(f"{letter.reference.replace('/', '-')}.pdf")
        assert hashlib.sha256(data).hexdigest() == letter.sha256
        assert "index.csv" in zipped.namelist()
    assert any(re.search(r"build_letters_export_part\[[^\]]+\] succeeded", w.output()) for w in workers)

    # Nothing was written to any host's own disk: everything went through the bucket.
    for host in deployment.values():
        assert host.files() == [], f"{host.name} wrote {host.files()}"
