"""Deadline alerts, recomputed by a Celery beat task and shown in each user's inbox and digest.

- dossiers waiting for one actor for more than ``settings.WAITING_ALERT_DAYS`` days (any registered
  procedure: last django-fsm-log transition, the accounts its declaration names as awaiting);
- successions whose effective date approaches without officialisation (any registered procedure that
  declares a ``date_field`` and still awaits someone, i.e. is not officialised yet);
- tranche deadlines (Annexe 2) while a region's quota is not filled;
- activity reports due (Annexe 1 §4; our reading: last year's report confirmed by 30 June).
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import connection, transaction
from django.db.models import DateTimeField, F, OuterRef, Subquery
from django.urls import reverse
from django.utils import timezone
from django_fsm_log.models import StateLog

from accounts.directory import AccountDirectory
from accounts.models import Role, User
from activity_reports.selectors import centres_missing_report, last_activity_year, report_due_date
from core.perms import Access
from core.workflow import dossier_access, procedures, state_field

from .models import Alert

SUCCESSION_WARNING_DAYS = 30
TRANCHE_WARNING_DAYS = 90
REPORT_WARNING_DAYS = 60
# A tranche deadline concerns the labellisation of CRC SEP (2016 instruction, Annexe 2): its procedure on the page.
TRANCHE_PROCEDURE = "labellisation.application"


def _url(obj) -> str:
    return obj.get_absolute_url() if hasattr(obj, "get_absolute_url") else ""


_PROBES = (987654321013, 987654321029)


def _url_of(model):
    """The dossiers' ``get_absolute_url``, reversed once for the model when it depends on the pk only (two
    unsaved probes give the same address but for their pk): thousands of dossiers, one ``reverse``."""
    if not hasattr(model, "get_absolute_url"):
        return _url
    try:
        first, second = (model(pk=pk).get_absolute_url() for pk in _PROBES)
    except Exception:  # the address reads more than the pk: asked of each dossier
        return _url
    marker = str(_PROBES[0])
    if first.count(marker) != 1 or first.replace(marker, str(_PROBES[1])) != second:
        return _url
    prefix, suffix = first.split(marker)
    return lambda obj: f"{prefix}{obj.pk}{suffix}"


def _awaiting(procedure, dossiers, directory: AccountDirectory):
    """(dossier, awaited account pks) for the dossiers someone must act on: set-based when the procedure
    declares ``awaiting_bulk`` (a constant number of queries), else its ``awaiting`` per dossier."""
    if procedure.awaiting_bulk is not None:
        yield from procedure.awaiting_bulk(dossiers, directory)
        return
    for obj in dossiers.iterator(chunk_size=200):
        yield obj, [user.pk for user in procedure.awaiting(obj)]


def _content_types(models) -> dict:
    return ContentType.objects.get_for_models(*models) if models else {}


def _waiting_alerts(now, directory: AccountDirectory) -> list[tuple]:
    """One query per procedure for the dossiers (last logged transition annotated), whatever their number."""
    cutoff = now - datetime.timedelta(days=settings.WAITING_ALERT_DAYS)
    found = []
    workflows = procedures()
    content_types = _content_types([p.model for p in workflows])
    for procedure in workflows:
        model = procedure.model
        content_type = content_types[model]
        last = (
            StateLog.objects.filter(content_type=content_type, object_id=OuterRef("pk"))
            .order_by("-timestamp")
            .values("timestamp")[:1]
        )
        stale = model._default_manager.annotate(
            last_step=Subquery(last, output_field=DateTimeField()), alert_region=F(procedure.region_lookup)
        ).filter(last_step__lte=cutoff)
        label, url_of = model._meta.label_lower, _url_of(model)
        for obj, user_ids in _awaiting(procedure, stale, directory):
            days, url = (now - obj.last_step).days, url_of(obj)
            for user_id in user_ids:
                found.append(
                    (
                        user_id,
                        f"waiting:{content_type.pk}:{obj.pk}",
                        Alert.Kind.WAITING,
                        f"{procedure.label} « {obj} » attend votre action depuis {days} jours.",
                        url,
                        None,
                        label,
                        obj.alert_region,
                    )
                )
    return found


def _initial_state(model) -> str | None:
    """The state a dossier is created in (its draft): the default of the model's FSM field."""
    field = state_field(model)
    return field.get_default() if field is not None else None


