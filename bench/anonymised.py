"""Benchmark of issue 16 item 3: the anonymised dataset at 2,000 demo registrations
(docs/PERFORMANCE.md, "Issue 16: an anonymised dataset that keeps its rows").

    .venv/bin/python bench/anonymised.py        # 2,000 demo registrations (BENCH_ANON_ROWS)

On one SQLite file under /tmp: the demo's reference data and users, then N registrations made
by ``registry.demo.create_registrations`` (what ``manage.py seed_demo`` runs: Faker names,
CoMensha-like distributions, repeat victims, reporter submissions awaiting triage). The demo
spreads them over the three years up to today, and a published release covers one calendar
year at most, so two releases are measured:

1. **the demo as seeded**: the last calendar year that has ended;
2. **all N in one release**: every registration dated into that year (day and month kept),
   the release the issue speaks of ("about 1,900 registrations": the accepted ones of N).

For each, and for both age schemes (the Dutch monitor's and CTDC's), it prints the rows kept,
the generalisation chosen, the information lost and the time of the lattice's plan and of the
whole export (rows consumed, care columns withheld, no file), against the baseline measured in
the same run: the per-row plan that was there before (nationality to world region, then the
region dropped, then the row suppressed; ``anonymise.per_row_plan_summary``). The CTDC layout
(``--layout ctdc``) is measured too.

Last, the plan alone at scale: ``make_plan`` on the counts of SCALE synthetic rows drawn from
the demo's distributions (no database: the GROUP BY's result), per age scheme. Ends with one
RESULT line.
"""

from __future__ import annotations

import datetime
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
DB_PATH = Path(os.environ.get("BENCH_SQLITE", "/tmp/anonymised_bench.sqlite3"))  # noqa: S108
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings_test")
ROWS = int(os.environ.get("BENCH_ANON_ROWS", "2000"))
SCALE = int(os.environ.get("BENCH_ANON_SCALE", "300000"))
K = 10


def setup_django() -> None:
    for suffix in ("", "-wal", "-shm"):
        Path(f"{DB_PATH}{suffix}").unlink(missing_ok=True)
    os.environ["DATABASE_URL"] = f"sqlite:///{DB_PATH}"
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def seed(rows: int) -> float:
    from registry import demo, reference_data

    start = time.perf_counter()
    reference_data.load()
    demo.ensure_users(None)
    demo.create_registrations(rows, seed=2026)
    return time.perf_counter() - start


def into_one_year(year: int) -> None:
    from registry.models import Registration

    moved = []
    for registration in Registration.objects.only("pk", "registered_on"):
        day = registration.registered_on
        registration.registered_on = datetime.date(year, day.month, min(day.day, 28))
        moved.append(registration)
    Registration.objects.bulk_update(moved, ["registered_on"], batch_size=500)


def measure(label: str, year: int) -> dict[str, float]:
    from reports.aggregates import COMMAND_LINE, Period, counted_registrations
    from reports.anonymise import per_row_plan_summary, plan_for
    from reports.care_disclosure import anonymised_dataset

    qs = counted_registrations(
        COMMAND_LINE, Period(datetime.date(year, 1, 1), datetime.date(year, 12, 31))
    )
    found: dict[str, float] = {}
    for scheme, layout in (("monitor", "registry"), ("ctdc", "registry"), ("ctdc", "ctdc")):
        start = time.perf_counter()
        old = per_row_plan_summary(qs, K, scheme)
        old_s = time.perf_counter() - start
        start = time.perf_counter()
        plan = plan_for(qs, K, scheme, layout)
        plan_s = time.perf_counter() - start
        start = time.perf_counter()
        summary, _withholding, rows = anonymised_dataset(qs, K, scheme, layout)
        written = sum(1 for _ in rows)
        export_s = time.perf_counter() - start
        s = plan.summary
        assert s is not None and written == s.published
        name = f"{scheme}/{layout}"
        print(f"  {label}, age bands {scheme}, layout {layout}: {s.total:,} registrations")
        print(
            f"    per-row plan (before): {old['rows_out']:,} kept "
            f"({100 * old['rows_out'] / s.total:.1f}%), {old['region_dropped']:,} of them "
            f"without region, {old_s * 1000:.0f} ms"
        )
        print(
            f"    lattice (now):         {s.published:,} kept ({100 * s.kept_share:.1f}%), "
            f"{s.suppressed} suppressed; {s.generalisation()}"
        )
        print(
            f"                           information lost {100 * s.loss:.1f}%, cells not as "
            f"recorded {100 * s.cells_generalised:.1f}%; {s.nodes_evaluated} of {s.nodes} "
            f"nodes in {plan_s * 1000:.0f} ms; export {written:,} rows in {export_s:.2f} s"
        )
        print(
            f"    kept: {s.published / max(old['rows_out'], 1):.2f}x the rows of the per-row "
            f"plan; planning took {plan_s / max(old_s, 1e-9):.2f}x its time",
            flush=True,
        )
        found[f"{name}_kept_pct"] = 100 * s.kept_share
        found[f"{name}_old_kept_pct"] = 100 * old["rows_out"] / s.total
        found[f"{name}_plan_ms"] = plan_s * 1000
        found[f"{name}_export_s"] = export_s
        found[f"{name}_rows"] = s.total
    return found


