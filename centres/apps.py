from django.apps import AppConfig


class CentresConfig(AppConfig):
    name = "centres"
    verbose_name = "Registre"

    def ready(self):
        from core.reference import register_reference_loader
        from core.search import register_search_kind

        from .reference_data import load_registry_reference_data
        from .search import KINDS

        register_reference_loader("registry", load_registry_reference_data)
        for kind in KINDS:
            register_search_kind(kind)
