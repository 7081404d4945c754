"""The header's search (issue 17, item 5): one field that finds registry objects, dossiers and letters,
each kind within what the user may see.

Scope: every kind starts from the queryset its own app already uses for its lists (``perms.py`` and
``selectors.py``), so the search never widens a rule. The kinds are registered by the apps that own them
(``register_search_kind``): the registry's in ``centres/search.py`` (read by every signed-in account), each
procedure's from its declaration (``search_scope``, ``search_fields``), the letters' in ``letters/search.py``.

Matching (docs/decisions.md): case- and accent-insensitive on every database. The query is folded in
Python (``fold``: lower case, accents removed, œ → oe); the columns are folded in SQL by ``Fold``
(PostgreSQL: ``translate`` with a table generated from the same ``fold``, so both sides agree; SQLite: the
same Python function registered on each connection). Each word of the query must appear in the row's
concatenated text (a "contains" on the folded text); a number also finds the dossier of that number.
One query per kind (the total comes from a window count beside the first rows), whatever the number of
matches."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.db.backends.signals import connection_created
from django.db.models import CharField, Count, F, Func, Q, QuerySet, TextField, Value, Window
from django.db.models.functions import Concat
from django.dispatch import receiver

MIN_LENGTH = 2  # shorter queries would match nearly everything
PER_KIND = 10  # rows shown per kind; the count says how many matched in all

_LIGATURES = {"œ": "oe", "æ": "ae", "ß": "ss", "’": "'", "‘": "'"}


def fold(text: str) -> str:
    """Lower case without accents: "Élisabeth Œuvrard" → "elisabeth oeuvrard"."""
    text = (text or "").lower()
    for char, replacement in _LIGATURES.items():
        text = text.replace(char, replacement)
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def _translate_table() -> tuple[str, str]:
    """The single characters of Latin-1 and Latin Extended-A that ``fold`` turns into one ASCII letter, upper
    and lower case alike (PostgreSQL's ``lower`` depends on the database's locale, ``translate`` does not)."""
    source, target = [], []
    for code in range(0xC0, 0x180):
        char = chr(code)
        folded = fold(char)
        if len(folded) == 1 and folded.isascii() and folded != char:
            source.append(char)
            target.append(folded)
    return "".join(source), "".join(target)


_FROM, _TO = _translate_table()
# The ligatures in both cases ("Œ" too), each replaced before the one-character table.
_LIGATURE_CASES = {**_LIGATURES, **{c.upper(): r for c, r in _LIGATURES.items() if len(c.upper()) == 1}}


class Fold(Func):
    """``fold`` in SQL, for a text expression."""

    output_field = TextField()

    def as_sql(self, compiler, connection, **extra_context):  # PostgreSQL and others with translate()
        sql, params = compiler.compile(self.source_expressions[0])
        for char in _LIGATURE_CASES:
            sql = f"REPLACE({sql}, %s, %s)"
            params = [*params, char, _LIGATURE_CASES[char]]
        return f"LOWER(TRANSLATE({sql}, %s, %s))", [*params, _FROM, _TO]

    def as_sqlite(self, compiler, connection, **extra_context):
        sql, params = compiler.compile(self.source_expressions[0])
        return f"app_fold({sql})", params


@receiver(connection_created)
def _register_sqlite_fold(sender, connection, **kwargs):
    if connection.vendor == "sqlite":
        connection.connection.create_function("app_fold", 1, lambda s: fold(s) if s is not None else None)


# --- the kinds of result, registered by the apps that own them ------------------------------------------


@dataclass(frozen=True)
class Row:
    """What a result says about itself: its name, where it leads, one line of context, a badge."""

    title: str
    url: str
    detail: str
    badge: str = ""


@dataclass(frozen=True)
class Kind:
    key: str
    label: str
    scope: Callable  # user -> the queryset the user may see, related rows selected
    fields: tuple[str, ...]  # text searched (concatenated)
    order: tuple[str, ...]
    row: Callable[[Any], Row]  # a result -> its line on the page
    numbered: bool = False  # a number also finds the dossier of that number (its primary key)
    also: Callable | None = None  # (folded terms) -> Q: another way to match (e.g. a site's FINESS ET)


_KINDS: dict[str, Kind] = {}


def register_search_kind(kind: Kind) -> None:
    """Called from an ``AppConfig.ready`` (the registry's kinds, the letters) or by ``register_procedure``
    for a procedure that declares ``search_fields``; the page lists the kinds in registration order."""
    _KINDS[kind.key] = kind


def search_kinds() -> list[Kind]:
    return list(_KINDS.values())


@dataclass
class Group:
    kind: Kind
    results: list = field(default_factory=list)
    total: int = 0

    @property
    def more(self) -> int:
        return self.total - len(self.results)


_NUMBER = re.compile(r"^(?:n\s*°|no\.?|n\.|#)?\s*(\d{1,9})$", re.IGNORECASE)


def _haystack(fields: tuple[str, ...]):
    parts = []
    for name in fields:
        parts += [F(name), Value(" ")]
    return Fold(Concat(*parts[:-1], output_field=CharField()))


def search(user, query: str, *, per_kind: int = PER_KIND) -> list[Group]:
    """Every kind, in a fixed order, with up to ``per_kind`` rows and the total of matches (one query per
    kind). An empty or too short query searches nothing, unless it is a dossier number."""
    terms = fold(query).split()
    number = _NUMBER.match(query.strip())
    if len("".join(terms)) < MIN_LENGTH and not number:
        return []
    groups = []
    for kind in search_kinds():
        qs: QuerySet = kind.scope(user)
        condition = Q()
        for term in terms:
            condition &= Q(_haystack__contains=term)
        if kind.also:
            condition |= kind.also(terms)
        if kind.numbered and number:
            condition |= Q(pk=int(number.group(1)))
        rows = list(
            qs.annotate(_haystack=_haystack(kind.fields))
            .filter(condition)
            .annotate(_total=Window(Count("pk")))
            .order_by(*kind.order)[:per_kind]
        )
        groups.append(Group(kind=kind, results=rows, total=rows[0]._total if rows else 0))
    return groups
