"""Benchmark phases, run by ``python -m bench`` in subprocesses (one database each).

Each prints one JSON line on stdout as its last line."""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import time
from pathlib import Path

import django

ROOT = Path(__file__).resolve().parent.parent


def _ensure_database() -> None:
    """Create the database if needed; regenerate its data when the generator or migrations changed."""
    import psycopg2

    url = os.environ["DATABASE_URL"]
    name = url.rsplit("/", 1)[1]
    admin = url.rsplit("/", 1)[0] + "/postgres"
    version = (
        hashlib.sha256(
            (ROOT / "bench" / "generate.py").read_bytes()
            + (ROOT / "bench" / "register.py").read_bytes()
            + b"".join(sorted(p.read_bytes() for p in ROOT.glob("*/migrations/0*.py")))
        ).hexdigest()[:16]
        + os.environ["BENCH_SCALE"]
    )
    conn = psycopg2.connect(admin)
    conn.autocommit = True
    with conn.cursor() as cur:
        cur.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
        exists = cur.fetchone() is not None
    current = None
    if exists:
        with psycopg2.connect(url) as c2, c2.cursor() as cur:
            cur.execute("CREATE TABLE IF NOT EXISTS bench_meta (key text PRIMARY KEY, value text)")
            cur.execute("SELECT value FROM bench_meta WHERE key = 'version'")
            row = cur.fetchone()
            current = row[0] if row else None
    if current != version:
        with conn.cursor() as cur:
            cur.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            cur.execute(f'CREATE DATABASE "{name}"')
        media = Path(os.environ["MEDIA_ROOT"])
        shutil.rmtree(media, ignore_errors=True)
        django.setup()
        from django.core.management import call_command

        call_command("migrate", verbosity=0)
        from bench import register  # noqa: F401  (procedure generators of each workflow)
        from bench.generate import SCALES, generate

        made = generate(SCALES[os.environ["BENCH_SCALE"]])
        with psycopg2.connect(url) as c2, c2.cursor() as cur:
            cur.execute("CREATE TABLE IF NOT EXISTS bench_meta (key text PRIMARY KEY, value text)")
            cur.execute("DELETE FROM bench_meta")
            cur.execute("INSERT INTO bench_meta VALUES ('version', %s), ('made', %s)", [version, json.dumps(made)])
        # Bulk-loaded tables have no planner statistics until autovacuum passes: analyse now, as a
        # database in service would be.
        c3 = psycopg2.connect(url)
        c3.autocommit = True
        with c3.cursor() as cur:
            cur.execute("VACUUM ANALYZE")
        c3.close()
    conn.close()
    django.setup()


def _made() -> dict:
    from django.db import connection

    with connection.cursor() as cur:
        cur.execute("SELECT value FROM bench_meta WHERE key = 'made'")
        return json.loads(cur.fetchone()[0])


