"""manage.py export_statistics: the published statistics tables as one CSV."""

from __future__ import annotations

import argparse
import csv
import io
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from reports.aggregates import COMMAND_LINE
from reports.dimensions import DIMENSIONS
from reports.management.commands._common import atomic_file, check_output, parse_published_period
from reports.tables import STATISTICS_HEADER, build_statistics, statistics_rows
from reports.writers import neutralise


class Command(BaseCommand):
    help = (
        "Write the statistics of a published period (--period: a calendar year, half-year or "
        "quarter that has ended; all registrations counted) as CSV with a row per dimension and "
        "value: dimension,value,count,percent. Small cells are suppressed as on "
        "the published screens (count 'x', no percent); see docs/reports.md."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--output", required=True, help="file to write")
        parser.add_argument(
            "--period",
            help=(
                "the published period: a calendar year, half-year or quarter that has ended, "
                "as 2025, 2025-H1 or 2025-Q3 (required; free dates are refused, docs/reports.md)"
            ),
        )
        parser.add_argument("--from", help=argparse.SUPPRESS)
        parser.add_argument("--to", help=argparse.SUPPRESS)
        parser.add_argument("--k", type=int, help="suppression threshold (default setting)")
        parser.add_argument(
            "--cross", help="also a crossing of two dimensions, e.g. gender,age_monitor"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        period = parse_published_period(options)
        target = check_output(options["output"])
        if options["k"] is not None and options["k"] < 1:
            raise CommandError("--k must be 1 or more")
        cross = None
        if options.get("cross"):
            parts = tuple(part.strip() for part in options["cross"].split(","))
            if len(parts) != 2 or parts[0] == parts[1] or not set(parts) <= set(DIMENSIONS):
                raise CommandError(
                    "--cross takes two different dimensions out of: " + ", ".join(DIMENSIONS)
                )
            cross = parts
        stats = build_statistics(COMMAND_LINE, period, cross=cross, k=options["k"])
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        writer.writerow(STATISTICS_HEADER)
        for row in statistics_rows(stats):
            writer.writerow([neutralise(value) for value in row])
        with atomic_file(target) as temporary, open(temporary, "w", encoding="utf-8") as out:
            out.write(buffer.getvalue())
        self.stdout.write(f"statistics of {stats.total.text} registrations written to {target}")
