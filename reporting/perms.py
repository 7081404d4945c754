"""Who may see and download an official letter: the people it concerns, and DGOS."""

from core.perms import Access

# --- Annual activity reports (Annexe 1 §4): the establishment writes, DGOS and the region's ARS read ---
# --- Annual activity reports (Annexe 1 §4): the team and the direction write, DGOS and the region's ARS read ---


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
