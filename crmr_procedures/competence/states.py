"""The states of a competence centre request (Instruction DGOS/PF2/2013/308, Annexe 2) and the states of a
request in progress. A module of its own, imported by ``models.py`` and ``perms.py`` (docs/conventions.md)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class State(models.TextChoices):
    DRAFT = "draft", _("Brouillon")
    SUBMITTED = "submitted", _("Reçue par la DGOS")
    AWAITING_OPINION = "awaiting_opinion", _("En attente de l'avis du groupe permanent")
    AWAITING_OFFICIALISATION = "awaiting_officialisation", _("Avis à officialiser par la DGOS")
    AWAITING_DOCUMENTS = "awaiting_documents", _("Cahier des charges et contrat à adresser à l'ARS")
    AWAITING_CPOM = "awaiting_cpom", _("Avenant au CPOM à notifier par l'ARS")
    AWAITING_ORPHANET = "awaiting_orphanet", _("Information d'Orphanet à faire par la DGOS")
    COMPLETED = "completed", _("Terminée")
    CLOSED_UNFAVOURABLE = "closed_unfavourable", _("Close — avis défavorable")


OPEN_STATES = (
    State.SUBMITTED,
    State.AWAITING_OPINION,
    State.AWAITING_OFFICIALISATION,
    State.AWAITING_DOCUMENTS,
    State.AWAITING_CPOM,
    State.AWAITING_ORPHANET,
)