def at_scale(rows: int) -> dict[str, float]:
    import random
    from collections import Counter

    from registry import demo, reference_data
    from reports.anonymise import make_plan

    rng = random.Random(2026)
    nationalities = [code for code, _locale, weight in demo.NATIONALITIES for _ in range(weight)]
    regions = [code for code, _name in reference_data.REGIONS]
    genders = ["female"] * 58 + ["male"] * 39 + ["other", "unknown", "unknown"]
    counts: Counter = Counter()
    for _ in range(rows):
        nationality = rng.choice(nationalities)
        counts[
            (
                2025,
                rng.choice(
                    [rng.randint(12, 17)] + [rng.randint(18, 29)] * 4 + [rng.randint(30, 60)] * 3
                ),
                rng.choice(genders),
                nationality,
                rng.choice(regions),
                rng.choice(["NL"] * 7 + ["BE", "DE", nationality]),
            )
        ] += 1
    found: dict[str, float] = {}
    print(f"  the plan alone at {rows:,} synthetic rows ({len(counts):,} finest combinations):")
    for scheme in ("monitor", "ctdc"):
        plan = make_plan(counts, K, scheme)
        s = plan.summary
        assert s is not None
        print(
            f"    age bands {scheme}: {100 * s.kept_share:.1f}% kept; {s.generalisation()}; "
            f"information lost {100 * s.loss:.1f}%; {s.nodes_evaluated} of {s.nodes} nodes in "
            f"{s.seconds:.2f} s",
            flush=True,
        )
        found[f"{scheme}_plan_s"] = s.seconds
    return found


def main() -> None:
    setup_django()
    seconds = seed(ROWS)
    from reports.periods import default_period

    year = default_period().year
    print(f"seeded {ROWS:,} demo registrations in {seconds:.1f} s; release year {year}, k = {K}")
    seeded = measure("the demo as seeded", year)
    into_one_year(year)
    one = measure(f"all {ROWS:,} dated into {year}", year)
    scale = at_scale(SCALE)
    print(
        f"RESULT rows={ROWS} k={K} "
        f"seeded_year_rows={seeded['monitor/registry_rows']:.0f} "
        f"seeded_monitor_kept_pct={seeded['monitor/registry_kept_pct']:.1f} "
        f"seeded_monitor_old_kept_pct={seeded['monitor/registry_old_kept_pct']:.1f} "
        f"one_year_rows={one['monitor/registry_rows']:.0f} "
        f"monitor_kept_pct={one['monitor/registry_kept_pct']:.1f} "
        f"monitor_old_kept_pct={one['monitor/registry_old_kept_pct']:.1f} "
        f"ctdc_kept_pct={one['ctdc/registry_kept_pct']:.1f} "
        f"ctdc_old_kept_pct={one['ctdc/registry_old_kept_pct']:.1f} "
        f"ctdc_layout_kept_pct={one['ctdc/ctdc_kept_pct']:.1f} "
        f"monitor_plan_ms={one['monitor/registry_plan_ms']:.0f} "
        f"monitor_export_s={one['monitor/registry_export_s']:.2f} "
        f"scale_rows={SCALE} scale_monitor_plan_s={scale['monitor_plan_s']:.2f} "
        f"scale_ctdc_plan_s={scale['ctdc_plan_s']:.2f}"
    )


if __name__ == "__main__":
    main()
