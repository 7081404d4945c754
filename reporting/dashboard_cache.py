"""The dashboards' figures kept a short while in the cache, per region (issue 15, item 4).

Every viewer of one scope (the country, a region) asks the same figures; computing them costs about ten
grouped queries, reading them back one cache round trip. An entry lives ``DASHBOARD_CACHE_SECONDS`` (60 s by
default, 0: no cache) and no longer than the day it was computed (the horizons count in days); it is
dropped at once, for every scope, when the data they count change: a transition of any procedure (the
state and the age of a dossier), a dossier created or deleted, a centre, quota or tranche saved
(Annexe 2). Each entry carries the generation it was computed in: one ``get_many`` reads both, and an
entry of an older generation is computed again."""

from __future__ import annotations

import logging
import uuid
from collections.abc import Callable

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.utils import timezone
from django_fsm.signals import post_transition

from core.workflow import procedure_for

GENERATION_KEY = "dashboard:generation"
logger = logging.getLogger(__name__)


def cache_seconds() -> int:
    return getattr(settings, "DASHBOARD_CACHE_SECONDS", 60)


def figures(region, compute: dict[str, Callable[[], object]]) -> dict[str, object]:
    """``{name: compute[name]()}`` for one scope (``region``, None for the country), read from the cache
    when a fresh entry of the current generation is there, computed (and stored) otherwise. A cache out of
    service costs the computation, never the page."""
    seconds = cache_seconds()
    if seconds <= 0:
        return {name: make() for name, make in compute.items()}
    scope = f"{region.pk if region is not None else 'fr'}:{timezone.localdate().isoformat()}"
    keys = {name: f"dashboard:{name}:{scope}" for name in compute}
    try:
        found = cache.get_many([GENERATION_KEY, *keys.values()])
        generation = found.get(GENERATION_KEY)
        if generation is None:
            cache.add(GENERATION_KEY, uuid.uuid4().hex, None)
            generation = cache.get(GENERATION_KEY)
    except Exception:  # the cache is a shortcut: without it the figures are computed
        logger.warning("dashboard cache unavailable", exc_info=True)
        return {name: make() for name, make in compute.items()}
    result, missing = {}, {}
    for name, key in keys.items():
        entry = found.get(key)
        if generation is not None and entry is not None and entry[0] == generation:
            result[name] = entry[1]
        else:
            result[name] = compute[name]()
            missing[key] = (generation, result[name])
    if missing and generation is not None:
        try:
            cache.set_many(missing, seconds)
        except Exception:
            logger.warning("dashboard cache unavailable", exc_info=True)
    return result


def invalidate() -> None:
    """A new generation: every cached figure is computed again on its next reading. Without the cache, the
    entries it holds are not read either (``figures`` computes), and they expire within the TTL."""
    try:
        cache.set(GENERATION_KEY, uuid.uuid4().hex, None)
    except Exception:
        logger.warning("dashboard cache unavailable: figures kept at most %s s", cache_seconds(), exc_info=True)


def invalidate_on_commit(**_kwargs) -> None:
    """After the transaction that changed the data commits (before that, readers still see the old rows)."""
    if cache_seconds() > 0:
        transaction.on_commit(invalidate)


def _after_transition(sender, instance, **kwargs):
    if procedure_for(instance) is not None:
        invalidate_on_commit()


def _after_save_or_delete(sender, **kwargs):
    from centres.models import CrcSepCentre, RegionalQuota, Tranche

    if sender in (CrcSepCentre, RegionalQuota, Tranche) or procedure_for(sender) is not None:
        invalidate_on_commit()


def connect() -> None:
    """Called once, from ``ReportingConfig.ready``."""
    post_transition.connect(_after_transition, dispatch_uid="dashboard_cache_transition")
    post_save.connect(_after_save_or_delete, dispatch_uid="dashboard_cache_save")
    post_delete.connect(_after_save_or_delete, dispatch_uid="dashboard_cache_delete")
