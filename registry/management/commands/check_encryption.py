"""``manage.py check_encryption``: open every encrypted value with the current keyring."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from registry.keyops import check_encryption, format_counts


class Command(BaseCommand):
    help = (
        "Decrypt every encrypted value with the current keyring (REGISTRY_ENCRYPTION_KEYS), "
        "print value counts per key id for each model and field, and exit non-zero naming the "
        "model, field, key id and row of every value that does not open. Never prints a value. "
        "Run it before removing a key from the keyring. Read-only; safe to run any time."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        report = check_encryption()
        for label, counts in report.counts.items():
            self.stdout.write(f"{label}: {format_counts(counts)}")
        self.stdout.write(f"Total: {format_counts(report.totals())}")
        if report.failure_count:
            for failure in report.failures:
                self.stderr.write(f"FAILED {failure}")
            if report.failure_count > len(report.failures):
                self.stderr.write(
                    f"... and {report.failure_count - len(report.failures)} more failure(s)"
                )
            keys = sorted({failure.key_id for failure in report.failures})
            raise CommandError(
                f"{report.failure_count} encrypted value(s) could not be opened "
                f"(key id(s): {', '.join(keys)}); the first is {report.failures[0]}"
            )
        self.stdout.write(self.style.SUCCESS("Every encrypted value opens with the keyring."))
