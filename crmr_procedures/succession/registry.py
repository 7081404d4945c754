"""Registration of the succession procedure (called from CrmrProceduresConfig.ready)."""


def register() -> None:
    from core.perms import register_dossier_access
    from core.workflow import register_procedure

    from .models import Succession
    from .perms import succession_access

    register_procedure(
        Succession,
        label="Succession de coordonnateur de CRMR",
        region_lookup="crmr__coordinating_establishment__region",
    )
    register_dossier_access(Succession, succession_access)
