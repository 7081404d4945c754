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

        started = time.monotonic()
        made = generate(SCALES[os.environ["BENCH_SCALE"]])
        made["generation_s"] = round(time.monotonic() - started)
        sys.stderr.write(f"  generated {name} in {made['generation_s']} s: {made}\n")
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


LETTER_TEMPLATES = {
    # kind → the body template the application composes it with (letters/layout/test_body.html where
    # the application has none of its own: Orphanet information, other letters)
    "crcsep_labelling": "labellisation/letters/decision.html",
    "crcsep_refusal": "labellisation/letters/refusal.html",
    "crcsep_withdrawal": "labellisation/letters/withdrawal.html",
    "gp_transmission": "crmr_procedures/letters/ccmr_gp_transmission.html",
    "call_for_projects": "crmr_procedures/letters/succession_call.html",
    "succession": "crmr_procedures/letters/succession_officialisation.html",
    "ccmr_opinion": "crmr_procedures/letters/ccmr_opinion.html",
    "cpom": "crmr_procedures/letters/ccmr_cpom.html",
}


def _letter_context() -> dict:
    """Objects of the bench database for the letters' body templates (the services build the same keys)."""
    from centres.models import Person
    from crmr_procedures.competence.models import CcmrRequest
    from crmr_procedures.succession.models import Succession
    from labellisation.models import Application

    application = Application.objects.select_related("establishment", "hospital", "tranche", "region").first()
    succession = Succession.objects.select_related("crmr").first()
    return {
        "application": application,
        "establishment": application.establishment if application else None,
        "hospital": application.hospital if application else None,
        "tranche": application.tranche if application else None,
        "region": application.region if application else None,
        "annual_funding": 163000,
        "instruction": "Instruction DGOS/R4/2016/176",
        "request": CcmrRequest.objects.select_related("crmr", "establishment").first(),
        "succession": succession,
        "new": Person.objects.first(),
        "new_establishment": succession.crmr.coordinating_establishment if succession else None,
        "action": "la création",
        "paragraph": "Le présent courrier officialise la décision. " * 6,
        "comment": "Avis favorable du groupe permanent.",
        "message": "Le présent courrier officialise la décision. " * 12,
        "date": "1er janvier 2027",
        "reference": "BENCH/2027/1",
        "c": None,
    }


def phase_letter() -> dict:
    """Every letter kind, composed with its own body template, against WeasyPrint rendering a one-page
    document with the same fonts (the floor), per page (a letter of two pages counts twice the floor)."""
    from weasyprint import HTML

    from accounts.models import User
    from letters.engine import dgos_sender, letter_compose
    from letters.models import Letter
    from letters.rendering import _weasy, letter_render_pdf

    context = _letter_context()
    dgos = User.objects.get(username="dgos")
    drafts = {}
    for kind, _label in Letter.Kind.choices:
        template = LETTER_TEMPLATES.get(kind, "letters/layout/test_body.html")
        try:
            drafts[kind] = letter_compose(
                kind=kind,
                sender=dgos_sender(),
                subject=f"Mesure — {kind}",
                body_template=template,
                context=context,
                addressees=["Destinataire"],
                created_by=dgos,
            )
        except Exception as exc:  # a template needing an object the bench lacks: said, not hidden
            sys.stderr.write(f"letter {kind}: {template} not composed ({exc!r}); test body used\n")
            drafts[kind] = letter_compose(
                kind=kind,
                sender=dgos_sender(),
                subject=f"Mesure — {kind}",
                body_template="letters/layout/test_body.html",
                context=context,
                addressees=["Destinataire"],
                created_by=dgos,
            )
    _, fonts_css, font_config = _weasy()
    floor_html = (
        '<html><body style="font-family: Marianne"><h1>Page de référence</h1>'
        + "<p>Texte de référence d'une page avec les mêmes polices : <b>gras</b>, <i>italique</i>.</p>" * 12
        + "</body></html>"
    )

    def floor():
        return HTML(string=floor_html).write_pdf(stylesheets=[fonts_css], font_config=font_config)

    pages = {kind: max(1, _pdf_pages(letter_render_pdf(draft))) for kind, draft in drafts.items()}
    floor()
    samples = {kind: [] for kind in drafts} | {"floor": []}
    ratios = {kind: [] for kind in drafts}
    rounds = 7 if os.environ["BENCH_SCALE"] in ("national", "x10") else 3
    for _ in range(rounds):
        for kind, draft in drafts.items():
            started = time.perf_counter()
            letter_render_pdf(draft)
            letter_ms = (time.perf_counter() - started) * 1000
            started = time.perf_counter()
            floor()
            floor_ms = (time.perf_counter() - started) * 1000
            samples[kind].append(letter_ms)
            samples["floor"].append(floor_ms)
            # each letter against the floor rendered right after it: a shared machine's drift falls on both
            ratios[kind].append(letter_ms / pages[kind] / floor_ms)
    floor_ms = statistics.median(samples["floor"])
    kinds = {
        kind: {
            "ms": statistics.median(samples[kind]),
            "pages": pages[kind],
            "ratio": round(statistics.median(ratios[kind]), 3),
        }
        for kind in drafts
    }
    worst = max(kinds, key=lambda k: kinds[k]["ratio"])
    return {
        "floor_ms": floor_ms,
        "kinds": kinds,
        "worst_kind": worst,
        "letter_ms": kinds[worst]["ms"],
        "ratio": kinds[worst]["ratio"],
    }


