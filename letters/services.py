"""Writes of letters outside the engine: the correction that annuls and replaces an issued letter (issue 13, item 1)."""

from __future__ import annotations

import html

from django.core.exceptions import ValidationError
from django.db import transaction

from .models import Letter


def letter_body_paragraphs(letter: Letter) -> str:
    """The frozen body as plain paragraphs (one blank line between them), to edit in a correction."""
    import re

    from django.utils.html import strip_tags

    parts = re.split(r"</p>\s*", letter.body_html)
    paragraphs = [" ".join(html.unescape(strip_tags(part)).split()) for part in parts]
    return "\n\n".join(p for p in paragraphs if p)


def letter_correction_draft(*, letter: Letter, user, reason: str, subject: str, body: str) -> Letter:
    """The unsaved correcting letter: same kind, sender, addressees, copies, readers and dossier as the
    corrected one; it "annule et remplace" it, with the reason (preview or issue)."""
    from django.utils.html import escape

    from .engine import Recipient, ars_sender, dgos_sender, letter_compose

    if not reason.strip():
        raise ValidationError("Indiquez le motif de la correction.")
    if not body.strip():
        raise ValidationError("Le corps du courrier corrigé ne peut pas être vide.")
    sender = ars_sender(letter.region) if letter.sender_code.startswith("ARS-") else dgos_sender(letter.sender_code)
    paragraphs = [p.strip() for p in body.replace("\r\n", "\n").split("\n\n") if p.strip()]

    def recipient(item):
        if isinstance(item, dict):
            return Recipient(label=item.get("label", ""), lines=tuple(item.get("lines") or [item.get("label", "")]))
        return item

    draft = letter_compose(
        kind=letter.kind,
        sender=sender,
        subject=subject.strip() or letter.subject,
        body_template="letters/layout/correction_body.html",
        context={"paragraphs": [escape(p).replace("\n", "<br>") for p in paragraphs]},
        addressees=[recipient(a) for a in letter.addressees],
        copies=[recipient(c) for c in letter.copies],
        attachments=letter.attachments,
        references_line=letter.references_line,
        region=letter.region,
        created_by=user,
        cites=letter,
        readers=tuple(letter.readers.values_list("party", flat=True)),
    )
    draft.correction_reason = reason.strip()
    draft.content_type_id, draft.object_id = letter.content_type_id, letter.object_id
    return draft


def letter_correct(*, letter: Letter, user, reason: str, subject: str, body: str) -> Letter:
    """Issue the correcting letter through the outbox like any letter; the corrected one stays as issued
    (append-only) and shows "remplacé par"; the dossier's timeline records the correction."""
    from django_fsm_log.models import StateLog

    from .engine import letter_issue

    with transaction.atomic():
        locked = Letter.objects.select_for_update().get(pk=letter.pk)
        if locked.corrections.exists():
            raise ValidationError("Ce courrier a déjà été remplacé ; corrigez le courrier qui le remplace.")
        if not locked.is_issued:
            raise ValidationError("Seul un courrier émis peut être corrigé.")
        draft = letter_correction_draft(letter=locked, user=user, reason=reason, subject=subject, body=body)
        correction = letter_issue(draft, establishments=list(locked.establishments.all()))
        dossier = locked.dossier
        if dossier is not None:
            state_field = next((f.name for f in dossier._meta.fields if f.name == "state"), None)
            state = getattr(dossier, state_field) if state_field else ""
            StateLog.objects.create(
                by=user,
                state=state,
                source_state=state,
                transition="correct_letter",
                content_type_id=locked.content_type_id,
                object_id=locked.object_id,
                description=(
                    f"Courrier {locked.reference} annulé et remplacé par le courrier {correction.reference}. "
                    f"Motif : {reason.strip()}"
                ),
            )
    return correction
