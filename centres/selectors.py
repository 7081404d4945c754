"""Reads of the registry that need more than a filter: list querysets, the quota table, history."""

from __future__ import annotations

import datetime
import unicodedata
from dataclasses import dataclass
from decimal import Decimal

from django.apps import apps
from django.db.models import Count, Exists, IntegerField, OuterRef, Prefetch, Q, Subquery, Sum, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from .models import (
    Ccmr,
    CoordinatorMandate,
    CrcSepCentre,
    Crmr,
    CrmrSite,
    Establishment,
    Filiere,
    Hospital,
    MigAllocation,
    Person,
    RegionalQuota,
    RegistryEvent,
)

# --- Lists -----------------------------------------------------------------------------------


def _count_subquery(queryset, outer_field: str = "pk", inner_field: str = "pk"):
    """A correlated COUNT(*) as a subquery (one SQL statement for the whole page, no N+1)."""
    counted = (
        queryset.filter(**{inner_field: OuterRef(outer_field)})
        .order_by()
        .values(inner_field)
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(counted, output_field=IntegerField()), Value(0))


def establishment_list():
    today = timezone.localdate()
    return Establishment.objects.select_related("region").annotate(
        hospital_count=_count_subquery(Hospital.objects.all(), inner_field="establishment"),
        crcsep_count=_count_subquery(
            CrcSepCentre.objects.filter(status=CrcSepCentre.Status.LABELLED), inner_field="establishment"
        ),
        crmr_site_count=_count_subquery(CrmrSite.objects.all(), inner_field="establishment"),
        ccmr_count=_count_subquery(Ccmr.objects.active_on(today), inner_field="establishment"),
    )


def crcsep_list():
    return CrcSepCentre.objects.select_related("establishment", "hospital", "region", "tranche", "coordinator")


def crmr_list():
    today = timezone.localdate()
    return (
        Crmr.objects.select_related("filiere", "coordinating_establishment__region")
        .with_current_coordinator(today)
        .annotate(
            site_count=_count_subquery(CrmrSite.objects.all(), inner_field="crmr"),
            ccmr_count=_count_subquery(Ccmr.objects.active_on(today), inner_field="crmr"),
        )
    )


def ccmr_list():
    return Ccmr.objects.select_related("crmr__filiere", "establishment__region", "team_lead")


def person_list():
    today = timezone.localdate()
    return Person.objects.prefetch_related(
        Prefetch(
            "mandates",
            queryset=CoordinatorMandate.objects.active_on(today).select_related("crmr"),
            to_attr="current_mandates",
        ),
        Prefetch("ccmrs", queryset=Ccmr.objects.active_on(today).only("pk", "name", "team_lead_id")),
    )


def crmr_in_region(region_code_ref):
    """Exists() test: the CRMR has a site (coordinating or constitutive) in the region."""
    return Exists(CrmrSite.objects.filter(crmr=OuterRef("pk"), establishment__region__code=region_code_ref))


# --- Registry home ------------------------------------------------------------------------------


def registry_counts(region=None) -> dict[str, int]:
    """Headline numbers of the registry home, nationally or for one region."""
    today = timezone.localdate()
    establishments = Establishment.objects.all()
    crcsep = CrcSepCentre.objects.filter(status=CrcSepCentre.Status.LABELLED)
    crmr = Crmr.objects.all()
    ccmr = Ccmr.objects.active_on(today)
    if region is not None:
        establishments = establishments.filter(region=region)
        crcsep = crcsep.filter(region=region)
        crmr = crmr.filter(Exists(CrmrSite.objects.filter(crmr=OuterRef("pk"), establishment__region=region)))
        ccmr = ccmr.filter(establishment__region=region)
    return {
        "establishments": establishments.count(),
        "crcsep": crcsep.count(),
        "crmr": crmr.count(),
        "ccmr": ccmr.count(),
        "filieres": Filiere.objects.count(),
        "people": Person.objects.count(),
        "quota_total": RegionalQuota.objects.aggregate(n=Sum("quota"))["n"] or 0,
    }


# --- Quota table (seed 000, Annexe 2) -----------------------------------------------------------


