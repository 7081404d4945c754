"""Rendering an official letter to PDF (WeasyPrint, the State bloc-marque, the QR code and verification
footer), signing it, and checking a stored PDF against its hash. Run by the ``render_letter`` task."""

from __future__ import annotations

import logging
from functools import lru_cache
from pathlib import Path

from django.conf import settings
from django.contrib.staticfiles import finders
from django.core.files.base import ContentFile
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone

from core.uploads import sha256_hex

from .models import Letter
from .signing import sign_pdf, signing_config
from .verification import qr_data_uri, verification_page_url

logger = logging.getLogger(__name__)

DGOS_SENDER_CODE = "DGOS-PF2"


# --- Rendering ---------------------------------------------------------------------------------


@lru_cache(maxsize=1)
def _font_face_css() -> str:
    """@font-face rules pointing at the Marianne files shipped in django-dsfr's static files."""
    rules = []
    for weight, style, name in (
        (400, "normal", "Marianne-Regular"),
        (400, "italic", "Marianne-Regular_Italic"),
        (700, "normal", "Marianne-Bold"),
        (700, "italic", "Marianne-Bold_Italic"),
    ):
        path = finders.find(f"dsfr/dist/fonts/{name}.woff2") or finders.find(f"dsfr/dist/fonts/{name}.woff")
        if path:
            rules.append(
                f"@font-face {{ font-family: 'Marianne'; font-weight: {weight}; font-style: {style}; "
                f"src: url('{Path(path).as_uri()}'); }}"
            )
    return "\n".join(rules)


def _static_roots() -> tuple[Path, ...]:
    """The directories the application's own static files are found in (staticfiles finders)."""
    roots = {Path(settings.STATIC_ROOT).resolve()}
    for finder in finders.get_finders():
        for storage in getattr(finder, "storages", {}).values():
            location = getattr(storage, "location", None)
            if location:
                roots.add(Path(location).resolve())
    return tuple(roots)


@lru_cache(maxsize=1)
def static_only_url_fetcher():
    """WeasyPrint's URL fetcher for every PDF the application renders: it serves the application's own
    static files (the Marianne fonts) and ``data:`` URIs, and refuses everything else — any other
    ``file://`` path, ``http(s)://`` (no request leaves the server), ``ftp://`` — whatever a letter's
    frozen HTML may contain."""
    from urllib.request import url2pathname

    from weasyprint.urls import URLFetcher

    class StaticOnlyURLFetcher(URLFetcher):
        def fetch(self, url, headers=None):
            scheme = url.split(":", 1)[0].lower()
            if scheme == "data":
                return super().fetch(url, headers)
            if scheme == "file":
                path = Path(url2pathname(url.split("?", 1)[0].split("#", 1)[0].removeprefix("file://"))).resolve()
                if path.is_file() and any(path.is_relative_to(root) for root in _static_roots()):
                    return super().fetch(path.as_uri(), headers)
            logger.warning("PDF rendering: resource refused (not a static file of the application): %.200s", url)
            raise ValueError("resource refused: only the application's static files are served")

    return StaticOnlyURLFetcher(allowed_protocols=("file", "data"), allow_redirects=False)


@lru_cache(maxsize=1)
def _weasy():
    from weasyprint import CSS, HTML
    from weasyprint.text.fonts import FontConfiguration

    font_config = FontConfiguration()
    css = CSS(string=_font_face_css(), font_config=font_config, url_fetcher=static_only_url_fetcher())
    return HTML, css, font_config


@lru_cache(maxsize=1)
def _letter_layout_css():
    """The letter layout, parsed once per process; only the @page footer, which carries the reference,
    stays in each letter's HTML."""
    from weasyprint import CSS

    _, _, font_config = _weasy()
    return CSS(
        string=render_to_string("letters/layout/letter.css"),
        font_config=font_config,
        url_fetcher=static_only_url_fetcher(),
    )


MARIANNE_PNG = "letters/marianne.png"


