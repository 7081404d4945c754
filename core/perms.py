"""Shared permission vocabulary. Each app's ``perms.py`` answers for its own objects; this module
holds the access levels and the registry that lets a letter ask the app that owns its dossier.

Rule of the house: an outsider gets 404 (``Http404``), a reader who tries to write gets 403."""

from __future__ import annotations

from collections.abc import Callable
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


_dossier_access: dict[type, Callable] = {}


def register_dossier_access(model: type, func: Callable) -> None:
    """Apps register ``func(user, obj) -> Access`` for their dossier models (in ``AppConfig.ready``)."""
    _dossier_access[model] = func


def dossier_access(user, obj) -> Access:
    if obj is None:
        return Access.NONE
    func = _dossier_access.get(type(obj))
    return func(user, obj) if func else Access.NONE
