"""The production image is lean: requirements.txt is the runtime set, the test and quality tools live in
requirements-dev.txt (which includes the runtime set), and the Dockerfile installs only the runtime."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
DEV_ONLY = {"pytest", "pytest-django", "pytest-xdist", "factory-boy", "pytest-playwright", "playwright", "hypothesis"}
DEV_ONLY |= {"pytest-randomly", "ruff", "pip-audit", "moto", "aiosmtpd"}


def _names(path: Path) -> list[str]:
    names = []
    for line in path.read_text().splitlines():
        line = line.split("#", 1)[0].strip()
        if line and not line.startswith("-"):
            names.append(re.split(r"[\[=<>~!]", line, maxsplit=1)[0].lower())
    return names


def test_runtime_requirements_hold_no_test_or_quality_tool():
    assert not DEV_ONLY & set(_names(ROOT / "requirements.txt"))


def test_dev_requirements_include_the_runtime_set_and_every_test_tool():
    text = (ROOT / "requirements-dev.txt").read_text()
    assert re.search(r"^-r requirements\.txt$", text, re.M)
    assert {"pytest", "pytest-django", "ruff", "pip-audit"} <= set(_names(ROOT / "requirements-dev.txt"))


def test_every_requirement_is_pinned():
    for name in ("requirements.txt", "requirements-dev.txt"):
        for line in (ROOT / name).read_text().splitlines():
            line = line.split("#", 1)[0].strip()
            if line and not line.startswith("-"):
                assert "==" in line, f"{name}: {line} is not pinned"


def test_the_image_installs_only_the_runtime_set():
    dockerfile = (ROOT / "Dockerfile").read_text()
    assert "pip install -r requirements.txt" in dockerfile
    assert not re.search(r"^(COPY|RUN)[^\n]*requirements-dev", dockerfile, re.M)
