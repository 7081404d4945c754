"""The states of an annual activity report (2016 instruction, Annexe 1 §4): the centre's team, then the
establishment's direction, then the ARS. Imported by ``models.py`` and ``perms.py`` (docs/conventions.md)."""

from django.db import models


class State(models.TextChoices):
    DRAFT = "draft", "En cours de saisie par le centre"
    SUBMITTED = "submitted", "Transmis à l'établissement"
    VALIDATED = "validated", "Validé par l'établissement"
    CONFIRMED = "confirmed", "Confirmé par l'ARS"


OPEN_STATES = (State.DRAFT, State.SUBMITTED, State.VALIDATED)
