from django.conf import settings
from django.urls import reverse

# The usual links of a State site's footer (DSFR, "pied de page").
GOVERNMENT_LINKS = (
    {"label": "info.gouv.fr", "url": "https://www.info.gouv.fr"},
    {"label": "service-public.fr", "url": "https://www.service-public.fr"},
    {"label": "legifrance.gouv.fr", "url": "https://www.legifrance.gouv.fr"},
    {"label": "data.gouv.fr", "url": "https://www.data.gouv.fr"},
)


def site(request):
    """Static site settings for the DSFR templates (no query: the DSFR config model is not used)."""
    return {
        "SITE_TITLE": "Centres experts et maladies rares",
        "SITE_TAGLINE": "Labellisation, successions et centres de compétences",
        "DEBUG": settings.DEBUG,
        "GOVERNMENT_LINKS": GOVERNMENT_LINKS,
        "FOOTER_PAGES": _footer_pages(request),
    }


def _footer_pages(request):
    from .navigation import FOOTER_PAGES

    path = getattr(request, "path", "")
    return [{"label": p.label, "url": (url := reverse(p.url_name)), "current": url == path} for p in FOOTER_PAGES]


def navigation(request):
    """The header menu of the signed-in user (core/navigation.py), grouped, with the current entry marked."""
    from .navigation import menu_for

    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_menu": []}
    return {"nav_menu": menu_for(user, getattr(request, "resolver_match", None))}
