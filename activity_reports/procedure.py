"""The declaration of the annual activity report (2016 instruction, Annexe 1 §4): the centre's team fills
it, the establishment's direction validates it, the ARS of the region confirms it. Registered in
``ActivityReportsConfig.ready`` (docs/conventions.md)."""

from core.workflow import Procedure

from . import perms, selectors
from .models import ActivityReport
from .states import OPEN_STATES

PROCEDURE = Procedure(
    key="activity_report",
    label="Rapport annuel d'activité CRC SEP",
    model=ActivityReport,
    access=perms.activity_report_access,
    region_lookup="centre__region",
    open_states=OPEN_STATES,
    awaiting=perms.awaiting,
    awaiting_bulk=selectors.awaiting_bulk,
    related=("centre__region", "centre__establishment", "centre__hospital"),
)