def _pdf_pages(data: bytes) -> int:
    """Pages of a PDF, counted from its page objects (no PDF library needed)."""
    return len(re.findall(rb"/Type\s*/Page(?![a-z])", data))


def phase_alerts() -> dict:
    """The alerts refresh (the beat task's entry point) on the generated history: its SQL queries and
    seconds. The generator already computed them once, so this is the steady state of a database in
    service (the run a beat task makes every time)."""
    from django.db import connection

    from reporting.alerts import alerts_refresh
    from reporting.models import Alert

    runs = []
    for _ in range(2 if os.environ["BENCH_SCALE"] != "x10" else 1):
        # counted by a wrapper: Django's query log keeps only the last 9,000 queries
        count = [0]

        def counted(execute, sql, params, many, context, count=count):
            count[0] += 1
            return execute(sql, params, many, context)

        with connection.execute_wrapper(counted):
            started = time.perf_counter()
            alerts = alerts_refresh()
            seconds = time.perf_counter() - started
        runs.append({"seconds": seconds, "queries": count[0], "alerts": alerts})
    best = min(runs, key=lambda r: r["seconds"])
    return {**best, "rows": Alert.objects.count(), "runs": runs}


def _rss_kb(field: str = "VmRSS") -> int:
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith(field + ":"):
                return int(line.split()[1])
    return 0


def _export_child(url: str, username: str, write_fd: int) -> None:
    """In a forked process: warm up (the list's HTML page), then one export, streamed to the end; write
    the growth of the resident set (its high-water mark, sampled too) and the seconds."""
    import threading

    from django.test import Client

    from accounts.models import User

    client = Client()
    client.force_login(User.objects.get(username=username))
    client.get(url.split("?")[0])
    base = _rss_kb()
    try:
        with open("/proc/self/clear_refs", "w") as f:
            f.write("5")  # resets VmHWM to the current resident set
        hwm = True
    except OSError:
        hwm = False
    peak = [base]
    stop = threading.Event()

    def sample():
        while not stop.is_set():
            peak[0] = max(peak[0], _rss_kb())
            stop.wait(0.005)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    started = time.perf_counter()
    response = client.get(url)
    size = 0
    if getattr(response, "streaming", False):
        for chunk in response.streaming_content:
            size += len(chunk)
    else:
        size = len(response.content)
    seconds = time.perf_counter() - started
    stop.set()
    sampler.join()
    top = max(peak[0], _rss_kb("VmHWM") if hwm else 0)
    os.write(
        write_fd,
        json.dumps(
            {"status": response.status_code, "bytes": size, "seconds": seconds, "peak_mb": (top - base) / 1024}
        ).encode(),
    )


