from django.core.management.base import BaseCommand, CommandError

from letters.engine import letter_verify
from letters.models import Letter


class Command(BaseCommand):
    help = "Vérifie que chaque courrier émis correspond encore à son empreinte SHA-256 (après restauration, audit)."

    def handle(self, *args, **options):
        checked, broken = 0, []
        for letter in (
            Letter.objects.filter(status=Letter.Status.ISSUED).only("pk", "reference", "pdf", "sha256").iterator()
        ):
            checked += 1
            if not letter_verify(letter):
                broken.append(letter.reference)
        pending = Letter.objects.filter(status=Letter.Status.PENDING).count()
        self.stdout.write(
            f"{checked} courrier(s) émis vérifié(s), {len(broken)} en anomalie, {pending} en attente de production."
        )
        if broken:
            raise CommandError("Empreinte non conforme ou fichier manquant : " + ", ".join(broken[:50]))
