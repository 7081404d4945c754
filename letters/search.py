"""The letters' kind of the header search (issue 17, item 5), registered in ``LettersConfig.ready``: the
letters a user reads (``letters.perms.letters_visible``)."""

from core.search import Kind, Row
from core.typography import date_fr

from .models import Letter
from .perms import letters_visible


def _scope(user):
    return letters_visible(user, Letter.objects.all())


def _row(obj) -> Row:
    detail = f"{obj.subject} — {obj.sender_label}, {date_fr(obj.issued_on)}"
    return Row(obj.reference, obj.get_absolute_url(), detail, obj.get_status_display())


KIND = Kind("letter", "Courriers", _scope, ("reference", "subject", "sender_label"), ("-issued_on", "-pk"), _row)
