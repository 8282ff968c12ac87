"""The audit trail: append-only and tamper-evident.

Each event carries ``prev_hash``, the hash of the event before it, and ``hash``, an HMAC-SHA256
under a key kept outside the database (``REGISTRY_AUDIT_KEY``, registry/crypto.py) over its
canonical content and ``prev_hash``. Write access to the database is not enough to rewrite
the chain: an edited, deleted or re-chained event no longer verifies. The database itself
refuses UPDATE, DELETE and TRUNCATE on the table (triggers of migration 0009); only the chain
head, one row outside it, changes on every append. docs/security.md says what this does not
cover.
"""

from __future__ import annotations

import datetime
import hashlib
import json
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any, NamedTuple

from django.db import connection, models, transaction
from django.db.models.sql import InsertQuery
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from registry import access
from registry.choices import AuditAction
from registry.crypto import audit_seal

if TYPE_CHECKING:
    from registry.models.accounts import User

GENESIS_HASH = "0" * 64

# Names of the append-only triggers that migration 0009 installs on the event table.
PG_GUARD_TRIGGER = "registry_auditevent_append_only"
SQLITE_GUARD_TRIGGERS = ("registry_auditevent_no_update", "registry_auditevent_no_delete")


class AuditTrailError(Exception):
    """Raised when code tries to change or delete an audit event."""


class AuditEventQuerySet(models.QuerySet):
    def for_user(self, user: User | None) -> AuditEventQuerySet:
        return access.audit_events_for_user(self, user)

    def update(self, **kwargs: Any) -> int:
        raise AuditTrailError("audit events are append-only and cannot be updated")

    def delete(self) -> tuple[int, dict[str, int]]:
        raise AuditTrailError("audit events are append-only and cannot be deleted")

    def bulk_update(self, *args: Any, **kwargs: Any) -> int:
        raise AuditTrailError("audit events are append-only and cannot be updated")


class AuditChainHead(models.Model):
    """One row holding the hash of the newest event; locked while an event is appended."""

    last_hash = models.CharField(max_length=64, default=GENESIS_HASH)

    class Meta:
        verbose_name = _("audit chain head")

    def __str__(self) -> str:
        return self.last_hash[:12]


class AuditEvent(models.Model):
    """Who did what to which record, when. Details hold field names, counts, never values."""

    at = models.DateTimeField(_("when"), db_index=True, editable=False)
    actor_id = models.BigIntegerField(_("user id"), null=True, blank=True, editable=False)
    actor = models.CharField(_("user"), max_length=150, blank=True, editable=False)
    action = models.CharField(_("action"), max_length=20, choices=AuditAction.choices)
    object_type = models.CharField(_("record type"), max_length=60, blank=True)
    object_id = models.CharField(_("record id"), max_length=64, blank=True, db_index=True)
    case_id = models.UUIDField(_("case"), null=True, blank=True, db_index=True)
    details = models.JSONField(_("details"), default=dict, blank=True)
    prev_hash = models.CharField(max_length=64, editable=False)
    hash = models.CharField(max_length=64, editable=False, unique=True)

    objects = AuditEventQuerySet.as_manager()

    class Meta:
        ordering = ["-id"]
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")
        indexes = [models.Index(fields=["actor_id", "at"], name="audit_actor_at_idx")]
        default_permissions = ("view",)

    def __str__(self) -> str:
        when = date_format(timezone.localtime(self.at), "DATETIME_FORMAT")
        return f"{when} {self.actor} {self.get_action_display()}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise AuditTrailError("audit events are append-only and cannot be changed")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> Any:
        raise AuditTrailError("audit events are append-only and cannot be deleted")

    def canonical_content(self) -> bytes:
        """The bytes the chain seals: the event's content and the link to the one before.

        Sorted-key, compact JSON with the time in UTC, so the same event always gives the same
        bytes on either database. Changing this form needs a migration that re-seals the chain.
        """
        content = {
            "at": self.at.astimezone(datetime.UTC).isoformat(),
            "actor_id": self.actor_id,
            "actor": self.actor,
            "action": self.action,
            "object_type": self.object_type,
            "object_id": self.object_id,
            "case_id": str(self.case_id) if self.case_id else None,
            "details": self.details,
            "prev": self.prev_hash,
        }
        canonical = json.dumps(content, sort_keys=True, separators=(",", ":"), default=str)
        return canonical.encode("utf-8")

    def compute_hash(self) -> str:
        """The keyed hash this event must carry: HMAC-SHA256 under the audit key."""
        return audit_seal(self.canonical_content())

    @classmethod
    def record(
        cls,
        action: AuditAction,
        *,
        user: User | None = None,
        obj: models.Model | None = None,
        case: Any = None,
        details: dict[str, Any] | None = None,
        actor_name: str = "",
    ) -> AuditEvent:
        """Append an event to the chain. Callers pass field names and counts, never values.

        ``action`` is an AuditAction member; a code that is not one is refused (ValueError)
        before anything is written, so a misspelt action never reaches the trail.
        """
        action = AuditAction(action)
        authenticated = user is not None and getattr(user, "is_authenticated", False)
        event = cls(
            at=timezone.now(),
            actor_id=user.pk if authenticated else None,
            actor=user.get_username() if authenticated else actor_name,
            action=action,
            object_type=obj._meta.label_lower if obj is not None else "",
            object_id=str(obj.pk) if obj is not None else "",
            case_id=getattr(case, "pk", case),
            details=details or {},
        )
        head_table = connection.ops.quote_name(AuditChainHead._meta.db_table)
        with transaction.atomic(savepoint=False), connection.cursor() as cursor:
            # Lock the chain head and read it in one statement: appends queue here, so every
            # event links to the one before it even under concurrent writers.
            for _attempt in range(2):
                cursor.execute(
                    f"UPDATE {head_table} SET last_hash = last_hash WHERE id = 1 "  # noqa: S608
                    "RETURNING last_hash"
                )
                row = cursor.fetchone()
                if row is not None:
                    break
                AuditChainHead.objects.bulk_create([AuditChainHead(pk=1)], ignore_conflicts=True)
            else:
                raise AuditTrailError("the audit chain head is missing")
            event.prev_hash = row[0]
            event.hash = event.compute_hash()
            _insert_and_move_head(event, cursor, head_table)
        return event


