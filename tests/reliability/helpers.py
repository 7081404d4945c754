"""Helpers for the reliability tests: subprocesses that share the test database and media."""

import os
import socket
import subprocess
import sys
import time
from pathlib import Path

from django.conf import settings
from django.db import connection

from letters.engine import dgos_sender, letter_compose, letter_issue
from letters.models import Letter

ROOT = Path(settings.BASE_DIR)


def database_url(name: str | None = None) -> str:
    s = connection.settings_dict
    user = s.get("USER") or "postgres"
    host = s.get("HOST") or "127.0.0.1"
    port = s.get("PORT") or 5432
    return f"postgres://{user}@{host}:{port}/{name or s['NAME']}"


def subprocess_env(**extra) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTEST")}
    env.update(
        DJANGO_SETTINGS_MODULE="config.settings.test",
        DATABASE_URL=database_url(),
        MEDIA_ROOT=str(settings.MEDIA_ROOT),
        PYTHONPATH=str(ROOT),
    )
    env.update({k: str(v) for k, v in extra.items()})
    return env


def manage(*args, **env) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=subprocess_env(**env),
        capture_output=True,
        text=True,
        timeout=120,
    )


def start_worker(broker_url: str, **env) -> subprocess.Popen:
    """A real Celery worker process (prefork, one child) on ``broker_url``."""
    return subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "config",
            "worker",
            "--loglevel=INFO",
            "--concurrency=1",
            "--without-gossip",
            "--without-mingle",
            "--without-heartbeat",
        ],
        cwd=ROOT,
        env=subprocess_env(REDIS_URL=broker_url, **env),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,
    )


def compose_letter(user, message: str = "Courrier de test.", subject: str = "Courrier de test") -> Letter:
    return letter_compose(
        kind=Letter.Kind.OTHER,
        sender=dgos_sender(),
        subject=subject,
        body_template="letters/layout/test_body.html",
        context={"message": message},
        addressees=["Destinataire"],
        created_by=user,
    )


def issue_letter(user, **kw) -> Letter:
    return letter_issue(compose_letter(user, **kw))


def wait_for(predicate, timeout: float, interval: float = 0.2):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(interval)
    return predicate()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_redis(port: int, tmp_path) -> subprocess.Popen:
    proc = subprocess.Popen(
        [
            "redis-server",
            "--port",
            str(port),
            "--bind",
            "127.0.0.1",
            "--save",
            "",
            "--appendonly",
            "no",
            "--dir",
            str(tmp_path),
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    assert wait_for(
        lambda: (
            subprocess.run(["redis-cli", "-p", str(port), "ping"], capture_output=True, text=True).stdout.strip()
            == "PONG"
        ),
        10,
    )
    return proc
