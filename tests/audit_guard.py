"""Lift the database's append-only guard on the audit table, as its owner could.

The audit-event table refuses UPDATE, DELETE and TRUNCATE through triggers (registry
migration ``0009_audit_append_only_triggers``). Two kinds of test need past it:

- tests that tamper with the trail to prove ``verify_audit_chain`` notices, which must first do
  what an attacker with the database owner's rights would do (``lift_guard`` inside the test's
  transaction, so the rollback at the end puts the guard back);
- the flush that ends every transactional test (TRUNCATE on PostgreSQL, DELETE on SQLite),
  which ``guard_lifted`` lets through and then restores.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from django.db import connection

TABLE = "registry_auditevent"


def lift_guard() -> None:
    """Disable (PostgreSQL) or drop (SQLite) the audit table's triggers on this connection."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(f"ALTER TABLE {TABLE} DISABLE TRIGGER USER")
            return
        for name, _sql in _sqlite_triggers(cursor):
            cursor.execute(f'DROP TRIGGER "{name}"')


@contextmanager
def guard_lifted() -> Iterator[None]:
    """The guard off for the block, back on afterwards (outside any test transaction)."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            if not _table_exists(cursor):
                yield
                return
            cursor.execute(f"ALTER TABLE {TABLE} DISABLE TRIGGER USER")
            try:
                yield
            finally:
                with connection.cursor() as again:
                    again.execute(f"ALTER TABLE {TABLE} ENABLE TRIGGER USER")
            return
        saved = _sqlite_triggers(cursor)
        for name, _sql in saved:
            cursor.execute(f'DROP TRIGGER "{name}"')
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            for _name, sql in saved:
                cursor.execute(sql)


def _sqlite_triggers(cursor) -> list[tuple[str, str]]:
    cursor.execute(
        "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name = %s", [TABLE]
    )
    return list(cursor.fetchall())


def _table_exists(cursor) -> bool:
    cursor.execute("SELECT to_regclass(%s) IS NOT NULL", [TABLE])
    return bool(cursor.fetchone()[0])
