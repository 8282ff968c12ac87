"""``manage.py rotate_keys``: re-encrypt every value not under the active key, as a background
job that a worker runs and the command follows."""

from __future__ import annotations

import time
import uuid
from argparse import ArgumentTypeError
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import translation

from registry.keyops import DEFAULT_BATCH_SIZE, RotationRunning, start_rotation
from registry.models import Job
from registry.terminal import progress_bar

# Seconds between two looks at the job, and before saying that no worker has taken it.
POLL_SECONDS = 1.0
NO_WORKER_SECONDS = 30


def positive_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise ArgumentTypeError(f"expected a whole number, got {text!r}") from None
    if value < 1:
        raise ArgumentTypeError(f"expected a number of at least 1, got {value}")
    return value


def job_id(text: str) -> uuid.UUID:
    try:
        return uuid.UUID(text)
    except ValueError:
        raise ArgumentTypeError(f"expected a job id (a UUID), got {text!r}") from None


class Command(BaseCommand):
    help = (
        "Re-encrypt under the active key (the first of REGISTRY_ENCRYPTION_KEYS) every "
        "encrypted value sealed under another key, in batches, one transaction per batch. "
        "Runs as a background job (a worker, manage.py db_worker, runs it; its page /jobs/<id>/ "
        "shows every administrator its progress and result); the command queues it and follows "
        "it on the terminal until it ends, or with --no-wait prints the job's page and returns. "
        "The new key must be in the environment of the worker (and of every process) first. "
        "One rotation at a time. Resumable: an interrupted run leaves whole batches done and "
        "the next run continues with what is left. Safe to run twice. Prints value counts per "
        "key id before and after; --dry-run only counts. Remove an old key from the keyring "
        "only after this command and check_encryption report nothing under it."
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
        parser.add_argument(
            "--no-wait",
            action="store_true",
            help="queue the rotation, print its job's page and return",
        )
        parser.add_argument(
            "--follow",
            type=job_id,
            metavar="JOB_ID",
            help="follow a rotation queued before (with --no-wait) instead of queueing one",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        # The command speaks English, whatever the site's language (as Django's own do).
        with translation.override("en"):
            if options["follow"] is not None:
                job = Job.objects.filter(kind=Job.Kind.ROTATE_KEYS, pk=options["follow"]).first()
                if job is None:
                    raise CommandError(f"no key rotation has the id {options['follow']}")
            else:
                job = self._start(options)
                if options["no_wait"]:
                    self.stdout.write(f"Key rotation queued: {_page(job)}")
                    return
            job = self._follow(job)
            self._print(job, verbose=options["verbosity"] >= 2)

    def _start(self, options: dict[str, Any]) -> Job:
        try:
            return start_rotation(
                batch_size=options["batch_size"],
                dry_run=options["dry_run"],
                max_batches=options["max_batches"],
            )
        except RotationRunning as running:
            where = f" ({_page(running.job)})" if running.job is not None else ""
            raise CommandError(
                f"A key rotation is already queued or running{where}: nothing was started. "
                "Wait for it to end (rotate_keys --follow <id> shows it), then run again."
            ) from None

    def _follow(self, job: Job) -> Job:
        """Draw the job's progress until it ends (counts only)."""
        waited = 0.0
        told = False
        with progress_bar("rotate_keys") as progress:
            while True:
                job.refresh_from_db()
                if job.total:
                    progress(job.done, job.total)
                if job.finished:
                    return job
                if job.status == Job.Status.QUEUED and waited >= NO_WORKER_SECONDS and not told:
                    self.stderr.write(
                        "No worker has taken the rotation yet: is manage.py db_worker running "
                        f"(queue default)? Still waiting; its page is {_page(job)}"
                    )
                    told = True
                time.sleep(POLL_SECONDS)
                waited += POLL_SECONDS

    def _print(self, job: Job, verbose: bool) -> None:
        if job.status == Job.Status.FAILED:
            raise CommandError(f"{job.failure_text} ({_page(job)})")
        summary = job.summary
        write = self.stdout.write
        write(f"Active key: {summary['active_key']}")
        for label, (before, after) in summary["fields"].items():
            if verbose or before != "none":
                write(f"  {label}: before {before}; after {after}")
        write(f"Before: {summary['values_before']}")
        if job.params.get("dry_run"):
            write(
                f"Dry run: {summary['remaining']} value(s) would be re-encrypted; nothing changed."
            )
            return
        write(f"After:  {summary['values_after']}")
        write(f"Re-encrypted {summary['rewritten']} value(s) in {summary['batches']} batch(es).")
        if summary["changed_during_run"]:
            write(
                f"{summary['changed_during_run']} value(s) were saved by the application during "
                "the run and left as saved; run check_encryption to count them."
            )
        if summary["remaining"]:
            write(
                self.style.WARNING(
                    f"Stopped after {summary['batches']} batch(es): {summary['remaining']} "
                    "value(s) are still under an old key. Run rotate_keys again to continue."
                )
            )
        else:
            write(
                self.style.SUCCESS(f"Every value is under the active key {summary['active_key']}.")
            )
        write(f"Job: {_page(job)}")


def _page(job: Job) -> str:
    return settings.REGISTRY_BASE_URL.rstrip("/") + job.get_absolute_url()
