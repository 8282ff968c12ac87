"""Daily reminders by e-mail: reflection periods ending soon, new cases left unassigned."""

from __future__ import annotations

import datetime
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from registry.management.tasks import add_task_arguments, write_enqueued
from registry.reminders import send_reminders


class Command(BaseCommand):
    help = (
        "Queue e-mail to coordinators and the help desk about cases whose reflection period "
        "ends within 14 days and new cases unassigned for more than two working days; the "
        "mail worker (manage.py db_worker) sends it. Runs the reminders job here, or with "
        "--enqueue leaves it to a worker. Safe to run twice: what was queued is recorded and "
        "not queued again. The mail holds case references and links only, never personal data."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--date", help="Run as if today were this date (YYYY-MM-DD). Default: today."
        )
        add_task_arguments(
            parser, job="reminders", dry_run_help="Report what would be sent; queue nothing."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        day = self._day(options["date"])
        dry_run = options["dry_run"]
        # Operator output stays English like every other command's; only the e-mails are Dutch.
        if options["enqueue"]:
            result = send_reminders.enqueue(day, dry_run)
            write_enqueued(self, "reminders", result, then=" and queues the e-mails")
            return
        tally = send_reminders.call(day, dry_run)
        verb = "Would queue" if dry_run else "Queued"
        self.stdout.write(
            f"{verb} {tally['mails']} e-mail(s) with {tally['reminders']} reminder(s); "
            f"{tally['already']} reminder(s) had been sent before; "
            f"{tally['no_address']} recipient(s) without an e-mail address."
        )
        if tally["mails"] and not dry_run:
            self.stdout.write(
                "The mail worker (manage.py db_worker) sends them; "
                "manage.py mail_status shows what is not delivered yet."
            )

    def _day(self, value: str | None) -> str | None:
        if not value:
            return None
        try:
            return datetime.date.fromisoformat(value).isoformat()
        except ValueError:
            raise CommandError(f"--date must be a date as YYYY-MM-DD, not {value!r}") from None
