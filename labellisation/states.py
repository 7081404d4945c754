"""The states of a CRC SEP application (2016 instruction, Annexes 1 and 2) and the groups the rules name.
A module of its own, imported by ``models.py`` and ``perms.py`` (docs/conventions.md)."""

from django.db import models


class State(models.TextChoices):
    DRAFT = "draft", "Brouillon"
    SUBMITTED = "submitted", "Déposée"
    UNDER_REVIEW = "under_review", "En instruction"
    SENT_BACK = "sent_back", "Renvoyée pour complément"
    LABELLED = "labelled", "Labellisée"
    REJECTED = "rejected", "Refusée"
    WITHDRAWN = "withdrawn", "Labellisation retirée"


# The non-final states: the registry's quota table counts them as "en cours".


IN_PROGRESS_STATES = (State.SUBMITTED, State.UNDER_REVIEW, State.SENT_BACK)
EDITABLE_STATES = (State.DRAFT, State.SENT_BACK)
