"""Reference data: the public facts of the texts copied into the project (regions, Annexe 2 quotas, CHU,
filières, the senders of letters), loaded idempotently by ``manage.py load_reference_data``.

Each app that owns such facts registers its loader in its ``AppConfig.ready``
(``register_reference_loader``); they run in the order of ``INSTALLED_APPS``, the registry first. The core
knows no app: it only keeps the list.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from django.db import transaction


@dataclass
class LoadReport:
    created: dict[str, int] = field(default_factory=dict)
    updated: dict[str, int] = field(default_factory=dict)

    def count(self, kind: str, created: bool) -> None:
        target = self.created if created else self.updated
        target[kind] = target.get(kind, 0) + 1


_LOADERS: dict[str, Callable[[LoadReport], None]] = {}


def register_reference_loader(name: str, loader: Callable[[LoadReport], None]) -> None:
    """Called once per app from ``AppConfig.ready``; a second registration under a name replaces the first."""
    _LOADERS[name] = loader


@transaction.atomic
def load_reference_data() -> LoadReport:
    """Every registered loader, in registration order, in one transaction."""
    report = LoadReport()
    for loader in _LOADERS.values():
        loader(report)
    return report
