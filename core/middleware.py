"""French error pages in every mode (issue 16, item 6).

With DEBUG off Django renders templates/403.html and 404.html itself. With DEBUG on it would show its
technical pages instead, so this middleware renders the same French pages for a 403 or 404 (raised by a
view, or an address no URL matches) in every mode. A 500 under DEBUG keeps Django's traceback (it is for
developers); templates/500.html is served otherwise."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.views import defaults

from .views import not_found


class FrenchErrorPagesMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if (
            settings.DEBUG
            and response.status_code == 404
            and getattr(request, "resolver_match", None) is None  # no URL matched: Django's technical page
            and response.get("Content-Type", "").startswith("text/html")
        ):
            return not_found(request, Http404())
        return response

    def process_exception(self, request, exception):
        if not settings.DEBUG:
            return None  # Django's own handlers render the same templates
        if isinstance(exception, Http404):
            return not_found(request, exception)
        if isinstance(exception, PermissionDenied):
            return defaults.permission_denied(request, exception)
        return None
