"""PostgreSQL guards that make traces append-only at the database level (no-ops on SQLite)."""

from django.db import migrations


def _forbid_sql(table: str, *, update_when: str | None) -> str:
    """A trigger refusing DELETE always, and UPDATE always or when ``update_when`` (SQL on OLD) holds."""
    name = f"{table}_append_only"
    update_check = f"IF TG_OP = 'UPDATE' AND NOT ({update_when}) THEN RETURN NEW; END IF;" if update_when else ""
    return f"""
CREATE OR REPLACE FUNCTION {name}() RETURNS trigger AS $$
BEGIN
  {update_check}
  RAISE EXCEPTION '{table} is append-only: % refused', TG_OP USING ERRCODE = 'integrity_constraint_violation';
END;
$$ LANGUAGE plpgsql;
DROP TRIGGER IF EXISTS {name} ON {table};
CREATE TRIGGER {name} BEFORE UPDATE OR DELETE ON {table} FOR EACH ROW EXECUTE FUNCTION {name}();
"""


def _drop_sql(table: str) -> str:
    name = f"{table}_append_only"
    return f"DROP TRIGGER IF EXISTS {name} ON {table}; DROP FUNCTION IF EXISTS {name}();"


def append_only(table: str, *, update_when: str | None = None) -> migrations.RunPython:
    """Migration operation installing the guard on PostgreSQL only."""

    def forward(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(_forbid_sql(table, update_when=update_when), params=None)

    def backward(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(_drop_sql(table), params=None)

    return migrations.RunPython(forward, backward, elidable=False)


# --- TRUNCATE and database roles (issue 16, item 5) ------------------------------------------------

APPEND_ONLY_TABLES = (
    "django_fsm_log_statelog",
    "reporting_letter",
    "reporting_letter_establishments",
    "centres_registryevent",
    "core_adminchange",
)

_TRUNCATE_FUNCTION = """
CREATE OR REPLACE FUNCTION append_only_no_truncate() RETURNS trigger AS $$
BEGIN
  -- A superuser may bypass any trigger anyway; exempting it keeps Django's test flush working.
  IF (SELECT rolsuper FROM pg_roles WHERE rolname = current_user) THEN RETURN NULL; END IF;
  RAISE EXCEPTION '% is append-only: TRUNCATE refused', TG_TABLE_NAME USING ERRCODE = 'integrity_constraint_violation';
END;
$$ LANGUAGE plpgsql;
"""


def append_only_truncate(tables=APPEND_ONLY_TABLES) -> migrations.RunPython:
    """Migration operation: a statement-level trigger refusing TRUNCATE (which fires no row trigger) on
    each append-only table; PostgreSQL only."""

    def forward(apps, schema_editor):
        if schema_editor.connection.vendor != "postgresql":
            return
        schema_editor.execute(_TRUNCATE_FUNCTION, params=None)
        for table in tables:
            schema_editor.execute(
                f"DROP TRIGGER IF EXISTS {table}_no_truncate ON {table}; "
                f"CREATE TRIGGER {table}_no_truncate BEFORE TRUNCATE ON {table} "
                f"FOR EACH STATEMENT EXECUTE FUNCTION append_only_no_truncate();",
                params=None,
            )

    def backward(apps, schema_editor):
        if schema_editor.connection.vendor != "postgresql":
            return
        for table in tables:
            schema_editor.execute(f"DROP TRIGGER IF EXISTS {table}_no_truncate ON {table};", params=None)
        schema_editor.execute("DROP FUNCTION IF EXISTS append_only_no_truncate();", params=None)

    return migrations.RunPython(forward, backward, elidable=False)


def app_role_grants_sql(role: str) -> list[str]:
    """What the application's role may do, granted by the owner of the tables (who ran the migrations):
    read and write rows and use the sequences, now and for the tables later migrations create. Nothing
    else: it owns no table, so it cannot ALTER, DROP or disable a trigger, and TRUNCATE is not granted."""
    from django.db import connection

    quoted = connection.ops.quote_name(role)
    return [
        "REVOKE CREATE ON SCHEMA public FROM PUBLIC",
        f"REVOKE ALL ON ALL TABLES IN SCHEMA public FROM {quoted}",
        f"GRANT USAGE ON SCHEMA public TO {quoted}",
        f"GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO {quoted}",
        f"GRANT USAGE, SELECT, UPDATE ON ALL SEQUENCES IN SCHEMA public TO {quoted}",
        f"ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO {quoted}",
        f"ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT USAGE, SELECT, UPDATE ON SEQUENCES TO {quoted}",
    ]