def _insert_and_move_head(event: AuditEvent, cursor: Any, head_table: str) -> None:
    """Write ``event`` and move the chain head to its hash: in one statement on PostgreSQL.

    Every audited action pays for its event; on PostgreSQL each statement is a round trip, so
    the INSERT that Django's own compiler writes for the event carries the head's UPDATE in a
    data-modifying WITH. The same row as ``event.save()`` followed by the UPDATE
    (tests/registry/test_audit_chain.py compares the two).
    """
    query = InsertQuery(AuditEvent)
    fields = [f for f in AuditEvent._meta.concrete_fields if not f.primary_key]
    query.insert_values(fields, [event])
    compiler = query.get_compiler(connection=connection)
    compiler.returning_fields = [AuditEvent._meta.pk]
    ((insert_sql, params),) = compiler.as_sql()
    move = f"UPDATE {head_table} SET last_hash = %s WHERE id = 1"  # noqa: S608
    if connection.vendor == "postgresql":
        cursor.execute(f"WITH moved AS ({move}) {insert_sql}", [event.hash, *params])
        event.pk = cursor.fetchone()[0]
    else:
        # No data-modifying WITH elsewhere: the INSERT, then the UPDATE (still without
        # event.save()'s signals and checks, which cost more than the statement).
        cursor.execute(insert_sql, params)
        event.pk = cursor.fetchone()[0]
        cursor.execute(move, [event.hash])
    event._state.adding = False
    event._state.db = connection.alias


class ChainVerdict(NamedTuple):
    """What ``verify_chain`` found. ``reason`` is empty when the chain is intact."""

    checked: int
    broken: AuditEvent | None
    reason: str
    last: AuditEvent | None
    anchor: AuditEvent | None = None


LINK_BROKEN = (
    "its link to the previous event does not match (an event before it was deleted, or its "
    "link was changed)"
)
CONTENT_BROKEN = (
    "its content does not match its hash under the audit key (the event was changed, or the "
    "chain was recomputed with another key)"
)
UNKEYED = (
    "its content does not match its hash under the audit key: the hash is a plain SHA-256 of "
    "the content, so the chain was recomputed from here on without the audit key"
)
HEAD_AHEAD = "the newest event is missing (the chain head points to a hash no event has)"


def verify_chain(batch_size: int = 2000, expect_head: str | None = None) -> ChainVerdict:
    """Walk the chain oldest first and return what it found, naming the first bad link.

    With ``expect_head`` (a hash kept outside the database, for instance last night's head),
    the chain must also still contain the event that had that hash: truncating the newest
    events and rewinding the chain head cannot be seen from inside the database alone.
    """
    if expect_head is not None:
        expect_head = expect_head.lower()
    previous = GENESIS_HASH
    checked = 0
    last: AuditEvent | None = None
    anchor: AuditEvent | None = None
    for event in _iterate(batch_size):
        if event.prev_hash != previous:
            return ChainVerdict(checked, event, LINK_BROKEN, last)
        if event.compute_hash() != event.hash:
            unkeyed = hashlib.sha256(event.canonical_content()).hexdigest() == event.hash
            return ChainVerdict(checked, event, UNKEYED if unkeyed else CONTENT_BROKEN, last)
        if event.hash == expect_head:
            anchor = event
        previous = event.hash
        last = event
        checked += 1
    head = AuditChainHead.objects.filter(pk=1).first()
    head_hash = head.last_hash if head is not None else GENESIS_HASH
    if head_hash != previous:
        return ChainVerdict(checked, None, HEAD_AHEAD, last)
    if expect_head is not None and anchor is None:
        return ChainVerdict(
            checked,
            None,
            f"it does not reach the expected head {expect_head}: no event has that hash, so "
            "events were removed together with the chain head (or the hash is not one this "
            "registry recorded)",
            last,
        )
    return ChainVerdict(checked, None, "", last, anchor)


def append_only_guard_problem() -> str:
    """Why the database would not refuse an UPDATE or DELETE of an event, or '' when it does."""
    table = AuditEvent._meta.db_table
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT tgenabled FROM pg_trigger WHERE tgrelid = %s::regclass AND tgname = %s",
                [table, PG_GUARD_TRIGGER],
            )
            row = cursor.fetchone()
            if row is None:
                return f"the trigger {PG_GUARD_TRIGGER} is missing"
            return f"the trigger {PG_GUARD_TRIGGER} is disabled" if row[0] == "D" else ""
        if connection.vendor == "sqlite":
            cursor.execute(
                "SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = %s", [table]
            )
            present = {name for (name,) in cursor.fetchall()}
            missing = [name for name in SQLITE_GUARD_TRIGGERS if name not in present]
            return f"the trigger(s) {', '.join(missing)} are missing" if missing else ""
    return f"no append-only trigger is installed on {connection.vendor}"


def _iterate(batch_size: int) -> Iterator[AuditEvent]:
    last_id = 0
    while True:
        batch = list(AuditEvent.objects.filter(id__gt=last_id).order_by("id")[:batch_size])
        if not batch:
            return
        yield from batch
        last_id = batch[-1].id
