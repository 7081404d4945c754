"""API authentication: the session of a signed-in user, answering 401 with a WWW-Authenticate challenge
to an anonymous caller (DRF answers 403 when the first authentication class has no challenge)."""

from drf_spectacular.authentication import SessionScheme
from rest_framework.authentication import SessionAuthentication


class SessionAuthenticationWithChallenge(SessionAuthentication):
    def authenticate_header(self, request):
        return 'Session realm="Centres experts", charset="UTF-8"'


class SessionChallengeScheme(SessionScheme):
    """The OpenAPI description of the class above (a session cookie, like DRF's own)."""

    target_class = "core.api.SessionAuthenticationWithChallenge"


# {"detail": "..."} for 401/403/404, {"<parameter>": ["..."]} for a 400.
_ERROR = {"type": "object", "properties": {"detail": {"type": "string"}}}
_ERRORS = {
    "400": "Paramètre invalide.",
    "401": "Authentification requise (session).",
    "403": "Rôle sans accès à l'API.",
    "404": "Objet ou page introuvable (ou hors de votre périmètre).",
}


def document_error_responses(result, generator, request, public):
    """drf-spectacular post-processing hook: every operation documents the errors it can answer (401 to an
    anonymous caller, 403 to a role without access, 404 out of scope or past the last page, 400 for a bad
    parameter), so that a client — and schemathesis — can check them against the schema."""
    result.setdefault("components", {}).setdefault("schemas", {})["Error"] = {
        **_ERROR,
        "additionalProperties": {"oneOf": [{"type": "string"}, {"type": "array", "items": {"type": "string"}}]},
    }
    for path in result.get("paths", {}).values():
        for operation in path.values():
            responses = operation.setdefault("responses", {})
            for code, description in _ERRORS.items():
                responses.setdefault(
                    code,
                    {
                        "description": description,
                        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}},
                    },
                )
    return result