def phase_exports() -> dict:
    """Every list export the bench names (``bench.pages.EXPORT_PAGES``), each in a fresh forked web
    process: the growth of its resident memory from before the request to the peak (what a gunicorn
    worker would have to hold), and its duration. A 302/200 to an export job page counts as the export
    answered (the file is then built by a worker, outside the web process)."""
    from django.db import connections

    from bench.pages import export_pages

    results = {}
    for label, url, username in export_pages():
        connections.close_all()
        read_fd, write_fd = os.pipe()
        pid = os.fork()
        if pid == 0:  # child
            os.close(read_fd)
            code = 0
            try:
                _export_child(url, username, write_fd)
            except BaseException as exc:  # noqa: BLE001  (reported to the parent, then exit)
                os.write(write_fd, json.dumps({"error": repr(exc)}).encode())
                code = 1
            finally:
                os._exit(code)
        os.close(write_fd)
        chunks = []
        while chunk := os.read(read_fd, 65536):
            chunks.append(chunk)
        os.close(read_fd)
        os.waitpid(pid, 0)
        results[label] = json.loads(b"".join(chunks) or b'{"error": "no answer"}')
    measured = [r["peak_mb"] for r in results.values() if "peak_mb" in r]
    return {
        "exports": results,
        "peak_mb": round(max(measured), 1) if measured else 0.0,
        "errors": [k for k, r in results.items() if "error" in r or r.get("status") not in (200, 302)],
    }


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
    rounds = 5 if os.environ["BENCH_SCALE"] in ("tiny", "small") else 15
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
        # warm both workers (imports, connections, file cache): the first runs are slower
        for _ in range(3 if rounds > 5 else 1):
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


WRK_SCRIPT = ROOT / "bench" / "wrk_report.lua"


def parse_wrk(out: str) -> dict:
    """The ``@@wrk`` line ``bench/wrk_report.lua`` prints: every non-200 response and every socket error
    counted as an error (and a run without a single answer); latency percentiles in milliseconds."""
    for line in out.splitlines():
        if line.startswith("@@wrk "):
            data = json.loads(line[len("@@wrk ") :])
            break
    else:
        raise ValueError(f"no @@wrk line in wrk's output: {out[-500:]!r}")
    # a run that got no answer at all is a failure too, not a clean zero
    data["errors"] = data["non_200"] + sum(data["socket_errors"].values()) + (1 if data["requests"] == 0 else 0)
    return data


def _wrk(url: str, cookie: str, seconds: int) -> dict:
    out = subprocess.run(
        [
            "wrk",
            "-t2",
            "-c16",
            f"-d{seconds}s",
            "--timeout",
            "10s",
            "-s",
            str(WRK_SCRIPT),
            "-H",
            f"Cookie: {cookie}",
            "-H",
            "Accept-Encoding: gzip, deflate",  # as a browser asks (HTML is compressed, config/settings)
            url,
        ],
        capture_output=True,
        text=True,
        timeout=seconds + 30,
    ).stdout
    return parse_wrk(out)


def phase_load() -> dict:
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore

    from accounts.models import User
    from bench.pages import DASHBOARD, load_pages

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
    seconds = 4 if os.environ["BENCH_SCALE"] in ("tiny", "small") else 8
    try:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                time.sleep(0.3)
        # the port opens before the workers have imported the application: wait for real answers
        import urllib.request

        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            try:
                request = urllib.request.Request(f"http://127.0.0.1:{port}/ping", headers={"Cookie": cookie("dgos")})
                if urllib.request.urlopen(request, timeout=10).status == 200:  # noqa: S310  (http, loopback)
                    break
            except OSError:
                time.sleep(0.5)
        results = {}
        targets = [("plancher", "/ping", "dgos"), *load_pages()]
        for _name, path, username in targets:  # both workers warm (imports, templates, connections) first
            _wrk(f"http://127.0.0.1:{port}{path}", cookie(username), 2)
        for name, path, username in targets:
            results[name] = _wrk(f"http://127.0.0.1:{port}{path}", cookie(username), seconds)
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)
    floor = results["plancher"]["rps"]
    dashboard = results.get(DASHBOARD, {})
    return {
        "pages": results,
        "errors": sum(v["errors"] for v in results.values()),
        "dashboard_p95_ms": dashboard.get("p95_ms", 0.0),
        "floor_ratio": round(dashboard.get("rps", 0.0) / floor, 3) if floor else 0.0,
    }


if __name__ == "__main__":
    _ensure_database()
    phase = sys.argv[1]
    if phase == "serve":
        serve_pages()
    else:
        result = {
            "letter": phase_letter,
            "workers": phase_workers,
            "load": phase_load,
            "alerts": phase_alerts,
            "exports": phase_exports,
        }[phase]()
        print(json.dumps(result))
