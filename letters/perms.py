"""Who reads a letter: its parties (reader_parties) within their scope; who corrects it: its sender."""

from __future__ import annotations

from core.perms import Access


def reader_parties(user) -> list[str]:
    """The reader keys of ``user`` (see ``LetterReader``): by role, region, establishment, CRMR, person."""
    if not user.is_authenticated:
        return []
    parties = []
    if user.is_dgos:
        parties.append("dgos")
    if user.is_gp:
        parties.append("gp")
    if user.is_ars and user.region_id:
        parties.append(f"ars:{user.region.code}")
    if user.is_establishment and user.establishment_id:
        parties.append(f"est:{user.establishment_id}")
    if user.is_coordinator:
        from accounts.services import coordinated_crmrs

        parties += [f"crmr:{pk}" for pk in coordinated_crmrs(user).values_list("pk", flat=True)]
    if getattr(user, "person_id", None):
        parties.append(f"person:{user.person_id}")
    return parties


def letter_access(user, letter) -> Access:
    """Issue 13, item 6: a letter is read by its sender, its addressees and its copied parties (by role
    and region, establishment, CRMR or person), and nobody else. Platform administrators keep reading
    every letter (they export the notification letters: the actors of both instructions; see docs/decisions.md)."""
    if not user.is_authenticated:
        return Access.NONE
    if user.is_platform_admin:
        return Access.READ
    parties = reader_parties(user)
    if parties and letter.readers.filter(party__in=parties).exists():
        return Access.READ
    return Access.NONE


def letter_correct_access(user, letter) -> Access:
    """Issue 13, item 1: the sender corrects its own letter (DGOS for a DGOS bureau's letter, the ARS of
    the region for its agency's), once issued and not already replaced. Other readers: READ (403)."""
    access = letter_access(user, letter)
    if access == Access.NONE:
        return access
    if not letter.is_issued or letter.corrections.exists():
        return Access.READ
    if letter.sender_code.startswith("DGOS") and user.is_dgos:
        return Access.WRITE
    if user.is_ars and user.region_id and letter.sender_code == f"ARS-{user.region.code}":
        return Access.WRITE
    return Access.READ


def letters_visible(user, queryset):
    """Same rule as ``letter_access`` for a list: the letters whose readers include one of the user's keys."""
    from .models import LetterReader

    if user.is_authenticated and user.is_platform_admin:
        return queryset
    parties = reader_parties(user)
    if not parties:
        return queryset.none()
    return queryset.filter(pk__in=LetterReader.objects.filter(party__in=parties).values("letter_id"))
