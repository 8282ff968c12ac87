"""The audit chain is keyed and append-only: tampering done with raw SQL, as someone with write
access to the database would do it, is named by ``verify_audit_chain``.

Each tampering test lifts the database's append-only guard (tests/audit_guard.py) the way
the table's owner could, and puts it back after, as a careful attacker would; the refusal
of the guard itself is tested at the end.
"""

from __future__ import annotations

import hashlib
import hmac
import importlib
import os
from collections.abc import Callable
from io import StringIO

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.core.management import CommandError, call_command
from django.db import IntegrityError, connection, transaction
from django.db.migrations.loader import MigrationLoader
from django.db.migrations.recorder import MigrationRecorder
from django.test import override_settings
from django.utils import timezone

from registry.choices import AuditAction
from registry.crypto import generate_key
from registry.models import AuditChainHead, AuditEvent
from registry.models.audit import GENESIS_HASH, verify_chain
from tests.audit_guard import guard_lifted, lift_guard

EVENTS = "registry_auditevent"
HEAD = "registry_auditchainhead"
# The migration that re-seals the old SHA-256 chain under the key (renumber with it).
RESEAL = ("registry", "0008_audit_chain_keyed")


def record(action: str = AuditAction.VIEW_PERSONAL, n: int = 0) -> AuditEvent:
    return AuditEvent.record(action, actor_name="test", details={"n": n})


def record_events(n: int) -> list[AuditEvent]:
    return [record(n=i) for i in range(n)]


def verify(*args: str) -> str:
    out = StringIO()
    call_command("verify_audit_chain", *args, stdout=out, stderr=StringIO())
    return out.getvalue()


def verify_failing(*args: str) -> str:
    with pytest.raises(CommandError) as excinfo:
        call_command("verify_audit_chain", *args, stdout=StringIO(), stderr=StringIO())
    return str(excinfo.value)


def execute(sql: str, params: list[object] | None = None) -> None:
    with connection.cursor() as cursor:
        cursor.execute(sql, params or [])


def sha256_seal(event: AuditEvent) -> str:
    """What the attacker did: the published canonical content, hashed without any key."""
    return hashlib.sha256(event.canonical_content()).hexdigest()


def rechain_from(first_id: int, seal: Callable[[AuditEvent], str]) -> None:
    """Recompute the link and hash of every event from ``first_id`` on, in raw SQL, and move
    the chain head to the new last hash: a rewritten tail that is consistent in itself."""
    previous = GENESIS_HASH
    for event in AuditEvent.objects.order_by("id"):
        if event.pk >= first_id:
            event.prev_hash = previous
            event.hash = seal(event)
            execute(
                f"UPDATE {EVENTS} SET prev_hash = %s, hash = %s WHERE id = %s",  # noqa: S608
                [event.prev_hash, event.hash, event.pk],
            )
        previous = event.hash
    execute(f"UPDATE {HEAD} SET last_hash = %s WHERE id = 1", [previous])  # noqa: S608


# An intact chain -------------------------------------------------------------------------------


@pytest.mark.django_db
def test_an_intact_chain_passes_and_prints_its_head_for_an_outside_record():
    events = record_events(4)

    output = verify()

    assert "Audit chain intact: 4 event(s) verified." in output
    assert f"Head: event {events[-1].pk}, hash {events[-1].hash}" in output
    # Appends move the chain head: the one row the guard leaves updatable.
    assert AuditChainHead.objects.get(pk=1).last_hash == events[-1].hash


@pytest.mark.django_db
def test_the_hash_is_keyed_another_audit_key_gives_another_chain():
    event = record()
    assert event.hash != sha256_seal(event)
    with override_settings(REGISTRY_AUDIT_KEY=generate_key()):
        assert event.compute_hash() != event.hash
        assert verify_chain().broken == event
    assert event.compute_hash() == event.hash


# Tampering ---------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_an_event_edited_in_the_database_is_named():
    events = record_events(4)
    with guard_lifted():  # as the table's owner could, and back on after
        execute(
            f"UPDATE {EVENTS} SET action = %s WHERE id = %s",  # noqa: S608
            [AuditAction.LOGIN, events[2].pk],
        )

    result = verify_chain()
    message = verify_failing()

    assert (result.checked, result.broken) == (2, events[2])
    assert f"audit chain broken at event {events[2].pk} after 2 intact event(s)" in message
    assert "its content does not match its hash" in message


