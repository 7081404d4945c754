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
