"""The declaration of the competence centre procedure (Instruction DGOS/PF2/2013/308, Annexe 2):
coordinator → DGOS → groupe permanent → DGOS letter → ARS CPOM amendment → Orphanet. Registered in
``CrmrProceduresConfig.ready`` (docs/conventions.md)."""

from core.search import Row
from core.typography import numero
from core.workflow import Procedure

from . import perms, selectors, services
from .models import CcmrRequest
from .states import OPEN_STATES


def _search_row(obj) -> Row:
    title = f"Demande {numero(obj.pk)} : {obj.get_kind_display().lower()} — {obj.centre_name}"
    detail = f"{obj.crmr.name} — {obj.establishment.name}"
    return Row(title, obj.get_absolute_url(), detail, obj.get_state_display())


PROCEDURE = Procedure(
    key="ccmr_request",
    label="Création ou abrogation d'un centre de compétences",
    model=CcmrRequest,
    access=perms.request_access,
    region_lookup="establishment__region",
    open_states=tuple(OPEN_STATES),
    awaiting=perms.awaiting,
    awaiting_bulk=selectors.awaiting_bulk,
    effects={
        "transmit_for_opinion": services.transmission,  # step 2
        "transmit_for_information": services.transmission,
        "officialise_favourable": services.opinion_officialised,  # step 3
        "officialise_unfavourable": services.opinion_officialised,
        "notify_cpom": services.cpom_notified,  # step 5
        "inform_orphanet": services.orphanet_informed,  # step 6
    },
    related=(
        "crmr__coordinating_establishment__region",
        "establishment__region",
        "ccmr",
        "team_lead",
        "opinion_letter",
        "cpom_letter",
        "registry_event__orphanet_notice",
    ),
    created_field="submitted_at",
    search_label="Demandes de centre de compétences",
    search_row=_search_row,
    search_fields=(
        "proposed_name",
        "ccmr__name",
        "crmr__name",
        "establishment__name",
        "team_lead__first_name",
        "team_lead__last_name",
        "cpom_reference",
    ),
    search_order=("-submitted_at", "-pk"),
    search_scope=selectors.ccmr_requests_visible_to,
)
