"""The states of a succession (Instruction DGOS/PF2/2013/308, Annexe 1) and the groups of states the rules
name. A module of its own, imported by ``models.py`` and ``perms.py`` alike (docs/conventions.md)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class State(models.TextChoices):
    DRAFT = "draft", _("Préavis en préparation")
    NOTICE_RECEIVED = "notice_received", _("Préavis reçu par la DGOS")
    NOTICE_FORWARDED = "notice_forwarded", _("Préavis communiqué au vice-président santé")
    DOSSIER_SUBMITTED = "dossier_submitted", _("Dossier de succession déposé")
    DOSSIER_RETURNED = "dossier_returned", _("Dossier renvoyé au coordonnateur")
    DOSSIER_COMPLETE = "dossier_complete", _("Dossier complet")
    FORWARDED_TO_GP = "forwarded_to_gp", _("Transmis au groupe permanent")
    OPINION_FAVOURABLE = "opinion_favourable", _("Avis favorable enregistré")
    SPECIAL_INFORMED = "special_informed", _("Cas particulier : DGOS informée")
    SPECIAL_FORWARDED = "special_forwarded", _("Cas particulier transmis au groupe permanent")
    SESSION_SET = "session_set", _("Séance de délibération fixée")
    CALL_OPEN = "call_open", _("Appel à projets en cours (ARS)")
    PROJECTS_RECEIVED = "projects_received", _("Projets en examen par le groupe permanent")
    GP_OPINION_GIVEN = "gp_opinion_given", _("Avis du groupe permanent rendu")
    OFFICIALISED = "officialised", _("Nouveau coordonnateur officialisé")


# States where the coordinator still prepares the successor's dossier (normal path).
DOSSIER_OPEN_STATES = (State.NOTICE_RECEIVED, State.NOTICE_FORWARDED, State.DOSSIER_RETURNED)
# States from which DGOS may turn a succession into a special case (Annexe 1, "Cas particuliers").
SPECIAL_SOURCES = (
    State.DRAFT,
    State.NOTICE_RECEIVED,
    State.NOTICE_FORWARDED,
    State.DOSSIER_SUBMITTED,
    State.DOSSIER_RETURNED,
    State.DOSSIER_COMPLETE,
    State.FORWARDED_TO_GP,
)
# State -> role that must act (inboxes, notifications).
AWAITING_ROLE = {
    State.DRAFT: "coordinator",
    State.NOTICE_RECEIVED: "dgos",
    State.NOTICE_FORWARDED: "coordinator",
    State.DOSSIER_SUBMITTED: "dgos",
    State.DOSSIER_RETURNED: "coordinator",
    State.DOSSIER_COMPLETE: "dgos",
    State.FORWARDED_TO_GP: "dgos",
    State.OPINION_FAVOURABLE: "dgos",
    State.SPECIAL_INFORMED: "dgos",
    State.SPECIAL_FORWARDED: "gp",
    State.SESSION_SET: "dgos",
    State.CALL_OPEN: "ars",
    State.PROJECTS_RECEIVED: "gp",
    State.GP_OPINION_GIVEN: "dgos",
}
