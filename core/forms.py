"""A refused form keeps what the user typed (issue 17, item 2).

Some small forms sit on a dossier's page but post to an action address that redirects back to the page.
When such a form is refused, ``remember_refused`` keeps the typed data (never files) in the session, and
the page builds the form with ``form_again``: bound to that data once, so its fields show what was typed
and its errors (in the page's error summary), blank otherwise."""

from __future__ import annotations

from django.http import QueryDict

SESSION_KEY = "refused_forms"


def remember_refused(request, key: str) -> None:
    kept = request.session.get(SESSION_KEY, {})
    kept[key] = {name: request.POST.getlist(name) for name in request.POST if name != "csrfmiddlewaretoken"}
    request.session[SESSION_KEY] = kept


def form_again(request, key: str, form_class, **kwargs):
    kept = request.session.get(SESSION_KEY, {})
    data = kept.pop(key, None)
    if data is None:
        return form_class(**kwargs)
    request.session[SESSION_KEY] = kept
    bound = QueryDict(mutable=True)
    for name, values in data.items():
        bound.setlist(name, values)
    return form_class(data=bound, **kwargs)
