"""The official-letter engine used by every workflow.

    draft = letter_compose(kind=..., sender=dgos_sender(), subject=..., body_template="app/letters/x.html",
                           context={...}, addressees=[...], copies=[...], dossier=obj, created_by=user)
    pdf_bytes = letter_render_pdf(draft)           # preview: nothing saved, reference "PROJET"
    letter = letter_issue(draft)                    # inside the decision's transaction

``letter_issue`` numbers the letter (sequential per sender and year, counter row locked), saves it as
``pending`` and queues the rendering task on commit. If the broker is down the letter stays pending and
``dispatch_pending_letters`` (Celery beat, every minute) queues it again: nothing is lost.
"""

from __future__ import annotations

import datetime
import logging
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.contrib.staticfiles import finders
from django.core.files.base import ContentFile
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _

from core.uploads import sha256_hex

from .models import Letter, LetterCounter

logger = logging.getLogger(__name__)

DGOS_SENDER_CODE = "DGOS-PF2"


@dataclass(frozen=True)
class Sender:
    code: str
    label: str
    lines: tuple[str, ...]
    signature_formula: str
    signatory_name: str
    signatory_function: str


def dgos_sender() -> Sender:
    """DGOS, bureau PF2, signing "Pour la ministre et par délégation" (seed 004, signature block)."""
    return Sender(
        code=DGOS_SENDER_CODE,
        label=_("Direction générale de l'offre de soins — Bureau PF2"),
        lines=(
            _("Ministère chargé de la santé"),
            _("Direction générale de l'offre de soins"),
            _("Sous-direction du pilotage de la performance des acteurs de l'offre de soins"),
            _("Bureau des plateaux techniques et prises en charge hospitalières aiguës (PF2)"),
        ),
        signature_formula=_("Pour la ministre et par délégation"),
        signatory_name=getattr(settings, "DGOS_SIGNATORY_NAME", "") or _("Le sous-directeur"),
        signatory_function=getattr(settings, "DGOS_SIGNATORY_FUNCTION", "")
        or _("Sous-directeur du pilotage de la performance des acteurs de l'offre de soins"),
    )


def ars_sender(region) -> Sender:
    """The regional health agency of ``region``, signed by its director general."""
    return Sender(
        code=f"ARS-{region.code}",
        label=_("Agence régionale de santé %(region)s") % {"region": region.name},
        lines=(_("Agence régionale de santé"), region.name),
        signature_formula="",
        signatory_name=region.ars_director_name or _("Le directeur général"),
        signatory_function=_("Directeur général de l'agence régionale de santé %(region)s") % {"region": region.name},
    )


def letter_compose(
    *,
    kind: str,
    sender: Sender,
    subject: str,
    body_template: str,
    context: dict,
    addressees: list[str],
    copies: list[str] = (),
    attachments: list[str] = (),
    references_line: str = "",
    dossier=None,
    region=None,
    created_by,
    cites: Letter | None = None,
    issued_on: datetime.date | None = None,
) -> Letter:
    """An unsaved letter whose body is rendered now and frozen (templates may change later)."""
    body_html = render_to_string(body_template, {**context, "sender": sender})
    letter = Letter(
        reference=_("PROJET"),
        sender_code=sender.code,
        year=(issued_on or timezone.localdate()).year,
        number=0,
        kind=kind,
        issued_on=issued_on or timezone.localdate(),
        sender_label=sender.label,
        sender_lines=list(sender.lines),
        addressees=[str(a) for a in addressees],
        copies=[str(c) for c in copies],
        subject=subject,
        references_line=references_line,
        attachments=[str(a) for a in attachments],
        body_html=body_html,
        signature_formula=sender.signature_formula,
        signatory_name=sender.signatory_name,
        signatory_function=sender.signatory_function,
        region=region,
        created_by=created_by,
        cites=cites,
    )
    if dossier is not None:
        letter.content_type = ContentType.objects.get_for_model(dossier)
        letter.object_id = dossier.pk
    return letter


def _next_number(sender_code: str, year: int) -> int:
    LetterCounter.objects.get_or_create(sender_code=sender_code, year=year)
    counter = LetterCounter.objects.select_for_update().get(sender_code=sender_code, year=year)
    counter.last_number += 1
    counter.save(update_fields=["last_number"])
    return counter.last_number


def letter_issue(draft: Letter, *, establishments=()) -> Letter:
    """Number and save the letter as pending, then queue its rendering once the transaction commits."""
    with transaction.atomic():
        draft.number = _next_number(draft.sender_code, draft.year)
        draft.reference = f"{draft.sender_code}/{draft.year}/{draft.number:05d}"
        draft.status = Letter.Status.PENDING
        draft.full_clean(exclude=["pdf", "sha256", "dossier"])
        draft.save()
        if establishments:
            draft.establishments.set(establishments)
        transaction.on_commit(lambda pk=draft.pk: enqueue_letter_rendering(pk))
    return draft


def enqueue_letter_rendering(letter_id: int) -> bool:
    """Queue the rendering; a broker failure is logged, not raised: the pending row is the outbox."""
    from .tasks import render_letter

    try:
        render_letter.delay(letter_id)
    except Exception as exc:  # kombu/redis errors differ by transport; the decision must stand regardless
        logger.warning("Letter %s not queued (broker unavailable: %s); it stays pending.", letter_id, exc)
        return False
    return True


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
        string=render_to_string("reporting/letters/letter.css"),
        font_config=font_config,
        url_fetcher=static_only_url_fetcher(),
    )


def letter_render_pdf(letter: Letter) -> bytes:
    """Render the letter's frozen content in the French administrative layout (WeasyPrint)."""
    HTML, fonts_css, font_config = _weasy()
    html = render_to_string("reporting/letters/base.html", {"letter": letter})
    return HTML(string=html, base_url=str(settings.BASE_DIR), url_fetcher=static_only_url_fetcher()).write_pdf(
        stylesheets=[fonts_css, _letter_layout_css()], font_config=font_config
    )


def letter_produce(letter_id: int) -> Letter:
    """Render and store the PDF of a pending letter, once. Idempotent: an issued letter is left as is."""
    with transaction.atomic():
        letter = Letter.objects.select_for_update().get(pk=letter_id)
        if letter.status == Letter.Status.ISSUED:
            return letter
        data = letter_render_pdf(letter)
        path = f"letters/{letter.year}/{letter.sender_code}-{letter.number:05d}.pdf"
        storage = letter.pdf.storage
        if storage.exists(path):  # a previous try died after writing the file: replace it
            storage.delete(path)
        letter.pdf.save(path, ContentFile(data), save=False)
        letter.sha256 = sha256_hex(data)
        letter.rendered_at = timezone.now()
        letter.status = Letter.Status.ISSUED
        letter.save(update_fields=["pdf", "sha256", "rendered_at", "status"])
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
