"""``manage.py verify_audit_chain``: check the audit trail's hash chain end to end."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from registry.models.audit import verify_chain


class Command(BaseCommand):
    help = (
        "Walk the audit trail oldest first, recompute each event's SHA-256 and its link to the "
        "event before, and exit non-zero naming the first broken event and why. Read-only; "
        "safe to run any time (e.g. nightly)."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        checked, broken, reason = verify_chain()
        if reason:
            where = f"event {broken.pk}" if broken is not None else "the chain head"
            raise CommandError(
                f"audit chain broken at {where} after {checked} intact event(s): {reason}"
            )
        self.stdout.write(self.style.SUCCESS(f"Audit chain intact: {checked} event(s) verified."))
