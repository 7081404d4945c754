"""Sign-in of State agents with ProConnect (OpenID Connect), through mozilla-django-oidc.

The agent's account must already exist: it is found by the e-mail address ProConnect vouches for, and the
first sign-in links it to the agent's ProConnect identifier (``sub``); later sign-ins find it by that
identifier. No account, no access: a French message says who to ask. Local passwords stay (administrator,
demonstration accounts).

The provider's endpoints come from its discovery document (PROCONNECT_DISCOVERY_URL), read once and kept
for an hour. The flow: authorization code with PKCE (S256), ``state`` and ``nonce`` checked, ID token and
userinfo signature, issuer, audience and expiry checked; sign-out also ends the session at the provider
(``id_token_hint``)."""

from __future__ import annotations

import logging
import time
from urllib.parse import urlencode

import jwt
import requests
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth import views as auth_views
from django.core.exceptions import SuspiciousOperation
from django.db import transaction
from django.http import Http404
from django.shortcuts import resolve_url
from django.utils.crypto import get_random_string
from mozilla_django_oidc.auth import OIDCAuthenticationBackend
from mozilla_django_oidc.utils import absolutify, import_from_settings
from mozilla_django_oidc.views import OIDCAuthenticationCallbackView, OIDCAuthenticationRequestView, OIDCLogoutView

logger = logging.getLogger(__name__)

# mozilla-django-oidc setting → key of the provider's discovery document
DISCOVERED = {
    "OIDC_OP_AUTHORIZATION_ENDPOINT": "authorization_endpoint",
    "OIDC_OP_TOKEN_ENDPOINT": "token_endpoint",
    "OIDC_OP_USER_ENDPOINT": "userinfo_endpoint",
    "OIDC_OP_JWKS_ENDPOINT": "jwks_uri",
}
_DISCOVERY_TTL = 3600
_discovery: dict = {"url": None, "at": 0.0, "document": None}


def proconnect_enabled() -> bool:
    return bool(getattr(settings, "OIDC_RP_CLIENT_ID", ""))


def discovery() -> dict:
    """The provider's discovery document (``/.well-known/openid-configuration``), cached for an hour."""
    url = settings.PROCONNECT_DISCOVERY_URL
    if _discovery["url"] != url or time.monotonic() - _discovery["at"] > _DISCOVERY_TTL:
        response = requests.get(url, timeout=settings.OIDC_TIMEOUT)
        response.raise_for_status()
        _discovery.update(url=url, at=time.monotonic(), document=response.json())
    return _discovery["document"]


def _setting(attr, *args):
    """Settings as mozilla-django-oidc reads them; the provider's endpoints are read lazily (see below),
    so that building a backend or a view never calls the provider (password sign-ins, ProConnect off)."""
    if attr in DISCOVERED:
        return None
    return import_from_settings(attr, *args)


def _endpoint(attr):
    """An endpoint attribute read from the settings if set there, else from the discovery document."""

    def get(_self):
        return getattr(settings, attr, None) or discovery()[DISCOVERED[attr]]

    return property(get, lambda _self, _value: None)  # mozilla-django-oidc assigns it in __init__


def _refuse(request, message: str) -> None:
    if request is not None:
        messages.error(request, message)


WHO_TO_ASK = (
    "Demandez la création de votre compte, avec cette adresse électronique, à l'administrateur de la "
    "plateforme (bureau PF2 de la DGOS) ou, pour un agent d'ARS, au référent de votre agence."
)


