"""Benchmark of imports and exports as background jobs (docs/PERFORMANCE.md, "Issue 12: jobs").

    .venv/bin/python bench/jobs.py            # 2,000 rows (BENCH_JOB_ROWS)

The same work in place (as the commands and the old pages did it) is the baseline, measured
in the same run on the same SQLite file under /tmp:

1. Import of N rows: ``import_csv`` in place (before and after the job, averaged: each import
   meets a larger table), against the job: the request's part
   (``start_import``: the upload compressed, encrypted and queued) and the worker's part
   (``run_job``: reading it back, the import with progress, deleting it).
2. Personal export of the 3N registrations, CSV: ``write_csv`` of the rows to a file in place,
   against the job: the request's part (``start_personal``) and the worker's (rows written,
   compressed, encrypted and stored), and the file's size at rest against its size.

The request's part is what a user waits for now (the page answers at once); the worker's part
is the cost of the job around the same work. Ends with one RESULT line.
"""

from __future__ import annotations

import csv
import io
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
DB_PATH = Path(os.environ.get("BENCH_SQLITE", "/tmp/jobs_bench.sqlite3"))  # noqa: S108
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings_test")
ROWS = int(os.environ.get("BENCH_JOB_ROWS", "2000"))


def setup_django() -> None:
    for suffix in ("", "-wal", "-shm"):
        Path(f"{DB_PATH}{suffix}").unlink(missing_ok=True)
    os.environ["DATABASE_URL"] = f"sqlite:///{DB_PATH}"
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def csv_of(first: int, count: int) -> bytes:
    from registry.interchange import COLUMN_NAMES
    from tests.intake.test_import import row

    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=COLUMN_NAMES)
    writer.writeheader()
    writer.writerows(row(n) for n in range(first, first + count))
    return buffer.getvalue().encode()


def timed(fn):
    start = time.perf_counter()
    value = fn()
    return time.perf_counter() - start, value


def main() -> None:
    setup_django()
    from intake.importing import import_csv
    from intake.jobs import start_import
    from registry.choices import Role
    from registry.jobs import run_job
    from registry.models import Job, JobFile, Registration
    from reports.columns import PERSONAL_EXPORT_COLUMNS, personal_rows
    from reports.jobs import start_personal
    from reports.writers import write_csv
    from tests.factories import RegionFactory, UserFactory, grant_personal_export

    RegionFactory(code="region-a")
    admin = grant_personal_export(UserFactory(username="bench-admin", role=Role.ADMINISTRATOR))

    # 1. Import.
    # Turns: in place, the job, in place again (the table grows; the mean of the two in-place
    # runs faces the same table size as the job).
    first, _ = timed(lambda: import_csv(csv_of(1, ROWS), user=admin, source="bench"))
    data = csv_of(ROWS + 1, ROWS)
    request, job = timed(lambda: start_import(admin, data))
    worker, outcome = timed(lambda: run_job.call(str(job.pk)))
    assert outcome == "done", Job.objects.get(pk=job.pk).failure
    second, _ = timed(lambda: import_csv(csv_of(2 * ROWS + 1, ROWS), user=admin, source="bench"))
    direct = (first + second) / 2
    assert Registration.objects.count() == 3 * ROWS
    print(f"Import of {ROWS} rows")
    print(f"  in place (baseline)   {direct * 1000:9.1f} ms")
    print(f"  job: the request      {request * 1000:9.1f} ms   {request / direct:6.3f}x")
    print(f"  job: the worker       {worker * 1000:9.1f} ms   {worker / direct:6.3f}x")

    # 2. Personal export.
    registrations = Registration.objects.all()

    def in_place():
        with tempfile.TemporaryFile() as target:
            return write_csv(target, PERSONAL_EXPORT_COLUMNS, personal_rows(registrations))

    export_direct, result = timed(in_place)
    export_request, export_job = timed(
        lambda: start_personal(admin, "csv", registrations, {"screen": "bench"})
    )
    export_worker, outcome = timed(lambda: run_job.call(str(export_job.pk)))
    assert outcome == "done", Job.objects.get(pk=export_job.pk).failure
    stored = JobFile.objects.get(job=export_job)
    at_rest = len(stored.content)
    print(f"Personal export of {result.rows} registrations (CSV, {stored.size} bytes)")
    print(f"  in place (baseline)   {export_direct * 1000:9.1f} ms")
    print(
        f"  job: the request      {export_request * 1000:9.1f} ms   "
        f"{export_request / export_direct:6.3f}x"
    )
    print(
        f"  job: the worker       {export_worker * 1000:9.1f} ms   "
        f"{export_worker / export_direct:6.3f}x"
    )
    print(f"  stored encrypted      {at_rest} characters, {at_rest / stored.size:.2f}x the file")
    print(
        f"RESULT rows={ROWS} import_request_ratio={request / direct:.3f} "
        f"import_worker_ratio={worker / direct:.3f} "
        f"export_request_ratio={export_request / export_direct:.3f} "
        f"export_worker_ratio={export_worker / export_direct:.3f} "
        f"file_at_rest_ratio={at_rest / stored.size:.2f}"
    )


if __name__ == "__main__":
    main()
