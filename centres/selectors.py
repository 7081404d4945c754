"""Reads of the registry that need more than a filter: list querysets, the quota table, history."""

from __future__ import annotations

import datetime
import unicodedata
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import (
    Case,
    CharField,
    Count,
    DateField,
    DecimalField,
    Exists,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.utils import timezone

from core.workflow import procedures

from .models import (
    Ccmr,
    CoordinatorMandate,
    CrcSepCentre,
    CrcSepMandate,
    Crmr,
    CrmrSite,
    Establishment,
    Filiere,
    Hospital,
    MigAllocation,
    Person,
    RegionalQuota,
    RegistryEvent,
    in_force_on,
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


def _on(on: datetime.date | None) -> datetime.date:
    return on or timezone.localdate()


def _next_start(model, on: datetime.date, outer: str = "crmr"):
    """The first start after ``on`` of ``model``'s rows of the outer object: a change decided, not yet
    in force ("à venir le …")."""
    rows = model.objects.filter(**{outer: OuterRef("pk")}, start__gt=on).order_by("start").values("start")[:1]
    return Subquery(rows, output_field=DateField())


def ccmr_status_at(on: datetime.date):
    """The CCMR's status on ``on`` as an SQL expression (2013 instruction, Annexe 2: created at the CPOM amendment,
    "en création" before; abrogated from its date)."""
    return Case(
        When(Q(abrogated_on__isnull=False, abrogated_on__lte=on), then=Value("abrogated")),
        When(Q(created_on__isnull=False, created_on__lte=on), then=Value("active")),
        default=Value("planned"),
        output_field=CharField(),
    )


def crcsep_status_at(on: datetime.date):
    return Case(
        When(labelled_on__gt=on, then=Value("planned")),
        When(Q(withdrawn_on__isnull=False, withdrawn_on__lte=on), then=Value("withdrawn")),
        default=Value("labelled"),
        output_field=CharField(),
    )


def establishment_list(on: datetime.date | None = None):
    on = _on(on)
    return Establishment.objects.select_related("region").annotate(
        hospital_count=_count_subquery(Hospital.objects.all(), inner_field="establishment"),
        crcsep_count=_count_subquery(
            CrcSepCentre.objects.active_on(on),
            inner_field="establishment",
        ),
        crmr_site_count=_count_subquery(CrmrSite.objects.active_on(on).order_by(), inner_field="establishment"),
        ccmr_count=_count_subquery(Ccmr.objects.active_on(on), inner_field="establishment"),
    )


def crcsep_list(on: datetime.date | None = None):
    """CRC SEP labelled by ``on`` or decided for later, with their status and coordinator on that date."""
    on = _on(on)
    return (
        CrcSepCentre.objects.select_related("establishment", "hospital", "region", "tranche")
        .annotate(status_at=crcsep_status_at(on))
        .prefetch_related(
            Prefetch(
                "mandates",
                queryset=CrcSepMandate.objects.active_on(on).select_related("person"),
                to_attr="mandates_on",
            )
        )
    )


def coordinating_site_on(on: datetime.date):
    """The coordinating site of the outer CRMR on ``on`` (for ``Subquery(...values(...)[:1])``)."""
    return CrmrSite.objects.active_on(on).filter(crmr=OuterRef("pk"), is_coordinating=True).order_by("-start")


def crmr_list(on: datetime.date | None = None):
    """CRMR with their coordinating establishment, coordinator, MIG and counts on ``on``, and the date of
    the next change already decided."""
    on = _on(on)
    coordinating = CrmrSite.objects.active_on(on).filter(crmr=OuterRef("pk"), is_coordinating=True).order_by("-start")
    mig = (
        MigAllocation.objects.active_on(on)
        .filter(crmr=OuterRef("pk"))
        .order_by()
        .values("crmr")
        .annotate(total=Sum("amount"))
        .values("total")
    )
    return (
        Crmr.objects.select_related("filiere")
        .with_current_coordinator(on)
        .annotate(
            coord_establishment_id=Subquery(coordinating.values("establishment_id")[:1]),
            coord_establishment_name=Subquery(coordinating.values("establishment__name")[:1]),
            coord_region_name=Subquery(coordinating.values("establishment__region__name")[:1]),
            mig_on=Coalesce(
                Subquery(mig, output_field=DecimalField()), Value(Decimal("0")), output_field=DecimalField()
            ),
            site_count=_count_subquery(CrmrSite.objects.active_on(on).order_by(), inner_field="crmr"),
            ccmr_count=_count_subquery(Ccmr.objects.active_on(on), inner_field="crmr"),
            next_site_change=_next_start(CrmrSite, on),
            next_mandate_change=_next_start(CoordinatorMandate, on),
            next_mig_change=_next_start(MigAllocation, on),
        )
    )


def ccmr_list(on: datetime.date | None = None):
    on = _on(on)
    return Ccmr.objects.select_related("crmr__filiere", "establishment__region", "team_lead").annotate(
        status_at=ccmr_status_at(on)
    )


def person_list(on: datetime.date | None = None):
    on = _on(on)
    return Person.objects.prefetch_related(
        Prefetch(
            "mandates",
            queryset=CoordinatorMandate.objects.active_on(on).select_related("crmr"),
            to_attr="current_mandates",
        ),
        Prefetch("ccmrs", queryset=Ccmr.objects.active_on(on).only("pk", "name", "team_lead_id")),
    )


def crmr_in_region(region_code_ref, on: datetime.date | None = None):
    """Exists() test: the CRMR has a site (coordinating or constitutive) in the region on ``on``."""
    sites = CrmrSite.objects.active_on(_on(on)).order_by()
    return Exists(sites.filter(crmr=OuterRef("pk"), establishment__region__code=region_code_ref))


# --- Registry home ------------------------------------------------------------------------------


def registry_counts(region=None, on: datetime.date | None = None) -> dict[str, int]:
    """Headline numbers of the registry home on ``on``, nationally or for one region."""
    on = _on(on)
    establishments = Establishment.objects.all()
    crcsep = CrcSepCentre.objects.active_on(on)
    crmr = Crmr.objects.all()
    ccmr = Ccmr.objects.active_on(on)
    if region is not None:
        establishments = establishments.filter(region=region)
        crcsep = crcsep.filter(region=region)
        sites = CrmrSite.objects.active_on(on).order_by()
        crmr = crmr.filter(Exists(sites.filter(crmr=OuterRef("pk"), establishment__region=region)))
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


# --- Quota table (2016 instruction, Annexe 2) -----------------------------------------------------------


@dataclass(frozen=True)
class QuotaRow:
    quota_id: int
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
        """ "Restants" everywhere (quota page, dashboards, exports): places neither labelled nor taken by an
        application in instruction."""
        return max(self.quota - self.labelled - self.in_progress, 0)

    @property
    def to_label(self) -> int:
        """Places of the quota not labelled yet (applications in instruction included): what the tranche
        deadline alert counts (2016 instruction, cover letter and Annexe 2)."""
        return max(self.quota - self.labelled, 0)

    @property
    def funding(self) -> Decimal:
        """Annual funding of the labelled centres (100,000 € each, 2016 instruction cover letter)."""
        return self.labelled * self.annual_amount

    @property
    def planned_funding(self) -> Decimal:
        return self.quota * self.annual_amount


def _quota_procedure():
    """The procedure whose open dossiers take an Annexe 2 place while instructed: the one that declares
    ``quota_tranche_lookup`` (the CRC SEP labellisation); None when no app declares one."""
    return next((p for p in procedures() if p.quota_tranche_lookup), None)


def _in_progress_subquery():
    procedure = _quota_procedure()
    if procedure is None:
        return Value(0, output_field=IntegerField())
    region, tranche = procedure.region_lookup, procedure.quota_tranche_lookup
    dossiers = procedure.model._default_manager.filter(**{f"{procedure.state_field.name}__in": procedure.open_states})
    counted = (
        dossiers.filter(**{region: OuterRef("region"), tranche: OuterRef("tranche")})
        .order_by()
        .values(region, tranche)
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(counted, output_field=IntegerField()), Value(0))


def quota_rows() -> list[QuotaRow]:
    """Annexe 2: per region and tranche, the quota, the labelled centres, the applications in progress (the
    open dossiers of the procedure that declares ``quota_tranche_lookup``) and what remains. One SQL
    statement."""
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
            "pk",
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
            quota_id=row["pk"],
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


def crmr_detail_data(crmr: Crmr, on: datetime.date | None = None) -> dict:
    """The CRMR as it stands on ``on`` (sites and roles, coordinator, MIG), the changes decided for later
    ("à venir"), and the whole dated history."""
    on = _on(on)
    sites = list(crmr.sites.select_related("establishment__region", "hospital", "lead").order_by("-start"))
    sites_on = sorted(
        (s for s in sites if in_force_on(s, on)),
        key=lambda s: (not s.is_coordinating, s.establishment.name),
    )
    mandates = list(crmr.mandates.select_related("person", "establishment").order_by("-start"))
    migs = list(crmr.mig_allocations.select_related("establishment").order_by("-start"))
    migs_on = [a for a in migs if in_force_on(a, on)]
    coordinating = next((s for s in sites_on if s.is_coordinating), None)
    return {
        "on": on,
        "sites": sites_on,
        "upcoming_sites": sorted((s for s in sites if s.start > on), key=lambda s: s.start),
        "site_history": sites,
        "coordinating_site": coordinating,
        "mandates": mandates,
        "current_mandate": next((m for m in mandates if in_force_on(m, on)), None),
        "upcoming_mandates": sorted((m for m in mandates if m.start > on), key=lambda m: m.start),
        "mig_allocations": migs,
        "mig_on": sum((a.amount for a in migs_on), Decimal("0")),
        "mig_allocations_on": migs_on,
        "upcoming_migs": sorted((a for a in migs if a.start > on), key=lambda a: a.start),
        "ccmrs": crmr.ccmrs.select_related("establishment__region", "team_lead").annotate(status_at=ccmr_status_at(on)),
        "events": crmr.events.select_related("recorded_by"),
    }


def establishment_detail_data(establishment: Establishment, on: datetime.date | None = None) -> dict:
    on = _on(on)
    return {
        "hospitals": establishment.hospitals.all(),
        "crcsep_centres": establishment.crc_sep_centres.select_related("tranche", "hospital").annotate(
            status_at=crcsep_status_at(on)
        ),
        "crmr_sites": establishment.crmr_sites.active_on(on)
        .select_related("crmr__filiere", "hospital")
        .order_by("crmr__name"),
        "ccmrs": establishment.ccmrs.select_related("crmr__filiere").annotate(status_at=ccmr_status_at(on)),
        "mig_allocations": MigAllocation.objects.filter(establishment=establishment)
        .select_related("crmr")
        .order_by("-start"),
        "mandates": CoordinatorMandate.objects.filter(establishment=establishment)
        .active_on(on)
        .select_related("crmr", "person"),
        "events": RegistryEvent.objects.filter(
            Q(establishment=establishment)
            | Q(crc_sep_centre__establishment=establishment)
            | Q(ccmr__establishment=establishment)
            | Q(crmr__sites__establishment=establishment)
        )
        .select_related("recorded_by")
        .distinct(),
    }


def crcsep_detail_data(centre: CrcSepCentre, on: datetime.date | None = None) -> dict:
    on = _on(on)
    mandates = list(centre.mandates.select_related("person").order_by("-start"))
    return {
        "on": on,
        "mandates": mandates,
        "current_mandate": next((m for m in mandates if in_force_on(m, on)), None),
        "upcoming_mandates": [m for m in mandates if m.start > on],
        "events": centre.events.select_related("recorded_by"),
    }


# --- The network on a date (issue: "who coordinated which CRMR, which CCMR existed") ---------------


def network_crmr_rows(on: datetime.date, region=None):
    """One row per CRMR on ``on``: coordinator, coordinating and constitutive sites, MIG. Three queries
    whatever the number of CRMR."""
    qs = (
        crmr_list(on)
        .order_by("name")
        .prefetch_related(
            Prefetch(
                "sites",
                queryset=CrmrSite.objects.active_on(on)
                .select_related("establishment__region")
                .order_by("establishment__name"),
                to_attr="sites_on",
            )
        )
    )
    if region is not None:
        qs = qs.filter(crmr_in_region(region.code, on))
    return qs


def network_ccmr_rows(on: datetime.date, region=None):
    qs = (
        Ccmr.objects.active_on(on)
        .select_related("crmr__filiere", "establishment__region", "team_lead")
        .order_by("name")
    )
    return qs.filter(establishment__region=region) if region is not None else qs


def network_crcsep_rows(on: datetime.date, region=None):
    qs = crcsep_list(on).filter(status_at="labelled").order_by("region__name", "name")
    return qs.filter(region=region) if region is not None else qs


# --- The network map (issue 17, item 4) ---------------------------------------------------------


@dataclass(frozen=True)
class MapRegion:
    code: str
    name: str
    quota: int  # Annexe 2, both tranches
    labelled: int  # CRC SEP labelled and not withdrawn on the date
    crmr_sites: int  # CRMR sites (coordinating or constitutive) in force on the date
    ccmr: int  # competence centres in activity on the date

    @property
    def quota_state(self) -> str:
        """ "none" (absent from Annexe 2 or quota 0), "open" (room left) or "reached"."""
        if not self.quota:
            return "none"
        return "reached" if self.labelled >= self.quota else "open"


@dataclass(frozen=True)
class MapEstablishment:
    pk: int
    name: str
    city: str
    region_code: str
    latitude: Decimal | None
    longitude: Decimal | None
    crmr_sites: int
    ccmr: int
    crcsep: int


def network_map_regions(on: datetime.date) -> list[MapRegion]:
    """Per region on ``on``: the Annexe 2 quota, the CRC SEP labelled, the CRMR sites and the CCMR in
    force. One SQL statement (2016 instruction, Annexe 2; 2013 instruction, Annexe 1 and 2)."""
    from .models import Region

    quota = RegionalQuota.objects.filter(region=OuterRef("pk")).order_by().values("region").annotate(n=Sum("quota"))
    rows = (
        Region.objects.annotate(
            quota_total=Coalesce(Subquery(quota.values("n"), output_field=IntegerField()), Value(0)),
            labelled=_count_subquery(CrcSepCentre.objects.active_on(on), inner_field="region"),
            crmr_sites=_count_subquery(CrmrSite.objects.active_on(on).order_by(), inner_field="establishment__region"),
            ccmr=_count_subquery(Ccmr.objects.active_on(on), inner_field="establishment__region"),
        )
        .order_by()
        .values_list("code", "name", "quota_total", "labelled", "crmr_sites", "ccmr")
    )
    regions = [MapRegion(*row) for row in rows]
    regions.sort(key=lambda r: french_sort_key(r.name))
    return regions


def network_map_establishments(on: datetime.date) -> list[MapEstablishment]:
    """The establishments hosting a CRMR site, a CCMR or a CRC SEP on ``on``, with their coordinates.
    One SQL statement."""
    rows = (
        establishment_list(on)
        .filter(Q(crmr_site_count__gt=0) | Q(ccmr_count__gt=0) | Q(crcsep_count__gt=0))
        .order_by("name")
        .values_list(
            "pk",
            "name",
            "city",
            "region__code",
            "latitude",
            "longitude",
            "crmr_site_count",
            "ccmr_count",
            "crcsep_count",
        )
    )
    return [MapEstablishment(*row) for row in rows]


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
