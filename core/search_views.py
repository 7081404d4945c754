"""The results page of the header's search (issue 17, item 5): grouped by kind, with counts and links."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.views.decorators.http import require_GET

from .search import MIN_LENGTH, search
from .typography import date_fr, numero


@dataclass
class Row:
    title: str
    url: str
    detail: str
    badge: str = ""


def _row(key: str, obj) -> Row:
    """What a result says about itself: its name, where it leads, one line of context (no query)."""
    if key == "crcsep":
        detail = f"{obj.establishment.name} — {obj.hospital.name} ({obj.region.name})"
        return Row(obj.name, obj.get_absolute_url(), detail, obj.get_status_display())
    if key == "crmr":
        detail = f"Filière {obj.filiere.name} — {obj.coordinating_establishment.name}"
        return Row(obj.name, obj.get_absolute_url(), detail, obj.get_kind_display())
    if key == "ccmr":
        return Row(obj.name, obj.get_absolute_url(), f"{obj.crmr.name} — {obj.establishment.name}", obj.status_label)
    if key == "person":
        return Row(str(obj), _person_url(obj), obj.specialty)
    if key == "establishment":
        detail = f"FINESS EJ {obj.finess_ej} — {obj.city} ({obj.region.name})"
        return Row(obj.name, obj.get_absolute_url(), detail, obj.kind)
    if key == "application":
        detail = f"{obj.establishment.name} — {obj.region.name} — tranche {obj.tranche.number}"
        title = f"Candidature {numero(obj.pk)} : {obj.centre_name}"
        return Row(title, obj.get_absolute_url(), detail, obj.get_state_display())
    if key == "succession":
        former = f"coordonnateur sortant : {obj.former_coordinator}" if obj.former_coordinator_id else ""
        successor = f" ; successeur : {obj.successor}" if obj.successor_id else ""
        title = f"Succession {numero(obj.pk)} : {obj.crmr.name}"
        return Row(title, obj.get_absolute_url(), f"{former}{successor}", obj.get_state_display())
    if key == "ccmr_request":
        title = f"Demande {numero(obj.pk)} : {obj.get_kind_display().lower()} — {obj.centre_name}"
        detail = f"{obj.crmr.name} — {obj.establishment.name}"
        return Row(title, obj.get_absolute_url(), detail, obj.get_state_display())
    if key == "letter":
        detail = f"{obj.subject} — {obj.sender_label}, {date_fr(obj.issued_on)}"
        return Row(obj.reference, obj.get_absolute_url(), detail, obj.get_status_display())
    raise ValueError(key)


def _person_url(person) -> str:
    from django.urls import reverse

    return reverse("centres:person_detail", args=[person.pk])


@require_GET
@login_required
def search_results(request):
    """Every kind the user may see, a bounded number of rows each (``core.search.PER_KIND``)."""
    query = request.GET.get("q", "").strip()[:200]
    groups = search(request.user, query)
    shown = [
        {
            "key": g.kind.key,
            "label": g.kind.label,
            "total": g.total,
            "more": g.more,
            "rows": [_row(g.kind.key, obj) for obj in g.results],
        }
        for g in groups
    ]
    return render(
        request,
        "core/search.html",
        {
            "title": f"Recherche : {query}" if query else "Recherche",
            "query": query,
            "too_short": bool(query) and not groups,
            "min_length": MIN_LENGTH,
            "groups": [g for g in shown if g["total"]],
            "empty_kinds": [g["label"] for g in shown if not g["total"]],
            "total": sum(g["total"] for g in shown),
        },
    )
