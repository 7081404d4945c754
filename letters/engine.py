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
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _

from core import typography as typo
from core.uploads import sha256_hex

from .models import Letter, LetterCounter, LetterReader
from .signing import sign_pdf, signing_config
from .verification import new_verification_code, qr_data_uri, verification_page_url

logger = logging.getLogger(__name__)

DGOS_SENDER_CODE = "DGOS-PF2"


@dataclass(frozen=True)
class Sender:
    """What a letter takes from its sender identity (reference data, ``letters.senders``)."""

    code: str
    label: str
    lines: tuple[str, ...]
    signature_formula: str
    signatory_name: str
    signatory_function: str
    city: str = ""
    address: tuple[str, ...] = ()
    party: str = ""
    is_demo: bool = False


@dataclass(frozen=True)
class Recipient:
    """An addressee or copied party: its address block and the reader keys it gives (``LetterReader``)."""

    label: str
    lines: tuple[str, ...]
    parties: tuple[str, ...] = ()

    def as_json(self) -> dict:
        return {"label": self.label, "lines": list(self.lines)}


def _sender(identity) -> Sender:
    signatory = identity.current_signatory()
    if signatory is None:
        raise ValidationError(
            _(
                "Aucun signataire n'est enregistré pour « %(sender)s » : un administrateur doit le renseigner "
                "(administration, expéditeurs)."
            )
            % {"sender": identity.name}
        )
    party = f"ars:{identity.region.code}" if identity.region_id else "dgos"
    return Sender(
        code=identity.code,
        label=identity.name,
        lines=tuple(identity.line_list),
        signature_formula=signatory.delegation.strip(),
        signatory_name=signatory.full_name,
        signatory_function=signatory.title,
        city=identity.seat_city,
        # The bureau's mailbox closes its address block: "toutes les demandes … à adresser à la DGOS au
        # bureau PF2 à l'adresse qui suit [DGOS-PF2@sante.gouv.fr]" (2013 instruction, lettre de couverture).
        address=tuple(identity.address_lines) + ((f"Courriel : {identity.contact}",) if identity.contact else ()),
        party=party,
        is_demo=signatory.is_demo,
    )


def dgos_sender(bureau: str = DGOS_SENDER_CODE) -> Sender:
    """A DGOS bureau (2013 instruction header: bureau PF2; the CRC SEP instruction: bureau R4), its signatory
    and delegation line from the reference data."""
    from .senders import sender_identity

    return _sender(sender_identity(bureau))


def ars_sender(region) -> Sender:
    """The regional health agency of ``region``: seat city, address and signatory from the reference data."""
    from .senders import ars_code, sender_identity

    return _sender(sender_identity(ars_code(region)))


# --- Recipients: address blocks built from the registry, with the reader keys of item 6 -------------


def to_establishment_director(establishment) -> Recipient:
    """The président du directoire of ``establishment`` (2013 instruction, Annexe 1 and 2; 2016 instruction)."""
    civility = getattr(establishment, "director_civility", "")
    function = typo.agree("Président du directoire", civility) if civility else _("Présidence du directoire")
    name = establishment.director_name
    person = f"{typo.civility_long(civility)} {name}".strip() if name else ""
    lines = [line for line in (person, function, establishment.name, establishment.city) if line]
    label = f"{function} {typo.de(establishment.name)}" + (f" ({name})" if name else "")
    return Recipient(label=label, lines=tuple(lines), parties=(f"est:{establishment.pk}",))


def to_sender_identity(code: str, *, function: str = "") -> Recipient:
    """A DGOS bureau or an ARS as addressee or copy, with its postal address."""
    from .senders import sender_identity

    identity = sender_identity(code)
    party = f"ars:{identity.region.code}" if identity.region_id else "dgos"
    lines = ([function] if function else []) + identity.line_list[-2:] + identity.address_lines
    label = f"{function} — {identity.name}" if function else identity.name
    return Recipient(label=label, lines=tuple(lines), parties=(party,))


