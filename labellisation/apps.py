from django.apps import AppConfig


class LabellisationConfig(AppConfig):
    name = "labellisation"
    verbose_name = "Labellisation CRC SEP"

    def ready(self):
        from core.workflow import register_procedure

        from .procedure import PROCEDURE

        register_procedure(PROCEDURE)