def serve_pages() -> None:
    """Answer the driver's requests, one JSON line each way, until stdin closes (see ``bench.__main__``).

    The driver runs one such server on the tiny database and one on the national database and asks them
    in turn, one request at a time: both scales are measured side by side, so the drift of a shared
    machine falls on both alike. Replies are prefixed with ``@@`` (anything else on stdout is ignored)."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from accounts.models import User
    from bench.pages import pages

    if os.environ.get("BENCH_PIN_CPU"):
        os.sched_setaffinity(0, {int(os.environ["BENCH_PIN_CPU"])})
    urls = {name: (url, username) for name, url, username in pages()}
    urls["plancher"] = ("/ping", "dgos")
    clients: dict[str, Client] = {}

    def client_for(username: str) -> Client:
        if username not in clients:
            clients[username] = Client()
            clients[username].force_login(User.objects.get(username=username))
        return clients[username]

    def reply(payload: dict) -> None:
        sys.stdout.write("@@" + json.dumps(payload) + "\n")
        sys.stdout.flush()

    reply({"made": _made(), "pages": list(urls)})
    for line in sys.stdin:
        command = json.loads(line)
        url, username = urls[command["page"]]
        client = client_for(username)
        if command["op"] == "queries":
            client.get(url)  # warm caches (reference data, templates)
            with CaptureQueriesContext(connection) as ctx:
                response = client.get(url)
            assert response.status_code == 200, (command, response.status_code)
            reply({"queries": len(ctx.captured_queries)})
        else:  # "time": one request, in milliseconds
            started = time.perf_counter()
            response = client.get(url)
            elapsed = (time.perf_counter() - started) * 1000
            assert response.status_code == 200, (command, response.status_code)
            reply({"ms": elapsed})


def phase_letter() -> dict:
    from weasyprint import HTML

    from accounts.models import User
    from letters.engine import _weasy, dgos_sender, letter_compose, letter_render_pdf
    from letters.models import Letter

    draft = letter_compose(
        kind=Letter.Kind.OTHER,
        sender=dgos_sender(),
        subject="Mesure",
        body_template="letters/layout/test_body.html",
        context={"message": "Le présent courrier officialise la décision. " * 12},
        addressees=["Destinataire"],
        created_by=User.objects.get(username="dgos"),
    )
    _, fonts_css, font_config = _weasy()
    floor_html = (
        '<html><body style="font-family: Marianne"><h1>Page de référence</h1>'
        + "<p>Texte de référence d'une page avec les mêmes polices : <b>gras</b>, <i>italique</i>.</p>" * 12
        + "</body></html>"
    )

    def letter():
        letter_render_pdf(draft)

    def floor():
        HTML(string=floor_html).write_pdf(stylesheets=[fonts_css], font_config=font_config)

    for f in (letter, floor):
        f()
    samples = {"letter": [], "floor": []}
    for _ in range(15):
        for key, f in (("letter", letter), ("floor", floor)):
            started = time.perf_counter()
            f()
            samples[key].append((time.perf_counter() - started) * 1000)
    letter_ms, floor_ms = statistics.median(samples["letter"]), statistics.median(samples["floor"])
    return {"letter_ms": letter_ms, "floor_ms": floor_ms, "ratio": round(letter_ms / floor_ms, 3)}


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def phase_workers() -> dict:
    """Bulk ZIP export of 1,000 letters (8 requests at once) with one and with two Celery workers.

    Two worker processes run throughout; for the one-worker runs the second stops consuming (Celery's
    ``cancel_consumer``), so no run pays a worker's start-up. Each round runs one then two workers (the
    order alternating); the speedup is the median of the rounds' ratios: one run lasts ~1–2 s, and a
    2-core VM's neighbours move that by ±30 %."""
    from bench.exports import run_exports
    from config.celery import app

    letters = 1000 if os.environ["BENCH_SCALE"] != "tiny" else 10
    rounds = 15 if os.environ["BENCH_SCALE"] == "national" else 7
    jobs = 8  # eight officers asking at once: a run long enough (~1–2 s) to measure on a shared VM
    queue = app.conf.task_default_queue
    names = [f"bench{i}@bench" for i in range(2)]
    procs = [
        subprocess.Popen(
            [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "config",
                "worker",
                "--concurrency=1",
                "--loglevel=WARNING",
                "--without-gossip",
                "--without-mingle",
                "--without-heartbeat",
                "-n",
                name,
            ],
            cwd=ROOT,
            env=os.environ.copy(),
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
        for name in names
    ]

    def consumers(n: int) -> None:
        second = [names[1]]
        if n == 1:
            replies = app.control.cancel_consumer(queue, destination=second, reply=True, timeout=10)
        else:
            replies = app.control.add_consumer(queue, destination=second, reply=True, timeout=10)
        if not replies:
            raise RuntimeError(f"worker {names[1]} did not answer")

    timings: dict[int, list[float]] = {1: [], 2: []}
    try:
        deadline = time.monotonic() + 60
        while len(app.control.ping(destination=names, timeout=1) or []) < 2:
            if time.monotonic() > deadline:
                raise RuntimeError("bench workers did not start")
        for _ in range(3):  # warm both workers (imports, connections, file cache): the first runs are slower
            run_exports(letters=letters, jobs=jobs)
        for r in range(rounds):
            for n in (1, 2) if r % 2 == 0 else (2, 1):
                consumers(n)
                timings[n].append(run_exports(letters=letters, jobs=jobs))
    finally:
        for p in procs:
            os.killpg(p.pid, signal.SIGTERM)
        for p in procs:
            p.wait(timeout=30)
    one, two = statistics.median(timings[1]), statistics.median(timings[2])
    return {
        "letters": letters,
        "jobs": jobs,
        "one_s": one,
        "two_s": two,
        "runs": timings,
        # each round's own ratio (its two runs are seconds apart), then the median of the rounds
        "speedup": round(statistics.median(a / max(b, 0.001) for a, b in zip(timings[1], timings[2], strict=True)), 3),
    }


def _wrk(url: str, cookie: str, seconds: int) -> dict:
    out = subprocess.run(
        ["wrk", "-t2", "-c16", f"-d{seconds}s", "--timeout", "10s", "-H", f"Cookie: {cookie}", url],
        capture_output=True,
        text=True,
        timeout=seconds + 30,
    ).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    errors = 0
    m = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    if m:
        errors += int(m.group(1))
    m = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out)
    if m:
        errors += sum(int(x) for x in m.groups())
    return {"rps": rps, "errors": errors}


def phase_load() -> dict:
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore

    from accounts.models import User
    from bench.pages import load_pages

    if shutil.which("wrk") is None:
        raise SystemExit("wrk is missing: apt-get install wrk")
    sessions = {}

    def cookie(username: str) -> str:
        if username not in sessions:
            user = User.objects.get(username=username)
            store = SessionStore()
            store[SESSION_KEY] = str(user.pk)
            store[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
            store[HASH_SESSION_KEY] = user.get_session_auth_hash()
            store.create()
            sessions[username] = f"{settings.SESSION_COOKIE_NAME}={store.session_key}"
        return sessions[username]

    port = _free_port()
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "config.wsgi",
            "-w",
            "2",
            "-b",
            f"127.0.0.1:{port}",
            "--log-level",
            "warning",
            "--timeout",
            "60",
        ],
        cwd=ROOT,
        env={**os.environ},
        start_new_session=True,
    )
    seconds = 8 if os.environ["BENCH_SCALE"] == "national" else 4
    try:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                time.sleep(0.3)
        results = {}
        for name, path, username in [("plancher", "/ping", "dgos"), *load_pages()]:
            results[name] = _wrk(f"http://127.0.0.1:{port}{path}", cookie(username), seconds)
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)
    floor = results["plancher"]["rps"]
    others = [v["rps"] for k, v in results.items() if k != "plancher"]
    return {
        "pages": results,
        "errors": sum(v["errors"] for v in results.values()),
        "floor_ratio": round(min(others) / floor, 3) if others and floor else 0.0,
    }


if __name__ == "__main__":
    _ensure_database()
    phase = sys.argv[1]
    if phase == "serve":
        serve_pages()
    else:
        result = {"letter": phase_letter, "workers": phase_workers, "load": phase_load}[phase]()
        print(json.dumps(result))
