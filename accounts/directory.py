"""The accounts a batch of dossiers awaits, read once: the set-based counterpart of each procedure's
``awaiting()``.

``awaiting()`` asks the database for the accounts of one dossier; the deadline alerts ask it for every
open dossier of the country. A procedure's ``awaiting_bulk(dossiers, directory)`` answers from an
:class:`AccountDirectory` instead: every account with a role read in one query, the CRMR coordinators
(django-guardian object permissions, held directly or through a group) in two, and whatever else a
procedure needs (``cached``) once per directory. The number of queries no longer depends on the number
of dossiers.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from typing import Any

from .models import User

COORDINATE_CODENAME = "coordinate_crmr"


class AccountDirectory:
    """Account pks by role and scope, loaded lazily and kept for the life of the directory (one refresh)."""

    def __init__(self) -> None:
        self._rows: list[dict] | None = None
        self._indexes: dict[tuple, dict] = {}
        self._cache: dict[str, Any] = {}

    def cached(self, name: str, loader: Callable[[], Any]) -> Any:
        """``loader()`` run once per directory (a procedure's own bulk read, e.g. the open calls for projects)."""
        if name not in self._cache:
            self._cache[name] = loader()
        return self._cache[name]

    def _accounts(self) -> list[dict]:
        if self._rows is None:
            self._rows = list(
                User.objects.exclude(role="")
                .order_by("pk")
                .values("pk", "role", "is_active", "region_id", "establishment_id", "crc_sep_centre_id")
            )
        return self._rows

    def _index(self, role: str, scope: str | None, active_only: bool) -> dict:
        key = (role, scope, active_only)
        if key not in self._indexes:
            index = defaultdict(list)
            for row in self._accounts():
                if row["role"] == role and (row["is_active"] or not active_only):
                    index[row[scope] if scope else None].append(row["pk"])
            self._indexes[key] = index
        return self._indexes[key]

    def with_role(self, role: str, *, active_only: bool = True) -> list[int]:
        """``User.objects.filter(role=role[, is_active=True])``."""
        return list(self._index(role, None, active_only).get(None, ()))

    def in_region(self, role: str, region_id, *, active_only: bool = True) -> list[int]:
        return list(self._index(role, "region_id", active_only).get(region_id, ()))

    def in_establishment(self, role: str, establishment_id, *, active_only: bool = True) -> list[int]:
        return list(self._index(role, "establishment_id", active_only).get(establishment_id, ()))

    def in_centre(self, role: str, centre_id, *, active_only: bool = True) -> list[int]:
        return list(self._index(role, "crc_sep_centre_id", active_only).get(centre_id, ()))

    def crmr_coordinators(self, crmr_id) -> list[int]:
        """The active coordinator accounts bound to the CRMR (``perms.crmr_coordinator_accounts``): the
        ``coordinate_crmr`` object permission held directly or through a group."""
        return list(self.cached("crmr_coordinators", self._load_coordinators).get(str(crmr_id), ()))

    def _load_coordinators(self) -> dict[str, list[int]]:
        from guardian.models import GroupObjectPermission, UserObjectPermission

        from .models import Role

        # the CRMR's content type by its natural key (a join, not the content-type cache: same count cold or warm)
        on_crmr = {"content_type__app_label": "centres", "content_type__model": "crmr"}
        permission = {f"permission__{k}": v for k, v in on_crmr.items()}
        permission["permission__codename"] = COORDINATE_CODENAME
        coordinators = User.objects.filter(role=Role.COORDINATOR, is_active=True)
        found = defaultdict(set)
        direct = UserObjectPermission.objects.filter(
            **on_crmr, **permission, user__in=coordinators.values("pk")
        ).values_list("object_pk", "user_id")
        for object_pk, user_id in direct:
            found[object_pk].add(user_id)
        through_groups = GroupObjectPermission.objects.filter(
            **on_crmr, **permission, group__user__in=coordinators.values("pk")
        ).values_list("object_pk", "group__user")
        for object_pk, user_id in through_groups:
            found[object_pk].add(user_id)
        return {object_pk: sorted(users) for object_pk, users in found.items()}
