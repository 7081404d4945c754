"""The states of an annual activity report (2016 instruction, Annexe 1 §4): the centre's team, then the
establishment's direction, then the ARS. Imported by ``models.py`` and ``perms.py`` (docs/conventions.md)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class State(models.TextChoices):
    DRAFT = "draft", _("En cours de saisie par le centre")
    SUBMITTED = "submitted", _("Transmis à l'établissement")
    VALIDATED = "validated", _("Validé par l'établissement")
    CONFIRMED = "confirmed", _("Confirmé par l'ARS")


OPEN_STATES = (State.DRAFT, State.SUBMITTED, State.VALIDATED)
