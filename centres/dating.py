"""The date the registry is read at: ``?date=AAAA-MM-JJ`` on every registry page, today by default."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.utils import timezone

MIN_DATE = datetime.date(1990, 1, 1)
MAX_DATE = datetime.date(2100, 12, 31)


@dataclass(frozen=True)
class RegistryDate:
    on: datetime.date
    today: datetime.date
    error: str = ""
    explicit: bool = False

    @property
    def is_today(self) -> bool:
        return self.on == self.today

    @property
    def is_future(self) -> bool:
        return self.on > self.today

    @property
    def is_past(self) -> bool:
        return self.on < self.today

    @property
    def param(self) -> str:
        """The query-string value to carry in links (empty for today)."""
        return "" if self.is_today else self.on.isoformat()


def parse_registry_date(value: str | None) -> RegistryDate:
    """``AAAA-MM-JJ`` (what an ``<input type="date">`` sends) or ``JJ/MM/AAAA``; a bad value reads today
    and says why, in French."""
    today = timezone.localdate()
    value = (value or "").strip()
    if not value:
        return RegistryDate(on=today, today=today)
    for fmt in ("%Y-%m-%d", "%d/%m/%Y"):
        try:
            on = datetime.datetime.strptime(value, fmt).date()  # noqa: DTZ007 (a calendar date)
        except ValueError:
            continue
        if not MIN_DATE <= on <= MAX_DATE:
            break
        return RegistryDate(on=on, today=today, explicit=True)
    return RegistryDate(
        on=today,
        today=today,
        error=(
            f"La date « {value[:30]} » n'est pas valide : saisissez une date au format AAAA-MM-JJ entre 1990 et 2100 "
            "(par exemple 2027-07-01). Le registre est affiché à la date du jour."
        ),
    )


def registry_date(request) -> RegistryDate:
    return parse_registry_date(request.GET.get("date"))