def _succession_alerts(today, directory: AccountDirectory) -> list[tuple]:
    """Dossiers with an effective date within ``SUCCESSION_WARNING_DAYS`` (or past) that are still open.

    Told: the accounts that must act now (the declared ``awaiting``) and, once the dossier has left its draft,
    every DGOS account that may open it, since DGOS officialises (Annexe 1, officialisation)."""
    found = []
    horizon = today + datetime.timedelta(days=SUCCESSION_WARNING_DAYS)
    workflows = [p for p in procedures() if p.date_field]
    if not workflows:
        return found
    content_types = _content_types([p.model for p in workflows])
    national = list(User.objects.filter(role=Role.DGOS, is_active=True))
    for procedure in workflows:
        model = procedure.model
        date_field = procedure.date_field
        content_type = content_types[model]
        initial = _initial_state(model)
        label, url_of = model._meta.label_lower, _url_of(model)
        dossiers = model._default_manager.filter(**{f"{date_field}__lte": horizon}).annotate(
            alert_region=F(procedure.region_lookup)
        )
        for obj, awaited in _awaiting(procedure, dossiers, directory):
            if not awaited:  # nobody must act any more: officialised or closed
                continue
            effective = getattr(obj, date_field)
            recipients = set(awaited)
            if initial is None or getattr(obj, "state", None) != initial:
                recipients |= {user.pk for user in national if dossier_access(user, obj) >= Access.READ}
            message = f"{procedure.label} « {obj} » : date d'effet le {effective:%d/%m/%Y} sans officialisation."
            url = url_of(obj)
            for user_id in sorted(recipients):
                found.append(
                    (
                        user_id,
                        f"effective:{content_type.pk}:{obj.pk}",
                        Alert.Kind.SUCCESSION,
                        message,
                        url,
                        effective,
                        label,
                        obj.alert_region,
                    )
                )
    return found


def _tranche_alerts(today, directory: AccountDirectory) -> list[tuple]:
    from centres.selectors import quota_rows

    horizon = today + datetime.timedelta(days=TRANCHE_WARNING_DAYS)
    rows = [r for r in quota_rows() if r.to_label and r.tranche_deadline and today <= r.tranche_deadline <= horizon]
    if not rows:
        return []
    national = directory.with_role(Role.DGOS)
    found = []
    for row in rows:
        message = (
            f"Tranche {row.tranche} : {row.region} a encore {row.to_label} CRC SEP à labelliser "
            f"avant le {row.tranche_deadline:%d/%m/%Y}"
            + (f", dont {row.in_progress} en instruction." if row.in_progress else ".")
        )
        for user_id in directory.in_region(Role.ARS, row.region_id) + national:
            found.append(
                (
                    user_id,
                    f"tranche:{row.quota_id}",
                    Alert.Kind.TRANCHE,
                    message,
                    reverse("reporting:dashboard_quotas"),
                    row.tranche_deadline,
                    TRANCHE_PROCEDURE,
                    row.region_id,
                )
            )
    return found


def _report_alerts(today, directory: AccountDirectory) -> list[tuple]:
    from activity_reports.models import ActivityReport

    year = last_activity_year(today)
    due = report_due_date(year)
    if today < due - datetime.timedelta(days=REPORT_WARNING_DAYS):
        return []
    found = []
    late = today > due
    label = ActivityReport._meta.label_lower
    for centre in centres_missing_report(year):
        word = "en retard" if late else "attendu"
        message = (
            f"Rapport d'activité {year} de {centre.name} {word} (à confirmer par l'ARS au plus tard le {due:%d/%m/%Y})."
        )
        # Annexe 1 §4: the centre's team fills the report, its establishment validates, the ARS confirms
        recipients = directory.in_centre(Role.CRCSEP_TEAM, centre.pk) + directory.in_establishment(
            Role.ESTABLISHMENT, centre.establishment_id
        )
        for user_id in recipients + directory.in_region(Role.ARS, centre.region_id):
            found.append(
                (
                    user_id,
                    f"report:{centre.pk}:{year}",
                    Alert.Kind.REPORT_DUE,
                    message,
                    reverse("activity_reports:report_list"),
                    due,
                    label,
                    centre.region_id,
                )
            )
    return found


