"""HTML goes out gzip-compressed to a browser that accepts it; PDFs and archives go out as they are."""

import gzip

import pytest
from django.http import HttpResponse
from django.test import RequestFactory

from core.middleware import TextGZipMiddleware


def _through(response, accept="gzip, deflate"):
    request = RequestFactory().get("/", HTTP_ACCEPT_ENCODING=accept)
    return TextGZipMiddleware(lambda r: response)(request)


def test_html_is_compressed():
    body = "<html><body>" + "<p>Centre de référence maladies rares</p>" * 50 + "</body></html>"
    response = _through(HttpResponse(body, content_type="text/html; charset=utf-8"))
    assert response["Content-Encoding"] == "gzip"
    assert gzip.decompress(response.content).decode() == body


@pytest.mark.parametrize("content_type", ["application/pdf", "application/zip"])
def test_compressed_formats_are_left_alone(content_type):
    response = _through(HttpResponse(b"%PDF" + b"x" * 2000, content_type=content_type))
    assert not response.has_header("Content-Encoding")


def test_no_compression_unless_asked():
    response = _through(HttpResponse("<p>x</p>" * 100, content_type="text/html"), accept="identity")
    assert not response.has_header("Content-Encoding")


def test_settings_compress_html():
    from django.conf import settings

    assert "core.middleware.TextGZipMiddleware" in settings.MIDDLEWARE
