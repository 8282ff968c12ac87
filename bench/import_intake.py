"""Benchmark: the CSV import of 20,000 rows, batched (issue 12) against the import as it was
before (one row at a time), in the same run on the same database.

Run from the repository root:

    .venv/bin/python bench/import_intake.py                  # SQLite, 20,000 rows
    BENCH_ROWS=5000 .venv/bin/python bench/import_intake.py  # quicker
    .venv/bin/python bench/import_intake.py \\
        --database postgres://postgres@127.0.0.1:5432/bench_import   # on PostgreSQL

The baseline is the import module as it stood before issue 12 (``git show
8ebd4b0:intake/importing.py``, loaded beside the new one): every row checked, then saved one
by one through ``Registration.objects.record`` in one transaction, the year's number sequence
locked throughout. The new path reads the same bytes (``import_csv``): every row checked,
numbers reserved in their own transaction, then written in batches of 500. Each path imports
its own file of BENCH_ROWS distinct persons (one row in ten a repeat of an earlier row, linked),
timed (both paths one after the other), then once more under tracemalloc for the peak of
Python memory (each on a database emptied of registrations and persons), counting its SQL
statements. Prints the figures and the ratios
new / baseline, and a RESULT line.
"""

from __future__ import annotations

import argparse
import csv
import io
import os
import subprocess
import sys
import time
import tracemalloc
import types
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings_test")

from bench.intake import setup_django  # noqa: E402

DB_PATH = Path("/tmp/import_bench.sqlite3")  # noqa: S108 - a throwaway benchmark database
ROWS = int(os.environ.get("BENCH_ROWS", "20000"))
BASELINE_COMMIT = "8ebd4b0"


def csv_bytes(rows: int, offset: int) -> bytes:
    from registry.interchange import COLUMN_NAMES
    from tests.intake.test_import import row

    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=COLUMN_NAMES, lineterminator="\n")
    writer.writeheader()
    for i in range(rows):
        n = offset + (i - i % 10 if i % 10 == 9 else i)  # every tenth row repeats a person
        # The import tests' row (one place for what a valid interchange row holds).
        writer.writerow(
            row(
                n,
                region="bench",
                family_name=f"Family{n:07d}",
                id_document_number=f"DOC{n:08d}",
            )
        )
    return out.getvalue().encode()


def baseline_module() -> types.ModuleType:
    source = subprocess.run(
        ["git", "show", f"{BASELINE_COMMIT}:intake/importing.py"],  # noqa: S607
        cwd=ROOT,
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    module = types.ModuleType("importing_before_issue_12")
    sys.modules[module.__name__] = module  # dataclasses look their module up
    from registry import interchange

    # That import reads interchange.header_errors, removed since (its messages repeated the
    # header's cells, which may be personal values): it gets that commit's function back,
    # only while it is loaded.
    interchange.header_errors = _header_errors_of_baseline
    try:
        exec(compile(source, "importing_before_issue_12.py", "exec"), module.__dict__)  # noqa: S102
    finally:
        del interchange.header_errors
    return module


def _header_errors_of_baseline(headers: list[str]) -> list:
    """registry.interchange.header_errors as it was at BASELINE_COMMIT."""
    from registry.interchange import BY_NAME, COLUMNS, CellError

    errors = [CellError(h, f"unknown column '{h}'") for h in headers if h not in BY_NAME and h]
    errors += [
        CellError(c.name, "required column is missing")
        for c in COLUMNS
        if c.required and c.name not in headers
    ]
    return errors


def empty() -> None:
    from registry.models import Person, Registration, RegistrationNumberSequence

    for model in (Registration.exploitation_forms.through, Registration.means_of_control.through):
        model.objects.all().delete()
    Registration.objects.all().delete()
    Person.objects.all().delete()
    RegistrationNumberSequence.objects.all().delete()


def run(path: types.ModuleType, data: bytes, *, traced: bool) -> tuple[float, int, int]:
    from django.db import connection

    empty()
    statements = 0

    def count(execute, sql, params, many, context):  # noqa: ANN001, ANN202 - Django's hook
        nonlocal statements
        statements += 1
        return execute(sql, params, many, context)

    if traced:
        tracemalloc.start()
    started = time.perf_counter()
    with connection.execute_wrapper(count):
        result = path.import_csv(data, actor_name="bench")
    seconds = time.perf_counter() - started
    peak = 0
    if traced:
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
    assert result.registrations_created == ROWS, result
    return seconds, peak, statements


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--database", help="a postgres:// URL of a database named bench_...")
    args = parser.parse_args()
    setup_django(args.database, DB_PATH)
    from django.conf import settings

    from intake import importing
    from registry.models import Region

    settings.REGISTRY_IMPORT_MAX_ROWS = max(ROWS, settings.REGISTRY_IMPORT_MAX_ROWS)
    settings.REGISTRY_IMPORT_MAX_BYTES = 10**9
    Region.objects.create(code="bench", name="Bench")
    old = baseline_module()
    data = csv_bytes(ROWS, 0)
    print(
        f"{ROWS:,} rows, {len(data):,} bytes; database: {settings.DATABASES['default']['ENGINE']}"
    )
    paths = (("baseline", old), ("batched", importing))
    # The timed runs one after the other, then the traced ones: load from other work on a
    # shared machine then falls on both paths' timings alike.
    timed = {name: run(path, data, traced=False) for name, path in paths}
    traced = {name: run(path, data, traced=True) for name, path in paths}
    figures = {}
    for name, _path in paths:
        (seconds, _peak, statements), peak = timed[name], traced[name][1]
        figures[name] = (seconds, peak)
        print(
            f"{name:>9}: {seconds:7.2f} s  ({ROWS / seconds:7.0f} rows/s)  "
            f"peak Python memory {peak / 2**20:7.1f} MiB  {statements:,} SQL statements"
        )
    (t0, m0), (t1, m1) = figures["baseline"], figures["batched"]
    print(f"ratio batched / baseline: time {t1 / t0:.2f}x, peak memory {m1 / m0:.2f}x")
    print(f"RESULT rows={ROWS} time_ratio={t1 / t0:.2f} memory_ratio={m1 / m0:.2f}")


if __name__ == "__main__":
    main()
