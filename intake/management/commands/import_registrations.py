from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from intake.importing import ImportFailed, import_csv, too_large_message
from registry.terminal import progress_bar


class Command(BaseCommand):
    help = (
        "Import registrations from a CSV file in the interchange format (docs/intake.md). "
        "All or nothing: any bad row stops the import, naming its row and column. Personal "
        "fields are stored encrypted; a row matching a registered person (names and date of "
        "birth, or identity document) is linked to that person. --dry-run checks and counts "
        "without saving. The file may have at most REGISTRY_IMPORT_MAX_BYTES bytes and "
        "REGISTRY_IMPORT_MAX_ROWS rows. On a terminal a bar shows the rows saved (counts only)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="Path to a UTF-8 CSV file with a header row.")
        parser.add_argument(
            "--dry-run", action="store_true", help="Check and count, but save nothing."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["file"])
        cap = settings.REGISTRY_IMPORT_MAX_BYTES
        try:
            # Never more than the cap (and one byte to see it passed) in memory.
            with path.open("rb") as handle:
                data = handle.read(cap + 1)
        except OSError as error:
            raise CommandError(f"cannot read {path}: {error.strerror}") from None
        if len(data) > cap:
            raise CommandError(f"{too_large_message()}; nothing was imported.")
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
