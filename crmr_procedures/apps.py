from django.apps import AppConfig


class CrmrProceduresConfig(AppConfig):
    name = "crmr_procedures"
    verbose_name = "Procédures CRMR"
