"""French administrative typography for letters and pages that write prose (issue 13, item 5).

One small module, pure functions, no database:

- ``date_fr``: "1er juillet 2027", "2 décembre 2026" (ordinal for the first of the month);
- ``amount_fr``: "250 000,00 €" (narrow no-break space between thousands, comma for decimals,
  no-break space before the currency sign);
- ``numero``: "n° 2" (no-break space);
- ``article``, ``with_article``, ``de``, ``a``: elision and contraction of "de/à + article + name" built
  from structured names: "de l'Assistance Publique - Hôpitaux de Paris", "du CHU de Rennes",
  "à l'Hôpital Pontchaillou", "au CHU de Rennes", "aux Hospices Civils de Lyon";
- ``agree``: a title agreed with the person's civility ("présidente du directoire",
  "directrice générale"), never an inclusive "(e)" suffix.

An establishment's article is derived from the first word of its name (the category word it carries:
CHU, Centre hospitalier, Hôpital, Hospices, Assistance Publique…); the test suite runs it on every
establishment and hospital name of the reference data.
"""

from __future__ import annotations

import datetime
import re
import unicodedata
from decimal import ROUND_HALF_UP, Decimal

NBSP = "\u00a0"  # no-break space: before "€", after "n°"
NNBSP = "\u202f"  # narrow no-break space: thousands separator

MONTHS = (
    "janvier",
    "février",
    "mars",
    "avril",
    "mai",
    "juin",
    "juillet",
    "août",
    "septembre",
    "octobre",
    "novembre",
    "décembre",
)

MALE, FEMALE = "M.", "Mme"


# --- dates, amounts, numbers -------------------------------------------------------------------


def date_fr(value: datetime.date | datetime.datetime | None) -> str:
    """ "2 décembre 2026", "1er juillet 2027"."""
    if value is None:
        return ""
    day = "1er" if value.day == 1 else str(value.day)
    return f"{day} {MONTHS[value.month - 1]} {value.year}"


def _group(digits: str) -> str:
    groups = []
    while len(digits) > 3:
        groups.insert(0, digits[-3:])
        digits = digits[:-3]
    groups.insert(0, digits)
    return NNBSP.join(groups)


def number_fr(value, decimals: int = 0) -> str:
    """ "12 000" or "1 234,50": narrow no-break space between thousands, decimal comma."""
    if value is None or value == "":
        return ""
    quantum = Decimal(1).scaleb(-decimals)
    number = Decimal(str(value)).quantize(quantum, rounding=ROUND_HALF_UP)
    sign = "-" if number < 0 else ""
    whole, _dot, fraction = f"{abs(number):f}".partition(".")
    text = sign + _group(whole)
    return f"{text},{fraction}" if decimals else text


def amount_fr(value, decimals: int = 2, currency: str = "€") -> str:
    """ "250 000,00 €"; ``decimals=0`` gives "100 000 €"."""
    if value is None or value == "":
        return ""
    return f"{number_fr(value, decimals)}{NBSP}{currency}"


def numero(value) -> str:
    """ "n° 2" with a no-break space."""
    return f"n°{NBSP}{value}"


# --- articles, elision, contraction ------------------------------------------------------------

# First word of a name (lower case, accents kept) -> its article. Category words of French health
# establishments and sites; an acronym is read as the noun it stands for (CHU = le centre…).
_ARTICLES = {
    # masculine singular
    "chu": "le",
    "chru": "le",
    "chr": "le",
    "ch": "le",
    "chi": "le",
    "chs": "le",
    "cht": "le",
    "gh": "le",
    "ghu": "le",
    "centre": "le",
    "groupe": "le",
    "groupement": "le",
    "pôle": "le",
    "site": "le",
    "service": "le",
    "crmr": "le",
    "ccmr": "le",
    "bureau": "le",
    # feminine singular
    "clinique": "la",
    "fondation": "la",
    "maison": "la",
    "polyclinique": "la",
    "direction": "la",
    "sous-direction": "la",
    "cité": "la",
    "filière": "la",
    # elided (vowel or mute h)
    "hôpital": "l'",
    "hopital": "l'",
    "assistance": "l'",
    "institut": "l'",
    "établissement": "l'",
    "etablissement": "l'",
    "ensemble": "l'",
    "agence": "l'",
    "université": "l'",
    "aphp": "l'",
    "ap-hp": "l'",
    "ap-hm": "l'",
    "hcl": "les",
    # plural
    "hôpitaux": "les",
    "hopitaux": "les",
    "hospices": "les",
    "hôpitaux-universitaires": "les",
    "centres": "les",
    "groupes": "les",
}

_VOWELS = "aeiouyh"  # "h" read as mute in the names this platform holds (Hôpital, Hospices, Hauts-de-France)
_ARTICLE_WORDS = {"le", "la", "les", "l'", "l’"}


def _first_word(name: str) -> str:
    word = re.split(r"[\s]+", name.strip(), maxsplit=1)[0] if name.strip() else ""
    return word.lower().rstrip(",;:")


def _starts_with_vowel(text: str) -> bool:
    if not text:
        return False
    base = unicodedata.normalize("NFD", text[0])[0].lower()
    return base in _VOWELS


def article(name: str) -> str:
    """The article a name takes ("le", "la", "l'", "les") or "" for a proper name that takes none."""
    word = _first_word(name)
    if word in _ARTICLE_WORDS:
        return ""  # the name already carries its article
    return _ARTICLES.get(word, "")


