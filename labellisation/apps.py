from django.apps import AppConfig


class LabellisationConfig(AppConfig):
    name = "labellisation"
    verbose_name = "Labellisation CRC SEP"
