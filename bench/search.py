"""Benchmark of the case list's name search at 100,000 persons (issue 13, item 2).

    .venv/bin/python bench/search.py [--persons 100000] [--runs 30]

One SQLite file under /tmp: ``--persons`` persons (each with a registration and a case; a
tenth in the coordinator's region), their blind indexes and the name search's rows
(registry.models.search_tokens) worked out with the real index key, inserted in bulk. The
names are made of 3,000 invented family-name words and 800 given names, a fifth of the family
names compound (``Word-Word``), a tenth with a particle (``van der Word``). One word, ``Eze``,
is planted as the second part of 60 compound names, so a part search has a known answer.

Measured, each the best of ``--runs`` (the median printed too), as the case list does it for
the coordinator (registry.search, the access rules applied): the search's count and its first
page of 50 rows, ranked.

- baseline: an exact family name through ``Person.bi_family_name`` (the search the list had);
- part: a part of a family name (``Eze``) through the word rows;
- given: a given name of middling frequency; sound: a name that sounds alike (``Ese``);
- common: the most common family-name word (the worst case of a part search).

Goal: the part search under 20 ms at 100,000 persons. Ends with one line
``RESULT name=value ...`` with the part search's time over the baseline's.
"""

from __future__ import annotations

import argparse
import datetime
import random
import statistics
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

BATCH = 5000
PLANTED = "Eze"
PLANTED_COUNT = 60

from bench.workspace import setup_django  # noqa: E402 (after the path is set)


def invented_words(rng: random.Random, count: int, syllables: list[str]) -> list[str]:
    words: set[str] = set()
    while len(words) < count:
        words.add("".join(rng.choice(syllables) for _ in range(rng.randint(2, 4))).capitalize())
    return sorted(words)


def populate(
    persons: int, home, regions, coordinator, rng: random.Random
) -> tuple[Counter, Counter]:
    """The persons with their indexes and search rows, registrations and cases; returns how
    many persons hold each family-name word and each given name."""
    from django.db import transaction

    from registry.choices import Gender, ReporterType
    from registry.models import Case, Person, PersonSearchToken, Registration
    from registry.models.people import blind_indexes
    from registry.models.search_tokens import name_words

    family_words = invented_words(rng, 3000, ["ko", "na", "we", "li", "sa", "ter", "mo", "du"])
    given = invented_words(rng, 800, ["a", "da", "chi", "ne", "fo", "la", "ke", "mi"])
    weights = [1 / (rank + 1) for rank in range(len(family_words))]  # a few names are common
    planted = set(rng.sample(range(persons), PLANTED_COUNT))
    today = datetime.date.today()
    words: Counter = Counter()
    given_count: Counter = Counter()
    for first in range(0, persons, BATCH):
        people, tokens, registrations, cases = [], [], [], []
        for n in range(first, min(first + BATCH, persons)):
            family = rng.choices(family_words, weights)[0]
            if n in planted:
                family = f"{family}-{PLANTED}"
            elif rng.random() < 0.2:
                family = f"{family}-{rng.choices(family_words, weights)[0]}"
            elif rng.random() < 0.1:
                family = f"van der {family}"
            given_names = " ".join(rng.sample(given, rng.randint(1, 2)))
            year = rng.randrange(1960, 2008)
            words.update(name_words(family))
            given_count.update(name_words(given_names))
            found = blind_indexes(family_name=family, given_names=given_names, year_of_birth=year)
            person = Person(
                gender=rng.choice([Gender.FEMALE, Gender.MALE]),
                nationality=rng.choice(["NL", "RO", "NG", "PL", "BG"]),
                year_of_birth=year,
                **found.columns(),
            )
            tokens += [
                PersonSearchToken(person=person, kind=kind, digest=digest)
                for kind, digest in found.search_tokens
            ]
            region = home if rng.random() < 0.1 else rng.choice(regions)
            opened = today - datetime.timedelta(days=rng.randrange(0, 3 * 365))
            registration = Registration(
                number=f"{opened.year}-{n:06d}",
                person=person,
                registered_on=opened,
                reporter_type=ReporterType.POLICE,
                region=region,
            )
            cases.append(
                Case(
                    person=person,
                    registration=registration,
                    region=region,
                    coordinator=coordinator if region == home else None,
                    opened_on=opened,
                )
            )
            people.append(person)
            registrations.append(registration)
        with transaction.atomic():
            Person.objects.bulk_create(people)
            PersonSearchToken.objects.bulk_create(tokens)
            Registration.objects.bulk_create(registrations)
            Case.objects.bulk_create(cases)
    return words, given_count