@pytest.mark.django_db
def test_a_deleted_event_is_named_by_the_event_after_it():
    events = record_events(4)
    with guard_lifted():
        execute(f"DELETE FROM {EVENTS} WHERE id = %s", [events[1].pk])  # noqa: S608

    message = verify_failing()

    assert f"audit chain broken at event {events[2].pk} after 1 intact event(s)" in message
    assert "its link to the previous event does not match" in message


@pytest.mark.django_db
def test_deleting_four_exports_and_rechaining_with_sha256_is_named_at_the_first_rechained_event():
    """The observation of issue 10: four `export` events deleted, every later hash recomputed
    (plain SHA-256 over the published canonical form) and the head moved along."""
    actions = [
        AuditAction.LOGIN,
        AuditAction.VIEW_PERSONAL,
        AuditAction.EXPORT,
        AuditAction.VIEW_PERSONAL,
        AuditAction.EXPORT,
        AuditAction.EXPORT,
        AuditAction.LOGOUT,
        AuditAction.EXPORT,
        AuditAction.LOGIN,
        AuditAction.VIEW_PERSONAL,
    ]
    events = [record(action, n) for n, action in enumerate(actions)]
    exports = [e for e in events if e.action == AuditAction.EXPORT]
    survivors = [e for e in events if e.action != AuditAction.EXPORT]
    first_rechained = next(e for e in survivors if e.pk > exports[0].pk)
    with guard_lifted():
        execute(
            f"DELETE FROM {EVENTS} WHERE action = %s",  # noqa: S608
            [AuditAction.EXPORT],
        )
        rechain_from(first_rechained.pk, sha256_seal)

    result = verify_chain()
    message = verify_failing()

    assert result.broken == first_rechained
    assert f"audit chain broken at event {first_rechained.pk} after 2 intact event(s)" in message
    assert "plain SHA-256" in message and "without the audit key" in message


@pytest.mark.django_db
def test_a_tail_rechained_with_a_wrong_key_is_named_at_its_first_event():
    events = record_events(6)
    wrong_key = os.urandom(32)
    with guard_lifted():
        execute(f"DELETE FROM {EVENTS} WHERE id = %s", [events[2].pk])  # noqa: S608
        rechain_from(
            events[3].pk,
            lambda e: hmac.new(wrong_key, e.canonical_content(), hashlib.sha256).hexdigest(),
        )

    message = verify_failing()

    assert f"audit chain broken at event {events[3].pk} after 2 intact event(s)" in message
    assert "its content does not match its hash" in message


@pytest.mark.django_db
def test_a_deleted_newest_event_is_noticed_while_the_head_still_points_to_it():
    events = record_events(3)
    with guard_lifted():
        execute(f"DELETE FROM {EVENTS} WHERE id = %s", [events[2].pk])  # noqa: S608

    message = verify_failing()

    assert "audit chain broken at the chain head after 2 intact event(s)" in message
    assert "newest event is missing" in message


@pytest.mark.django_db
def test_every_event_deleted_is_noticed_while_the_head_still_points_to_the_last():
    record_events(2)
    with guard_lifted():
        execute(f"DELETE FROM {EVENTS}")  # noqa: S608

    assert "newest event is missing" in verify_failing()


# The anchor: what the database alone cannot show --------------------------------------------


@pytest.mark.django_db
def test_truncation_with_a_rewound_head_needs_the_anchor_kept_outside_the_database():
    events = record_events(6)
    anchor = events[-1].hash  # what last night's run printed, kept in the operations log
    with guard_lifted():
        execute(f"DELETE FROM {EVENTS} WHERE id >= %s", [events[4].pk])  # noqa: S608
        execute(f"UPDATE {HEAD} SET last_hash = %s WHERE id = 1", [events[3].hash])  # noqa: S608

    # The limit, stated in docs/security.md: from inside, a cut tail looks like a shorter chain.
    assert "Audit chain intact: 4 event(s) verified." in verify()
    message = verify_failing("--expect-head", anchor)

    assert "does not reach the expected head" in message
    assert anchor in message


@pytest.mark.django_db
def test_the_anchor_may_be_older_than_the_head_and_is_named_when_reached():
    events = record_events(5)

    output = verify("--expect-head", events[2].hash.upper())

    assert "Audit chain intact: 5 event(s) verified." in output
    assert f"It reaches the expected head (event {events[2].pk})." in output