def _strip_leading_article(name: str) -> tuple[str, str]:
    """A name typed with its article ("Les Hôpitaux…", "L'Hôpital…") → (article, rest)."""
    stripped = name.strip()
    match = re.match(r"^(l['’])(.+)$", stripped, flags=re.IGNORECASE)
    if match:
        return "l'", match.group(2)
    match = re.match(r"^(le|la|les)\s+(.+)$", stripped, flags=re.IGNORECASE)
    if match:
        return match.group(1).lower(), match.group(2)
    return "", stripped


def _split(name: str) -> tuple[str, str]:
    typed, rest = _strip_leading_article(name)
    return (typed or article(rest)), rest


def with_article(name: str) -> str:
    """ "le CHU de Rennes", "l'Hôpital Pontchaillou", "les Hospices Civils de Lyon"."""
    art, rest = _split(name)
    if art == "l'":
        return f"l'{rest}"
    return f"{art} {rest}" if art else rest


def de(name: str) -> str:
    """ "du CHU de Rennes", "de l'Assistance Publique…", "des Hospices…", "de la Clinique…", "d'Orléans"."""
    art, rest = _split(name)
    if art == "le":
        return f"du {rest}"
    if art == "les":
        return f"des {rest}"
    if art == "la":
        return f"de la {rest}"
    if art == "l'":
        return f"de l'{rest}"
    return f"d'{rest}" if _starts_with_vowel(rest) else f"de {rest}"


def a(name: str) -> str:
    """ "au CHU de Rennes", "à l'Hôpital Pontchaillou", "aux Hospices Civils de Lyon", "à la …"."""
    art, rest = _split(name)
    if art == "le":
        return f"au {rest}"
    if art == "les":
        return f"aux {rest}"
    if art == "la":
        return f"à la {rest}"
    if art == "l'":
        return f"à l'{rest}"
    return f"à {rest}"


def par(name: str) -> str:
    """ "par le CHU de Rennes", "par l'Assistance Publique…"."""
    return f"par {with_article(name)}"


def de_phrase(text: str) -> str:
    """ "de" before any phrase (common noun or proper name), with elision: "d'Île-de-France"."""
    return de(text)


# --- titles agreed with civility --------------------------------------------------------------

# Masculine → feminine forms of the words of administrative titles (whole words only). Only the head of
# the title is agreed (the words before its first preposition or comma): in "Adjoint au directeur
# général" the director is somebody else.
_FEMININE = {
    "directeur": "directrice",
    "sous-directeur": "sous-directrice",
    "président": "présidente",
    "vice-président": "vice-présidente",
    "coordonnateur": "coordonnatrice",
    "général": "générale",
    "adjoint": "adjointe",
    "délégué": "déléguée",
    "chargé": "chargée",
    "chef": "cheffe",
    "désigné": "désignée",
    "sortant": "sortante",
    "nouveau": "nouvelle",
    "inspecteur": "inspectrice",
    "conseiller": "conseillère",
}
_MASCULINE = {v: k for k, v in _FEMININE.items()}
_STOPS = {"de", "du", "des", "au", "aux", "à", "pour", "en", "par", "chez", "auprès", "sur", "dans", "et"}
_TOKEN = re.compile(r"[A-Za-zÀ-ÖØ-öø-ÿ\-]+(?:['’])?|[^A-Za-zÀ-ÖØ-öø-ÿ\-]+")


def _recase(word: str, source: str) -> str:
    return word[:1].upper() + word[1:] if source[:1].isupper() else word


def _swap_head(text: str, table: dict) -> str:
    out, head = [], True
    for token in _TOKEN.findall(text):
        low = token.lower()
        if head and (low in _STOPS or low.endswith(("'", "’")) or "," in token or "—" in token):
            head = False
        target = table.get(low) if head else None
        out.append(_recase(target, token) if target else token)
    return "".join(out)


def agree(title: str, civility: str) -> str:
    """The title agreed with ``civility`` ("Mme" → feminine, "M." → masculine, "" → as written).

    Inclusive suffixes are resolved: "président(e)" → "présidente" for Mme, "président" for M."""
    if civility:
        title = re.sub(r"\((e|trice|ne|le)\)", "", title)
    if civility == FEMALE:
        return _swap_head(title, _FEMININE)
    if civility == MALE:
        return _swap_head(title, _MASCULINE)
    return title


def disagreement(title: str, civility: str) -> str | None:
    """None if ``title`` agrees with ``civility``; else the agreed form to suggest (admin validation)."""
    if "(e)" in title or "(trice)" in title:
        return agree(title, civility) if civility else title.replace("(e)", "")
    if not civility:
        return None
    agreed = agree(title, civility)
    return None if agreed == title else agreed


def civility_long(civility: str) -> str:
    return {FEMALE: "Madame", MALE: "Monsieur"}.get(civility, "")


def salutation(civility: str, title: str) -> str:
    """ "Madame la présidente du directoire," / "Monsieur le directeur général," / "Madame, Monsieur,"."""
    if civility not in (FEMALE, MALE):
        return "Madame, Monsieur,"
    art = "la" if civility == FEMALE else "le"
    return f"{civility_long(civility)} {art} {agree(title, civility)},"
