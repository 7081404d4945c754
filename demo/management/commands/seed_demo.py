from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from demo.seed import seed_demo


class Command(BaseCommand):
    help = "Crée le réseau de démonstration (CRMR, sites, CCMR) et les comptes de démonstration. Idempotent."

    def handle(self, *args, **options):
        if not settings.DEMO_PASSWORD:
            raise CommandError(
                "DEMO_PASSWORD est vide : les comptes de démonstration ne sont pas créés. "
                "En production, ne lancez pas seed_demo ; pour une démonstration, définissez DEMO_PASSWORD."
            )
        try:
            report = seed_demo(password=settings.DEMO_PASSWORD)
        except LookupError as exc:
            raise CommandError(str(exc)) from exc
        created = ", ".join(f"{k}: {v}" for k, v in sorted(report.created.items())) or "rien (déjà en place)"
        self.stdout.write(self.style.SUCCESS(f"Démonstration prête. Créations — {created}."))
