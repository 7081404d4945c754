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
    """For monitoring: the state of the database, the broker (ok, eager, or an error), the file storage
    (local folder or bucket) and the antivirus (ok, disabled, or an error). 503 if any of them is down; a
    required antivirus that is disabled or down is a failure: uploads are refused meanwhile (core.antivirus,
    fail closed)."""
    from core.storage import storage_state

    states = {
        "database": _database_state(),
        "broker": _broker_state(),
        "storage": storage_state(),
        "antivirus": antivirus_state(),
    }
    healthy = (
        states["database"] == "ok"
        and states["broker"] in ("ok", "eager")
        and states["storage"] == "ok"
        and (states["antivirus"] == "ok" or (states["antivirus"] == "disabled" and not settings.ANTIVIRUS_REQUIRED))
    )
    return JsonResponse(states, status=200 if healthy else 503)


# Filters of the référentiel page: query parameter -> (French label, allowed values with their labels)
def _referentiel_filters():
    from core.rules import PROCEDURES, STATUSES, TEXTS

    return {
        "text": ("Texte", TEXTS),
        "procedure": ("Procédure", PROCEDURES),
        "status": ("Statut", {status: status.capitalize() for status in STATUSES}),
    }


@login_required
def referentiel(request):
    """The "Référentiel réglementaire": every normative element of both texts (core/rules.yaml), grouped by
    text and paragraph, with its status, filterable by text, procedure and status. Read from the cached
    catalogue: no database query beyond the session's."""
    from core.rules import STATUS_BADGES, STATUSES, TEXTS, catalogue

    cat = catalogue()
    filters, chosen, errors = [], {}, []
    for name, (label, choices) in _referentiel_filters().items():
        value = request.GET.get(name, "")
        if value and value not in choices:
            errors.append(f"{label} : la valeur « {value} » n'existe pas ; le filtre est ignoré.")
            value = ""
        if value:
            chosen[name] = value
        filters.append({"name": name, "label": label, "value": value, "choices": list(choices.items())})
    rules = cat.filter(**chosen)
    return render(
        request,
        "core/referentiel.html",
        {
            "title": "Référentiel réglementaire",
            "filters": filters,
            "filter_errors": errors,
            "filtered": bool(chosen),
            "groups": [(text, TEXTS[text], paragraphs) for text, paragraphs in cat.grouped(rules)],
            "count": len(rules),
            "total": len(cat),
            "status_counts": [(s, STATUS_BADGES[s], sum(1 for r in rules if r.status == s)) for s in STATUSES],
        },
    )


def not_found(request, exception=None):
    """handler404: the French page, or JSON under the API (whose clients read ``detail``)."""
    from django.views import defaults

    if "/api/" in request.path:
        return JsonResponse({"detail": "Introuvable."}, status=404)
    return defaults.page_not_found(request, exception)
