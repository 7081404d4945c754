"""The pilotage dashboard: an overview and one page per subject (quotas and funding, procedures,
deadlines, annual reports), each chart with its data table beside it and its CSV export.

National for DGOS and administrators (optionally one region, ``?region=53``), always the own region for an
ARS officer: the region is decided here once and every selector filters on it. Every figure comes from
the selectors of ``reporting.dashboards`` and ``centres.selectors`` (the quota "restants" are the quota
table's), so a page and its CSV export say the same thing as the rest of the application."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.contrib.auth.decorators import login_required
from django.db.models import Count
from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET

from centres.models import Region
from core.exports import dataset_from_rows, export_response, requested_format
from core.typography import amount_fr, date_fr, number_fr

from .charts import bar_chart, stacked_chart
from .dashboard_cache import figures as cached_figures
from .dashboards import (
    AGE_BUCKETS,
    HORIZONS,
    effective_dates_by_horizon,
    funding_by_tranche,
    horizon_index,
    procedures_by_state_and_age,
    quota_figures,
    reports_due,
    reports_due_by_region,
)
from .models import Alert
from .perms import can_see_dashboard

SUBJECTS = (
    ("quotas", "Quotas et financement", "reporting:dashboard_quotas"),
    ("procedures", "Procédures", "reporting:dashboard_procedures"),
    ("echeances", "Échéances", "reporting:dashboard_deadlines"),
    ("rapports", "Rapports d'activité", "reporting:dashboard_reports"),
)
AGE_SHORT = ("< 15 j", "15 à 30 j", "30 à 90 j", "> 90 j")
CHART_SIZE = {"label_width": 190, "bar_area": 250}  # fits the half of the page beside its table


@dataclass
class Block:
    """One chart (or none) and the table of its figures; ``rows`` hold raw values (the CSV's), the page
    formats them. ``csv_rows`` when the export holds more than the table (the empty states)."""

    key: str
    title: str
    caption: str
    headers: list[str]
    rows: list[list]
    chart: dict | None = None
    intro: str = ""
    note: str = ""
    wide: bool = False  # the table under the chart, not beside it
    csv_rows: list[list] | None = None
    short_headers: list[str] | None = None  # the page's headers when the CSV's are too long for half a page
    display: list[list[tuple[str, bool]]] = field(default_factory=list)  # (text, is a number: right-aligned)

    def __post_init__(self):
        # On the page, "30 j" never breaks before its unit; the CSV keeps plain spaces.
        self.short_headers = [h.replace(" j", "\u00a0j") for h in self.short_headers or self.headers]
        if self.chart is not None and self.chart["empty"]:
            self.chart = None  # nothing to draw: the table says it with its zeros
        self.display = [
            [(_display(value), isinstance(value, (int, Decimal)) and not isinstance(value, bool)) for value in row]
            for row in self.rows
        ]
        numeric = [cell[1] for cell in self.display[0]] if self.display else [False] * len(self.short_headers)
        self.header_cells = list(zip(self.short_headers, numeric, strict=False))


def _display(value) -> str:
    if value is None or value == "":
        return "—"
    if isinstance(value, Decimal):
        return amount_fr(value, decimals=0)
    if isinstance(value, bool):
        return "oui" if value else "non"
    if isinstance(value, int):
        return number_fr(value)
    if isinstance(value, datetime.date):
        return date_fr(value)
    return str(value)


def _csv_value(value):
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    if isinstance(value, bool):
        return "oui" if value else "non"
    return value


def _scope(request) -> Region | None:
    """The viewer's region: always the own for an ARS (a ``region`` parameter is ignored), the chosen one
    or None (national) for DGOS and administrators; 404 for the other roles."""
    user = request.user
    if not can_see_dashboard(user):
        raise Http404
    if user.is_ars:  # never None: the database refuses an ARS account without region (ars_user_has_region)
        return user.region
    code = request.GET.get("region")
    return Region.objects.filter(code=code).first() if code else None  # no query for the national view


def _render(request, subject: str, region, blocks: list[Block], regions=(), **extra):
    """The subject page, or one block's table as CSV/XLSX/ODS (``?export=csv&tableau=<key>``)."""
    if fmt := requested_format(request):
        block = next((b for b in blocks if b.key == request.GET.get("tableau")), None)
        if block is None:
            raise Http404
        rows = ([_csv_value(v) for v in row] for row in (block.csv_rows if block.csv_rows is not None else block.rows))
        filename = f"tableau-de-bord-{subject}-{block.key}" + (f"-{region.code}" if region else "")
        return export_response(dataset_from_rows(block.headers, rows, block.title), fmt, filename)
    title = dict((key, label) for key, label, _url in SUBJECTS)[subject]
    return render(
        request,
        "reporting/dashboard_subject.html",
        {
            **_common(request, region, subject, regions),
            "title": f"Tableau de bord — {title}",
            "subject_title": title,
            "blocks": blocks,
            **extra,
        },
    )


def _figures(request, region, *names: str) -> dict:
    """The figures ``names`` of the scope, computed or read back from the cache (``dashboard_cache``);
    with the list of regions of the scope chooser for DGOS and administrators."""
    compute = {
        "quotas": lambda: quota_figures(region),
        "funding": lambda: funding_by_tranche(region),
        "procedures": lambda: procedures_by_state_and_age(region),
        "due": lambda: reports_due(region),
        "due_by_region": lambda: reports_due_by_region(region),
        "effective": lambda: effective_dates_by_horizon(region),
        "regions": lambda: list(Region.objects.all()),
    }
    if not request.user.is_ars and not requested_format(request):  # an export draws no chooser
        names = (*names, "regions")
    return cached_figures(region, {name: compute[name] for name in names})


def _common(request, region, current: str, regions=()) -> dict:
    query = f"?region={region.code}" if region and not request.user.is_ars else ""
    return {
        "region": region,
        "regions": regions,
        "region_query": query,
        "region_param": query[1:] + "&" if query else "",
        "subjects": [
            {"key": key, "label": label, "url": reverse(name) + query, "current": key == current}
            for key, label, name in (("apercu", "Vue d'ensemble", "reporting:dashboard"), *SUBJECTS)
        ],
        "current": current,
    }


def _funding_totals(funding: list[dict]) -> dict:
    return {
        "notified": sum((r["committed"] for r in funding if r["notified"]), Decimal("0")),
        "planned": sum((r["committed"] for r in funding if not r["notified"]), Decimal("0")),
        "envelope": sum((r["envelope"] for r in funding), Decimal("0")),
    }


# --- Overview ----------------------------------------------------------------------------------------


@require_GET
@login_required
def dashboard(request):
    """The first page: the headline figures of each subject, each linking to its page."""
    region = _scope(request)
    figures = _figures(request, region, "quotas", "funding", "procedures", "due", "effective")
    quotas, funding, due = figures["quotas"], figures["funding"], figures["due"]
    deadlines = _deadline_rows(region, quotas, due, effective=figures["effective"])
    context = {
        **_common(request, region, "apercu", figures.get("regions", ())),
        "title": "Tableau de bord",
        "quotas": quotas,
        "quota_total": {
            "quota": sum(r.quota for r in quotas),
            "labelled": sum(r.labelled for r in quotas),
            "in_progress": sum(r.in_progress for r in quotas),
            "remaining": sum(r.remaining for r in quotas),
        },
        "funding": funding,
        "funding_total": _funding_totals(funding),
        "procedures": figures["procedures"],
        "due": due,
        "overdue": sum(row["counts"][0] for row in deadlines),
        "upcoming": sum(row["counts"][1] for row in deadlines),
    }
    return render(request, "reporting/dashboard.html", context)


# --- Quotas and funding (Annexe 2) -------------------------------------------------------------------


@require_GET
@login_required
def dashboard_quotas(request):
    region = _scope(request)
    figures = _figures(request, region, "quotas", "funding")
    quotas = figures["quotas"]
    blocks = []
    for number in sorted({r.tranche for r in quotas}):
        rows = [r for r in quotas if r.tranche == number]
        label = rows[0].tranche_label
        deadline = rows[0].tranche_deadline
        chart = stacked_chart(
            chart_id=f"chart-quotas-{number}",
            title=f"{label} : centres labellisés et candidatures en cours, sur le quota de l'annexe 2, par région",
            series=["Labellisés", "En cours d'instruction"],
            target_label="Quota",
            rows=[
                (
                    r.region,
                    [r.labelled, r.in_progress],
                    r.quota,
                    f"{r.labelled} / {r.quota}" + (f" (+{r.in_progress} en cours)" if r.in_progress else ""),
                )
                for r in rows
            ],
            **CHART_SIZE,
        )
        blocks.append(
            Block(
                key=f"quotas-tranche-{number}",
                title=f"{label} : quotas par région",
                intro=(f"Date limite de labellisation : {date_fr(deadline)}. " if deadline else "")
                + "En cours : candidatures en cours d'instruction ; restants = quota − labellisés − en cours.",
                chart=chart,
                caption=f"{label} : quota, labellisés, en cours et restants par région",
                headers=["Région", "Quota", "Labellisés", "En cours d'instruction", "Restants"],
                short_headers=["Région", "Quota", "Labellisés", "En cours", "Restants"],
                rows=[[r.region, r.quota, r.labelled, r.in_progress, r.remaining] for r in rows]
                + (
                    [
                        [
                            "Total",
                            *(
                                sum(getattr(r, a) for r in rows)
                                for a in ("quota", "labelled", "in_progress", "remaining")
                            ),
                        ]
                    ]
                    if len(rows) > 1
                    else []
                ),
            )
        )
    funding = figures["funding"]
    totals = _funding_totals(funding)
    blocks.append(
        Block(
            key="financement",
            title="Financement par tranche",
            intro=(
                "100 000 € par an et par centre labellisé (annexe 2) ; l'enveloppe prévue est le nombre de centres "
                "prévus (le quota régional pour une région) multiplié par ce montant. Le financement d'une tranche "
                "est notifié par une circulaire budgétaire, prévisionnel tant qu'il est à l'étude."
            ),
            chart=bar_chart(
                chart_id="chart-funding",
                title="Financement annuel engagé (notifié ou prévisionnel) et enveloppe prévue, par tranche",
                series=["Enveloppe prévue", "Engagé, financement notifié", "Engagé, financement prévisionnel"],
                groups=[
                    (
                        r["tranche"],
                        [
                            (r["envelope"], amount_fr(r["envelope"], decimals=0)),
                            (r["committed"] if r["notified"] else 0, amount_fr(r["committed"], decimals=0)),
                            (0 if r["notified"] else r["committed"], amount_fr(r["committed"], decimals=0)),
                        ],
                    )
                    for r in funding
                ],
                skip_zero=True,
                **CHART_SIZE,
            ),
            caption="Financement annuel par tranche, en euros par an",
            headers=[
                "Tranche",
                "Statut du financement",
                "Centres prévus",
                "Centres labellisés",
                "Enveloppe prévue (€/an)",
                "Engagé (€/an)",
                "Circulaire budgétaire",
            ],
            rows=[
                [
                    r["tranche"],
                    r["funding_status"],
                    r["planned_centres"],
                    r["labelled"],
                    r["envelope"],
                    r["committed"],
                    r["budget_circular"],
                ]
                for r in funding
            ],
            note=(
                f"Engagé : {amount_fr(totals['notified'], decimals=0)} par an de financement notifié, "
                f"{amount_fr(totals['planned'], decimals=0)} par an de financement prévisionnel, "
                f"sur une enveloppe prévue de {amount_fr(totals['envelope'], decimals=0)} par an."
            ),
            wide=True,
        )
    )
    return _render(request, "quotas", region, blocks, figures.get("regions", ()))


# --- Procedures: per state and age -------------------------------------------------------------------


@require_GET
@login_required
def dashboard_procedures(request):
    region = _scope(request)
    cached = _figures(request, region, "procedures")
    blocks = []
    for index, figures in enumerate(cached["procedures"]):
        filled = [row for row in figures.rows if row["total"]]
        empty = [row["state"] for row in figures.rows if not row["total"]]
        chart = None
        if filled:
            chart = bar_chart(
                chart_id=f"chart-proc-{index}",
                title=f"{figures.label} : dossiers par état et ancienneté dans l'état",
                series=[label for _days, label in AGE_BUCKETS],
                groups=[(row["state"], [(n, str(n)) for n in row["ages"]]) for row in filled],
                skip_zero=True,
                **CHART_SIZE,
            )
        blocks.append(
            Block(
                key=f"procedure-{index + 1}",
                title=f"{figures.label} ({figures.total} dossier{'s' if figures.total > 1 else ''})",
                chart=chart,
                caption=(f"{figures.label} : dossiers par état et temps passé dans l'état, en jours"),
                headers=["État", *AGE_SHORT, "Total"],
                rows=[[row["state"], *row["ages"], row["total"]] for row in filled],
                csv_rows=[[row["state"], *row["ages"], row["total"]] for row in figures.rows],
                note=("États sans dossier : " + ", ".join(empty) + ".") if empty and filled else "",
                intro="" if filled else "Aucun dossier.",
            )
        )
    return _render(
        request,
        "procedures",
        region,
        blocks,
        cached.get("regions", ()),
        lead=(
            "L'ancienneté est le temps écoulé depuis la dernière étape du dossier (sa dernière transition), à "
            "défaut depuis sa création. Seuls les états qui comptent des dossiers sont dessinés ; l'export CSV "
            "reprend tous les états."
        ),
    )


# --- Deadlines -----------------------------------------------------------------------------------------


def _deadline_rows(region, quotas, due, today: datetime.date | None = None, effective=None) -> list[dict]:
    """What falls due, per nature, in each of ``HORIZONS``: the regions whose tranche quota is not filled
    by the tranche's deadline (Annexe 2), the centres whose last report is not confirmed (Annexe 1 §4),
    the open dossiers by their effective date (the deadlines the alerts watch)."""
    today = today or timezone.localdate()
    tranche_counts = [0] * len(HORIZONS)
    for row in quotas:
        if row.remaining and row.tranche_deadline:
            tranche_counts[horizon_index(row.tranche_deadline, today)] += 1
    report_counts = [0] * len(HORIZONS)
    report_counts[horizon_index(due["due_on"], today)] = due["not_confirmed"]
    return [
        {"label": "Quotas de tranche non atteints (régions)", "short": "Quotas de tranche", "counts": tranche_counts},
        {
            "label": f"Rapports d'activité {due['year']} non confirmés (centres)",
            "short": "Rapports d'activité",
            "counts": report_counts,
        },
        *(
            {**row, "label": f"{row['label']} : date d'effet (dossiers ouverts)", "short": row["label"]}
            for row in (effective if effective is not None else effective_dates_by_horizon(region, today))
        ),
    ]


@require_GET
@login_required
def dashboard_deadlines(request):
    region = _scope(request)
    figures = _figures(request, region, "quotas", "due", "effective")
    quotas, due = figures["quotas"], figures["due"]
    rows = _deadline_rows(region, quotas, due, effective=figures["effective"])
    horizons_short = ("Dépassée", "≤ 30 j", "31 à 90 j", "> 90 j")
    blocks = [
        Block(
            key="echeances",
            title="Échéances par nature et délai",
            chart=bar_chart(
                chart_id="chart-deadlines",
                title="Échéances ouvertes par nature et délai",
                series=list(HORIZONS),
                groups=[(row["short"], [(n, str(n)) for n in row["counts"]]) for row in rows],
                skip_zero=True,
                **CHART_SIZE,
            ),
            caption="Échéances ouvertes par nature et délai",
            headers=["Nature", *horizons_short],
            rows=[[row["label"], *row["counts"]] for row in rows],
        )
    ]
    tranches = {}
    for row in quotas:
        entry = tranches.setdefault(row.tranche, [row.tranche_label, row.tranche_deadline, 0, 0])
        if row.remaining:
            entry[2] += 1
            entry[3] += row.remaining
    blocks.append(
        Block(
            key="tranches",
            title="Dates limites de labellisation des tranches",
            caption="Tranches : date limite, régions dont le quota n'est pas atteint, centres restant à labelliser",
            headers=["Tranche", "Date limite", "Régions au quota non atteint", "Centres restants"],
            rows=[list(entry) for entry in tranches.values()],
        )
    )
    alerts = dict(Alert.objects.filter(user=request.user).order_by().values_list("kind").annotate(n=Count("pk")))
    return _render(
        request,
        "echeances",
        region,
        blocks,
        figures.get("regions", ()),
        lead=(
            f"Rapports d'activité {due['year']} attendus au plus tard le {date_fr(due['due_on'])}. "
            "Les dossiers ouverts sont ceux qu'aucune décision finale n'a clos."
        ),
        my_alerts=[(label, alerts.get(value, 0)) for value, label in Alert.Kind.choices],
        my_alerts_total=sum(alerts.values()),
    )


# --- Annual activity reports (Annexe 1 §4) --------------------------------------------------------------


@require_GET
@login_required
def dashboard_reports(request):
    region = _scope(request)
    figures = _figures(request, region, "due", *(("due_by_region",) if region is None else ()))
    due = figures["due"]
    late = due["not_confirmed"] if due["late"] else 0
    blocks = [
        Block(
            key="rapports",
            title=f"Rapports d'activité {due['year']} attendus",
            chart=bar_chart(
                chart_id="chart-reports",
                title=f"Rapports d'activité {due['year']} des CRC SEP labellisés",
                series=["Nombre de centres"],
                groups=[
                    ("Confirmés par l'ARS", [(due["confirmed"], str(due["confirmed"]))]),
                    ("En cours de validation", [(due["in_progress"], str(due["in_progress"]))]),
                    ("Non commencés", [(due["missing"], str(due["missing"]))]),
                ],
                **CHART_SIZE,
            ),
            caption=f"Rapports {due['year']} (échéance le {date_fr(due['due_on'])})",
            headers=["Centres attendus", "Confirmés", "En cours de validation", "Non commencés", "En retard"],
            rows=[[due["expected"], due["confirmed"], due["in_progress"], due["missing"], late]],
            note="" if due["late"] else "Échéance non atteinte : aucun rapport n'est encore en retard.",
        )
    ]
    if region is None:
        by_region = figures["due_by_region"]
        blocks.append(
            Block(
                key="rapports-par-region",
                title=f"Rapports d'activité {due['year']} par région",
                chart=stacked_chart(
                    chart_id="chart-reports-regions",
                    title=f"Rapports d'activité {due['year']} confirmés et en cours, sur les centres attendus, "
                    "par région",
                    series=["Confirmés", "En cours de validation"],
                    target_label="Centres attendus",
                    rows=[
                        (
                            r["region"],
                            [r["confirmed"], r["in_progress"]],
                            r["expected"],
                            f"{r['confirmed']} / {r['expected']}",
                        )
                        for r in by_region
                    ],
                    **CHART_SIZE,
                ),
                caption=f"Rapports {due['year']} par région",
                headers=["Région", "Attendus", "Confirmés", "En cours de validation", "Non commencés"],
                short_headers=["Région", "Attendus", "Confirmés", "En cours", "Non commencés"],
                rows=[[r["region"], r["expected"], r["confirmed"], r["in_progress"], r["missing"]] for r in by_region],
            )
        )
    return _render(request, "rapports", region, blocks, figures.get("regions", ()), due=due)
