"""Who may see and change the registry.

Decision (issue 2): the registry is public information (CRMR and CCMR are published by arrêté and on
Orphanet, CRC SEP by the ARS), so every signed-in account may read all of it; an ARS officer's lists
start filtered on the officer's region, a filter the officer can remove. Writes go only through the
Django admin, for administrators. Anonymous visitors are sent to the login page by the views."""

from __future__ import annotations

from core.perms import Access


def registry_access(user) -> Access:
    """Access to the registry pages as a whole (lists, details, quota table)."""
    if not user.is_authenticated or not user.is_active:
        return Access.NONE
    if user.is_platform_admin:
        return Access.WRITE
    return Access.READ


def registry_object_access(user, obj) -> Access:
    """Access to one registry object: the same for every object (public registry)."""
    return registry_access(user) if obj is not None else Access.NONE


def default_region(user):
    """The region a user's lists start filtered on: an ARS officer's own region, else none."""
    if user.is_authenticated and user.is_ars:
        return user.region
    return None


def can_edit_in_admin(user) -> bool:
    """Whether to show "edit in the admin" links (the admin checks its own permissions as well)."""
    return registry_access(user) == Access.WRITE and user.is_staff
