"""The home page (each role's entry points) and the health check."""

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.db import connection
from django.http import JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from .antivirus import antivirus_state

# What each role does here, in one sentence (the tiles below list what waits for the user).
ROLE_WELCOME = {
    "ars": "Vous instruisez et décidez la labellisation des CRC SEP de votre région, dans la limite de son quota, "
    "et vous relayez les appels à projets et les avenants CPOM des centres de compétences.",
    "dgos": "Vous recevez les dossiers de succession et les demandes de centres de compétences, les transmettez au "
    "groupe permanent, officialisez les décisions par courrier et informez Orphanet.",
    "gp": "Vous êtes informé des dossiers transmis par la DGOS, donnez un avis d'opportunité sur les centres de "
    "compétences et délibérez sur les cas particuliers de succession.",
    "coordinator": "Vous pouvez signaler la fin de votre coordination, proposer un successeur et demander la création "
    "ou l'abrogation d'un centre de compétences rattaché à votre CRMR.",
    "establishment": "Vous donnez les avis de la direction de l'établissement sur les successions et les transferts, "
    "et suivez les centres implantés dans votre établissement.",
    "admin": "Vous gérez les données de référence, les comptes et les exports de la plateforme.",
}


@login_required
def home(request):
    from accounts.services import coordinated_crmrs

    user = request.user
    role = "admin" if user.is_superuser and not user.role else user.role
    return render(
        request,
        "core/home.html",
        {
            "title": "Accueil",
            "welcome": ROLE_WELCOME.get(role, "Votre compte n'a pas encore de rôle : contactez l'administrateur."),
            "my_crmrs": list(coordinated_crmrs(user).select_related("filiere")) if user.is_coordinator else [],
        },
    )


@login_required
def ping(request):
    """A bare authenticated view through the whole middleware stack: the floor the benchmarks compare
    every page with, and a check that a monitoring session is still signed in."""
    return JsonResponse({"user": request.user.username})


def _database_state() -> str:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as exc:
        return f"error: {exc.__class__.__name__}"
    return "ok"


def _broker_state() -> str:
    from django.conf import settings

    if settings.CELERY_TASK_ALWAYS_EAGER:
        return "eager"
    try:
        from config.celery import app

        with app.connection_for_write() as conn:
            conn.ensure_connection(max_retries=1, timeout=2)
    except Exception as exc:
        return f"error: {exc.__class__.__name__}"
    return "ok"


@never_cache
@require_GET
def healthz(request):
    """For monitoring: the state of the database, of the broker (ok, eager, or an error) and of the antivirus
    (ok, disabled, or an error). A required antivirus that is disabled or down is a failure: uploads are
    refused meanwhile (core.antivirus, fail closed)."""
    database, broker, antivirus = _database_state(), _broker_state(), antivirus_state()
    healthy = (
        database == "ok"
        and broker in ("ok", "eager")
        and (antivirus == "ok" or (antivirus == "disabled" and not settings.ANTIVIRUS_REQUIRED))
    )
    return JsonResponse(
        {"database": database, "broker": broker, "antivirus": antivirus}, status=200 if healthy else 503
    )


def not_found(request, exception=None):
    """handler404: the French page, or JSON under the API (whose clients read ``detail``)."""
    from django.views import defaults

    if "/api/" in request.path:
        return JsonResponse({"detail": "Introuvable."}, status=404)
    return defaults.page_not_found(request, exception)
