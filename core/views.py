"""The home page (each role's entry points) and the health check."""

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.db import connection
from django.http import JsonResponse
from django.shortcuts import render
from django.urls import reverse
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


# --- Pages of the footer (mandatory on a State site; open to everyone) -----------------------------


def plan_du_site(request):
    """The plan du site: the menu the visitor sees (core/navigation.py) and the pages each entry leads to,
    then the pages open to everyone. An anonymous visitor sees the public pages and the sign-in."""
    from .navigation import FOOTER_PAGES, site_map

    public = [{"label": "Vérifier un courrier", "url": reverse("letter_verification")}]
    if not request.user.is_authenticated:
        public.insert(0, {"label": "Se connecter", "url": reverse("accounts:login")})
    else:
        public.insert(0, {"label": "Accueil", "url": reverse("home")})
        public.append({"label": "Changer de mot de passe", "url": reverse("accounts:password_change")})
    public += [{"label": p.label, "url": reverse(p.url_name)} for p in FOOTER_PAGES]
    sections = site_map(request.user) if request.user.is_authenticated else []
    return render(
        request, "core/legal/plan_du_site.html", {"title": "Plan du site", "sections": sections, "public": public}
    )


def _legal_context(title: str, **extra) -> dict:
    return {
        "title": title,
        "CONTACT_EMAIL": settings.CONTACT_EMAIL,
        "DPO_EMAIL": settings.DPO_EMAIL,
        "LEGAL_HOSTING": settings.LEGAL_HOSTING,
        "ACCESSIBILITY_STATEMENT_DATE": settings.ACCESSIBILITY_STATEMENT_DATE,
        **extra,
    }


def _axe_version() -> str:
    """The axe-core version the browser tests audit with (tools/package.json)."""
    import json

    try:
        return json.loads((settings.BASE_DIR / "tools" / "package.json").read_text())["dependencies"]["axe-core"]
    except (OSError, KeyError, ValueError):
        return ""


def mentions_legales(request):
    return render(request, "core/legal/mentions_legales.html", _legal_context("Mentions légales"))


def donnees_personnelles(request):
    return render(
        request,
        "core/legal/donnees_personnelles.html",
        _legal_context(
            "Données personnelles",
            session_hours=settings.SESSION_COOKIE_AGE // 3600,
            lockout_limit=settings.AXES_FAILURE_LIMIT,
        ),
    )


# The manual checklist of the accessibility statement (RGAA 4.1 themes checked by hand on the main
# journeys of every role, besides the automatic axe-core audit of the browser tests).
MANUAL_CHECKS = (
    ("Navigation au clavier seul (ordre de tabulation, focus visible, pas de piège)", True),
    ("Liens d'évitement vers le contenu, le menu et le pied de page", True),
    ("Titre de page unique et hiérarchie des titres", True),
    ("Fil d'Ariane et plan du site", True),
    ("Étiquette de chaque champ, champs facultatifs signalés, récapitulatif des erreurs avec le focus", True),
    ("Affichage à 375 px de large et zoom à 200 % sans perte de contenu", True),
    ("Contrastes des textes et des composants (couleurs du DSFR)", True),
    ("Tableaux de données avec en-têtes de colonnes", True),
    ("Courriers PDF balisés (structure lisible par un lecteur d'écran)", False),
    ("Tableau des mêmes données à côté de chaque graphique du tableau de bord", True),
)


def accessibilite(request):
    return render(
        request,
        "core/legal/accessibilite.html",
        _legal_context("Déclaration d'accessibilité", manual_checks=MANUAL_CHECKS, AXE_VERSION=_axe_version()),
    )
