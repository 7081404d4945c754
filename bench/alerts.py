"""The deadline-alerts refresh at scale: SQL queries and seconds (issue 15, item 3).

``measure()`` times one ``alerts_refresh`` (or another implementation's) on the current database; the
command below fills a database of its own with ``--procedures`` dossiers and ten years of logged
transitions, then measures a first refresh (every alert written) and a second one (nothing changed)::

    DJANGO_SETTINGS_MODULE=config.settings.bench \\
      DATABASE_URL=postgres://postgres@127.0.0.1:5432/crmr_alerts_bench \\
      python -m bench.alerts --procedures 5000 [--before old_alerts.py] [--keep]

``--before`` names another version of ``reporting/alerts.py`` (``git show main:reporting/alerts.py``) to
measure beside the current one; ``--keep`` reuses the data of an earlier run.
"""

from __future__ import annotations

import argparse
import datetime
import importlib.util
import json
import os
import sys
import time

import django


def measure(refresh=None, now=None) -> dict:
    """Queries, seconds and alerts of one refresh (``reporting.alerts.alerts_refresh`` by default)."""
    from django.contrib.contenttypes.models import ContentType
    from django.db import connection

    if refresh is None:
        from reporting.alerts import alerts_refresh as refresh
    ContentType.objects.clear_cache()
    connection.ensure_connection()  # the connection's own set-up is not the refresh's
    count = 0

    def counted(execute, sql, params, many, context):
        nonlocal count
        count += 1
        return execute(sql, params, many, context)

    started, cpu = time.perf_counter(), time.process_time()
    with connection.execute_wrapper(counted):
        alerts = refresh(now=now)
    return {
        "queries": count,
        "seconds": round(time.perf_counter() - started, 2),
        "cpu_seconds": round(time.process_time() - cpu, 2),  # this process's share (not the database's)
        "alerts": alerts,
    }


def _database(url: str, *, keep: bool) -> bool:
    """Create the database (dropped first unless ``keep``); True when it must be filled."""
    import psycopg2

    name, admin = url.rsplit("/", 1)[1], url.rsplit("/", 1)[0] + "/postgres"
    conn = psycopg2.connect(admin)
    conn.autocommit = True
    with conn.cursor() as cur:
        cur.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
        if keep and cur.fetchone():
            return False
        cur.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        cur.execute(f'CREATE DATABASE "{name}"')
    conn.close()
    return True


def populate(procedures: int, *, seed: int = 2016) -> dict:
    """Bench data at the scale of ``procedures`` dossiers (national: 5,000), with what the alerts read:
    about six logged transitions per dossier over ten years, a coordinator bound to every CRMR, a team
    account per CRC SEP, ten years of activity reports."""
    import random

    from django.contrib.contenttypes.models import ContentType
    from django.core.management import call_command
    from django.db import connection
    from django.utils import timezone
    from django_fsm_log.models import StateLog
    from guardian.models import UserObjectPermission

    from accounts.models import Role, User
    from bench import register  # noqa: F401  (procedure generators of each workflow)
    from bench.generate import Scale, generate
    from centres.models import CrcSepCentre, Crmr
    from core.workflow import procedures as registered

    call_command("migrate", verbosity=0)
    factor = procedures / 5000
    scale = Scale(
        "alerts",
        crmr=max(10, round(110 * factor)),
        sites_per_multi=5,
        ccmr=max(10, round(1800 * factor)),
        procedures=procedures,
        letters=50,
        report_years=10,
    )
    made = generate(scale, seed=seed)
    rng = random.Random(seed)
    now = timezone.now()
    crmrs = list(Crmr.objects.order_by("pk").values_list("pk", flat=True))
    coordinators = User.objects.bulk_create(
        [User(username=f"coord-bench-{pk}", role=Role.COORDINATOR) for pk in crmrs], batch_size=2000
    )
    from django.contrib.auth.models import Permission

    permission = Permission.objects.get(codename="coordinate_crmr")
    crmr_type = ContentType.objects.get_for_model(Crmr)
    UserObjectPermission.objects.bulk_create(
        [
            UserObjectPermission(user=user, permission=permission, content_type=crmr_type, object_pk=str(pk))
            for user, pk in zip(coordinators, crmrs, strict=True)
        ],
        batch_size=2000,
    )
    User.objects.bulk_create(
        [
            User(username=f"equipe-bench-{pk}", role=Role.CRCSEP_TEAM, crc_sep_centre_id=pk)
            for pk in CrcSepCentre.objects.values_list("pk", flat=True)
        ]
    )
    logs = 0
    for procedure in registered():
        model = procedure.model
        content_type = ContentType.objects.get_for_model(model)
        rows = []
        for pk, state in model._default_manager.values_list("pk", "state").iterator(chunk_size=5000):
            last = now - datetime.timedelta(days=rng.randint(1, 3650 // 6))
            for step in range(6):
                rows.append(
                    StateLog(
                        content_type=content_type,
                        object_id=pk,
                        transition=f"step{step}",
                        source_state="draft",
                        state=state,
                        timestamp=last - datetime.timedelta(days=(5 - step) * rng.randint(30, 600)),
                    )
                )
            if len(rows) >= 20000:
                logs += len(StateLog.objects.bulk_create(rows))
                rows = []
        logs += len(StateLog.objects.bulk_create(rows))
    made.update(coordinators=len(coordinators), state_logs=logs)
    with connection.cursor() as cur:
        cur.execute("ANALYZE")
    return made


def _load(path: str):
    spec = importlib.util.spec_from_file_location("reporting._alerts_measured", path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--procedures", type=int, default=5000)
    parser.add_argument("--before", help="another reporting/alerts.py to measure beside the current one")
    parser.add_argument("--keep", action="store_true", help="reuse the database of an earlier run")
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.bench")
    fill = _database(os.environ["DATABASE_URL"], keep=args.keep)
    django.setup()
    result = {"procedures": args.procedures}
    if fill:
        started = time.perf_counter()
        result["made"] = populate(args.procedures)
        result["made"]["seconds"] = round(time.perf_counter() - started, 1)
    from django.utils import timezone

    from reporting.alerts import alerts_refresh
    from reporting.models import Alert

    versions = {"after": alerts_refresh}
    if args.before:
        versions = {"before": _load(args.before).alerts_refresh, **versions}
    written = {}
    fields = ("user_id", "key", "kind", "message", "url", "due_on")
    for name, refresh in versions.items():
        Alert.objects.all().delete()
        tomorrow = timezone.now() + datetime.timedelta(days=1)  # every waiting alert's "depuis N jours" changes
        result[name] = {
            "first": measure(refresh),
            "again": measure(refresh),
            "next_day": measure(refresh, now=tomorrow),
        }
        written[name] = set(Alert.objects.values_list(*fields))
        sys.stderr.write(f"{name}: {json.dumps(result[name])}\n")
    if len(written) == 2:
        result["same_alerts"] = written["before"] == written["after"]
    print(json.dumps(result))


if __name__ == "__main__":
    main()
