"""Deadline alerts, recomputed by a Celery beat task and shown in each user's inbox and digest.

- dossiers waiting for one actor for more than ``settings.WAITING_ALERT_DAYS`` days (any registered
  procedure: last django-fsm-log transition, the accounts its declaration names as ``awaiting``);
- successions whose effective date approaches without officialisation (any registered procedure that
  declares a ``date_field`` and still awaits someone, i.e. is not officialised yet);
- tranche deadlines (Annexe 2) while a region's quota is not filled;
- activity reports due (Annexe 1 §4; our reading: last year's report confirmed by 30 June).
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import DateTimeField, OuterRef, Subquery
from django.urls import reverse
from django.utils import timezone
from django_fsm_log.models import StateLog

from accounts.models import Role, User
from activity_reports.selectors import centres_missing_report, last_activity_year, report_due_date
from core.perms import Access
from core.workflow import dossier_access, procedures, state_field

from .models import Alert

SUCCESSION_WARNING_DAYS = 30
TRANCHE_WARNING_DAYS = 90
REPORT_WARNING_DAYS = 60


def _url(obj) -> str:
    return obj.get_absolute_url() if hasattr(obj, "get_absolute_url") else ""


def _waiting_alerts(now) -> list[tuple]:
    cutoff = now - datetime.timedelta(days=settings.WAITING_ALERT_DAYS)
    found = []
    for procedure in procedures():
        model = procedure.model
        content_type = ContentType.objects.get_for_model(model)
        last = (
            StateLog.objects.filter(content_type=content_type, object_id=OuterRef("pk"))
            .order_by("-timestamp")
            .values("timestamp")[:1]
        )
        stale = model._default_manager.annotate(last_step=Subquery(last, output_field=DateTimeField())).filter(
            last_step__lte=cutoff
        )
        for obj in stale.iterator(chunk_size=200):
            days = (now - obj.last_step).days
            for user in procedure.awaiting(obj):
                found.append(
                    (
                        user.pk,
                        f"waiting:{content_type.pk}:{obj.pk}",
                        Alert.Kind.WAITING,
                        f"{procedure.label} « {obj} » attend votre action depuis {days} jours.",
                        _url(obj),
                        None,
                    )
                )
    return found


def _initial_state(model) -> str | None:
    """The state a dossier is created in (its draft): the default of the model's FSM field."""
    field = state_field(model)
    return field.get_default() if field is not None else None


def _succession_alerts(today) -> list[tuple]:
    """Dossiers with an effective date within ``SUCCESSION_WARNING_DAYS`` (or past) that are still open.

    Told: the accounts that must act now (``awaiting()``) and, once the dossier has left its draft,
    every DGOS account that may open it, since DGOS officialises (Annexe 1, officialisation)."""
    found = []
    horizon = today + datetime.timedelta(days=SUCCESSION_WARNING_DAYS)
    national = list(User.objects.filter(role=Role.DGOS, is_active=True))
    for procedure in procedures():
        model = procedure.model
        date_field = procedure.date_field
        if date_field is None:
            continue
        content_type = ContentType.objects.get_for_model(model)
        initial = _initial_state(model)
        for obj in model._default_manager.filter(**{f"{date_field}__lte": horizon}).iterator(chunk_size=200):
            awaited = procedure.awaiting(obj)
            if not awaited:  # nobody must act any more: officialised or closed
                continue
            effective = getattr(obj, date_field)
            recipients = {user.pk for user in awaited}
            if initial is None or getattr(obj, "state", None) != initial:
                recipients |= {user.pk for user in national if dossier_access(user, obj) >= Access.READ}
            message = f"{procedure.label} « {obj} » : date d'effet le {effective:%d/%m/%Y} sans officialisation."
            for user_id in sorted(recipients):
                found.append(
                    (
                        user_id,
                        f"effective:{content_type.pk}:{obj.pk}",
                        Alert.Kind.SUCCESSION,
                        message,
                        _url(obj),
                        effective,
                    )
                )
    return found


