"""Benchmark: does the duplicate check take as long for a name outside the user's scope as for
a name that exists nowhere?

Run from the repository root:

    .venv/bin/python bench/matching.py                 # SQLite, 200,000 people (about 2 min)
    BENCH_PERSONS=50000 .venv/bin/python bench/matching.py   # quicker
    .venv/bin/python bench/matching.py \
        --database postgres://postgres@127.0.0.1:5432/bench_matching   # on PostgreSQL

The table: BENCH_PERSONS people with the blind indexes intake gives them (family name, names
and date of birth, document, phonetic), each with a registration and a case in one of 21
regions; one in ten has a second registration in the next region (repeat victims). A
coordinator of the first region checks three kinds of typed person, taking turns so load
from other work hits all alike:

- nowhere: names, birth date and document that no one has;
- outside: exactly the values of a person registered only in other regions (every index
  matches; the coordinator may see none of them);
- inside: the values of a person of the coordinator's region (found, as it should be).

It prints the SQL statements each kind runs (nowhere and outside must run the same), the
median time of ``intake.matching.find_matches`` for each, the ratio outside / nowhere (goal:
1.0 within the noise) and inside / nowhere, the database's own time for the check's query,
and, for comparison, the same for the check as it was before issue 10 (blind indexes first
without access rules, stopping early when nothing matched anywhere). Ends with one RESULT
line.

The database is a SQLite file under /tmp made afresh, or with ``--database`` a PostgreSQL
database whose name starts with ``bench_``, dropped and made afresh.
"""

from __future__ import annotations

import argparse
import datetime
import os
import re
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings_test")

from bench.intake import ms, name_for, setup_django  # noqa: E402

DB_PATH = Path("/tmp/matching_bench.sqlite3")  # noqa: S108 - a throwaway benchmark database
PERSONS = int(os.environ.get("BENCH_PERSONS", "200000"))
PROBES = int(os.environ.get("BENCH_PROBES", "200"))
ROUNDS = int(os.environ.get("BENCH_ROUNDS", "3"))
REGIONS = 21
BATCH = 5000
NOWHERE_OFFSET = 2_000_000  # name_for gives distinct phonetic keys below 12**6


def person_values(i: int) -> tuple[str, str, datetime.date, str]:
    """Family name, given names, date of birth and document number of person ``i``."""
    family = name_for(i)
    given = name_for(i % 5000, 3)
    dob = datetime.date(1950 + i % 55, 1 + i % 12, 1 + i % 28)
    return family, given, dob, f"RX{i:08d}"


def regions_of(i: int) -> list[int]:
    """Region numbers of person ``i``'s registrations: one, and a second for one in ten."""
    first = i % REGIONS
    return [first, (first + 1) % REGIONS] if i % 10 == 0 else [first]


def fill(n: int) -> None:
    """``n`` people with registrations and cases, through the ORM's bulk inserts."""
    from registry.choices import ReporterType
    from registry.models import Case, Person, Region, Registration
    from registry.models.people import (
        document_index,
        family_name_index,
        name_dob_index,
        phonetic_index,
    )

    regions = Region.objects.bulk_create(
        Region(code=f"bench-{r}", name=f"Bench {r}") for r in range(REGIONS)
    )
    today = datetime.date.today()
    for start in range(0, n, BATCH):
        people, registrations, cases = [], [], []
        for i in range(start, min(start + BATCH, n)):
            family, given, dob, document = person_values(i)
            person = Person(
                gender="female",
                nationality="RO",
                year_of_birth=dob.year,
                bi_family_name=family_name_index(family),
                bi_name_dob=name_dob_index(family, given, dob),
                bi_document=document_index("RO", document),
                bi_phonetic=phonetic_index(family, dob.year),
            )
            people.append(person)
            for k, r in enumerate(regions_of(i)):
                registration = Registration(
                    number=f"{1900 + k * 60 + i // 900_000}-{i % 900_000:06d}",
                    person=person,
                    registered_on=today,
                    reporter_type=ReporterType.POLICE,
                    region=regions[r],
                    person_gender="female",
                    person_nationality="RO",
                )
                registrations.append(registration)
                cases.append(Case(person=person, registration=registration, region=regions[r]))
        # Straight to the table: Person.save() would recompute the indexes set above.
        Person.objects.bulk_create(people)
        Registration.objects.bulk_create(registrations)
        Case.objects.bulk_create(cases)
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


