"""Backup and restore: after pg_dump → new database, every issued letter still matches its SHA-256."""

import shutil
import subprocess

import pytest
from django.db import connection

from letters.engine import letter_produce
from letters.models import Letter
from tests.factories import dgos_user

from .helpers import database_url, issue_letter, manage

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.mark.skipif(connection.vendor != "postgresql", reason="pg_dump")
def test_letters_still_match_their_hash_after_backup_and_restore(settings, tmp_path):
    user = dgos_user()
    letters = [letter_produce(issue_letter(user, message=f"Courrier {i}").pk) for i in range(3)]
    assert all(letter.sha256 for letter in letters)

    s = connection.settings_dict
    dump = tmp_path / "backup.dump"
    restored = f"{s['NAME']}_restored"
    base = ["-h", s.get("HOST") or "127.0.0.1", "-p", str(s.get("PORT") or 5432), "-U", s.get("USER") or "postgres"]
    subprocess.run(["pg_dump", *base, "-Fc", "-f", str(dump), s["NAME"]], check=True)
    subprocess.run(["dropdb", *base, "--if-exists", restored], check=True)
    subprocess.run(["createdb", *base, restored], check=True)
    try:
        subprocess.run(["pg_restore", *base, "-d", restored, "--no-owner", str(dump)], check=True)
        media_copy = tmp_path / "media-restored"
        shutil.copytree(settings.MEDIA_ROOT, media_copy)
        result = manage("verify_letters", DATABASE_URL=database_url(restored), MEDIA_ROOT=media_copy)
        assert result.returncode == 0, result.stderr
        assert "3 courrier(s) émis vérifié(s), 0 en anomalie" in result.stdout

        # A tampered file is detected.
        tampered = media_copy / letters[0].pdf.name
        tampered.write_bytes(tampered.read_bytes() + b"%tampered")
        result = manage("verify_letters", DATABASE_URL=database_url(restored), MEDIA_ROOT=media_copy)
        assert result.returncode != 0
        assert letters[0].reference in result.stderr
    finally:
        subprocess.run(["dropdb", *base, "--if-exists", restored], check=True)
    assert Letter.objects.count() == 3
