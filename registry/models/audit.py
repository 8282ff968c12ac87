"""The audit trail: append-only and tamper-evident (a SHA-256 hash chain)."""

from __future__ import annotations

import datetime
import hashlib
import json
from collections.abc import Iterator
from typing import Any

from django.db import connection, models, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from registry import access
from registry.choices import AuditAction

GENESIS_HASH = "0" * 64


class AuditTrailError(Exception):
    """Raised when code tries to change or delete an audit event."""


class AuditEventQuerySet(models.QuerySet):
    def for_user(self, user: Any) -> AuditEventQuerySet:
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
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor} {self.get_action_display()}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise AuditTrailError("audit events are append-only and cannot be changed")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> Any:
        raise AuditTrailError("audit events are append-only and cannot be deleted")

    def compute_hash(self) -> str:
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
        return hashlib.sha256(canonical.encode("utf-8")).hexdigest()

    @classmethod
    def record(
        cls,
        action: str,
        *,
        user: Any = None,
        obj: models.Model | None = None,
        case: Any = None,
        details: dict[str, Any] | None = None,
        actor_name: str = "",
    ) -> AuditEvent:
        """Append an event to the chain. Callers pass field names and counts, never values."""
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
            event.save()
            cursor.execute(
                f"UPDATE {head_table} SET last_hash = %s WHERE id = 1",  # noqa: S608
                [event.hash],
            )
        return event


def verify_chain(batch_size: int = 2000) -> tuple[int, AuditEvent | None, str]:
    """Walk the chain oldest first. Returns (events checked, first broken event, reason)."""
    previous = GENESIS_HASH
    checked = 0
    for event in _iterate(batch_size):
        if event.prev_hash != previous:
            return checked, event, "its link to the previous event does not match"
        if event.compute_hash() != event.hash:
            return checked, event, "its content does not match its hash"
        previous = event.hash
        checked += 1
    head = AuditChainHead.objects.filter(pk=1).first()
    if head is not None and checked and head.last_hash != previous:
        return checked, None, "the newest event is missing (the chain head points elsewhere)"
    return checked, None, ""


def _iterate(batch_size: int) -> Iterator[AuditEvent]:
    last_id = 0
    while True:
        batch = list(AuditEvent.objects.filter(id__gt=last_id).order_by("id")[:batch_size])
        if not batch:
            return
        yield from batch
        last_id = batch[-1].id
