"""The declaration of the CRC SEP labellisation (2016 instruction, Annexes 1 and 2; workflow 1): the ARS
instructs and decides the applications of its region within the Annexe 2 quota. Registered in
``LabellisationConfig.ready`` (docs/conventions.md)."""

from core.search import Row
from core.typography import numero
from core.workflow import Procedure

from . import perms, selectors, services
from .models import Application
from .states import IN_PROGRESS_STATES


def _search_row(obj) -> Row:
    detail = f"{obj.establishment.name} — {obj.region.name} — tranche {obj.tranche.number}"
    title = f"Candidature {numero(obj.pk)} : {obj.centre_name}"
    return Row(title, obj.get_absolute_url(), detail, obj.get_state_display())


PROCEDURE = Procedure(
    key="application",
    label="Labellisation CRC SEP",
    model=Application,
    access=perms.application_access,
    region_lookup="region",
    quota_tranche_lookup="tranche",  # Annexe 2: an application in instruction holds a place of its tranche
    open_states=tuple(IN_PROGRESS_STATES),
    awaiting=perms.awaiting,
    awaiting_bulk=selectors.awaiting_bulk,
    locks={"label": services.quota_lock},  # Annexe 2: the quota row before the dossier
    effects={
        "label": services.entered_in_registry,
        "reject": services.refusal_letter,
        "withdraw": services.left_registry,
    },
    related=("establishment", "hospital", "region", "tranche", "centre"),
    search_label="Candidatures CRC SEP",
    search_row=_search_row,
    search_fields=(
        "centre_name",
        "coordinator_name",
        "nurse_name",
        "establishment__name",
        "hospital__name",
        "region__name",
    ),
    search_order=("-updated_at", "-pk"),
    search_scope=selectors.applications_visible_to,
)