@pytest.mark.django_db
def test_the_anchor_catches_history_rewritten_even_by_someone_holding_the_key():
    events = record_events(5)
    anchor = events[3].hash
    with guard_lifted():
        execute(
            f"UPDATE {EVENTS} SET details = %s WHERE id = %s",  # noqa: S608
            ['{"n": 99}', events[1].pk],
        )
        rechain_from(events[1].pk, lambda e: e.compute_hash())  # with the real key

    assert "Audit chain intact: 5 event(s) verified." in verify()
    assert "does not reach the expected head" in verify_failing("--expect-head", anchor)


@pytest.mark.django_db
@pytest.mark.parametrize("bad", ["", "abc", "g" * 64, "0" * 63])
def test_a_malformed_expected_head_is_refused_with_a_clear_error(bad):
    record_events(1)

    assert "--expect-head must be 64 hexadecimal characters" in verify_failing("--expect-head", bad)


@pytest.mark.django_db
def test_verify_without_the_audit_key_fails_naming_the_variable():
    record_events(1)

    with override_settings(REGISTRY_AUDIT_KEY=""):
        message = verify_failing()

    assert "REGISTRY_AUDIT_KEY" in message


# The append-only guard in the database -------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize(
    "statement",
    [
        f"UPDATE {EVENTS} SET action = 'login' WHERE id = %s",  # noqa: S608
        f"UPDATE {EVENTS} SET hash = hash WHERE id = %s",  # noqa: S608
        f"DELETE FROM {EVENTS} WHERE id = %s",  # noqa: S608
    ],
)
def test_the_database_refuses_to_change_or_delete_an_audit_event(statement):
    event = record(AuditAction.EXPORT)

    with pytest.raises(IntegrityError, match="append-only"), transaction.atomic():
        execute(statement, [event.pk])

    stored = AuditEvent.objects.get(pk=event.pk)
    assert (stored.action, stored.hash) == (AuditAction.EXPORT, event.hash)
    assert verify_chain().reason == ""


@pytest.mark.postgres
@pytest.mark.django_db
def test_postgres_trigger_refuses_update_delete_and_truncate_of_the_audit_table():
    events = record_events(3)

    for statement in (
        f"UPDATE {EVENTS} SET details = '{{}}'",  # noqa: S608
        f"DELETE FROM {EVENTS}",  # noqa: S608
        f"TRUNCATE {EVENTS}",
        f"TRUNCATE {EVENTS} CASCADE",
    ):
        with pytest.raises(IntegrityError, match="append-only"), transaction.atomic():
            execute(statement)

    assert list(AuditEvent.objects.order_by("id")) == events
    assert verify_chain().reason == ""


@pytest.mark.django_db
def test_verify_fails_when_the_append_only_guard_is_off_even_on_an_intact_chain():
    record_events(2)
    lift_guard()

    message = verify_failing()

    assert "2 event(s) intact" in message
    assert "append-only trigger" in message and EVENTS in message


# The migration from the SHA-256 chain --------------------------------------------------------


def _before_reseal() -> str:
    node = MigrationLoader(connection).graph.node_map[RESEAL]
    (parent,) = [p.key for p in node.parents if p.key[0] == "registry"]
    return parent[1]


def _migrate(target: str | None = None) -> None:
    args = ["registry", target] if target else ["registry"]
    call_command("migrate", *args, verbosity=0, stdout=StringIO())


def _old_sha256_chain(n: int) -> list[AuditEvent]:
    """Events as the registry wrote them before the key: hash = SHA-256(content + prev)."""
    previous = GENESIS_HASH
    events = []
    for i in range(n):
        event = AuditEvent(
            at=timezone.now(),
            actor="old",
            action=AuditAction.EXPORT if i % 2 else AuditAction.LOGIN,
            details={"n": i},
            prev_hash=previous,
        )
        event.hash = sha256_seal(event)
        event.save()
        events.append(event)
        previous = event.hash
    AuditChainHead.objects.update_or_create(pk=1, defaults={"last_hash": previous})
    return events


def _old_chain_holds() -> bool:
    previous = GENESIS_HASH
    for event in AuditEvent.objects.order_by("id"):
        if event.prev_hash != previous or sha256_seal(event) != event.hash:
            return False
        previous = event.hash
    return AuditChainHead.objects.get(pk=1).last_hash == previous


