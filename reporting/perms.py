"""Who may see and download an official letter: the people it concerns, and DGOS."""

from core.perms import Access, dossier_access


def letter_access(user, letter) -> Access:
    if not user.is_authenticated:
        return Access.NONE
    if user.is_dgos or user.is_platform_admin:
        return Access.READ
    if user.is_ars and letter.region_id and letter.region_id == user.region_id:
        return Access.READ
    if (
        user.is_establishment
        and user.establishment_id
        and any(e.pk == user.establishment_id for e in letter.establishments.all())
    ):
        return Access.READ
    if letter.dossier is not None and dossier_access(user, letter.dossier) >= Access.READ:
        return Access.READ
    return Access.NONE
