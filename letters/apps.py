from django.apps import AppConfig


class LettersConfig(AppConfig):
    """Official letters: composition, numbering, PDF rendering and signature, verification."""

    name = "letters"
    verbose_name = "Courriers officiels"

    def ready(self):
        from core.reference import register_reference_loader
        from core.search import register_search_kind

        from .search import KIND
        from .senders import senders_load

        register_reference_loader("senders", senders_load)  # DGOS bureaux and ARS (issue 12, item 11)
        register_search_kind(KIND)
