"""``manage.py abandon_stale_jobs``: fail the jobs whose worker died, delete expired files."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from registry import jobs


class Command(BaseCommand):
    help = (
        "Mark as failed ('try again') every running background job whose worker has not "
        "reported for REGISTRY_JOB_STALE_SECONDS (the worker died or was killed with the job "
        "in hand), and delete the job files past their time: exports after "
        "REGISTRY_JOB_FILE_HOURS, uploaded files of jobs that ended. Safe to run twice; run "
        "it every few minutes (cron or a systemd timer)."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        abandoned = jobs.abandon_stale()
        deleted = jobs.delete_expired_files()
        self.stdout.write(
            f"{abandoned} stale job(s) marked failed; {deleted} expired file(s) deleted."
        )
