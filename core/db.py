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


# --- The last transition of each dossier (issue 15, item 4) ----------------------------------------

_LAST_TRANSITION_UPSERT = (
    "INSERT INTO core_lasttransition (content_type_id, object_id, at) "
    "VALUES (NEW.content_type_id, NEW.object_id, NEW.timestamp) "
    "ON CONFLICT (content_type_id, object_id) DO UPDATE SET at = {greatest}"
)

LAST_TRANSITION_FILL = (
    "INSERT INTO core_lasttransition (content_type_id, object_id, at) "
    "SELECT content_type_id, object_id, MAX(timestamp) FROM django_fsm_log_statelog "
    "GROUP BY content_type_id, object_id"
)


def _last_transition_sql(vendor: str) -> str:
    if vendor == "postgresql":
        upsert = _LAST_TRANSITION_UPSERT.format(greatest="GREATEST(core_lasttransition.at, EXCLUDED.at)")
        return f"""
CREATE OR REPLACE FUNCTION core_lasttransition_keep() RETURNS trigger AS $$
BEGIN
  {upsert};
  RETURN NULL;
END;
$$ LANGUAGE plpgsql;
DROP TRIGGER IF EXISTS core_lasttransition_keep ON django_fsm_log_statelog;
CREATE TRIGGER core_lasttransition_keep AFTER INSERT ON django_fsm_log_statelog
  FOR EACH ROW EXECUTE FUNCTION core_lasttransition_keep();
"""
    # SQLite stores datetimes as ISO text of one width: MAX compares them as times.
    upsert = _LAST_TRANSITION_UPSERT.format(greatest="MAX(at, excluded.at)")
    return (
        "CREATE TRIGGER IF NOT EXISTS core_lasttransition_keep AFTER INSERT ON django_fsm_log_statelog "
        f"BEGIN {upsert}; END;"
    )


def last_transition_trigger() -> migrations.RunPython:
    """Migration operation: every row added to the transition log (``run_transition``, a bulk insert, an
    import) moves its dossier's ``core.LastTransition`` to the latest time, in the same transaction;
    then the table is filled from the log already there."""

    def forward(apps, schema_editor):
        with schema_editor.connection.cursor() as cursor:
            cursor.execute(_last_transition_sql(schema_editor.connection.vendor))
            cursor.execute("DELETE FROM core_lasttransition")
            cursor.execute(LAST_TRANSITION_FILL)

    def backward(apps, schema_editor):
        with schema_editor.connection.cursor() as cursor:
            if schema_editor.connection.vendor == "postgresql":
                cursor.execute("DROP TRIGGER IF EXISTS core_lasttransition_keep ON django_fsm_log_statelog")
                cursor.execute("DROP FUNCTION IF EXISTS core_lasttransition_keep()")
            else:
                cursor.execute("DROP TRIGGER IF EXISTS core_lasttransition_keep")

    return migrations.RunPython(forward, backward, elidable=False)