def coordinator_of_first_region():  # noqa: ANN201
    from registry.choices import Role
    from registry.models import Region, User

    user = User.objects.create_user(
        "bench-coordinator", "c@example.org", "x", role=Role.COORDINATOR
    )
    user.regions.set([Region.objects.get(code="bench-0")])
    return User.objects.get(pk=user.pk)


def probes() -> dict[str, list]:
    """Typed persons of each kind, as blind indexes (what the intake form gives the check)."""
    from intake.matching import indexes_for

    def typed(i: int):  # noqa: ANN202
        family, given, dob, document = person_values(i)
        return indexes_for(
            family_name=family,
            given_names=given,
            date_of_birth=dob,
            id_document_country="RO",
            id_document_number=document,
        )

    step = max(PERSONS // (PROBES * 2), 1)
    candidates = range(1, PERSONS, step)
    outside = [i for i in candidates if 0 not in regions_of(i)][:PROBES]
    inside = [i for i in range(0, PERSONS, REGIONS) if i % 10 != 0][:PROBES]
    nowhere = [NOWHERE_OFFSET + i for i in range(PROBES)]
    return {
        "nowhere": [typed(i) for i in nowhere],
        "outside": [typed(i) for i in outside],
        "inside": [typed(i) for i in inside],
    }


def candidates_first(user, ix, *, limit: int = 20) -> list:  # noqa: ANN001
    """The check as it was before issue 10, for comparison only (intake/matching.py at commit
    bc9bb4c): the blind indexes first, without access rules, and an early return when nothing
    matched anywhere; the access rules only for the candidates found."""
    from intake.matching import REASON_ORDER, Match, _query, _reasons
    from registry.models import Person, Registration

    q = _query(ix)
    if q is None:
        return []
    candidate_ids = list(
        Person.objects.filter(q, is_anonymous=False).values_list("pk", flat=True)[:200]
    )
    if not candidate_ids:
        return []
    people = Person.objects.for_user(user)
    people = (
        people.filter(q, is_anonymous=False)
        if len(candidate_ids) == 200
        else people.filter(pk__in=candidate_ids)
    )
    people = people.only(
        "id",
        "gender",
        "nationality",
        "year_of_birth",
        "bi_name_dob",
        "bi_document",
        "bi_family_name",
        "bi_phonetic",
        "created_at",
    )[:limit]
    matches = [Match(person=p, reasons=_reasons(p, ix)) for p in people]
    if matches:
        by_person = {m.person.pk: m for m in matches}
        rows = (
            Registration.objects.for_user(user)
            .filter(person__in=list(by_person))
            .order_by("registered_on", "number")
            .values_list("person_id", "number")
        )
        for person_id, number in rows:
            match = by_person[person_id]
            match.registration_count += 1
            match.latest_number = number
    matches.sort(key=lambda m: min(REASON_ORDER.index(r) for r in m.reasons))
    return matches


def statements(check, user, ix) -> list[str]:  # noqa: ANN001
    """The SQL a check runs, parameters blanked out."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        check(user, ix)
    return [re.sub(r"'(?:[^']|'')*'|\b\d+\b", "?", q["sql"]) for q in captured]


def measure(check, user, typed: dict[str, list]) -> dict[str, float]:  # noqa: ANN001
    """Median seconds of ``check`` per kind over ROUNDS rounds of PROBES probes each.

    The kinds take turns probe by probe, each probe starting with the next kind, so load from
    other work and what the previous call left in the caches hit every kind alike.
    """
    kinds = list(typed)
    times: dict[str, list[float]] = {kind: [] for kind in kinds}
    found: dict[str, int] = dict.fromkeys(kinds, 0)
    for ixs in typed.values():  # one of each first, not counted
        check(user, ixs[0])
    for _round in range(ROUNDS):
        for i in range(PROBES):
            for j in range(len(kinds)):
                kind = kinds[(i + j) % len(kinds)]
                ix = typed[kind][i % len(typed[kind])]
                start = time.perf_counter()
                result = check(user, ix)
                times[kind].append(time.perf_counter() - start)
                found[kind] += bool(result)
    assert found["nowhere"] == 0 and found["outside"] == 0, found
    assert found["inside"] == PROBES * ROUNDS, found
    return {kind: statistics.median(runs) for kind, runs in times.items()}


def measure_database(user, typed: dict[str, list]) -> dict[str, float]:  # noqa: ANN001
    """Median seconds the database takes for the check's one query (built beforehand), per
    kind: what is left of the difference once the application's work is equal."""
    from django.db import connection

    from intake.matching import _query
    from registry.models import Person

    def sql(ix):  # noqa: ANN001, ANN202
        people = Person.objects.for_user(user).filter(_query(ix), is_anonymous=False)
        return people.only("id")[:20].query.sql_with_params()

    kinds = list(typed)
    queries = {kind: [sql(ix) for ix in ixs] for kind, ixs in typed.items()}
    times: dict[str, list[float]] = {kind: [] for kind in kinds}
    with connection.cursor() as cursor:
        for _round in range(ROUNDS):
            for i in range(PROBES):
                for j in range(len(kinds)):
                    kind = kinds[(i + j) % len(kinds)]
                    text, params = queries[kind][i % len(queries[kind])]
                    start = time.perf_counter()
                    cursor.execute(text, params)
                    cursor.fetchall()
                    times[kind].append(time.perf_counter() - start)
    return {kind: statistics.median(runs) for kind, runs in times.items()}


def line(name: str, medians: dict[str, float], unit: str = "ms") -> str:
    scale = 1000 if unit == "ms" else 1_000_000
    return (
        f"{name}: nowhere {medians['nowhere'] * scale:.3f} {unit}, "
        f"outside the scope {medians['outside'] * scale:.3f} {unit}, "
        f"inside the scope {medians['inside'] * scale:.3f} {unit}; "
        f"outside / nowhere {medians['outside'] / medians['nowhere']:.2f}x, "
        f"inside / nowhere {medians['inside'] / medians['nowhere']:.2f}x"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database", help="postgres://.../bench_... (default SQLite)")
    args = parser.parse_args()
    wall = time.perf_counter()
    setup_django(args.database, DB_PATH)
    from django.db import connection

    from intake.matching import find_matches

    print(f"database: {connection.vendor}")
    started = time.perf_counter()
    fill(PERSONS)
    print(
        f"inserted {PERSONS:,} people with registrations and cases in {REGIONS} regions "
        f"in {time.perf_counter() - started:.0f} s"
    )
    user = coordinator_of_first_region()
    typed = probes()
    find_matches(user, typed["inside"][-1])  # the user's regions are read once, then kept
    same_sql = {}
    for name, check in (("now", find_matches), ("before", candidates_first)):
        sql = {kind: statements(check, user, ixs[0]) for kind, ixs in typed.items()}
        same_sql[name] = sql["nowhere"] == sql["outside"]
        print(
            f"{name}: statements per check: nowhere {len(sql['nowhere'])}, "
            f"outside {len(sql['outside'])}, inside {len(sql['inside'])}; "
            f"nowhere and outside run the same SQL: {'yes' if same_sql[name] else 'no'}"
        )
    results = {}
    for name, check in (("now", find_matches), ("before", candidates_first)):
        results[name] = measure(check, user, typed)
        print(line(f"{name}: duplicate check, median of {PROBES * ROUNDS} each", results[name]))
    database = measure_database(user, typed)
    print(line("now: the database alone (the same query, built beforehand)", database, "us"))
    now, before = results["now"], results["before"]
    print(f"bench wall time: {time.perf_counter() - wall:.0f} s")
    print(
        f"RESULT database={connection.vendor} persons={PERSONS} "
        f"nowhere_ms={ms(now['nowhere']):.3f} outside_ms={ms(now['outside']):.3f} "
        f"inside_ms={ms(now['inside']):.3f} "
        f"outside_ratio={now['outside'] / now['nowhere']:.2f} "
        f"inside_ratio={now['inside'] / now['nowhere']:.2f} "
        f"same_sql={'yes' if same_sql['now'] else 'no'} "
        f"db_outside_ratio={database['outside'] / database['nowhere']:.2f} "
        f"before_outside_ratio={before['outside'] / before['nowhere']:.2f} "
        f"before_same_sql={'yes' if same_sql['before'] else 'no'}"
    )


if __name__ == "__main__":
    main()