@dataclass(frozen=True)
class QuotaRow:
    region_id: int
    region_code: str
    region: str
    annexe2_label: str
    tranche: int
    tranche_label: str
    tranche_deadline: datetime.date | None
    quota: int
    labelled: int
    in_progress: int
    annual_amount: Decimal

    @property
    def remaining(self) -> int:
        return max(self.quota - self.labelled - self.in_progress, 0)

    @property
    def funding(self) -> Decimal:
        """Annual funding of the labelled centres (100,000 € each, seed 000 cover letter)."""
        return self.labelled * self.annual_amount

    @property
    def planned_funding(self) -> Decimal:
        return self.quota * self.annual_amount


def _application_model():
    """The labellisation app's Application model when it exists and declares its in-progress states."""
    try:
        model = apps.get_model("labellisation", "Application")
    except LookupError:
        return None
    if not getattr(model, "IN_PROGRESS_STATES", None):
        return None
    return model


def _state_field_name(model) -> str:
    from django_fsm import FSMField

    for field in model._meta.concrete_fields:
        if isinstance(field, FSMField):
            return field.name
    return "state"


def _in_progress_subquery():
    model = _application_model()
    if model is None:
        return Value(0, output_field=IntegerField())
    state = _state_field_name(model)
    applications = model.objects.filter(**{f"{state}__in": list(model.IN_PROGRESS_STATES)})
    counted = (
        applications.filter(region=OuterRef("region"), tranche=OuterRef("tranche"))
        .order_by()
        .values("region", "tranche")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(counted, output_field=IntegerField()), Value(0))


def quota_rows() -> list[QuotaRow]:
    """Annexe 2: per region and tranche, the quota, the labelled centres, the applications in progress
    (labellisation app, when present) and what remains. One SQL statement."""
    labelled = (
        CrcSepCentre.objects.filter(
            region=OuterRef("region"), tranche=OuterRef("tranche"), status=CrcSepCentre.Status.LABELLED
        )
        .order_by()
        .values("region", "tranche")
        .annotate(n=Count("pk"))
        .values("n")
    )
    rows = (
        RegionalQuota.objects.annotate(
            labelled=Coalesce(Subquery(labelled, output_field=IntegerField()), Value(0)),
            in_progress=_in_progress_subquery(),
        )
        .order_by("tranche__number", "region__name")
        .values(
            "region_id",
            "region__code",
            "region__name",
            "region__annexe2_label",
            "tranche__number",
            "tranche__label",
            "tranche__deadline",
            "tranche__annual_amount_per_centre",
            "quota",
            "labelled",
            "in_progress",
        )
    )
    result = [
        QuotaRow(
            region_id=row["region_id"],
            region_code=row["region__code"],
            region=row["region__name"],
            annexe2_label=row["region__annexe2_label"],
            tranche=row["tranche__number"],
            tranche_label=row["tranche__label"],
            tranche_deadline=row["tranche__deadline"],
            quota=row["quota"],
            labelled=row["labelled"],
            in_progress=row["in_progress"],
            annual_amount=row["tranche__annual_amount_per_centre"],
        )
        for row in rows
    ]
    # French alphabetical order: "Île-de-France" with the I, not after "Provence" (database collation).
    result.sort(key=lambda r: (r.tranche, french_sort_key(r.region)))
    return result


def french_sort_key(text: str) -> str:
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().casefold()


@dataclass
class QuotaTotals:
    label: str
    quota: int = 0
    labelled: int = 0
    in_progress: int = 0
    remaining: int = 0
    funding: Decimal = Decimal("0")
    planned_funding: Decimal = Decimal("0")

    def add(self, row: QuotaRow) -> None:
        self.quota += row.quota
        self.labelled += row.labelled
        self.in_progress += row.in_progress
        self.remaining += row.remaining
        self.funding += row.funding
        self.planned_funding += row.planned_funding


