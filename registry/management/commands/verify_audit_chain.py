"""``manage.py verify_audit_chain``: check the audit trail's keyed hash chain end to end."""

from __future__ import annotations

import re
from argparse import ArgumentTypeError
from typing import Any

from django.core.exceptions import ImproperlyConfigured
from django.core.management.base import BaseCommand, CommandError, CommandParser

from registry.models.audit import AuditEvent, append_only_guard_problem, verify_chain

_HASH_RE = re.compile(r"^[0-9a-fA-F]{64}$")


def chain_hash(text: str) -> str:
    """An --expect-head value: a 64-character hex hash, compared in lower case."""
    if not _HASH_RE.match(text):
        raise ArgumentTypeError(
            f"--expect-head must be 64 hexadecimal characters (a hash this command printed), "
            f"got {len(text)} character(s)"
        )
    return text.lower()


class Command(BaseCommand):
    help = (
        "Walk the audit trail oldest first, recompute each event's HMAC under REGISTRY_AUDIT_KEY "
        "and its link to the event before, and exit non-zero naming the first bad link (event "
        "id and why). Also fails when the database's append-only trigger on the event table is "
        "missing or disabled. Prints the newest hash: keep it outside the database (the "
        "operations log) and pass it back later with --expect-head, which fails when the "
        "chain no longer reaches it (the newest events removed and the chain head rewound, "
        "which the database alone cannot show). Read-only; safe to run any time (nightly)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--expect-head",
            metavar="HASH",
            type=chain_hash,
            help="a hash printed by an earlier run; the chain must still contain that event",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        expect_head: str | None = options["expect_head"]
        try:
            verdict = verify_chain(expect_head=expect_head)
        except ImproperlyConfigured as exc:
            raise CommandError(str(exc)) from None
        if verdict.reason:
            where = f"event {verdict.broken.pk}" if verdict.broken is not None else "the chain head"
            raise CommandError(
                f"audit chain broken at {where} after {verdict.checked} intact event(s): "
                f"{verdict.reason}"
            )
        problem = append_only_guard_problem()
        if problem:
            raise CommandError(
                f"audit chain: {verdict.checked} event(s) intact, but the database no longer "
                f"refuses changes to {AuditEvent._meta.db_table}: {problem}. Put the "
                "append-only trigger back (docs/security.md, 'The audit trail') and find out "
                "who removed it."
            )
        self.stdout.write(
            self.style.SUCCESS(f"Audit chain intact: {verdict.checked} event(s) verified.")
        )
        if verdict.last is not None:
            self.stdout.write(f"Head: event {verdict.last.pk}, hash {verdict.last.hash}")
        if verdict.anchor is not None:
            self.stdout.write(f"It reaches the expected head (event {verdict.anchor.pk}).")
