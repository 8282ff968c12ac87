"""The retention schedule: erase the personal data that outlived its purpose."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from registry import retention
from registry.management.tasks import add_task_arguments, write_enqueued


class Command(BaseCommand):
    help = (
        "Erase the personal fields, blind indexes and free text of the people whose retention "
        "period ended (registry/retention.py; the periods: REGISTRY_RETENTION_DAYS), keeping "
        "every statistical field, and write one audit event with the counts. Prints the people "
        "per rule and the rows per model. Safe to run twice: a second run finds nothing left. "
        "--dry-run counts and changes nothing; --enqueue leaves the run to a worker."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        add_task_arguments(
            parser, job="retention", dry_run_help="Count what would be erased; erase nothing."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        dry_run = options["dry_run"]
        if options["enqueue"]:
            write_enqueued(self, "retention", retention.apply_retention.enqueue(dry_run))
            return
        outcome = retention.apply_retention.call(dry_run)
        verb = "Would erase" if dry_run else "Erased"
        self.stdout.write(f"{verb} (people per rule):")
        for key, n in outcome["people"].items():
            self.stdout.write(f"  {key}: {n}")
        self.stdout.write(f"{verb} (rows per model):")
        for label, n in sorted(outcome["rows"].items()):
            self.stdout.write(f"  {label}: {n}")
        if not any(outcome["rows"].values()):
            self.stdout.write("  nothing: no personal data has outlived its retention period.")
        if dry_run:
            self.stdout.write("Dry run: nothing was changed.")
