from django.apps import AppConfig


class CrmrProceduresConfig(AppConfig):
    name = "crmr_procedures"
    verbose_name = "Procédures CRMR"

    def ready(self):
        from .competence.registry import register as register_competence
        from .succession.registry import register as register_succession

        register_competence()
        register_succession()
