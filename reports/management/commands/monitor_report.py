"""manage.py monitor_report: the victim monitor of a calendar year as HTML or PDF."""

from __future__ import annotations

import time
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import translation

from reports import monitor_render
from reports.aggregates import COMMAND_LINE
from reports.management.commands._common import atomic_file, check_output
from reports.monitor import build_monitor, monitor_period
from reports.periods import PeriodRefused


class Command(BaseCommand):
    help = (
        "Write the victim monitor of a calendar year that has ended (--year) as a printable "
        "HTML document or PDF (--format), in Dutch or English (--language): registered possible "
        "victims as persons and registrations, by gender, age band, nationality, form of "
        "exploitation and sector, domestic or cross-border, reporter type, minors, sub 3 cases, "
        "police reports and repeat victims, each with the year before. Every registration is "
        "counted and every figure published with the statistics' small-cell rules "
        "(docs/reports.md, 'The monitor report'). The file is written whole or not at all, and "
        "its generation is audited."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--year", required=True, help="the calendar year, ended, e.g. 2025")
        parser.add_argument("--output", required=True, help="file to write")
        parser.add_argument("--format", default="pdf", help="html or pdf (default pdf)")
        parser.add_argument("--language", default="nl", help="nl or en (default nl)")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            year = monitor_period(options["year"]).year
        except PeriodRefused as refused:
            raise CommandError(f"--year: {refused.message}") from None
        file_format = (options["format"] or "").lower()
        if file_format not in monitor_render.FORMATS:
            raise CommandError(
                f"--format must be one of {', '.join(monitor_render.FORMATS)}, "
                f"got {options['format']!r}"
            )
        languages = [code for code, _name in settings.LANGUAGES]
        language = (options["language"] or "").lower()
        if language not in languages:
            raise CommandError(
                f"--language must be one of {', '.join(languages)}, got {options['language']!r}"
            )
        target = check_output(options["output"])
        started = time.perf_counter()
        with translation.override(language):
            report = build_monitor(COMMAND_LINE, year)
            counted = time.perf_counter() - started
            data = monitor_render.generate(report, file_format)
        with atomic_file(target) as temporary, open(temporary, "wb") as out:
            out.write(data)
        monitor_render.record_generation(report, file_format, data, language)
        self.stdout.write(
            f"victim monitor {year} ({language}, {file_format}) of "
            f"{report.registrations.text} registrations written to {target} "
            f"(counted in {counted:.2f} s, {time.perf_counter() - started:.2f} s in all)"
        )
