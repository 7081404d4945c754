from django.apps import AppConfig


class CrmrProceduresConfig(AppConfig):
    name = "crmr_procedures"
    verbose_name = "Procédures CRMR"

    def ready(self):
        from core.workflow import register_procedure

        from .competence.procedure import PROCEDURE as COMPETENCE
        from .succession.procedure import PROCEDURE as SUCCESSION

        register_procedure(SUCCESSION)
        register_procedure(COMPETENCE)
