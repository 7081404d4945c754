"""Code and docs cite the instructions by their paragraphs, never files outside the repository (the
working copies of the texts, the domain map or style notes the project was built from): issue 14, item 5."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SCANNED = (".py", ".html", ".txt", ".yaml", ".json", ".md", ".css", ".js")
SKIPPED_DIRS = {".venv", "node_modules", "staticfiles", "var", ".git", "__pycache__"}
OUTSIDE = re.compile(r"\b[Ss]eeds? ?0\d\d\b|DOMAIN\.md|STYLE\.md|STACK-NOTES|\.\./shared\b|/work/shared")


def _files():
    for path in ROOT.rglob("*"):
        if path.suffix in SCANNED and not SKIPPED_DIRS.intersection(path.relative_to(ROOT).parts):
            yield path


def test_no_file_cites_a_document_outside_the_repository():
    me = Path(__file__).resolve()
    offenders = [
        f"{path.relative_to(ROOT)}:{n}"
        for path in _files()
        if path != me
        for n, line in enumerate(path.read_text(encoding="utf-8", errors="ignore").splitlines(), 1)
        if OUTSIDE.search(line)
    ]
    assert offenders == []