@lru_cache(maxsize=1)
def _marianne_uri() -> str:
    """The emblem the letters print: ``marianne.png``, the rasterisation of ``marianne_svg_data_uri`` (600 dpi
    at its printed width of 11 mm).

    WeasyPrint re-parses an SVG's paths at every render (~0.1 s for the Marianne profile, which alone broke
    the letter/floor budget of the benchmark); a PNG is decoded once per process (image cache). A test
    checks that the PNG still matches django-dsfr's drawing."""
    path = finders.find(MARIANNE_PNG)
    return Path(path).as_uri() if path else marianne_svg_data_uri()


@lru_cache(maxsize=1)
def marianne_svg_data_uri() -> str:
    """The Marianne emblem of the bloc-marque, as the DSFR draws it (django-dsfr's ``fr-logo``: the
    Marianne profile over the blue and red flag), built once per process into an SVG data URI."""
    import re
    from urllib.parse import quote, unquote

    path = finders.find("dsfr/dist/component/logo/logo.main.min.css")
    css = Path(path).read_text(encoding="utf-8") if path else ""
    match = re.search(r'\.fr-logo:before\{[^}]*?url\("data:image/svg\+xml;charset=utf8,([^"]+)"\)', css)
    profile = re.sub(r"^<svg[^>]*>|</svg>$", "", unquote(match.group(1))) if match else ""
    svg = (
        "<svg xmlns='http://www.w3.org/2000/svg' viewBox='0 0 44 16'>"
        "<rect width='22' height='16' fill='#000091'/><rect x='22' width='22' height='16' fill='#e1000f'/>"
        f"<g transform='translate(0,-1)'>{profile}</g></svg>"
    )
    return "data:image/svg+xml;charset=utf8," + quote(svg)


# WeasyPrint's image cache shared by the renders of a process: the Marianne emblem (an SVG) is parsed
# once, not per letter (the benchmark's letter/floor ratio).
_IMAGE_CACHE: dict = {}


def _place(letter: Letter) -> str:
    """The seat city of the sender (issue 13: "Rennes, le …", not the region)."""
    if letter.sender_city:
        return letter.sender_city
    return "Paris" if letter.sender_code.startswith("DGOS") else (letter.region.name if letter.region_id else "")


def letter_render_pdf(letter: Letter) -> bytes:
    """Render the letter's frozen content in the French administrative layout (WeasyPrint)."""
    HTML, fonts_css, font_config = _weasy()
    context = {"letter": letter, "marianne": _marianne_uri(), "place": _place(letter)}
    if letter.verification_code:
        context.update(qr=qr_data_uri(letter), verify_page=verification_page_url())
    html = render_to_string("letters/layout/base.html", context)
    return HTML(string=html, base_url=str(settings.BASE_DIR), url_fetcher=static_only_url_fetcher()).write_pdf(
        stylesheets=[fonts_css, _letter_layout_css()], font_config=font_config, cache=_IMAGE_CACHE
    )


def letter_produce(letter_id: int) -> Letter:
    """Render and store the PDF of a pending letter, once. Idempotent: an issued letter is left as is."""
    with transaction.atomic():
        letter = Letter.objects.select_for_update().get(pk=letter_id)
        if letter.status == Letter.Status.ISSUED:
            return letter
        config = signing_config(letter.sender_code)
        letter.signature_demo = config.demo  # the footer says "signature de démonstration" (item 3)
        data = sign_pdf(letter_render_pdf(letter), sender_code=letter.sender_code, config=config)  # sign, then hash
        path = f"letters/{letter.year}/{letter.sender_code}-{letter.number:05d}.pdf"
        storage = letter.pdf.storage
        if storage.exists(path):  # a previous try died after writing the file: replace it
            storage.delete(path)
        letter.pdf.save(path, ContentFile(data), save=False)
        letter.sha256 = sha256_hex(data)
        letter.rendered_at = timezone.now()
        letter.status = Letter.Status.ISSUED
        letter.save(update_fields=["pdf", "sha256", "rendered_at", "status", "signature_demo"])
    return letter


def letter_verify(letter: Letter) -> bool:
    """Does the stored PDF still match the SHA-256 recorded when it was issued?"""
    if not letter.sha256 or not letter.pdf:
        return False
    try:
        with letter.pdf.open("rb") as handle:
            return sha256_hex(handle.read()) == letter.sha256
    except FileNotFoundError:
        return False
