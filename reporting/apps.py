from django.apps import AppConfig


class ReportingConfig(AppConfig):
    name = "reporting"
    verbose_name = "Courriers et pilotage"

    def ready(self):
        from core.perms import register_dossier_access
        from core.workflow import register_procedure

        from . import signals  # noqa: F401  (post_transition → notifications)
        from .models import ActivityReport
        from .perms import activity_report_access

        register_procedure(ActivityReport, label="Rapport annuel d'activité CRC SEP", region_lookup="centre__region")
        register_dossier_access(ActivityReport, activity_report_access)