def _tranche_alerts(today) -> list[tuple]:
    from centres.selectors import quota_rows

    horizon = today + datetime.timedelta(days=TRANCHE_WARNING_DAYS)
    rows = [r for r in quota_rows() if r.to_label and r.tranche_deadline and today <= r.tranche_deadline <= horizon]
    if not rows:
        return []
    national = list(User.objects.filter(role=Role.DGOS, is_active=True).values_list("pk", flat=True))
    ars_users = {}
    for pk, reg in User.objects.filter(
        role=Role.ARS, region_id__in={r.region_id for r in rows}, is_active=True
    ).values_list("pk", "region_id"):
        ars_users.setdefault(reg, []).append(pk)
    found = []
    for row in rows:
        message = (
            f"Tranche {row.tranche} : {row.region} a encore {row.to_label} CRC SEP à labelliser "
            f"avant le {row.tranche_deadline:%d/%m/%Y}"
            + (f", dont {row.in_progress} en instruction." if row.in_progress else ".")
        )
        for user_id in ars_users.get(row.region_id, []) + national:
            found.append(
                (
                    user_id,
                    f"tranche:{row.quota_id}",
                    Alert.Kind.TRANCHE,
                    message,
                    reverse("reporting:dashboard_quotas"),
                    row.tranche_deadline,
                )
            )
    return found


def _report_alerts(today) -> list[tuple]:
    year = last_activity_year(today)
    due = report_due_date(year)
    if today < due - datetime.timedelta(days=REPORT_WARNING_DAYS):
        return []
    found = []
    late = today > due
    centres = list(centres_missing_report(year))
    establishments = {c.establishment_id for c in centres}
    regions = {c.region_id for c in centres}
    etab_users = {}
    for pk, est in User.objects.filter(
        role=Role.ESTABLISHMENT, establishment_id__in=establishments, is_active=True
    ).values_list("pk", "establishment_id"):
        etab_users.setdefault(est, []).append(pk)
    team_users = {}  # Annexe 1 §4: the centre's team fills the report
    for pk, centre_id in User.objects.filter(
        role=Role.CRCSEP_TEAM, crc_sep_centre_id__in=[c.pk for c in centres], is_active=True
    ).values_list("pk", "crc_sep_centre_id"):
        team_users.setdefault(centre_id, []).append(pk)
    ars_users = {}
    for pk, reg in User.objects.filter(role=Role.ARS, region_id__in=regions, is_active=True).values_list(
        "pk", "region_id"
    ):
        ars_users.setdefault(reg, []).append(pk)
    for centre in centres:
        word = "en retard" if late else "attendu"
        message = (
            f"Rapport d'activité {year} de {centre.name} {word} (à confirmer par l'ARS au plus tard le {due:%d/%m/%Y})."
        )
        recipients = team_users.get(centre.pk, []) + etab_users.get(centre.establishment_id, [])
        for user_id in recipients + ars_users.get(centre.region_id, []):
            found.append(
                (
                    user_id,
                    f"report:{centre.pk}:{year}",
                    Alert.Kind.REPORT_DUE,
                    message,
                    reverse("activity_reports:report_list"),
                    due,
                )
            )
    return found


def alerts_compute(now: datetime.datetime | None = None) -> list[tuple]:
    now = now or timezone.now()
    today = timezone.localdate(now)
    return [*_waiting_alerts(now), *_succession_alerts(today), *_tranche_alerts(today), *_report_alerts(today)]


def alerts_refresh(now: datetime.datetime | None = None) -> int:
    """Replace every user's alerts by the current ones (idempotent). Returns the number of alerts."""
    found = {(user_id, key): (kind, message, url, due) for user_id, key, kind, message, url, due in alerts_compute(now)}
    with transaction.atomic():
        existing = {(a.user_id, a.key): a for a in Alert.objects.select_for_update()}
        stale = [a.pk for k, a in existing.items() if k not in found]
        Alert.objects.filter(pk__in=stale).delete()
        new, changed = [], []
        for (user_id, key), (kind, message, url, due) in found.items():
            alert = existing.get((user_id, key))
            if alert is None:
                new.append(Alert(user_id=user_id, key=key, kind=kind, message=message[:500], url=url, due_on=due))
            elif (alert.message, alert.due_on) != (message[:500], due):
                alert.message, alert.due_on, alert.url = message[:500], due, url
                changed.append(alert)
        Alert.objects.bulk_create(new, batch_size=500)
        Alert.objects.bulk_update(changed, ["message", "due_on", "url"], batch_size=500)
    return len(found)
