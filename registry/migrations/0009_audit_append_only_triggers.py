"""The database refuses UPDATE, DELETE and TRUNCATE of audit events, not only the application.

PostgreSQL: one statement-level trigger (BEFORE UPDATE OR DELETE OR TRUNCATE) whose function
raises ``restrict_violation``; statement-level, so even a statement that matches no row is
refused, and TRUNCATE (which skips row triggers) too. SQLite, the development and test
database: two BEFORE UPDATE / BEFORE DELETE triggers with RAISE(ABORT), so that code which
tries to change the trail fails on a developer's machine exactly as it would in production
(SQLite has no TRUNCATE). Both raise an IntegrityError in Django.

The chain head (registry_auditchainhead) stays updatable: every append moves it.

What this does not stop: the table's owner or a superuser can disable or drop the triggers
(``ALTER TABLE ... DISABLE TRIGGER``); the keyed chain (0008) is what shows tampering then,
and ``verify_audit_chain`` also fails while a trigger is missing or disabled. On SQLite a later
migration that rebuilds the table (Django's SQLite schema editor copies it to a new table for
most field changes) drops the triggers with the old table: such a migration must create them
again (tests/registry/test_audit_chain.py fails otherwise). Migrations that must rewrite events
(a new seal) drop the triggers first and create them again after.

The names below are also in registry/models/audit.py (PG_GUARD_TRIGGER, SQLITE_GUARD_TRIGGERS),
which the verification uses to check that the guard is in place.
"""

from django.db import migrations

TABLE = "registry_auditevent"
PG_FUNCTION = "registry_auditevent_append_only"
PG_TRIGGER = "registry_auditevent_append_only"

# No '%' in the SQL: the statements go through the driver's parameter handling.
PG_INSTALL = [
    f"""
    CREATE OR REPLACE FUNCTION {PG_FUNCTION}() RETURNS trigger
    LANGUAGE plpgsql AS $$
    BEGIN
        RAISE EXCEPTION USING
            ERRCODE = 'restrict_violation',
            MESSAGE = 'audit events are append-only: ' || TG_OP || ' on ' || TG_TABLE_NAME
                || ' is refused',
            HINT = 'The audit trail is tamper-evident by design; see docs/security.md.';
    END
    $$
    """,
    f"""
    CREATE TRIGGER {PG_TRIGGER}
    BEFORE UPDATE OR DELETE OR TRUNCATE ON {TABLE}
    FOR EACH STATEMENT EXECUTE FUNCTION {PG_FUNCTION}()
    """,
]
PG_UNINSTALL = [
    f"DROP TRIGGER IF EXISTS {PG_TRIGGER} ON {TABLE}",
    f"DROP FUNCTION IF EXISTS {PG_FUNCTION}()",
]

SQLITE_INSTALL = [
    f"""
    CREATE TRIGGER registry_auditevent_no_{operation.lower()} BEFORE {operation} ON {TABLE}
    BEGIN
        SELECT RAISE(ABORT, 'audit events are append-only: {operation} on {TABLE} is refused');
    END
    """
    for operation in ("UPDATE", "DELETE")
]
SQLITE_UNINSTALL = [
    f"DROP TRIGGER IF EXISTS registry_auditevent_no_{operation}"
    for operation in ("update", "delete")
]


def _run(schema_editor, statements):
    for sql in statements:
        schema_editor.execute(sql, params=None)


def install(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        _run(schema_editor, PG_INSTALL)
    elif vendor == "sqlite":
        _run(schema_editor, SQLITE_INSTALL)


def uninstall(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        _run(schema_editor, PG_UNINSTALL)
    elif vendor == "sqlite":
        _run(schema_editor, SQLITE_UNINSTALL)


class Migration(migrations.Migration):
    dependencies = [
        ("registry", "0008_audit_chain_keyed"),
    ]

    operations = [migrations.RunPython(install, uninstall, elidable=False)]