def to_ars(region, *, function: str = "") -> Recipient:
    from .senders import ars_code

    return to_sender_identity(ars_code(region), function=function)


def to_dgos(bureau: str = DGOS_SENDER_CODE) -> Recipient:
    return to_sender_identity(bureau)


def to_groupe_permanent() -> Recipient:
    """The vice-président santé of the CoSPro, responsable of the groupe permanent (2013 instruction)."""
    label = _(
        "Vice-présidence santé du comité de suivi et de prospective du plan national maladies rares, "
        "responsable du groupe permanent"
    )
    return Recipient(label=label, lines=(label,), parties=("gp",))


def to_coordinator(crmr, person=None, *, function: str = "Coordonnateur", establishment=None) -> Recipient:
    """A coordinator of ``crmr`` (a person of the registry): "Pr Anne X, coordonnatrice du centre …".

    The function is agreed with the person's civility; unknown civility gives the neutral "Coordination"."""
    civility = getattr(person, "civility", "") if person is not None else ""
    agreed = typo.agree(function, civility) if civility else None
    if agreed is None:
        agreed = _("Coordination") if function == "Coordonnateur" else typo.agree(function, "M.")
    name = str(person) if person is not None else ""
    target = f"{agreed} du centre de référence maladies rares « {crmr.name} »"
    establishment = establishment or crmr.coordinating_establishment
    lines = [line for line in (name, target, establishment.name, establishment.city) if line]
    parties = [f"crmr:{crmr.pk}"] + ([f"person:{person.pk}"] if person is not None and person.pk else [])
    label = f"{name}, {target[0].lower()}{target[1:]}" if name else target
    return Recipient(label=label, lines=tuple(lines), parties=tuple(parties))


def _as_json(item):
    return item.as_json() if isinstance(item, Recipient) else str(item)


def letter_compose(
    *,
    kind: str,
    sender: Sender,
    subject: str,
    body_template: str,
    context: dict,
    addressees: list,
    copies: list = (),
    attachments: list[str] = (),
    references_line: str = "",
    dossier=None,
    region=None,
    created_by,
    cites: Letter | None = None,
    issued_on: datetime.date | None = None,
    readers: tuple[str, ...] = (),
) -> Letter:
    """An unsaved letter whose body is rendered now and frozen (templates may change later).

    Addressees and copies are ``Recipient`` (address block + reader keys) or plain strings; who may read
    the letter is its sender, the parties of its addressees and copies, and ``readers`` (issue 13, item 6)."""
    from .senders import instruction_bureau, sender_identity

    bureau = sender_identity(instruction_bureau(kind))
    instruction = bureau.instruction_reference
    body_html = render_to_string(
        body_template, {**context, "sender": sender, "instruction_reference": instruction, "bureau": bureau}
    )
    letter = Letter(
        reference=_("PROJET"),
        sender_code=sender.code,
        year=(issued_on or timezone.localdate()).year,
        number=0,
        kind=kind,
        issued_on=issued_on or timezone.localdate(),
        sender_label=sender.label,
        sender_lines=list(sender.lines),
        sender_city=sender.city,
        sender_address=list(sender.address),
        instruction=instruction,
        addressees=[_as_json(a) for a in addressees],
        copies=[_as_json(c) for c in copies],
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
    parties = {sender.party} if sender.party else set()
    for item in (*addressees, *copies):
        if isinstance(item, Recipient):
            parties.update(item.parties)
    parties.update(readers)
    letter._reader_parties = sorted(p for p in parties if p)
    letter._demo_signatory = sender.is_demo
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
        draft.verification_code = new_verification_code()  # printed in the footer (issue 13, item 2)
        draft.status = Letter.Status.PENDING
        draft.full_clean(exclude=["pdf", "sha256", "dossier"])
        draft.save()
        if establishments:
            draft.establishments.set(establishments)
        parties = getattr(draft, "_reader_parties", [])
        LetterReader.objects.bulk_create([LetterReader(letter=draft, party=p) for p in parties])
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