class ProConnectBackend(OIDCAuthenticationBackend):
    """Authenticates an existing, active account from ProConnect's verified claims; never creates one."""

    get_settings = staticmethod(_setting)
    OIDC_OP_TOKEN_ENDPOINT = _endpoint("OIDC_OP_TOKEN_ENDPOINT")
    OIDC_OP_USER_ENDPOINT = _endpoint("OIDC_OP_USER_ENDPOINT")
    OIDC_OP_JWKS_ENDPOINT = _endpoint("OIDC_OP_JWKS_ENDPOINT")

    def __init__(self, *args, **kwargs):
        # Not the parent's: it reads the JWKS endpoint, which would call the provider at every password
        # sign-in (a backend is built for each), and fail them all while the provider is unreachable.
        self.OIDC_RP_CLIENT_ID = self.get_settings("OIDC_RP_CLIENT_ID")
        self.OIDC_RP_CLIENT_SECRET = self.get_settings("OIDC_RP_CLIENT_SECRET")
        self.OIDC_RP_SIGN_ALGO = self.get_settings("OIDC_RP_SIGN_ALGO", "RS256")
        self.OIDC_RP_IDP_SIGN_KEY = self.get_settings("OIDC_RP_IDP_SIGN_KEY", None)
        self.UserModel = get_user_model()

    def _verify_jws(self, payload, key):
        """Signature (mozilla-django-oidc), and also issuer, audience and expiry of the ID token and of a
        signed userinfo response."""
        data = super()._verify_jws(payload, key)
        try:
            jwt.decode(
                payload,
                key,
                algorithms=[self.OIDC_RP_SIGN_ALGO],
                audience=self.OIDC_RP_CLIENT_ID,
                issuer=discovery()["issuer"],
                options={"require": ["iss", "aud"]},
                leeway=60,
            )
        except jwt.PyJWTError as exc:
            raise SuspiciousOperation(f"Token rejected: {exc}") from exc
        return data

    def verify_claims(self, claims) -> bool:
        return bool(claims.get("sub") and claims.get("email"))

    def filter_users_by_claims(self, claims):
        """The account linked to this ProConnect identity, else the unlinked account with this e-mail."""
        linked = self.UserModel.objects.filter(proconnect_sub=claims["sub"])
        if linked.exists():
            return linked
        return self.UserModel.objects.filter(email__iexact=claims["email"].strip(), proconnect_sub="")

    def get_or_create_user(self, access_token, id_token, payload):
        try:
            user = super().get_or_create_user(access_token, id_token, payload)
        except SuspiciousOperation as exc:
            if str(exc) == "Multiple users returned":
                _refuse(self.request, "Plusieurs comptes portent cette adresse électronique. " + str(WHO_TO_ASK))
            raise
        if user is None:
            logger.info("ProConnect sign-in refused: no account for this e-mail address")
            _refuse(
                self.request,
                "Aucun compte de la plateforme ne correspond à votre adresse électronique ProConnect. "
                + str(WHO_TO_ASK),
            )
        return user

    def create_user(self, claims):  # never: accounts are opened by the administrator
        return None

    def update_user(self, user, claims):
        """First sign-in: link the account to the ProConnect identity (once, never re-pointed)."""
        if not user.is_active:
            _refuse(self.request, "Votre compte est désactivé. " + str(WHO_TO_ASK))
            return None
        if not user.proconnect_sub:
            with transaction.atomic():
                type(user).objects.filter(pk=user.pk, proconnect_sub="").update(proconnect_sub=claims["sub"])
            user.proconnect_sub = claims["sub"]
        return user

    def get_user(self, user_id):
        user = super().get_user(user_id)
        return user if user is not None and user.is_active else None


class ProConnectStartView(OIDCAuthenticationRequestView):
    """Redirects to the provider (state, nonce, PKCE challenge kept in the session); 404 when off."""

    get_settings = staticmethod(_setting)
    OIDC_OP_AUTH_ENDPOINT = _endpoint("OIDC_OP_AUTHORIZATION_ENDPOINT")

    def get(self, request):
        if not proconnect_enabled():
            raise Http404
        return super().get(request)


class ProConnectCallbackView(OIDCAuthenticationCallbackView):
    """Checks state, exchanges the code (with the PKCE verifier), checks the tokens and signs the agent in;
    a refusal goes back to the login page with its French message."""

    get_settings = staticmethod(_setting)

    def get(self, request):
        if not proconnect_enabled():
            raise Http404
        try:
            return super().get(request)
        except (SuspiciousOperation, requests.RequestException) as exc:
            # Unknown state, nonce or signature not matching, code exchange refused (PKCE verifier)...
            logger.warning("ProConnect callback refused: %s", exc)
            messages.error(request, "La connexion avec ProConnect n'a pas abouti. Veuillez réessayer.")
            return self.login_failure()

    @property
    def failure_url(self):
        return resolve_url(settings.LOGIN_URL)


class LogoutView(OIDCLogoutView):
    """Sign-out for everyone (POST); after a ProConnect sign-in it also ends the session at the provider."""

    get_settings = staticmethod(_setting)


class LoginView(auth_views.LoginView):
    """The password form, with the ProConnect button when ProConnect is configured."""

    template_name = "accounts/login.html"

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "proconnect": proconnect_enabled()}


def provider_logout_url(request) -> str:
    """OIDC_OP_LOGOUT_URL_METHOD: the provider's end-session URL when the session came from ProConnect
    (``id_token_hint``, ``state``, back to the login page), else the local login page."""
    local = resolve_url(settings.LOGOUT_REDIRECT_URL)
    id_token = request.session.get("oidc_id_token")
    if not id_token or not proconnect_enabled():
        return local
    endpoint = discovery().get("end_session_endpoint")
    if not endpoint:
        return local
    query = urlencode(
        {
            "id_token_hint": id_token,
            "state": get_random_string(32),
            "post_logout_redirect_uri": absolutify(request, local),
        }
    )
    return f"{endpoint}?{query}"
