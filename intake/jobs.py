"""The CSV import as a background job (registry/jobs.py): the page stores the file encrypted
and queues the job; the worker runs the import through ``intake.importing.import_csv``, all or
nothing as ever, reporting its rows as it checks and saves them."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_noop

from intake.importing import ImportFailed, import_csv
from registry import jobs
from registry.models import Job

FILE_HAS_ERRORS = gettext_noop("The file has errors; nothing was imported.")
# The uploaded file's own name is not kept: it could name a person.
INPUT_NAME = "import.csv"


def start_import(owner: Any, data: bytes) -> Job:
    """Keep the uploaded CSV encrypted and queue its import (in the caller's transaction)."""
    return jobs.start(Job.Kind.IMPORT, owner, input_file=(INPUT_NAME, "text/csv", data))


@jobs.register(Job.Kind.IMPORT)
def run_import(job: Job, progress: jobs.Progress) -> dict[str, Any]:
    try:
        result = import_csv(jobs.input_of(job), user=job.owner, source="page", progress=progress)
    except ImportFailed as failure:
        errors = [{"row": e.row, "column": e.column, "message": e.message} for e in failure.errors]
        raise jobs.JobFailed(FILE_HAS_ERRORS, errors=errors) from None
    return {
        "rows": result.rows,
        "registrations_created": result.registrations_created,
        "persons_created": result.persons_created,
        "persons_linked": result.persons_linked,
    }
