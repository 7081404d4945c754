"""Settings from the environment: bad values stop the start with a clear message; production needs a
SECRET_KEY; `check --deploy` with production variables gives no warning. Each case runs in a clean
subprocess so the environment of the test run does not leak in."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PRODUCTION = {
    "DEBUG": "0",
    "SECRET_KEY": "k3Jx9-vQ2mZ_7pLw8rT4yN6bH1cF5dG0sA2eU9iO3nM8qW7xV-tY6zR4uP1oL5kJ",
    "ALLOWED_HOSTS": "centres-experts.sante.gouv.fr",
    "DATABASE_URL": os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/crmr"),
    "CLAMD_SOCKET": "tcp://clamav:3310",
}


def _manage(*args, **env) -> subprocess.CompletedProcess:
    clean = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": os.environ.get("HOME", "/tmp"),
        "DJANGO_SETTINGS_MODULE": "config.settings.base",
        **env,
    }
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=clean, capture_output=True, text=True, timeout=120
    )


def test_a_bad_boolean_stops_the_start_with_a_clear_message():
    result = _manage("check", DEBUG="maybe")
    assert result.returncode != 0
    assert "DEBUG='maybe' is not a boolean" in result.stderr


def test_a_bad_number_stops_the_start_with_a_clear_message():
    result = _manage("check", DEBUG="1", SESSION_COOKIE_AGE="eight hours")
    assert result.returncode != 0
    assert "SESSION_COOKIE_AGE='eight hours' is not a whole number" in result.stderr


def test_production_without_secret_key_does_not_start():
    result = _manage("check", DEBUG="0", ALLOWED_HOSTS="example.gouv.fr")
    assert result.returncode != 0
    assert "SECRET_KEY is required when DEBUG is off" in result.stderr


def test_makemigrations_check_runs_with_no_environment_at_all():
    # it reads only the code; without DEBUG, SECRET_KEY or ALLOWED_HOSTS it still answers
    result = _manage("makemigrations", "--check", "--dry-run")
    assert result.returncode == 0, result.stderr
    assert "No changes detected" in result.stdout


def test_other_commands_with_no_environment_still_refuse_to_start():
    for command in (("check",), ("migrate", "--plan"), ("showmigrations",)):
        result = _manage(*command)
        assert result.returncode != 0, command
        assert "SECRET_KEY is required when DEBUG is off" in result.stderr


def test_production_without_allowed_hosts_does_not_start():
    result = _manage("check", DEBUG="0", SECRET_KEY=PRODUCTION["SECRET_KEY"])
    assert result.returncode != 0
    assert "ALLOWED_HOSTS is required" in result.stderr


def test_debug_is_off_unless_asked():
    result = _manage(
        "shell",
        "-c",
        "from django.conf import settings; print(settings.DEBUG, settings.LANGUAGE_CODE, settings.TIME_ZONE)",
        SECRET_KEY=PRODUCTION["SECRET_KEY"],
        ALLOWED_HOSTS="x.gouv.fr",
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1].split() == ["False", "fr-fr", "Europe/Paris"]


@pytest.mark.django_db
def test_check_deploy_with_production_variables_gives_no_warning():
    result = _manage("check", "--deploy", "--fail-level", "WARNING", **PRODUCTION)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout
    assert "WARNINGS" not in result.stdout + result.stderr


def test_check_deploy_warns_when_no_antivirus_is_configured():
    env = {k: v for k, v in PRODUCTION.items() if k != "CLAMD_SOCKET"}
    result = _manage("check", "--deploy", "--fail-level", "WARNING", **env)
    assert result.returncode != 0 and "core.W001" in result.stdout + result.stderr


def test_migrate_runs_as_the_owner_role_when_database_owner_url_is_set(tmp_path):
    """Issue 16, item 5: migrations use DATABASE_OWNER_URL; the application's DATABASE_URL is untouched."""
    app_db, owner_db = tmp_path / "app.sqlite3", tmp_path / "owner.sqlite3"
    env = {**PRODUCTION, "DATABASE_URL": f"sqlite:///{app_db}", "DATABASE_OWNER_URL": f"sqlite:///{owner_db}"}
    result = _manage("migrate", "--noinput", "centres", **env)
    assert result.returncode == 0, result.stderr
    assert owner_db.exists() and not app_db.exists()
