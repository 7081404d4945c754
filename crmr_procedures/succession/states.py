"""The states of a succession (Instruction DGOS/PF2/2013/308, Annexe 1) and the groups of states the rules
name. A module of its own, imported by ``models.py`` and ``perms.py`` alike (docs/conventions.md)."""

from django.db import models


class State(models.TextChoices):
    DRAFT = "draft", "Préavis en préparation"
    NOTICE_RECEIVED = "notice_received", "Préavis reçu par la DGOS"
    NOTICE_FORWARDED = "notice_forwarded", "Préavis communiqué au vice-président santé"
    DOSSIER_SUBMITTED = "dossier_submitted", "Dossier de succession déposé"
    DOSSIER_RETURNED = "dossier_returned", "Dossier renvoyé au coordonnateur"
    DOSSIER_COMPLETE = "dossier_complete", "Dossier complet"
    FORWARDED_TO_GP = "forwarded_to_gp", "Transmis au groupe permanent"
    OPINION_FAVOURABLE = "opinion_favourable", "Avis favorable enregistré"
    SPECIAL_INFORMED = "special_informed", "Cas particulier : DGOS informée"
    SPECIAL_FORWARDED = "special_forwarded", "Cas particulier transmis au groupe permanent"
    SESSION_SET = "session_set", "Séance de délibération fixée"
    CALL_OPEN = "call_open", "Appel à projets en cours (ARS)"
    PROJECTS_RECEIVED = "projects_received", "Projets en examen par le groupe permanent"
    GP_OPINION_GIVEN = "gp_opinion_given", "Avis du groupe permanent rendu"
    OFFICIALISED = "officialised", "Nouveau coordonnateur officialisé"


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
