"""The declaration of the succession procedure (Instruction DGOS/PF2/2013/308, Annexe 1): what the shared
pages — dashboards, alerts, notifications, letters, exports, search, the dossier page — know of it.
Registered in ``CrmrProceduresConfig.ready``; the worked example of docs/conventions.md."""

from core.search import Row
from core.typography import numero
from core.workflow import Procedure

from . import perms, selectors, services
from .models import Succession
from .states import State


def _search_row(obj) -> Row:
    former = f"coordonnateur sortant : {obj.former_coordinator}" if obj.former_coordinator_id else ""
    successor = f" ; successeur : {obj.successor}" if obj.successor_id else ""
    title = f"Succession {numero(obj.pk)} : {obj.crmr.name}"
    return Row(title, obj.get_absolute_url(), f"{former}{successor}", obj.get_state_display())


PROCEDURE = Procedure(
    key="succession",
    label="Succession de coordonnateur de CRMR",
    model=Succession,
    access=perms.succession_access,
    region_lookup="crmr__coordinating_establishment__region",
    open_states=tuple(s for s in State.values if s != State.OFFICIALISED),
    awaiting=perms.awaiting,
    awaiting_bulk=selectors.awaiting_bulk,
    effects={
        "forward_to_gp": services.transmission_letter,  # Annexe 1, "Information du groupe permanent"
        "forward_special_to_gp": services.transmission_letter,
        "launch_call": services.call_for_projects,  # special cases, step 3
        "transmit_projects": services.projects_transmitted,  # special cases, step 4
        "officialise": services.officialisation,  # "Officialisation du nouveau coordonnateur"
    },
    notices={"send_notice": services.notice_to_direction},  # Annexe 1, first step
    related=(
        "crmr__filiere",
        "crmr__coordinating_establishment__region",
        "former_coordinator",
        "former_establishment__region",
        "successor",
        "successor_establishment",
        "chosen_project__candidate",
        "letter",
        "orphanet_notice",
    ),
    prefetch=("documents",),
    date_field="effective_on",  # the alerts watch the cessation date
    search_label="Successions de coordonnateur",
    search_row=_search_row,
    search_fields=(
        "crmr__name",
        "former_coordinator__first_name",
        "former_coordinator__last_name",
        "successor__first_name",
        "successor__last_name",
        "former_establishment__name",
        "successor_establishment__name",
    ),
    search_order=("-created_at", "-pk"),
    search_scope=selectors.succession_inbox,
)
