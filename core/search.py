"""The header's search (issue 17, item 5): one field that finds registry objects, dossiers and letters,
each kind within what the user may see.

Scope: every kind starts from the queryset its own app already uses for its lists (``perms.py`` and
``selectors.py``), so the search never widens a rule: the registry is read by every signed-in account
(``centres.perms``); CRC SEP applications follow ``labellisation.selectors.applications_visible_to``;
successions ``crmr_procedures.succession.selectors.succession_inbox``; CCMR requests
``crmr_procedures.competence.selectors.ccmr_requests_visible_to``; letters ``reporting.perms.letters_visible``.

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


# --- the kinds of result --------------------------------------------------------------------------


@dataclass(frozen=True)
class Kind:
    key: str
    label: str
    scope: Callable  # user -> the queryset the user may see, related rows selected
    fields: tuple[str, ...]  # text searched (concatenated)
    order: tuple[str, ...]
    numbered: bool = False  # a number also finds the dossier of that number (its primary key)
    also: Callable | None = None  # (folded terms) -> Q: another way to match (e.g. a site's FINESS ET)


def _registry(model_path: str, *related: str):
    def scope(user):
        from django.apps import apps

        from centres.perms import registry_access
        from core.perms import Access

        model = apps.get_model(model_path)
        if registry_access(user) == Access.NONE:
            return model.objects.none()
        return model.objects.select_related(*related)

    return scope


def _applications(user):
    from labellisation.selectors import applications_visible_to

    return applications_visible_to(user)


def _successions(user):
    from crmr_procedures.succession.selectors import succession_inbox

    return succession_inbox(user)


def _ccmr_requests(user):
    from crmr_procedures.competence.selectors import ccmr_requests_visible_to

    return ccmr_requests_visible_to(user)


def _letters(user):
    from letters.models import Letter
    from letters.perms import letters_visible

    return letters_visible(user, Letter.objects.all())


def _hospital_finess(terms: list[str]) -> Q:
    """An establishment is found by the FINESS ET of one of its hospitals too (exact number)."""
    from django.db.models import Exists, OuterRef

    from centres.models import Hospital

    numbers = [t for t in terms if re.fullmatch(r"\d{2}[\dab]\d{6}", t)]
    if not numbers:
        return Q(pk__in=[])
    numbers = [n.upper() for n in numbers] + numbers
    return Q(Exists(Hospital.objects.filter(establishment=OuterRef("pk"), finess_et__in=numbers)))


KINDS: tuple[Kind, ...] = (
    Kind(
        "crcsep",
        "Centres CRC SEP",
        _registry("centres.CrcSepCentre", "establishment", "hospital", "region"),
        ("name", "establishment__name", "hospital__name", "hospital__city", "region__name"),
        ("name", "pk"),
    ),
    Kind(
        "crmr",
        "Centres de référence maladies rares (CRMR)",
        _registry("centres.Crmr", "filiere", "coordinating_establishment"),
        ("name", "filiere__name", "coordinating_establishment__name", "coordinating_establishment__city"),
        ("name", "pk"),
    ),
    Kind(
        "ccmr",
        "Centres de compétences maladies rares (CCMR)",
        _registry("centres.Ccmr", "crmr", "establishment"),
        ("name", "crmr__name", "establishment__name", "establishment__city"),
        ("name", "pk"),
    ),
    Kind(
        "person",
        "Personnes",
        _registry("centres.Person"),
        ("first_name", "last_name", "title", "specialty"),
        ("last_name", "first_name", "pk"),
    ),
    Kind(
        "establishment",
        "Établissements",
        _registry("centres.Establishment", "region"),
        ("name", "finess_ej", "city", "region__name"),
        ("name", "pk"),
        also=_hospital_finess,
    ),
    Kind(
        "application",
        "Candidatures CRC SEP",
        _applications,
        ("centre_name", "coordinator_name", "nurse_name", "establishment__name", "hospital__name", "region__name"),
        ("-updated_at", "-pk"),
        numbered=True,
    ),
    Kind(
        "succession",
        "Successions de coordonnateur",
        _successions,
        (
            "crmr__name",
            "former_coordinator__first_name",
            "former_coordinator__last_name",
            "successor__first_name",
            "successor__last_name",
            "former_establishment__name",
            "successor_establishment__name",
        ),
        ("-created_at", "-pk"),
        numbered=True,
    ),
    Kind(
        "ccmr_request",
        "Demandes de centre de compétences",
        _ccmr_requests,
        (
            "proposed_name",
            "ccmr__name",
            "crmr__name",
            "establishment__name",
            "team_lead__first_name",
            "team_lead__last_name",
            "cpom_reference",
        ),
        ("-submitted_at", "-pk"),
        numbered=True,
    ),
    Kind("letter", "Courriers", _letters, ("reference", "subject", "sender_label"), ("-issued_on", "-pk")),
)


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
    for kind in KINDS:
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
