from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from intake.importing import ImportFailed, import_csv
from registry.terminal import progress_bar


class Command(BaseCommand):
    help = (
        "Import registrations from a CSV file in the interchange format (docs/intake.md). "
        "All or nothing: any bad row stops the import, naming its row and column. Personal "
        "fields are stored encrypted; a row matching a registered person (names and date of "
        "birth, or identity document) is linked to that person. --dry-run checks and counts "
        "without saving. On a terminal a bar shows the rows checked, then saved (counts only)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="Path to a UTF-8 CSV file with a header row.")
        parser.add_argument(
            "--dry-run", action="store_true", help="Check and count, but save nothing."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["file"])
        try:
            data = path.read_bytes()
        except OSError as error:
            raise CommandError(f"cannot read {path}: {error.strerror}") from None
        try:
            with progress_bar("import_registrations") as progress:
                result = import_csv(
                    data,
                    progress=progress,
                    actor_name="manage.py import_registrations",
                    source=f"command:{path.name}",
                    dry_run=options["dry_run"],
                )
        except ImportFailed as error:
            raise CommandError(str(error)) from None
        self.stdout.write(self.style.SUCCESS(result.summary()))
