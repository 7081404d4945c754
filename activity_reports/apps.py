from django.apps import AppConfig


class ActivityReportsConfig(AppConfig):
    """The annual activity report of a CRC SEP (2016 instruction, Annexe 1 §4): the fourth workflow."""

    name = "activity_reports"
    verbose_name = "Rapports annuels d'activité"

    def ready(self):
        from core.workflow import register_procedure

        from .procedure import PROCEDURE

        register_procedure(PROCEDURE)