def quota_table(rows: list[QuotaRow] | None = None) -> dict:
    """The rows grouped by tranche, with a total per tranche and a grand total (23 = 12 + 11)."""
    rows = quota_rows() if rows is None else rows
    tranches: dict[int, dict] = {}
    grand = QuotaTotals(label="Total national")
    for row in rows:
        group = tranches.setdefault(
            row.tranche,
            {
                "number": row.tranche,
                "label": row.tranche_label,
                "deadline": row.tranche_deadline,
                "rows": [],
                "total": QuotaTotals(row.tranche_label),
            },
        )
        group["rows"].append(row)
        group["total"].add(row)
        grand.add(row)
    return {"tranches": list(tranches.values()), "total": grand}


# --- Detail pages -------------------------------------------------------------------------------


def crmr_detail_data(crmr: Crmr) -> dict:
    today = timezone.localdate()
    return {
        "sites": crmr.sites.select_related("establishment__region", "hospital", "lead"),
        "mandates": crmr.mandates.select_related("person", "establishment").order_by("-start"),
        "current_mandate": crmr.mandates.active_on(today).select_related("person", "establishment").first(),
        "mig_allocations": crmr.mig_allocations.select_related("establishment").order_by("-start"),
        "ccmrs": crmr.ccmrs.select_related("establishment__region", "team_lead"),
        "events": crmr.events.select_related("recorded_by"),
    }


def establishment_detail_data(establishment: Establishment) -> dict:
    today = timezone.localdate()
    return {
        "hospitals": establishment.hospitals.all(),
        "crcsep_centres": establishment.crc_sep_centres.select_related("tranche", "hospital"),
        "crmr_sites": establishment.crmr_sites.select_related("crmr__filiere", "hospital").order_by("crmr__name"),
        "ccmrs": establishment.ccmrs.select_related("crmr__filiere"),
        "mig_allocations": MigAllocation.objects.filter(establishment=establishment)
        .select_related("crmr")
        .order_by("-start"),
        "mandates": CoordinatorMandate.objects.filter(establishment=establishment)
        .active_on(today)
        .select_related("crmr", "person"),
        "events": RegistryEvent.objects.filter(
            Q(establishment=establishment)
            | Q(crc_sep_centre__establishment=establishment)
            | Q(ccmr__establishment=establishment)
            | Q(crmr__coordinating_establishment=establishment)
        )
        .select_related("recorded_by")
        .distinct(),
    }


# --- History (django-simple-history) ----------------------------------------------------------

_HISTORY_LABELS = {"+": "Création", "~": "Modification", "-": "Suppression"}


@dataclass(frozen=True)
class HistoryRow:
    date: datetime.datetime
    by: str
    action: str
    subject: str
    changes: list[str]


def _describe_changes(record, previous) -> list[str]:
    if previous is None:
        return []
    delta = record.diff_against(previous)
    lines = []
    for change in delta.changes:
        field = record.instance_type._meta.get_field(change.field)
        label = str(getattr(field, "verbose_name", change.field))
        lines.append(f"{label} : « {change.old if change.old not in (None, '') else '—'} » → « {change.new} »")
    return lines


def _subject(record) -> str:
    kind = str(record.instance_type._meta.verbose_name)
    name = getattr(record, "name", "") or getattr(record, "last_name", "")
    kind = kind[:1].upper() + kind[1:]
    return f"{kind} — {name}" if name else kind


def history_rows(*objects_or_querysets, limit: int = 30) -> list[HistoryRow]:
    """The change records of registry objects, newest first. Each argument is a model instance with
    ``history`` or a queryset of historical records. One query per argument: each record is compared
    with the previous record of the same object in memory."""
    records = []
    for item in objects_or_querysets:
        queryset = item.history.all() if hasattr(item, "history") and not hasattr(item, "model") else item
        latest = list(queryset.select_related("history_user").order_by("-history_date", "-history_id")[: limit * 2])
        previous_of = {}
        for record in reversed(latest):  # oldest first
            records.append((record, previous_of.get(record.id)))
            previous_of[record.id] = record
    records.sort(key=lambda pair: pair[0].history_date, reverse=True)
    return [
        HistoryRow(
            date=record.history_date,
            by=str(record.history_user) if record.history_user else "Système (chargement ou reprise)",
            action=_HISTORY_LABELS.get(record.history_type, record.history_type),
            subject=_subject(record),
            changes=_describe_changes(record, previous if record.history_type == "~" else None),
        )
        for record, previous in records[:limit]
    ]
