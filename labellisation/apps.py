from django.apps import AppConfig


class LabellisationConfig(AppConfig):
    name = "labellisation"
    verbose_name = "Labellisation CRC SEP"

    def ready(self):
        from core.perms import register_dossier_access
        from core.workflow import register_procedure

        from .models import Application
        from .perms import application_access

        register_procedure(Application, label="Labellisation CRC SEP", region_lookup="region")
        register_dossier_access(Application, application_access)
