"""Running the mail worker in tests, through django-tasks-db's own worker code.

``run_db_worker`` is the command an operator runs (`manage.py db_worker --batch`): it needs a
test without a wrapping transaction (``django_db(transaction=True)``), because the worker
closes connections that are not in autocommit mode. ``run_ready_jobs`` runs the same worker's
``run_task`` on each ready job, for the ordinary tests inside a transaction.
"""

from __future__ import annotations

import io

from django.core.management import call_command
from django_tasks_db.management.commands.db_worker import Worker
from django_tasks_db.models import DBTaskResult


def run_db_worker(*extra: str, queue: str = "mail") -> str:
    """`manage.py db_worker --batch` on ``queue``: every job that is due, then exit."""
    out = io.StringIO()
    call_command(
        "db_worker",
        "--batch",
        "--queue-name",
        queue,
        "--no-startup-delay",
        "--no-reload",
        "--interval",
        "0",
        *extra,
        stdout=out,
        verbosity=0,
    )
    return out.getvalue()


def run_ready_jobs(queue: str = "mail") -> int:
    """Run each due job of ``queue`` as the worker does (claim, then ``run_task``)."""
    worker = Worker(
        queue_names=[queue],
        interval=0,
        batch=True,
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        worker_id="test-worker",
        excluded_queue_names=[],
    )
    ran = 0
    while (job := DBTaskResult.objects.ready().filter(queue_name=queue).first()) is not None:
        job.claim(worker.worker_id)
        worker.run_task(job)
        ran += 1
    return ran
