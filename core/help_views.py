"""The in-app guide of each role (issue 17, item 6): ``/aide/`` opens the signed-in user's own guide and
lists the others; ``/aide/<rôle>/`` opens one. Every signed-in account may read every guide (they describe
the procedures, not data)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render
from django.views.decorators.http import require_GET

from .help import BY_SLUG, GUIDES, guide_for


def _render(request, guide):
    own = guide_for(request.user)
    others = [g for g in GUIDES if g != own]
    return render(
        request,
        "core/help.html",
        {
            "title": f"Aide — {guide.title}" if guide else "Aide",
            "guide": guide,
            "own": own,
            "menu": ([own] if own else []) + others,
        },
    )


@require_GET
@login_required
def help_index(request):
    return _render(request, guide_for(request.user))


@require_GET
@login_required
def help_role(request, role):
    guide = BY_SLUG.get(role)
    if guide is None:
        raise Http404
    return _render(request, guide)