def timed(once, runs: int) -> tuple[float, float, int]:
    """(best and median milliseconds of ``once()``, what it returned), after 3 warm-ups."""
    for _ in range(3):
        found = once()
    times = []
    for _ in range(runs):
        began = time.perf_counter()
        once()
        times.append((time.perf_counter() - began) * 1000)
    return min(times), statistics.median(times), found


def measure(user, term: str, runs: int, exact: bool = False) -> tuple[float, float, int]:
    """(best and median milliseconds, cases found) of the case list's search for ``term``:
    its count and its first page, ranked, as registry.views.cases does it. ``exact``: the
    baseline, the family name's own index ``Person.bi_family_name`` (the list's old search)."""
    from registry import search
    from registry.models import Case
    from registry.models.people import family_name_index

    def once() -> int:
        if exact:
            found = search.Search(search.FAMILY_NAME, (family_name_index(term),))
        else:
            found = search.from_term(term, search.CASE_KINDS)
        qs = search.filter_queryset(Case.objects.for_user(user), found, search.CASE_LOOKUPS)
        qs = search.ranked(qs.order_by("-opened_on", "pk"), found)
        count = qs.count()
        list(qs.values_list("pk", flat=True)[:50])
        return count

    return timed(once, runs)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--persons", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--keep", action="store_true", help="Keep the SQLite file afterwards.")
    args = parser.parse_args()

    db_path = Path(tempfile.gettempdir()) / "search-bench.sqlite3"
    db_path.unlink(missing_ok=True)
    setup_django(db_path)

    from django.core.management import call_command
    from django.db import connection

    from registry.choices import Role
    from registry.models import Person, PersonSearchToken, Region, User

    call_command("migrate", verbosity=0)
    call_command("load_reference_data", verbosity=0)
    regions = list(Region.objects.all())
    home = regions[0]
    coordinator = User.objects.create_user("bench-coordinator", role=Role.COORDINATOR)
    coordinator.regions.set([home])
    rng = random.Random(2026)

    began = time.perf_counter()
    words, given = populate(args.persons, home, regions, coordinator, rng)
    print(
        f"populated {Person.objects.count()} persons, {PersonSearchToken.objects.count()} "
        f"search rows in {time.perf_counter() - began:.1f}s"
    )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")

    common = words.most_common(1)[0][0]
    # The baseline: an exact family name of about as many persons as the planted part.
    middling = next(w for w, n in words.most_common() if n <= PLANTED_COUNT * 1.5).capitalize()
    figures = {
        "baseline": measure(coordinator, middling, args.runs, exact=True),
        "part": measure(coordinator, PLANTED, args.runs),
        "given": measure(coordinator, given.most_common()[len(given) // 2][0], args.runs),
        "sound": measure(coordinator, "Ese", args.runs),
        "common": measure(coordinator, common, args.runs),
    }
    for name, (best, median, found) in figures.items():
        print(f"{name:>8}: best {best:.2f} ms, median {median:.2f} ms, {found} case(s) found")
    base, part = figures["baseline"][0], figures["part"][0]
    ratio = part / base
    ok = part < 20
    print(
        f"RESULT persons={args.persons} ms_exact={base:.2f} ms_part={part:.2f} "
        f"ms_given={figures['given'][0]:.2f} ms_sound={figures['sound'][0]:.2f} "
        f"ms_common={figures['common'][0]:.2f} ratio_part_to_exact={ratio:.2f} "
        f"goal_met={'yes' if ok else 'no'}"
    )
    if not args.keep:
        db_path.unlink(missing_ok=True)


if __name__ == "__main__":
    main()
