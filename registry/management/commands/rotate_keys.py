"""``manage.py rotate_keys``: re-encrypt every value not under the active key."""

from __future__ import annotations

from argparse import ArgumentTypeError
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from registry.choices import AuditAction
from registry.keyops import (
    DEFAULT_BATCH_SIZE,
    KeyOperationError,
    RotationReport,
    format_counts,
    rotate_keys,
)
from registry.models import AuditEvent
from registry.terminal import progress_bar


def positive_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise ArgumentTypeError(f"expected a whole number, got {text!r}") from None
    if value < 1:
        raise ArgumentTypeError(f"expected a number of at least 1, got {value}")
    return value


class Command(BaseCommand):
    help = (
        "Re-encrypt under the active key (the first of REGISTRY_ENCRYPTION_KEYS) every "
        "encrypted value sealed under another key, in batches, one transaction per batch. "
        "Resumable: an interrupted run leaves whole batches done and the next run continues "
        "with what is left. Safe to run twice. Prints value counts per key id before and after; "
        "--dry-run only counts. Remove an old key from the keyring only after this command and "
        "check_encryption report nothing under it. On a terminal a bar shows the rows done of "
        "all rows (counts only)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--batch-size",
            type=positive_int,
            default=DEFAULT_BATCH_SIZE,
            help=f"rows per batch and transaction (default {DEFAULT_BATCH_SIZE})",
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="count values per key id, change nothing"
        )
        parser.add_argument(
            "--max-batches",
            type=positive_int,
            default=None,
            help="stop rewriting after this many batches (spread a rotation over several "
            "windows; run again to continue)",
        )

    def handle(
        self, *args: Any, batch_size: int, dry_run: bool, max_batches: int | None, **options: Any
    ) -> None:
        try:
            with progress_bar("rotate_keys") as progress:
                report = rotate_keys(
                    batch_size=batch_size,
                    dry_run=dry_run,
                    max_batches=max_batches,
                    progress=progress,
                )
        except KeyOperationError as exc:
            raise CommandError(
                f"rotation stopped: {exc}. Batches before this one are committed; fix the "
                "keyring (or the row) and run rotate_keys again."
            ) from None
        self._print(report, verbose=options["verbosity"] >= 2)
        if not dry_run:
            AuditEvent.record(
                AuditAction.ROTATE_KEYS,
                actor_name="rotate_keys",
                details={
                    "active_key": report.active_key,
                    "before": dict(report.total("before")),
                    "after": dict(report.total("after")),
                    "rewritten": report.rewritten,
                    "changed_during_run": report.changed_during_run,
                    "batches": report.batches,
                    "complete": not report.stopped_early,
                },
            )

    def _print(self, report: RotationReport, verbose: bool) -> None:
        write = self.stdout.write
        write(f"Active key: {report.active_key}")
        for label in report.before:
            if verbose or report.before[label]:
                write(
                    f"  {label}: before {format_counts(report.before[label])}; "
                    f"after {format_counts(report.after[label])}"
                )
        write(f"Before: {format_counts(report.total('before'))}")
        if report.dry_run:
            write(f"Dry run: {report.remaining} value(s) would be re-encrypted; nothing changed.")
            return
        write(f"After:  {format_counts(report.total('after'))}")
        write(f"Re-encrypted {report.rewritten} value(s) in {report.batches} batch(es).")
        if report.changed_during_run:
            write(
                f"{report.changed_during_run} value(s) were saved by the application during the "
                "run and left as saved; run check_encryption to count them."
            )
        if report.stopped_early:
            write(
                self.style.WARNING(
                    f"Stopped after {report.batches} batch(es): {report.remaining} value(s) are "
                    "still under an old key. Run rotate_keys again to continue."
                )
            )
        else:
            write(self.style.SUCCESS(f"Every value is under the active key {report.active_key}."))
