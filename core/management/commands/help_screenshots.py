"""Screenshots of the real pages for the role guides (issue 17, item 6).

Run against a server holding the demonstration data (``make run``, i.e. ``seed_demo``)::

    python manage.py help_screenshots --base-url http://127.0.0.1:8000

Each guide of ``core.help.GUIDES`` lists its pages and the demo account that sees them; the command signs
in as that account with the demo password, captures the viewport, and writes an optimised PNG (1024 px
wide, 256-colour palette) under ``core/static/help/``. Debian's Chromium drives the pages (no download)."""

from __future__ import annotations

import io
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from core.help import GUIDES

OUTPUT = Path(__file__).resolve().parents[2] / "static" / "help"
VIEWPORT = {"width": 1280, "height": 800}
WIDTH = 1024


def optimise(png: bytes) -> bytes:
    """Scale to ``WIDTH`` and reduce to a 256-colour palette: a page screenshot keeps its text legible at a
    fraction of the size."""
    from PIL import Image

    image = Image.open(io.BytesIO(png)).convert("RGB")
    height = round(image.height * WIDTH / image.width)
    image = image.resize((WIDTH, height), Image.Resampling.LANCZOS)
    out = io.BytesIO()
    image.quantize(colors=256, method=Image.Quantize.MEDIANCUT).save(out, format="PNG", optimize=True)
    return out.getvalue()


class Command(BaseCommand):
    help = "Capture the pages shown in the role guides (core/help.py) from a server with the demo data."

    def add_arguments(self, parser):
        parser.add_argument("--base-url", default="http://127.0.0.1:8000")
        parser.add_argument("--password", default=getattr(settings, "DEMO_PASSWORD", "") or "demo")
        parser.add_argument("--only", help="the slug of one guide")
        parser.add_argument("--chromium", default="/usr/bin/chromium")

    def handle(self, *args, base_url, password, only, chromium, **options):
        from playwright.sync_api import sync_playwright

        guides = [g for g in GUIDES if g.screenshots and (not only or g.slug == only)]
        if not guides:
            raise CommandError(f"no guide {only!r}")
        OUTPUT.mkdir(parents=True, exist_ok=True)
        base_url = base_url.rstrip("/")
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=chromium, args=["--no-sandbox", "--disable-gpu"])
            for guide in guides:
                context = browser.new_context(viewport=VIEWPORT, locale="fr-FR", timezone_id="Europe/Paris")
                page = context.new_page()
                page.goto(f"{base_url}/accounts/login/")
                page.get_by_label("Identifiant").fill(guide.account)
                page.get_by_label("Mot de passe").fill(password)
                page.get_by_role("button", name="Se connecter").click()
                page.wait_for_url(lambda url: "/accounts/login/" not in url)
                for shot in guide.screenshots:
                    response = page.goto(f"{base_url}{shot.path}")
                    if response is None or response.status != 200:
                        raise CommandError(f"{guide.account} {shot.path}: {response and response.status}")
                    page.wait_for_load_state("networkidle")
                    data = optimise(page.screenshot(full_page=False))
                    (OUTPUT / shot.name).write_bytes(data)
                    self.stdout.write(f"{shot.name}: {len(data) // 1024} Kio ({guide.account} {shot.path})")
                context.close()
            browser.close()
