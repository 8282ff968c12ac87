"""Running background jobs of users in tests, through django-tasks-db's own worker."""

from __future__ import annotations

from urllib.parse import urlencode

from tests.outbox import run_db_worker, run_ready_jobs


def run_jobs() -> int:
    """Every queued job of the "default" queue, as the worker runs it (inside the test's
    transaction)."""
    return run_ready_jobs(queue="default")


def run_worker() -> str:
    """``manage.py db_worker --batch --queue-name default`` (a transactional test)."""
    return run_db_worker(queue="default")


def follow_job(client, response):
    """The file of the job a page started: ``response`` is the page's redirect to the job; the
    job is run as the worker runs it, then its file downloaded by the same client."""
    assert response.status_code == 302, response.content.decode()[:500]
    assert response["Location"].startswith("/jobs/"), response["Location"]
    run_jobs()
    return client.get(response["Location"] + "download/")


def export_via_job(client, url: str, query: dict | None = None):
    """POST an export page's button (its choices in the query string) and fetch the file."""
    full = f"{url}?{urlencode(query)}" if query else url
    return follow_job(client, client.post(full))
