"""The states of a competence centre request (Instruction DGOS/PF2/2013/308, Annexe 2) and the states of a
request in progress. A module of its own, imported by ``models.py`` and ``perms.py`` (docs/conventions.md)."""

from django.db import models


class State(models.TextChoices):
    DRAFT = "draft", "Brouillon"
    SUBMITTED = "submitted", "Reçue par la DGOS"
    AWAITING_OPINION = "awaiting_opinion", "En attente de l'avis du groupe permanent"
    AWAITING_OFFICIALISATION = "awaiting_officialisation", "Avis à officialiser par la DGOS"
    AWAITING_DOCUMENTS = "awaiting_documents", "Cahier des charges et contrat à adresser à l'ARS"
    AWAITING_CPOM = "awaiting_cpom", "Avenant au CPOM à notifier par l'ARS"
    AWAITING_ORPHANET = "awaiting_orphanet", "Information d'Orphanet à faire par la DGOS"
    COMPLETED = "completed", "Terminée"
    CLOSED_UNFAVOURABLE = "closed_unfavourable", "Close — avis défavorable"


OPEN_STATES = (
    State.SUBMITTED,
    State.AWAITING_OPINION,
    State.AWAITING_OFFICIALISATION,
    State.AWAITING_DOCUMENTS,
    State.AWAITING_CPOM,
    State.AWAITING_ORPHANET,
)