def alerts_compute(now: datetime.datetime | None = None) -> list[tuple]:
    """Every alert due now: (user pk, key, kind, message, url, due date, procedure, region pk) tuples.

    Set-based: a constant number of queries whatever the number of dossiers (one per procedure and
    alert kind, the accounts read once in an :class:`~accounts.directory.AccountDirectory`)."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    directory = AccountDirectory()
    return [
        *_waiting_alerts(now, directory),
        *_succession_alerts(today, directory),
        *_tranche_alerts(today, directory),
        *_report_alerts(today, directory),
    ]


FIELDS = ("kind", "message", "url", "due_on", "procedure", "region_id")


def alerts_refresh(now: datetime.datetime | None = None) -> int:
    """Replace every user's alerts by the current ones (idempotent). Returns the number of alerts.

    Incremental: rows that did not change are not written. On PostgreSQL the whole set is written in
    four statements (a read, a delete, an update and an insert with the alerts as arrays), whatever its size."""
    found = {}
    for user_id, key, kind, message, url, due, procedure, region_id in alerts_compute(now):
        found[(user_id, key)] = (kind, message[:500], url, due, procedure, region_id)
    with transaction.atomic():
        if connection.vendor == "postgresql":
            _write_postgresql(found)
        else:
            _write_portable(found)
    return len(found)


def _write_postgresql(found: dict) -> None:
    """Four statements whatever the number of alerts: the stored ones read; the gone ones deleted, the
    changed ones updated, both by pk; the new ones inserted (arrays as parameters). The unchanged ones are
    neither sent nor written."""
    table = connection.ops.quote_name(Alert._meta.db_table)  # the model's own table name, not input
    stale, changed, stored = [], [], set()
    for pk, user_id, key, *values in Alert.objects.order_by().values_list("pk", "user_id", "key", *FIELDS):
        wanted = found.get((user_id, key))
        stored.add((user_id, key))
        if wanted is None:
            stale.append(pk)
        elif tuple(values) != wanted:
            changed.append((pk, *wanted))
    new = [(user_id, key, *values) for (user_id, key), values in found.items() if (user_id, key) not in stored]
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {table} WHERE id = ANY(%s::bigint[])", [stale])  # noqa: S608
        cursor.execute(
            f"""
            UPDATE {table} AS a
            SET kind = f.kind, message = f.message, url = f.url, due_on = f.due_on, procedure = f.procedure,
                region_id = f.region_id, computed_at = now()
            FROM unnest(
                %s::bigint[], %s::varchar[], %s::varchar[], %s::varchar[], %s::date[], %s::varchar[], %s::bigint[]
            ) AS f(id, kind, message, url, due_on, procedure, region_id)
            WHERE a.id = f.id
            """,  # noqa: S608
            _columns(changed, 7),
        )
        cursor.execute(
            f"""
            INSERT INTO {table} AS a (user_id, key, kind, message, url, due_on, procedure, region_id, computed_at)
            SELECT f.*, now() FROM unnest(
                %s::bigint[], %s::varchar[], %s::varchar[], %s::varchar[], %s::varchar[], %s::date[],
                %s::varchar[], %s::bigint[]
            ) AS f
            ON CONFLICT (user_id, key) DO UPDATE
            SET kind = EXCLUDED.kind, message = EXCLUDED.message, url = EXCLUDED.url, due_on = EXCLUDED.due_on,
                procedure = EXCLUDED.procedure, region_id = EXCLUDED.region_id, computed_at = EXCLUDED.computed_at
            """,  # noqa: S608  (a refresh running beside this one may have inserted the same alert)
            _columns(new, 8),
        )


def _columns(rows: list[tuple], width: int) -> list[list]:
    """Rows as one list per column (the arrays the statements unnest)."""
    return [list(column) for column in zip(*rows, strict=True)] if rows else [[] for _n in range(width)]


def _write_portable(found: dict) -> None:
    """Other databases (SQLite in development): the same result with the ORM's bulk operations."""
    existing = {(a.user_id, a.key): a for a in Alert.objects.select_for_update()}
    Alert.objects.filter(pk__in=[a.pk for k, a in existing.items() if k not in found]).delete()
    new, changed, now = [], [], timezone.now()
    for (user_id, key), values in found.items():
        alert = existing.get((user_id, key))
        if alert is None:
            new.append(Alert(user_id=user_id, key=key, **dict(zip(FIELDS, values, strict=True))))
        elif tuple(getattr(alert, name) for name in FIELDS) != values:
            for name, value in zip(FIELDS, values, strict=True):
                setattr(alert, name, value)
            alert.computed_at = now
            changed.append(alert)
    Alert.objects.bulk_create(new, batch_size=500)
    Alert.objects.bulk_update(changed, [*FIELDS, "computed_at"], batch_size=500)
