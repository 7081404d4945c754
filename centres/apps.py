from django.apps import AppConfig


class CentresConfig(AppConfig):
    name = "centres"
    verbose_name = "Registre"

    def ready(self):
        from core.reference import register_reference_loader

        from .reference_data import load_registry_reference_data

        register_reference_loader("registry", load_registry_reference_data)
