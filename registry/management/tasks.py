"""What the commands that run a background task share: the task runs in the command, or with
``--enqueue`` is left to the worker (manage.py db_worker); ``--dry-run`` changes nothing."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser


def add_task_arguments(parser: CommandParser, *, job: str, dry_run_help: str) -> None:
    """``--dry-run`` (what it does instead: ``dry_run_help``) and ``--enqueue`` for ``job``."""
    parser.add_argument("--dry-run", action="store_true", help=dry_run_help)
    parser.add_argument(
        "--enqueue",
        action="store_true",
        help=f"Enqueue the {job} job for a background worker instead of running it here.",
    )


def write_enqueued(command: BaseCommand, job: str, result: Any, then: str = "") -> None:
    """Tell the operator the ``job`` is enqueued (``result`` of the task's ``enqueue``) and
    which worker runs it (and ``then`` does what)."""
    command.stdout.write(
        f"Enqueued the {job} job {result.id} (queue {result.task.queue_name}); "
        f"a worker (manage.py db_worker) runs it{then}."
    )
