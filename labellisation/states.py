"""The states of a CRC SEP application (2016 instruction, Annexes 1 and 2) and the groups the rules name.
A module of its own, imported by ``models.py`` and ``perms.py`` (docs/conventions.md)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class State(models.TextChoices):
    DRAFT = "draft", _("Brouillon")
    SUBMITTED = "submitted", _("Déposée")
    UNDER_REVIEW = "under_review", _("En instruction")
    SENT_BACK = "sent_back", _("Renvoyée pour complément")
    LABELLED = "labelled", _("Labellisée")
    REJECTED = "rejected", _("Refusée")
    WITHDRAWN = "withdrawn", _("Labellisation retirée")


# The non-final states: the registry's quota table counts them as "en cours".


IN_PROGRESS_STATES = (State.SUBMITTED, State.UNDER_REVIEW, State.SENT_BACK)
EDITABLE_STATES = (State.DRAFT, State.SENT_BACK)
