from django.apps import AppConfig


class LettersConfig(AppConfig):
    """Official letters: composition, numbering, PDF rendering and signature, verification."""

    name = "letters"
    verbose_name = "Courriers officiels"

    def ready(self):
        from core.reference import register_reference_loader

        from .senders import senders_load

        register_reference_loader("senders", senders_load)  # DGOS bureaux and ARS (issue 12, item 11)
