from django.conf import settings


def site(request):
    """Static site settings for the DSFR templates (no query: the DSFR config model is not used)."""
    return {
        "SITE_TITLE": "Centres experts et maladies rares",
        "SITE_TAGLINE": "Labellisation, successions et centres de compétences",
        "DEBUG": settings.DEBUG,
    }
