from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction

from registry import municipalities
from registry.models import Municipality


class Command(BaseCommand):
    help = (
        "Load the current list of Dutch municipalities from Statistics Netherlands' own file "
        "(CBS, 'Gemeenten alfabetisch <year>' as CSV: columns GemeentecodeGM or Gemeentecode, "
        "and Gemeentenaam). Creates missing municipalities, takes CBS's names, reactivates "
        "listed ones, and with --deactivate-missing marks every municipality not in the file as "
        "merged (kept for old registrations, no longer offered). All or nothing; a bad line is "
        "named and nothing is written. Safe to run twice. Run it each January after the "
        "municipal mergers."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="the CSV file as CBS publishes it")
        parser.add_argument(
            "--deactivate-missing",
            action="store_true",
            help="mark municipalities that are not in the file as merged",
        )
        parser.add_argument("--dry-run", action="store_true", help="check and count only")

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(f"no file {str(path)!r}")
        try:
            entries = municipalities.read_cbs_file(path)
        except municipalities.MunicipalityListError as error:
            raise CommandError(str(error)) from None
        with transaction.atomic():
            counts = municipalities.load_current(
                Municipality, entries, deactivate_others=options["deactivate_missing"]
            )
            if options["dry_run"]:
                transaction.set_rollback(True)
        verb = "would be" if options["dry_run"] else "were"
        self.stdout.write(
            self.style.SUCCESS(
                f"{counts['listed']} municipalities in {path.name}: {counts['created']} "
                f"{verb} created, {counts['renamed']} renamed, {counts['reactivated']} "
                f"reactivated, {counts['deactivated']} marked as merged."
            )
        )
