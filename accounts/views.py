"""The home page: each role's entry points (what it does here, and the tiles of what waits for it)."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from .services import coordinated_crmrs

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

    user = request.user
    role = "admin" if user.is_superuser and not user.role else user.role
    return render(
        request,
        "accounts/home.html",
        {
            "title": "Accueil",
            "welcome": ROLE_WELCOME.get(role, "Votre compte n'a pas encore de rôle : contactez l'administrateur."),
            "my_crmrs": list(coordinated_crmrs(user).select_related("filiere")) if user.is_coordinator else [],
        },
    )
