"""French error pages in every mode (issue 16, item 6).

With DEBUG off Django renders templates/403.html and 404.html itself. With DEBUG on it would show its
technical pages instead, so this middleware renders the same French pages for a 403 or 404 (raised by a
view, or an address no URL matches) in every mode. A 500 under DEBUG keeps Django's traceback (it is for
developers); templates/500.html is served otherwise.

An address that only accepts a form's POST, typed in the address bar (GET), answers 405 with a French page
that explains it and links to the dossier's page, instead of an empty response (issue 17, item 7).

HTML and other text responses are gzip-compressed (issue 15, item 8) by ``TextGZipMiddleware``: PDFs,
ZIPs and spreadsheets are compressed formats already, so they go out as they are."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.middleware.gzip import GZipMiddleware
from django.shortcuts import render
from django.urls import Resolver404, resolve
from django.views import defaults

from .views import not_found

COMPRESSED_TYPES = ("text/", "application/json", "application/javascript", "image/svg+xml")


class TextGZipMiddleware(GZipMiddleware):
    """Django's GZipMiddleware for text only (see docs/decisions.md on BREACH)."""

    def process_response(self, request, response):
        if not response.get("Content-Type", "").startswith(COMPRESSED_TYPES):
            return response
        return super().process_response(request, response)


class FrenchErrorPagesMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if response.status_code == 405 and request.method in ("GET", "HEAD") and not response.content:
            return method_not_allowed(request, response)
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


def method_not_allowed(request, bare_response):
    """The French 405 page, keeping the ``Allow`` header of Django's bare answer."""
    if "/api/" in request.path:
        return bare_response
    response = render(request, "405.html", {"parent_url": _parent_page(request.path)}, status=405)
    if "Allow" in bare_response:
        response["Allow"] = bare_response["Allow"]
    return response


def _parent_page(path: str) -> str:
    """The page one level up (e.g. a dossier's page for its ``…/action/``) when an address serves it."""
    parent = path.rstrip("/").rsplit("/", 1)[0] + "/"
    try:
        resolve(parent)
    except Resolver404:
        return ""
    return parent if parent != "/" else ""
