from django.core.management.base import BaseCommand

from core.reference import load_reference_data


class Command(BaseCommand):
    help = "Charge les données de référence : régions, quotas de l'annexe 2, CHU (FINESS), 23 filières. Idempotent."

    def handle(self, *args, **options):
        report = load_reference_data()
        created = ", ".join(f"{k}: {v}" for k, v in sorted(report.created.items())) or "aucune"
        updated = ", ".join(f"{k}: {v}" for k, v in sorted(report.updated.items())) or "aucune"
        self.stdout.write(
            self.style.SUCCESS(f"Données de référence chargées. Créations — {created}. Mises à jour — {updated}.")
        )
