"""Exports as background jobs (registry/jobs.py): the statistics tables, the anonymised dataset
and the personal export are written by a worker into an encrypted file their owner downloads
from the job's page while it lasts (``REGISTRY_JOB_FILE_HOURS``; the personal export's archive
7 days, its retention rule in reports.personal).

The audit events are those the downloads wrote before (reports.personal.record_export): the
anonymised and the personal export when the file is begun and when it is finished or aborted,
with rows and SHA-256; the statistics when written. The personal export checks its grant when
it is asked for (reports/personal_views.py), again when the worker starts it, and again at each
download of its file (``may_download``), with a second factor of the last 15 minutes.
"""

from __future__ import annotations

import csv
import datetime
import io
import json
import tempfile
from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING, Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from registry import access, jobs
from registry.access import may_count
from registry.models import Job, Registration
from registry.second_factor import verified_recently
from reports.aggregates import Period, counted_registrations
from reports.anonymise import Summary
from reports.archive import CONTENT_TYPE as ARCHIVE_TYPE
from reports.archive import seal
from reports.care_disclosure import anonymised_dataset, anonymised_header
from reports.columns import PERSONAL_EXPORT_COLUMNS, personal_rows
from reports.personal import archive_lifetime, filename, record_export
from reports.referrals import REFERRAL_COLUMNS, referral_rows, referrals_in
from reports.suppression import small_cell_k
from reports.tables import STATISTICS_HEADER, build_statistics, statistics_rows
from reports.writers import (
    ExportResult,
    counted,
    neutralise,
    write_csv,
    write_xlsx,
    write_xlsx_sheets,
)

CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
NO_GRANT = gettext_noop(
    "You no longer hold a personal-export grant in force; nothing was exported."
)
NO_COUNTING = gettext_noop("You may no longer read statistics; nothing was exported.")
# Registrations per query of the personal export (pk__in), well under every database's limit.
PERSONAL_CHUNK = 2000

if TYPE_CHECKING:
    from registry.models import User


def _period(params: dict[str, Any]) -> Period:
    def day(value: str) -> datetime.date | None:
        return datetime.date.fromisoformat(value) if value else None

    return Period(day(params.get("from", "")), day(params.get("to", "")))


def _write(
    file_format: str, header: list[str], rows: Iterable[list[Any]], title: str
) -> tuple[ExportResult, bytes]:
    with tempfile.TemporaryFile() as target:
        if file_format == "xlsx":
            result = write_xlsx(target, header, rows, title=title)
        else:
            result = write_csv(target, header, rows)
        target.seek(0)
        return result, target.read()


# Starting, from the pages -------------------------------------------------------------------


def nothing_in_statistics(owner: User, period: Period) -> str | None:
    """Why a statistics download of ``period`` would hold nothing, or None: with fewer than k
    registrations every figure is suppressed (and 0 is an empty file), so no job is started."""
    k = small_cell_k()
    if counted_registrations(owner, period).count() >= k:
        return None
    return _(
        "There is nothing to download: this period holds fewer than %(k)s registrations, so "
        "every figure would be suppressed. Widen the period, for example to the whole year."
    ) % {"k": k}


def nothing_in_anonymised(summary: Summary) -> str | None:
    """Why the anonymised dataset of a plan's ``summary`` would hold no row, or None."""
    if summary.published:
        return None
    if not summary.total:
        return _(
            "There is nothing to download: there are no registrations in this period. Widen "
            "the period, for example to the whole year."
        )
    return _(
        "There is nothing to download: no combination of year, age band, gender, nationality, "
        "region and country of exploitation occurs at least %(k)s times in this period, even "
        "generalised, so every row would be left out. Widen the period, for example to the "
        "whole year."
    ) % {"k": summary.k}


def start_statistics(owner: User, file_format: str, period: Period, cross: tuple[str, str]) -> Job:
    params = {**period.as_filters(), "cross": list(cross), "format": file_format}
    return jobs.start(Job.Kind.EXPORT_STATISTICS, owner, params)


def start_anonymised(
    owner: User, file_format: str, period: Period, age_bands: str, layout: str = "registry"
) -> Job:
    params = {
        **period.as_filters(),
        "age_bands": age_bands,
        "layout": layout,
        "format": file_format,
    }
    return jobs.start(Job.Kind.EXPORT_ANONYMISED, owner, params)


def start_referrals(owner: User, file_format: str, period: Period) -> Job:
    params = {**period.as_filters(), "format": file_format}
    return jobs.start(Job.Kind.EXPORT_REFERRALS, owner, params)


def start_personal(
    owner: User,
    file_format: str,
    registrations: Any,
    filters: dict[str, Any],
    purpose: str,
    password: str,
) -> Job:
    """The personal export of ``registrations`` (the page's choices applied), sealed in an
    archive with ``password``. The ids, the purpose and the password travel in the job's
    encrypted input file, deleted when the job ends; the job's parameters hold the format
    and the filters' codes only."""
    ids = [str(pk) for pk in registrations.order_by("number").values_list("pk", flat=True)]
    payload = {"ids": ids, "purpose": purpose, "password": password}
    return jobs.start(
        Job.Kind.EXPORT_PERSONAL,
        owner,
        {"format": file_format, "filters": filters},
        input_file=("export.json", "application/json", json.dumps(payload).encode()),
    )


# Running, in the worker ---------------------------------------------------------------------


