from django.apps import AppConfig


class ActivityReportsConfig(AppConfig):
    """The annual activity report of a CRC SEP (2016 instruction, Annexe 1 §4): the fourth workflow."""

    name = "activity_reports"
    verbose_name = "Rapports annuels d'activité"

    def ready(self):
        from core.perms import register_dossier_access
        from core.workflow import register_procedure

        from .models import ActivityReport
        from .perms import activity_report_access

        register_procedure(ActivityReport, label="Rapport annuel d'activité CRC SEP", region_lookup="centre__region")
        register_dossier_access(ActivityReport, activity_report_access)
