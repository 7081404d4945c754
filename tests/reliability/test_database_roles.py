"""Database roles (issue 16, item 5): the application's role reads and writes rows but cannot truncate,
alter a table, disable a trigger or rewrite an issued letter; TRUNCATE is refused on the append-only
tables by a trigger as well, even for a role that holds the privilege.

The roles are made here (cluster-wide names, unique per test, rolled back with the test's transaction);
the grants are those that ``manage.py grant_app_role`` gives in production."""

import uuid

import pytest
from django.core.management import call_command
from django.db import DatabaseError, IntegrityError, connection, transaction

from core.db import APPEND_ONLY_TABLES
from letters.models import Letter
from tests.factories import dgos_user
from tests.reporting.test_letter_export import issue

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL roles and triggers"),
]


@pytest.fixture
def app_role():
    name = f"crmr_app_test_{uuid.uuid4().hex[:8]}"
    with connection.cursor() as cursor:
        cursor.execute(f"CREATE ROLE {name} NOLOGIN")
    call_command("grant_app_role", name)
    return name


def as_role(role: str, sql: str, params=None):
    """Run ``sql`` as ``role`` inside a savepoint (SET LOCAL ROLE ends with it)."""
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"SET LOCAL ROLE {role}")
        cursor.execute(sql, params)
        return cursor.fetchall() if cursor.description else None


@pytest.fixture
def issued_letter(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        letter = issue(dgos_user())
    letter.refresh_from_db()
    assert letter.status == Letter.Status.ISSUED and letter.sha256
    return letter


def test_the_application_role_reads_and_writes_rows(app_role, issued_letter):
    assert as_role(app_role, "SELECT count(*) FROM reporting_letter") == [(1,)]
    as_role(
        app_role,
        "INSERT INTO centres_registryevent (kind, effective_on, recorded_at, summary, letter_reference) "
        "VALUES ('other', '2026-01-01', now(), 'Événement', '')",
    )
    as_role(app_role, "UPDATE accounts_user SET first_name = 'Nouveau' WHERE id = %s", [issued_letter.created_by_id])


@pytest.mark.parametrize("table", APPEND_ONLY_TABLES)
def test_the_application_role_cannot_truncate_an_append_only_table(app_role, table):
    with pytest.raises(DatabaseError, match="permission denied"):
        as_role(app_role, f"TRUNCATE {table}")


def test_the_application_role_cannot_disable_a_trigger_alter_or_drop_a_table(app_role):
    for sql in (
        "ALTER TABLE reporting_letter DISABLE TRIGGER reporting_letter_append_only",
        "ALTER TABLE django_fsm_log_statelog DISABLE TRIGGER ALL",
        "ALTER TABLE reporting_letter ADD COLUMN hidden text",
        "DROP TABLE centres_registryevent",
        "CREATE TABLE public.intruder (id int)",
    ):
        with pytest.raises(DatabaseError, match="must be owner|permission denied"):
            as_role(app_role, sql)


def test_the_application_role_cannot_update_or_delete_an_issued_letter(app_role, issued_letter):
    with pytest.raises(IntegrityError, match="append-only"):
        as_role(app_role, "UPDATE reporting_letter SET subject = 'Réécrit' WHERE id = %s", [issued_letter.pk])
    with pytest.raises(IntegrityError, match="append-only"):
        as_role(app_role, "DELETE FROM reporting_letter WHERE id = %s", [issued_letter.pk])
    issued_letter.refresh_from_db()
    assert issued_letter.subject == "Courrier à exporter"


@pytest.mark.parametrize("table", APPEND_ONLY_TABLES)
def test_truncate_is_refused_by_a_trigger_even_with_the_privilege(table):
    """A role granted TRUNCATE (an owner that is not a superuser, say) still cannot empty the table."""
    role = f"crmr_owner_test_{uuid.uuid4().hex[:8]}"
    with connection.cursor() as cursor:
        cursor.execute(f"CREATE ROLE {role} NOLOGIN")
        cursor.execute(f"GRANT USAGE ON SCHEMA public TO {role}")
        cursor.execute(f"GRANT TRUNCATE, SELECT ON ALL TABLES IN SCHEMA public TO {role}")
    with pytest.raises(IntegrityError, match="append-only: TRUNCATE refused"):
        as_role(role, f"TRUNCATE {table} CASCADE")


def test_grant_app_role_refuses_a_superuser(capsys):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="superuser"):
        call_command("grant_app_role", "postgres")
