"""Who may see and download an official letter: the people it concerns, and DGOS."""

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


# --- Annual activity reports (Annexe 1 §4): the establishment writes, DGOS and the region's ARS read ---
# --- Annual activity reports (Annexe 1 §4): the team and the direction write, DGOS and the region's ARS read ---


def _is_team(user, centre) -> bool:
    return bool(user.is_crcsep_team and user.crc_sep_centre_id == centre.pk)


def _is_direction(user, centre) -> bool:
    return bool(user.is_establishment and user.establishment_id == centre.establishment_id)


def activity_centre_access(user, centre) -> Access:
    """May ``user`` see (READ) or file (WRITE: open a report, fill its part) the reports of a CRC SEP?"""
    if not user.is_authenticated or centre is None:
        return Access.NONE
    if _is_team(user, centre) or _is_direction(user, centre):
        return Access.WRITE
    if user.is_dgos or user.is_platform_admin:
        return Access.READ
    if user.is_ars and user.region_id == centre.region_id:
        return Access.READ
    return Access.NONE


def may_edit_activity(user, report) -> bool:
    """The team fills the activity per mission and the OFSEP bilan while the report is a draft."""
    return report.state == report.State.DRAFT and _is_team(user, report.centre)


def may_edit_administrative(user, report) -> bool:
    """The direction fills the DIM/DAF part until it validates (draft or transmitted)."""
    return report.state in (report.State.DRAFT, report.State.SUBMITTED) and _is_direction(user, report.centre)


def activity_report_access(user, report) -> Access:
    """WRITE while the user may fill a part of the report now, READ otherwise (within scope)."""
    access = activity_centre_access(user, report.centre)
    if access == Access.WRITE and not (may_edit_activity(user, report) or may_edit_administrative(user, report)):
        return Access.READ
    return access


def activity_reports_visible(user, queryset):
    """The reports (or centres, with ``prefix=""``) a user may list: same rules as above."""
    return _scope(user, queryset, "centre__")


def activity_centres_visible(user, queryset):
    return _scope(user, queryset, "")


def _scope(user, queryset, prefix: str):
    if not user.is_authenticated:
        return queryset.none()
    if user.is_dgos or user.is_platform_admin:
        return queryset
    if user.is_ars:
        return queryset.filter(**{f"{prefix}region_id": user.region_id})
    if user.is_establishment:
        return queryset.filter(**{f"{prefix}establishment_id": user.establishment_id})
    if user.is_crcsep_team:
        return queryset.filter(**{f"{prefix}pk": user.crc_sep_centre_id})
    return queryset.none()


# --- Pilotage: dashboards, letter exports, Orphanet feed ---------------------------------------


def can_see_dashboard(user) -> bool:
    return user.is_authenticated and (user.is_dgos or user.is_platform_admin or user.is_ars)


def can_export_letters(user) -> bool:
    """Bulk export of notification letters: administrators and DGOS (issue 6)."""
    return user.is_authenticated and (user.is_dgos or user.is_platform_admin)


def export_job_access(user, job) -> Access:
    """Only the person who asked may follow and download an export; everybody else gets 404."""
    if user.is_authenticated and job.requested_by_id == user.pk:
        return Access.READ
    return Access.NONE


def orphanet_access(user) -> Access:
    """DGOS tracks the communications to Orphanet (WRITE); an ARS reads its region's changes."""
    if not user.is_authenticated:
        return Access.NONE
    if user.is_dgos or user.is_platform_admin:
        return Access.WRITE
    if user.is_ars:
        return Access.READ
    return Access.NONE


def letters_visible(user, queryset):
    """Same rule as ``letter_access`` for a list: the letters whose readers include one of the user's keys."""
    from .models import LetterReader

    if user.is_authenticated and user.is_platform_admin:
        return queryset
    parties = reader_parties(user)
    if not parties:
        return queryset.none()
    return queryset.filter(pk__in=LetterReader.objects.filter(party__in=parties).values("letter_id"))
