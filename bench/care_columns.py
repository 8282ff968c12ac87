"""Benchmark of issue 14's care columns in the exports (docs/PERFORMANCE.md, "Issue 14: care
columns in the exports").

    .venv/bin/python bench/care_columns.py        # 20,000 registrations (BENCH_CARE_ROWS)

On one SQLite file under /tmp: N counted registrations in groups of ten of one combination of
quasi-identifiers, a third with a case; of those half with a police report, a third with a B8
permit, half with a referral. The baseline, measured in the same run, is each export as it was
before the care columns (``reports.columns.care_of`` answering nothing, so no query; one
anonymisation pass):

1. the anonymised dataset: ``anonymise.anonymised_rows`` (one pass, no care) against
   ``care_disclosure.anonymised_dataset`` (care read per chunk; two passes, the shared values
   withheld);
2. the personal export's rows: ``columns.personal_rows`` without care against with care.

Best of three runs each, rows consumed (no file). Ends with one RESULT line.
"""

from __future__ import annotations

import datetime
import os
import sys
import time
from pathlib import Path
from unittest import mock

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
DB_PATH = Path(os.environ.get("BENCH_SQLITE", "/tmp/care_columns_bench.sqlite3"))  # noqa: S108
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings_test")
ROWS = int(os.environ.get("BENCH_CARE_ROWS", "20000"))


def setup_django() -> None:
    for suffix in ("", "-wal", "-shm"):
        Path(f"{DB_PATH}{suffix}").unlink(missing_ok=True)
    os.environ["DATABASE_URL"] = f"sqlite:///{DB_PATH}"
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def populate(rows: int) -> None:
    from django.db import transaction

    from registry.models import Case, Person, Referral, Region, Registration, ResidenceProcedure

    region = Region.objects.create(code="north", name="North")
    day = datetime.date(2025, 3, 1)
    with transaction.atomic():
        people = Person.objects.bulk_create(
            [
                Person(is_anonymous=True, gender="female", nationality=["RO", "NG"][i % 20 // 10])
                for i in range(rows)
            ]
        )
        registrations = Registration.objects.bulk_create(
            [
                Registration(
                    person=person,
                    number=f"2025-{i:06d}",
                    registered_on=day,
                    reporter_type="police",
                    region=region,
                    age_at_registration=20 + i % 30 // 10,
                    consent_care=True,
                    person_gender=person.gender,
                    person_nationality=str(person.nationality),
                )
                for i, person in enumerate(people)
            ]
        )
        cases = Case.objects.bulk_create(
            [
                Case(
                    person=r.person,
                    registration=r,
                    region=region,
                    opened_on=day,
                    shelter_placed=["cosm", "omm", ""][i % 3],
                )
                for i, r in enumerate(registrations)
                if i % 3 == 0
            ]
        )
        procedures, referrals = [], []
        for i, case in enumerate(cases):
            if i % 2 == 0:
                procedures.append(
                    ResidenceProcedure(
                        case=case, kind="police_report", status="made", decided_on=day
                    )
                )
            if i % 3 == 0:
                procedures.append(
                    ResidenceProcedure(
                        case=case, kind="b8_permit", status="applied", started_on=day
                    )
                )
            if i % 2 == 1:
                referrals.append(
                    Referral(case=case, referral_type="lawyer", reason="legal_aid", referred_on=day)
                )
        ResidenceProcedure.objects.bulk_create(procedures)
        Referral.objects.bulk_create(referrals)


def best(fn, runs: int = 3) -> tuple[float, int]:
    times, count = [], 0
    for _ in range(runs):
        start = time.perf_counter()
        count = fn()
        times.append(time.perf_counter() - start)
    return min(times), count


def main() -> None:
    setup_django()
    populate(ROWS)
    from registry.models import Registration
    from reports import columns
    from reports.anonymise import anonymised_rows
    from reports.care_disclosure import anonymised_dataset

    qs = Registration.objects.all()
    no_care = mock.patch.object(columns, "care_of", lambda ids: {})

    def anonymised_before() -> int:
        with no_care:
            return sum(1 for _ in anonymised_rows(qs, 10)[1])

    def anonymised_now() -> int:
        return sum(1 for _ in anonymised_dataset(qs, 10)[2])

    def personal_before() -> int:
        with no_care:
            return sum(1 for _ in columns.personal_rows(qs))

    def personal_now() -> int:
        return sum(1 for _ in columns.personal_rows(qs))

    results = {}
    for name, fn in [
        ("anonymised_before", anonymised_before),
        ("anonymised_now", anonymised_now),
        ("personal_before", personal_before),
        ("personal_now", personal_now),
    ]:
        results[name], count = best(fn)
        print(f"{name:>18}: {results[name]:6.2f} s for {count:,} rows", flush=True)
    anonymised_ratio = results["anonymised_now"] / results["anonymised_before"]
    personal_ratio = results["personal_now"] / results["personal_before"]
    print(f"anonymised dataset with care columns: {anonymised_ratio:.2f}x the time before")
    print(f"personal export's rows with care columns: {personal_ratio:.2f}x the time before")
    print(
        f"RESULT rows={ROWS} anonymised_before_s={results['anonymised_before']:.2f} "
        f"anonymised_now_s={results['anonymised_now']:.2f} anonymised_ratio={anonymised_ratio:.2f} "
        f"personal_before_s={results['personal_before']:.2f} "
        f"personal_now_s={results['personal_now']:.2f} personal_ratio={personal_ratio:.2f}"
    )


if __name__ == "__main__":
    main()
