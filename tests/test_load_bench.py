"""The load bench (bench/load.py) drops and makes its database afresh, so it refuses any
database that is not plainly a bench's own, before it connects to anything."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.parametrize(
    "database",
    [
        "postgres://postgres@127.0.0.1:5432/registry",
        "postgres://postgres@127.0.0.1:5432/test",
        "postgres://postgres@db.example.org:5432/h_load_bench",
        "sqlite:///var/bench.sqlite3",
    ],
)
def test_load_bench_refuses_a_database_it_may_not_drop(database):
    done = subprocess.run(  # noqa: S603 (our interpreter, our script)
        [sys.executable, "bench/load.py", "--database", database, "--users", "1"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode != 0
    assert "refusing database" in done.stderr or "must be PostgreSQL on 127.0.0.1" in done.stderr
    assert "made afresh" not in done.stdout
