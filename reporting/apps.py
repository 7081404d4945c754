from django.apps import AppConfig


class ReportingConfig(AppConfig):
    """Dashboards, deadline alerts, notifications and exports, read across the procedures."""

    name = "reporting"
    verbose_name = "Pilotage"

    def ready(self):
        from core.exports import register_job_requester

        from . import dashboard_cache, signals  # noqa: F401  (post_transition → notifications)
        from .services import table_export_request

        dashboard_cache.connect()
        register_job_requester(table_export_request, "reporting:export_job")
