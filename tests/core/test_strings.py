"""One way to write user-facing strings (issue 14, item 5): plain French in the code and the templates, as
they appear on the page; no gettext in the project's own code. ``locale/fr`` only gives French wording to
the few library strings that have none (django-dsfr's "(Optional)")."""

from __future__ import annotations

import ast
import re
from pathlib import Path

from django.conf import settings

ROOT = Path(__file__).resolve().parents[2]
APPS = ("core", "accounts", "centres", "labellisation", "crmr_procedures", "letters", "activity_reports", "reporting")
GETTEXT = {"gettext", "gettext_lazy", "ngettext", "ngettext_lazy", "pgettext", "pgettext_lazy"}


def _project_modules():
    for app in (*APPS, "demo", "config"):
        for path in (ROOT / app).rglob("*.py"):
            if "migrations" not in path.parts:
                yield path


def test_no_project_module_translates_its_strings_through_gettext():
    found = []
    for path in _project_modules():
        for node in ast.walk(ast.parse(path.read_text(), str(path))):
            if isinstance(node, ast.ImportFrom) and node.module == "django.utils.translation":
                found += [f"{path.relative_to(ROOT)}: {a.name}" for a in node.names if a.name in GETTEXT]
    assert found == []


def test_no_template_uses_the_translation_tags():
    tags = re.compile(r"{%\s*(trans|translate|blocktrans|blocktranslate)\b")
    used = [str(p.relative_to(ROOT)) for p in (ROOT / "templates").rglob("*.html") if tags.search(p.read_text())]
    assert used == []


def test_the_locale_folder_exists_and_only_words_library_strings():
    catalogue = ROOT / "locale" / "fr" / "LC_MESSAGES" / "django.po"
    assert [Path(p) for p in settings.LOCALE_PATHS] == [ROOT / "locale"]
    assert catalogue.exists() and catalogue.with_suffix(".mo").exists()
    ids = re.findall(r'^msgid "(.+)"$', catalogue.read_text(), re.M)
    assert ids == ["(Optional)"]
