"""The results page of the header's search (issue 17, item 5): grouped by kind, with counts and links."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.views.decorators.http import require_GET

from .search import MIN_LENGTH, search


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
            "rows": [g.kind.row(obj) for obj in g.results],
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
