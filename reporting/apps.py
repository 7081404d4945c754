from django.apps import AppConfig


class ReportingConfig(AppConfig):
    """Dashboards, deadline alerts, notifications and exports, read across the procedures."""

    name = "reporting"
    verbose_name = "Pilotage"

    def ready(self):
        from . import dashboard_cache, signals  # noqa: F401  (post_transition → notifications)

        dashboard_cache.connect()