def _empty_the_trail() -> None:
    with guard_lifted():
        execute(f"DELETE FROM {EVENTS}")  # noqa: S608
        execute(f"UPDATE {HEAD} SET last_hash = %s WHERE id = 1", [GENESIS_HASH])  # noqa: S608


@pytest.mark.django_db(transaction=True)
def test_migration_reseals_an_old_sha256_chain_under_the_key_keeping_the_content():
    before = _before_reseal()
    try:
        _migrate(before)
        old = _old_sha256_chain(5)
        assert _old_chain_holds()

        _migrate()

        new = list(AuditEvent.objects.order_by("id"))
        assert [(e.pk, e.action, e.details, e.at) for e in new] == [
            (e.pk, e.action, e.details, e.at) for e in old
        ]
        assert all(e.hash != o.hash for e, o in zip(new, old, strict=True))
        assert all(e.hash == e.compute_hash() for e in new)
        assert "Audit chain intact: 5 event(s) verified." in verify()
    finally:
        _empty_the_trail()
        _migrate()


@pytest.mark.django_db(transaction=True)
def test_migrating_back_and_forth_gives_the_sha256_chain_and_then_the_same_keyed_hashes():
    before = _before_reseal()
    events = record_events(4)
    try:
        _migrate(before)
        assert _old_chain_holds()
        execute(f"UPDATE {EVENTS} SET hash = hash")  # noqa: S608 (the guard went with 0009)

        _migrate()

        assert [e.hash for e in AuditEvent.objects.order_by("id")] == [e.hash for e in events]
        assert verify_chain().reason == ""
    finally:
        _empty_the_trail()
        _migrate()


@pytest.mark.django_db(transaction=True)
def test_migration_refuses_to_reseal_an_old_chain_that_is_already_broken():
    before = _before_reseal()
    try:
        _migrate(before)
        old = _old_sha256_chain(4)
        execute(
            f"UPDATE {EVENTS} SET action = %s WHERE id = %s",  # noqa: S608
            [AuditAction.VIEW_PERSONAL, old[1].pk],
        )

        broken = importlib.import_module(f"registry.migrations.{RESEAL[1]}").BrokenAuditChain
        with pytest.raises(broken, match=f"broken at event {old[1].pk}") as excinfo:
            _migrate()

        assert "content does not match its hash" in str(excinfo.value)
        applied = MigrationRecorder(connection).applied_migrations()
        assert RESEAL not in applied
        assert [e.hash for e in AuditEvent.objects.order_by("id")] == [e.hash for e in old]
    finally:
        _empty_the_trail()
        _migrate()


@pytest.mark.django_db(transaction=True)
def test_migration_without_the_audit_key_fails_naming_it_when_there_are_events_to_seal():
    before = _before_reseal()
    try:
        with override_settings(REGISTRY_AUDIT_KEY=""):
            # Nothing to seal (a new installation): no key is needed yet.
            _migrate(before)
            _migrate()
            _migrate(before)
            _old_sha256_chain(2)
            with pytest.raises(ImproperlyConfigured, match="REGISTRY_AUDIT_KEY is not set"):
                _migrate()
        assert RESEAL not in MigrationRecorder(connection).applied_migrations()
        assert _old_chain_holds()
    finally:
        _empty_the_trail()
        _migrate()


def test_an_event_written_by_the_compiled_insert_is_what_event_save_stores(coordinator_a):
    """The append (one statement on PostgreSQL, INSERT then UPDATE on SQLite, neither through
    event.save()) stores what event.save() and the head's UPDATE would."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from registry.models.audit import AuditChainHead

    first = AuditEvent.record(AuditAction.LOGIN, user=coordinator_a, details={"a": 1})
    with CaptureQueriesContext(connection) as queries:
        second = AuditEvent.record(
            AuditAction.SEARCH, user=coordinator_a, details={"kind": "number", "results": 2}
        )
    # Lock and read the head; write the event and move the head (two statements on SQLite).
    assert len(queries.captured_queries) == (2 if connection.vendor == "postgresql" else 3)
    stored = AuditEvent.objects.get(pk=second.pk)
    for field in ("at", "actor_id", "actor", "action", "details", "prev_hash", "hash"):
        assert getattr(stored, field) == getattr(second, field), field
    assert stored.prev_hash == first.hash
    assert AuditChainHead.objects.get(pk=1).last_hash == second.hash
    assert verify_chain().reason == ""
