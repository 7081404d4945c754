"""``manage.py grant_app_role crmr_app``: run by the owner of the tables right after ``migrate`` (both use
DATABASE_OWNER_URL when it is set), so that the application's role reads and writes rows and nothing more
(issue 16, item 5). No-op on SQLite."""

from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction

from core.db import app_role_grants_sql


class Command(BaseCommand):
    help = "Grant the application's database role row access only (PostgreSQL)."

    def add_arguments(self, parser):
        parser.add_argument("role", help="the role the application connects as (DATABASE_URL's user)")

    def handle(self, *args, role, **options):
        if connection.vendor != "postgresql":
            self.stdout.write("SQLite: no database roles.")
            return
        with connection.cursor() as cursor:
            cursor.execute("SELECT rolsuper FROM pg_roles WHERE rolname = %s", [role])
            row = cursor.fetchone()
            if row is None:
                raise CommandError(f"Role {role!r} does not exist (see deploy/postgres/init-roles.sh).")
            if row[0]:
                raise CommandError(f"Role {role!r} is a superuser: the application must not connect as one.")
            with transaction.atomic():
                for statement in app_role_grants_sql(role):
                    cursor.execute(statement)
        self.stdout.write(f"Role {role}: rows only (SELECT, INSERT, UPDATE, DELETE), no TRUNCATE, owns nothing.")
