"""Registration of the CCMR procedure with the shared workflow and permission registries."""


def register() -> None:
    from core.perms import register_dossier_access
    from core.workflow import register_procedure

    from .models import CcmrRequest
    from .perms import request_access

    register_procedure(
        CcmrRequest,
        label="Création ou abrogation d'un centre de compétences",
        region_lookup="establishment__region",
    )
    register_dossier_access(CcmrRequest, request_access)
