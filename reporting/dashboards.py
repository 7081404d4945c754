"""Dashboard figures, aggregated in SQL (a fixed number of queries whatever the size of the country).

National for DGOS and administrators, regional for an ARS: every query takes the viewer's ``region``
(None = national) and filters on it, so an ARS never receives another region's figures."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.models import Count, Exists, OuterRef, Q, Sum, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from activity_reports.models import ActivityReport
from activity_reports.selectors import centres_owing_report, last_activity_year, report_due_date
from centres.models import CrcSepCentre, Tranche
from centres.selectors import french_sort_key, quota_rows
from core.models import LastTransition
from core.workflow import procedures
from core.workflow import state_field as fsm_state_field

AGE_BUCKETS = ((15, "moins de 15 jours"), (30, "15 à 30 jours"), (90, "30 à 90 jours"), (None, "plus de 90 jours"))


def quota_figures(region=None) -> list:
    """The rows of the Annexe 2 quota table (``centres.selectors.quota_rows``: the dashboard's "restants"
    are the quotas page's, applications in progress deducted), for one region or the whole country;
    the rows with neither quota nor labelled centre are left out."""
    return [r for r in quota_rows() if (region is None or r.region_id == region.pk) and (r.quota or r.labelled)]


def funding_by_tranche(region=None) -> list[dict]:
    """Funding committed per tranche: the annual funding of the labelled centres (100 000 € each),
    beside the planned envelope (planned centres × amount: tranche 1 = 12 × 100 000 € = 1,2 M€)."""
    centre_filter = Q(centres__status=CrcSepCentre.Status.LABELLED)
    if region is not None:
        centre_filter &= Q(centres__region=region)
    tranches = (
        Tranche.objects.annotate(
            labelled=Count("centres", filter=centre_filter),
            committed=Coalesce(Sum("centres__annual_funding", filter=centre_filter), Value(Decimal("0"))),
        )
        .prefetch_related("quotas")  # a region's envelope: one query for every tranche, not one each
        .order_by("number")
    )
    rows = []
    for t in tranches:
        if region is None:
            planned_centres = t.planned_centres
        else:  # a region's envelope is its quota
            planned_centres = sum(q.quota for q in t.quotas.all() if q.region_id == region.pk)
        rows.append(
            {
                "tranche": t.label,
                "number": t.number,
                "labelled": t.labelled,
                "planned_centres": planned_centres,
                "committed": t.committed,
                "envelope": planned_centres * t.annual_amount_per_centre,
                # Annexe 2, "calendrier de financement": notified by a budget circular, or still planned.
                "notified": t.is_notified,
                "funding_status": t.get_funding_status_display(),
                "budget_circular": t.budget_circular,
            }
        )
    return rows


@dataclass
class ProcedureFigures:
    label: str
    rows: list[dict] = field(default_factory=list)  # state label, count per age bucket, total

    @property
    def total(self) -> int:
        return sum(r["total"] for r in self.rows)


def _count_by_state_and_age(qs, *, state: str, created: str | None, content_type_id: int, now) -> dict[str, dict]:
    """One grouped query over the dossiers in scope: each dossier's last transition is its one row of
    ``core.LastTransition`` (joined on its unique key), else its creation; the query buckets the ages.
    Its cost follows the number of dossiers in scope, never the length of the transition log."""
    model = qs.model
    columns = [state, model._meta.pk.name] + ([created] if created else [])
    inner_sql, inner_params = qs.order_by().values(*columns).query.sql_with_params()
    quote = connection.ops.quote_name
    pk_column = quote(model._meta.pk.column)
    since = f"COALESCE(l.at, p.{quote(model._meta.get_field(created).column)})" if created else "l.at"
    clauses, params, lower = [], [], None
    for index, (upper, _label) in enumerate(AGE_BUCKETS):
        conditions = []
        if upper is not None:
            conditions.append(f"{since} > %s")
            params.append(now - datetime.timedelta(days=upper))
        if lower is not None:
            conditions.append(f"{since} <= %s")
            params.append(now - datetime.timedelta(days=lower))
        clauses.append(f"COUNT(*) FILTER (WHERE {' AND '.join(conditions) or 'TRUE'}) AS age{index}")
        lower = upper
    last_table = quote(LastTransition._meta.db_table)
    # Only quoted identifiers and fixed clauses are interpolated; every value is a query parameter.
    sql = (
        f"WITH p AS ({inner_sql}) "  # noqa: S608
        f"SELECT p.{quote(model._meta.get_field(state).column)}, {', '.join(clauses)}, COUNT(*) "
        f"FROM p LEFT JOIN {last_table} l ON l.content_type_id = %s AND l.object_id = p.{pk_column} GROUP BY 1"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [*inner_params, *params, content_type_id])
        rows = cursor.fetchall()
    return {row[0]: {**{f"age{i}": row[1 + i] for i in range(len(AGE_BUCKETS))}, "total": row[-1]} for row in rows}


def procedures_by_state_and_age(region=None, now: datetime.datetime | None = None) -> list[ProcedureFigures]:
    """For each registered procedure: how many dossiers in each state, by time spent in that state
    (since the last logged transition, else since creation). One query per procedure, over the dossiers
    of the region only, reading one row per dossier of ``core.LastTransition`` and not the log."""
    now = now or timezone.now()
    result = []
    for procedure in procedures():
        model = procedure.model
        state_field = fsm_state_field(model)
        if state_field is None:
            continue
        content_type = ContentType.objects.get_for_model(model)
        created = procedure.created_field
        qs = model._default_manager.all()
        if region is not None:
            qs = qs.filter(**{procedure.region_lookup: region})
        counts = _count_by_state_and_age(
            qs, state=state_field.name, created=created, content_type_id=content_type.pk, now=now
        )
        figures = ProcedureFigures(label=procedure.label)
        for value, label in state_field.flatchoices:
            row = counts.get(value)
            figures.rows.append(
                {
                    "state": str(label),
                    "ages": [row[f"age{i}"] if row else 0 for i in range(len(AGE_BUCKETS))],
                    "total": row["total"] if row else 0,
                }
            )
        result.append(figures)
    return result


def _report_counts() -> dict:
    return {
        "expected": Count("pk"),
        "confirmed": Count("pk", filter=Q(is_confirmed=True)),
        "in_progress": Count("pk", filter=Q(has_report=True, is_confirmed=False)),
        "missing": Count("pk", filter=Q(has_report=False)),
    }


def _centres_reporting(region, year: int):
    """The labelled centres that owe a report for ``year``, with whether it exists and is confirmed."""
    reports = ActivityReport.objects.filter(centre=OuterRef("pk"), year=year)
    centres = centres_owing_report(year)
    if region is not None:
        centres = centres.filter(region=region)
    return centres.annotate(
        has_report=Exists(reports), is_confirmed=Exists(reports.filter(state=ActivityReport.State.CONFIRMED))
    )


def reports_due(region=None, today: datetime.date | None = None) -> dict:
    """Last year's activity reports of the labelled centres: confirmed, in progress, missing; late after 30 June."""
    today = today or timezone.localdate()
    year = last_activity_year(today)
    figures = _centres_reporting(region, year).aggregate(**_report_counts())
    due = report_due_date(year)
    return {
        **figures,
        "year": year,
        "due_on": due,
        "late": today > due,
        "not_confirmed": figures["expected"] - figures["confirmed"],
    }


def reports_due_by_region(region=None, today: datetime.date | None = None) -> list[dict]:
    """The same figures as :func:`reports_due`, one row per region (one grouped query)."""
    year = last_activity_year(today or timezone.localdate())
    rows = _centres_reporting(region, year).order_by().values("region__name").annotate(**_report_counts())
    result = [{"region": r.pop("region__name"), **r} for r in rows]
    result.sort(key=lambda r: french_sort_key(r["region"]))
    return result


# --- Deadlines: what falls due, and when ------------------------------------------------------------

HORIZONS = ("Dépassée", "Dans les 30 jours", "Dans 31 à 90 jours", "Au-delà de 90 jours")
HORIZON_DAYS = (30, 90)


def horizon_index(due: datetime.date, today: datetime.date) -> int:
    """Which of ``HORIZONS`` a date falls in (0: already past)."""
    days = (due - today).days
    if days < 0:
        return 0
    return 1 if days <= HORIZON_DAYS[0] else 2 if days <= HORIZON_DAYS[1] else 3


def _horizon_counts(date_field: str, today: datetime.date) -> dict:
    """The :func:`horizon_index` buckets as SQL aggregates, ``h0`` … ``h3``."""
    near, far = (today + datetime.timedelta(days=d) for d in HORIZON_DAYS)
    return {
        "h0": Count("pk", filter=Q(**{f"{date_field}__lt": today})),
        "h1": Count("pk", filter=Q(**{f"{date_field}__gte": today, f"{date_field}__lte": near})),
        "h2": Count("pk", filter=Q(**{f"{date_field}__gt": near, f"{date_field}__lte": far})),
        "h3": Count("pk", filter=Q(**{f"{date_field}__gt": far})),
    }


def _terminal_states(field) -> set[str]:
    """States no declared transition leaves: the dossier is closed (officialised, refused, abandoned)."""
    sources = set()
    for transition in field.get_all_transitions(field.model):
        sources.add(transition.source)
    if "*" in sources or "+" in sources:
        return set()
    return {value for value, _label in field.flatchoices} - sources


def effective_dates_by_horizon(region=None, today: datetime.date | None = None) -> list[dict]:
    """Open dossiers whose procedure names an effective date (the succession's cessation date, the
    dates the alerts watch): how many fall due in each horizon, one grouped query per procedure.
    Open = not in a state that no transition leaves."""
    today = today or timezone.localdate()
    result = []
    for procedure in procedures():
        model = procedure.model
        date_field = procedure.date_field
        state_field = fsm_state_field(model)
        if date_field is None or state_field is None:
            continue
        qs = model._default_manager.exclude(**{f"{state_field.name}__in": _terminal_states(state_field)}).filter(
            **{f"{date_field}__isnull": False}
        )
        if region is not None:
            qs = qs.filter(**{procedure.region_lookup: region})
        counts = qs.aggregate(**_horizon_counts(date_field, today))
        result.append(
            {
                "label": procedure.label,
                "counts": [counts[f"h{i}"] for i in range(len(HORIZONS))],
            }
        )
    return result