@jobs.register(Job.Kind.EXPORT_STATISTICS)
def run_statistics(job: Job, progress: jobs.Progress) -> dict[str, Any]:
    owner, params = job.owner, job.params
    if not may_count(owner):
        raise jobs.JobFailed(NO_COUNTING)
    progress(0, 1)
    period = _period(params)
    stats = build_statistics(owner, period, cross=tuple(params["cross"]))
    rows = list(statistics_rows(stats))
    file_format = params["format"]
    record_export(
        "statistics",
        "finished",
        user=owner,
        file_format=file_format,
        filters={**period.as_filters(), "cross": "x".join(params["cross"])},
    )
    name = f"statistics-{params['from'] or 'all'}-{params['to'] or 'all'}.{file_format}"
    if file_format == "csv":
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        writer.writerow(STATISTICS_HEADER)
        writer.writerows([neutralise(v) for v in row] for row in rows)
        data = buffer.getvalue().encode("utf-8")
    else:
        sheets: dict[str, list[list[str]]] = {}
        for dimension, value, count, percent in rows:
            sheets.setdefault(dimension, []).append([value, count, percent])
        with tempfile.TemporaryFile() as target:
            write_xlsx_sheets(
                target,
                [(dim, ["value", "count", "percent"], lines) for dim, lines in sheets.items()],
            )
            target.seek(0)
            data = target.read()
    jobs.store_file(job, "result", name, CONTENT_TYPES[file_format], data)
    progress(1, 1)
    return {"rows": len(rows)}


@jobs.register(Job.Kind.EXPORT_ANONYMISED)
def run_anonymised(job: Job, progress: jobs.Progress) -> dict[str, Any]:
    owner, params = job.owner, job.params
    if not may_count(owner):
        raise jobs.JobFailed(NO_COUNTING)
    period, file_format = _period(params), params["format"]
    qs = counted_registrations(owner, period)
    layout = params.get("layout", "registry")
    summary, withholding, rows = anonymised_dataset(qs, small_cell_k(), params["age_bands"], layout)
    filters = {**period.as_filters(), "age_bands": params["age_bands"], "layout": layout}
    total = summary.total - summary.suppressed
    withheld = {"care_cells_withheld": withholding.cells}
    return _audited_export(
        job,
        "anonymised",
        file_format,
        anonymised_header(layout),
        counted(rows, progress, total),
        filters,
        extra={"summary": summary.as_dict(), **withheld},
        # The job's page lists flat values: the generalisation as one line of codes.
        summary={**summary.as_dict(), "generalisation": summary.generalisation(), **withheld},
    )


@jobs.register(Job.Kind.EXPORT_REFERRALS)
def run_referrals(job: Job, progress: jobs.Progress) -> dict[str, Any]:
    """The referrals of the period in HTCDS terms (reports.referrals): for who may count, as
    the statistics' table of referrals per type."""
    owner, params = job.owner, job.params
    if not may_count(owner):
        raise jobs.JobFailed(NO_COUNTING)
    period, file_format = _period(params), params["format"]
    total = referrals_in(period).count()
    return _audited_export(
        job,
        "referrals",
        file_format,
        REFERRAL_COLUMNS,
        counted(referral_rows(period), progress, total),
        period.as_filters(),
    )


@jobs.register(
    Job.Kind.EXPORT_PERSONAL,
    may_download=lambda request: _may_download_personal(request),
    result_lifetime=lambda: archive_lifetime(),
)
def run_personal(job: Job, progress: jobs.Progress) -> dict[str, Any]:
    """Write the rows, seal them in an AES-256 ZIP with the password the page showed, keep the
    archive for 7 days. Audited when begun and when finished or aborted: the purpose, the
    filters, the rows and the archive's SHA-256; never the password."""
    owner, params = job.owner, job.params
    if not access.may_export_personal(owner):
        raise jobs.JobFailed(NO_GRANT)
    payload = json.loads(jobs.input_of(job))
    ids, purpose = payload["ids"], payload["purpose"]
    file_format, filters = params["format"], params["filters"]

    def rows() -> Iterator[list[Any]]:
        visible = Registration.objects.for_user(owner)
        for start in range(0, len(ids), PERSONAL_CHUNK):
            yield from personal_rows(visible.filter(pk__in=ids[start : start + PERSONAL_CHUNK]))

    audit = {"user": owner, "file_format": file_format, "filters": filters}
    record_export("personal", "started", **audit, extra={"purpose": purpose})
    archive = ExportResult()
    try:
        result, data = _write(
            file_format, PERSONAL_EXPORT_COLUMNS, counted(rows(), progress, len(ids)), "personal"
        )
        sealed = seal(filename("personal", file_format), data, payload.pop("password"))
        archive.rows, archive.completed = result.rows, result.completed
        archive.update(sealed)
    finally:
        stage = "finished" if archive.completed else "aborted"
        record_export(
            "personal",
            stage,
            **audit,
            result=archive,
            extra={"purpose": purpose, "archive": "zip-aes256"},
        )
    jobs.store_file(job, "result", filename("personal", "zip"), ARCHIVE_TYPE, sealed)
    return {"rows": archive.rows}


def _may_download_personal(request: HttpRequest) -> bool:
    # As for making the file: the grant in force and a second factor of the last 15 minutes.
    return access.may_export_personal(request.user) and verified_recently(request)


def _audited_export(
    job: Job,
    kind: str,
    file_format: str,
    header: list[str],
    rows: Iterable[list[Any]],
    filters: dict[str, Any],
    extra: dict[str, Any] | None = None,
    summary: dict[str, Any] | None = None,
) -> dict[str, Any]:
    owner = job.owner
    record_export(
        kind, "started", user=owner, file_format=file_format, filters=filters, extra=extra
    )
    result = ExportResult()
    try:
        result, data = _write(file_format, header, rows, kind)
    finally:
        stage = "finished" if result.completed else "aborted"
        record_export(
            kind, stage, user=owner, file_format=file_format, filters=filters, result=result
        )
    jobs.store_file(job, "result", filename(kind, file_format), CONTENT_TYPES[file_format], data)
    return {"rows": result.rows, **(summary or {})}
