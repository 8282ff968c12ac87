"""manage.py compact_statistics: fold the statistics tally's pending changes (nightly)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from reports import tally


class Command(BaseCommand):
    help = (
        "Fold the changes the triggers appended to the statistics tally into it, so the "
        "statistics page stays fast (run nightly). --rebuild recomputes the tally from the "
        "registrations; --verify compares it with a live count. PostgreSQL only; other "
        "databases count live and need nothing."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        group = parser.add_mutually_exclusive_group()
        group.add_argument(
            "--rebuild",
            action="store_true",
            help="recompute the tally from the registrations (after a load with triggers off)",
        )
        group.add_argument(
            "--verify",
            action="store_true",
            help="compare the tally with a live count of every breakdown; fails on a difference",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if not tally.is_kept():
            self.stdout.write(
                "Nothing to do: this database has no statistics tally (PostgreSQL only); "
                "the statistics are counted live."
            )
            return
        if options["rebuild"]:
            counted = tally.rebuild()
            self.stdout.write(f"Tally rebuilt from {counted} counted registrations.")
        elif options["verify"]:
            found = tally.differences()
            if found:
                raise CommandError(
                    "The statistics tally differs from the registrations; run "
                    "compact_statistics --rebuild.\n" + "\n".join(found)
                )
            self.stdout.write("The statistics tally matches the registrations.")
        else:
            folded = tally.compact()
            self.stdout.write(f"{folded} tally changes folded in.")
