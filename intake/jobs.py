"""The CSV import as a background job (registry/jobs.py): the page stores the file encrypted
and queues the job; the worker runs the import through ``intake.importing.import_csv``, all or
nothing as ever, reporting its rows as it checks and saves them."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext_lazy, gettext_noop

from intake.importing import ImportFailed, import_csv
from registry import jobs
from registry.access import may_import
from registry.interchange import COLUMN_NAMES
from registry.models import Job

NO_IMPORT = gettext_noop("You may no longer import registrations; nothing was imported.")
FILE_HAS_ERRORS = gettext_noop("The file has errors; nothing was imported.")
UNKNOWN_COLUMNS = gettext_lazy(
    "%(count)d column(s) of the header are not columns of the interchange format "
    "(is the header row missing?)"
)
# The uploaded file's own name is not kept: it could name a person.
INPUT_NAME = "import.csv"

if TYPE_CHECKING:
    from registry.models import User


def kept_errors(failure: ImportFailed) -> list[dict[str, Any]]:
    """The errors as the job keeps them. An error of a column the interchange format does not
    have names that column by its header cell, and in a file without its header row that cell
    is a person's name or date of birth: such errors are kept as one, without the cells."""
    kept: list[dict[str, Any]] = []
    unknown = 0
    for error in failure.errors:
        if error.row == 0 and error.column not in COLUMN_NAMES and error.column != "-":
            unknown += 1
            continue
        kept.append(
            {
                "row": error.row,
                "line": error.line or (error.row + 1 if error.row else 1),
                "column": error.column,
                "message": str(error.message),
            }
        )
    if unknown:
        message = str(UNKNOWN_COLUMNS) % {"count": unknown}
        kept.insert(0, {"row": 0, "line": 1, "column": "-", "message": message})
    return kept


def start_import(owner: User, data: bytes) -> Job:
    """Keep the uploaded CSV encrypted and queue its import (in the caller's transaction).

    The page's language goes with it: the worker writes the errors by row and column in the
    language of the owner who uploaded the file (only the owner reads the job's page)."""
    params = {"language": translation.get_language()}
    return jobs.start(
        Job.Kind.IMPORT, owner, params=params, input_file=(INPUT_NAME, "text/csv", data)
    )


def _language(job: Job) -> str:
    """The language the job's owner uploaded in, if it is one of the site's."""
    asked = job.params.get("language") or ""
    return asked if asked in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE


@jobs.register(Job.Kind.IMPORT)
def run_import(job: Job, progress: jobs.Progress) -> dict[str, Any]:
    # Asked again when the worker starts: the owner may have lost the right since the upload.
    if not may_import(job.owner):
        raise jobs.JobFailed(NO_IMPORT)
    with translation.override(_language(job)):
        try:
            result = import_csv(
                jobs.input_of(job), user=job.owner, source="page", progress=progress
            )
        except ImportFailed as failure:
            raise jobs.JobFailed(FILE_HAS_ERRORS, errors=kept_errors(failure)) from None
    return {
        "rows": result.rows,
        "registrations_created": result.registrations_created,
        "persons_created": result.persons_created,
        "persons_linked": result.persons_linked,
        # Only when the file had some (registry.models.jobs.SUMMARY_LABELS says what it is).
        **({"care_not_recorded": result.care_not_recorded} if result.care_not_recorded else {}),
    }
