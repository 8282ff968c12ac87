"""Running background jobs of users in tests, through django-tasks-db's own worker."""

from __future__ import annotations

from tests.outbox import run_db_worker, run_ready_jobs


def run_jobs() -> int:
    """Every queued job of the "default" queue, as the worker runs it (inside the test's
    transaction)."""
    return run_ready_jobs(queue="default")


def run_worker() -> str:
    """``manage.py db_worker --batch --queue-name default`` (a transactional test)."""
    return run_db_worker(queue="default")
