"""Shared permission vocabulary. Each app's ``perms.py`` answers for its own objects; this module
holds the access levels; the access to any dossier is declared with its procedure
(``core.workflow.Procedure.access``, read through ``core.workflow.dossier_access``).

Rule of the house: an outsider gets 404 (``Http404``), a reader who tries to write gets 403."""

from __future__ import annotations

from enum import IntEnum

from django.core.exceptions import PermissionDenied
from django.http import Http404


class Access(IntEnum):
    NONE = 0
    READ = 1
    WRITE = 2


def require(access: Access, needed: Access = Access.READ) -> None:
    """404 when the object is out of the user's scope, 403 when it is visible but not writable."""
    if access == Access.NONE:
        raise Http404
    if access < needed:
        raise PermissionDenied
