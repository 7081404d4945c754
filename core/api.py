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
