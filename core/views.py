"""Site-wide pages: the référentiel of the rules, the footer's legal pages, the site map and the 404 page."""

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import JsonResponse
from django.shortcuts import render
from django.urls import reverse


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
