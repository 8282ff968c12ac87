"""Counting registrations by dimension: database aggregates only, never a decrypted value.

``count_registrations`` returns raw (exact) counts; publishing them goes through
``reports.suppression``. On PostgreSQL, when the registrations asked for are every counted
registration of a period (administrators, the help desk, the command line), the breakdowns and
the year come from the statistics tally (``reports.models.Tally``, kept by triggers in the same
transaction as every change); only the crossing is counted live, in one ``GROUPING SETS`` pass
over plain columns (the person's gender and nationality are copied onto the registration, so
no join), folded into values in Python, and the unique persons by an index-only scan. A
narrower set of registrations is counted live: the single-valued dimensions in that pass, the
forms of exploitation and the case fields each in one join without ``COUNT(DISTINCT)``.
Elsewhere (SQLite) one ``GROUP BY`` query per dimension gives the same figures.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.db import connections, transaction
from django.db.models import Count, F, QuerySet
from django.db.models.functions import ExtractYear
from django.db.models.query import EmptyQuerySet

from registry.choices import COUNTED_STATUSES
from registry.models import Case, FormOfExploitation, Registration
from reports.dimensions import DIMENSIONS, UNKNOWN, Dimension

if TYPE_CHECKING:
    from registry.models import User

# Stands in for a user on the command line (shell access to the server): every registration.
COMMAND_LINE = object()


@dataclass(frozen=True)
class Period:
    """Registration dates from ``start`` to ``end`` inclusive; None leaves that side open."""

    start: datetime.date | None = None
    end: datetime.date | None = None

    def as_filters(self) -> dict[str, str]:
        """For audit details and file names: the bounds as ISO dates."""
        return {
            "from": self.start.isoformat() if self.start else "",
            "to": self.end.isoformat() if self.end else "",
        }


def counted_registrations(user: User | object, period: Period) -> QuerySet:
    """The registrations ``user`` may count (through ``for_statistics``) in ``period``: every
    counted registration of the period, or none (``registry.access.may_count``).

    ``COMMAND_LINE`` instead of a user counts every registration (management commands).
    """
    base = Registration.objects.all()
    if user is not COMMAND_LINE:
        base = base.for_statistics(user)
    qs = base.filter(status__in=COUNTED_STATUSES)
    if period.start:
        qs = qs.filter(registered_on__gte=period.start)
    if period.end:
        qs = qs.filter(registered_on__lte=period.end)
    return qs.order_by()


def counts_everything(registrations: QuerySet) -> bool:
    """Whether ``registrations`` (from ``counted_registrations``) is every counted
    registration of its period, so the tally may answer for it.

    Counting is all or nothing (``registry.access.registrations_countable_by``), so the
    answer is read off the queryset the rule gave instead of asking the rule again: one
    statistics request asks ``may_count`` in the page's gate and once for the rows counted.
    """
    return not isinstance(registrations, EmptyQuerySet)


@dataclass
class Counts:
    """Exact counts. ``by[dim][value]`` and ``cross[(a, b)][(value_a, value_b)]``."""

    total: int = 0
    persons: int = 0
    by: dict[str, dict[str, int]] = field(default_factory=dict)
    cross: dict[tuple[str, str], dict[tuple[str, str], int]] = field(default_factory=dict)


def _column(key: str) -> str:
    return f"dim_{key}"


def _group(qs: QuerySet, keys: tuple[str, ...]) -> dict[tuple[str, ...], int]:
    """One GROUP BY over the dimensions ``keys``."""
    dims = [DIMENSIONS[key] for key in keys]
    distinct = any(dim.multiplies for dim in dims)
    annotated = qs.annotate(**{_column(dim.key): dim.expression() for dim in dims})
    rows = (
        annotated.values(*(_column(key) for key in keys))
        .annotate(n=Count("pk", distinct=distinct))
        .order_by()
    )
    result: dict[tuple[str, ...], int] = {}
    for row in rows:
        value = tuple(str(row[_column(key)]) for key in keys)
        result[value] = result.get(value, 0) + row["n"]
    return result


# Raw columns of bounded cardinality (controlled lists, regions, years) grouped together in
# one GROUPING SET; each dimension is then summed out of its set in Python. Measured at 1M rows
# it costs about the same as one set per column (hashing the columns is the cost), and sends
# back a few thousand rows at most.
PACKS: tuple[tuple[str, ...], ...] = (
    ("person_gender", "file_type", "scope", "registered_on__year"),
    ("age_at_registration", "sector"),
    ("reporter_type", "region_id"),
)


def _raw_name(dim: Dimension) -> str:
    """The raw column's name: a plain field name, or (the one expression) the year."""
    expression = dim.raw()  # type: ignore[misc]
    if isinstance(expression, F):
        return expression.name
    return "registered_on__year"


def _raw_sets(qs: QuerySet, sets: list[tuple[str, ...]]) -> dict[tuple[str, ...], list]:
    """PostgreSQL: ``(values, count)`` rows of every set of raw columns, in one scan."""
    names = sorted({name for group in sets for name in group})
    alias = {name: f"raw_{i}" for i, name in enumerate(names)}
    expressions = {}
    for name in names:
        expressions[alias[name]] = (
            ExtractYear("registered_on") if name == "registered_on__year" else F(name)
        )
    inner = qs.annotate(**expressions).values(*alias.values())
    sql, params = inner.query.sql_with_params()
    columns = [alias[name] for name in names]
    sets_sql = ", ".join("(" + ", ".join(alias[n] for n in group) + ")" for group in sets)
    # GROUPING(a, b, c) has a bit set (leftmost = a) for each column NOT in the row's set.
    mask_of = {}
    for group in sets:
        mask = 0
        for name in names:
            mask = (mask << 1) | (0 if name in group else 1)
        mask_of[mask] = group
    listed = ", ".join(columns)
    query = (
        f"SELECT GROUPING({listed}), {listed}, COUNT(*) "  # noqa: S608
        f"FROM ({sql}) AS registrations GROUP BY GROUPING SETS ({sets_sql})"
    )
    result: dict[tuple[str, ...], list] = {group: [] for group in sets}
    with connections[qs.db].cursor() as cursor:
        cursor.execute(query, params)
        for mask, *values, count in cursor.fetchall():
            group = mask_of[mask]
            result[group].append(({name: values[names.index(name)] for name in group}, count))
    return result


def _persons(qs: QuerySet) -> int:
    """The distinct persons: ``SELECT COUNT(*) FROM (SELECT DISTINCT person_id ...)``.

    On PostgreSQL an index-only scan of ``registration_counted_person`` (person, date; counted
    statuses only) in person order, without hashing: about 0.25 s at a million rows against
    0.7-1 s hashed.
    """
    return qs.values("person_id").distinct().count()


def _one_pass(
    qs: QuerySet, keys: list[str], crosses: list[tuple[str, str]], counts: Counts
) -> None:
    """The single-valued dimensions, their crossings and the total in one GROUPING SETS pass.

    Groups by raw columns (no CASE per row, no join) and folds them into values here.
    """
    raw = {key: _raw_name(DIMENSIONS[key]) for key in {*keys, *(k for p in crosses for k in p)}}
    if not raw:
        counts.total = qs.count()
        return
    needed = set(raw.values())
    sets: list[tuple[str, ...]] = [()]
    for pack in PACKS:
        members = tuple(sorted(name for name in pack if name in needed))
        if members:
            sets.append(members)
            needed -= set(members)
    sets += [(name,) for name in sorted(needed)]
    cross_sets = {pair: tuple(sorted({raw[pair[0]], raw[pair[1]]})) for pair in crosses}
    sets += [group for group in dict.fromkeys(cross_sets.values()) if group not in sets]
    found = _raw_sets(qs, sets)
    counts.total = sum(n for _values, n in found[()])
    folds = {key: DIMENSIONS[key].fold() for key in raw}
    for key in keys:
        group = next(g for g in sets if raw[key] in g)
        by: dict[str, int] = {}
        for values, n in found[group]:
            value = folds[key](values[raw[key]])
            by[value] = by.get(value, 0) + n
        counts.by[key] = by
    for pair, group in cross_sets.items():
        a, b = pair
        grid: dict[tuple[str, str], int] = {}
        for values, n in found[group]:
            value = (folds[a](values[raw[a]]), folds[b](values[raw[b]]))
            grid[value] = grid.get(value, 0) + n
        counts.cross[pair] = grid


def _forms(qs: QuerySet) -> dict[str, int] | None:
    """PostgreSQL: registrations by form of exploitation without COUNT(DISTINCT).

    The M2M table holds a (registration, form) pair at most once, so COUNT(*) per form code
    counts distinct registrations, and registrations without a form join as NULL (folded into
    'unknown' like the code 'unknown', which such a registration cannot have). Exact while no
    two codes fold into one value; otherwise None (the generic query counts).
    """
    fold = DIMENSIONS["exploitation_form"].fold()
    codes = [fold(code) for code in FormOfExploitation.objects.values_list("code", flat=True)]
    if len(set(codes)) != len(codes):
        return None
    through = Registration.exploitation_forms.through
    table = connections[qs.db].ops.quote_name(through._meta.db_table)
    sql, params = qs.values("pk").query.sql_with_params()
    query = (
        f"SELECT t.formofexploitation_id, COUNT(*) FROM ({sql}) AS r "  # noqa: S608
        f"LEFT JOIN {table} AS t ON t.registration_id = r.pk GROUP BY 1"
    )
    result: dict[str, int] = {}
    with connections[qs.db].cursor() as cursor:
        cursor.execute(query, params)
        for code, n in cursor.fetchall():
            value = fold(code)
            result[value] = result.get(value, 0) + n
    return result


CASE_COLUMNS = {"shelter": "shelter_placed", "care": "care_received"}

# The tally's dimension for each dimension counted from it (see reports/models.py and
# migration 0003_statistics_tally_triggers), and how its text values read back as the raw
# column's values that the dimension's ``fold`` expects.
TALLY_MULTIVALUED = {"exploitation_form": "form", **CASE_COLUMNS}
TALLY_PARSE = {
    "age_at_registration": lambda text: int(text) if text else None,
    "region_id": lambda text: int(text) if text else None,
}
TALLY_TOTAL = "total"


def _tally_name(key: str) -> str | None:
    if key in TALLY_MULTIVALUED:
        return TALLY_MULTIVALUED[key]
    if key == "year" or DIMENSIONS[key].raw is None:
        return None
    return _raw_name(DIMENSIONS[key])


def _from_tally(using: str, period: Period, keys: list[str], counts: Counts) -> list[str]:
    """PostgreSQL: the total and the breakdowns ``keys`` of every counted registration in
    ``period``, from the compacted tally and the changes not yet compacted. Returns the keys
    it counted; the year comes from the total's days.
    """
    names = {key: _tally_name(key) for key in keys}
    wanted = sorted({name for name in names.values() if name} | {TALLY_TOTAL})
    bounds, params = [], []
    if period.start:
        bounds.append("day >= %s")
        params.append(period.start)
    if period.end:
        bounds.append("day <= %s")
        params.append(period.end)
    where = " AND ".join(["dimension = ANY(%s)", *bounds])
    # The year is only needed for the total; other dimensions are summed over all days.
    query = (
        "SELECT dimension, value, "  # noqa: S608 (constants only; values are parameters)
        f"CASE WHEN dimension = '{TALLY_TOTAL}' THEN EXTRACT(YEAR FROM day)::int END, SUM(n) "
        f"FROM (SELECT day, dimension, value, n FROM reports_tally WHERE {where} "
        f"UNION ALL SELECT day, dimension, value, n FROM reports_tallychange WHERE {where}"
        ") AS tally GROUP BY 1, 2, 3 HAVING SUM(n) <> 0"
    )
    raw: dict[str, list[tuple[str, int | None, int]]] = {name: [] for name in wanted}
    with connections[using].cursor() as cursor:
        cursor.execute(query, [wanted, *params, wanted, *params])
        for dimension, value, year, n in cursor.fetchall():
            raw[dimension].append((value, year, n))
    counts.total = sum(n for _value, _year, n in raw[TALLY_TOTAL])
    done = []
    for key, name in names.items():
        if key == "year":
            counts.by[key] = {str(year): n for _value, year, n in raw[TALLY_TOTAL]}
        elif name is None:
            continue
        else:
            parse = TALLY_PARSE.get(name, str)
            fold = DIMENSIONS[key].fold()
            by: dict[str, int] = {}
            for value, _year, n in raw[name]:
                folded = fold(parse(value))
                by[folded] = by.get(folded, 0) + n
            counts.by[key] = by
        done.append(key)
    return done


def _case_values(qs: QuerySet, keys: list[str], total: int) -> dict[str, dict[str, int]]:
    """PostgreSQL: registrations by fields of their cases, all ``keys`` in one query.

    Starts from the cases (a third as many rows) and keeps those of the registrations in
    ``qs``; per value, and over all of them (the empty set: the registrations with a case; the
    rest of ``total`` has none). While no registration has two cases, COUNT(*) counts
    registrations (hashed); the same statement says whether one has, and then the query runs
    again with COUNT(DISTINCT registration) (sorted, slower).
    """
    # Only constants are formatted in (model table and column names); values are parameters.
    columns = [CASE_COLUMNS[key] for key in keys]
    table = Case._meta.db_table
    sql, params = qs.values("pk").query.sql_with_params()
    values_sql = ", ".join(
        f"CASE WHEN {column} = '' THEN %s ELSE {column} END AS {column}" for column in columns
    )
    sets_sql = ", ".join(f"({column})" for column in columns)
    shared = (
        f"(SELECT EXISTS (SELECT 1 FROM {table} WHERE registration_id IS NOT NULL "  # noqa: S608
        "GROUP BY registration_id HAVING COUNT(*) > 1))"
    )
    result: dict[str, dict[str, int]] = {key: {} for key in keys}
    with_case = 0
    full = (1 << len(columns)) - 1
    for count in ("COUNT(*)", "COUNT(DISTINCT registration_id)"):
        query = (
            f"SELECT GROUPING({', '.join(columns)}), {', '.join(columns)}, "  # noqa: S608
            f"{count}, {shared} FROM (SELECT registration_id, {values_sql} "
            f"FROM {table} WHERE registration_id IN ({sql})) AS cases "
            f"GROUP BY GROUPING SETS ({sets_sql}, ())"
        )
        with connections[qs.db].cursor() as cursor:
            cursor.execute(query, [UNKNOWN] * len(columns) + list(params))
            rows = cursor.fetchall()
        if not any(row[-1] for row in rows):
            break
    for mask, *values, n, _shared in rows:
        if mask == full:
            with_case = n
            continue
        # Exactly one column is grouped: its bit (leftmost = first) is clear.
        index = next(i for i in range(len(columns)) if not mask >> (len(columns) - 1 - i) & 1)
        result[keys[index]][values[index]] = n
    for key in keys:
        if total - with_case:
            result[key]["no_case"] = total - with_case
    return result


def count_registrations(
    qs: QuerySet,
    dimensions: list[str],
    crosses: list[tuple[str, str]] | None = None,
    everything_in: Period | None = None,
) -> Counts:
    """Exact counts of the registrations in ``qs`` by each dimension and each crossing.

    ``everything_in``: ``qs`` is every counted registration of that period (see
    ``counts_everything``), so on PostgreSQL the tally may count the breakdowns.
    """
    crosses = crosses or []
    if connections[qs.db].vendor == "postgresql":
        # Hash joins over a million registrations spill to disk at the default 4 MB;
        # SET LOCAL ends with this transaction.
        with transaction.atomic(using=qs.db), connections[qs.db].cursor() as cursor:
            cursor.execute("SET LOCAL work_mem = '64MB'")
            # JIT compiling these short aggregates costs more than it saves.
            cursor.execute("SET LOCAL jit = off")
            return _count(qs, dimensions, crosses, everything_in)
    return _count(qs, dimensions, crosses, None)


def _count(
    qs: QuerySet,
    dimensions: list[str],
    crosses: list[tuple[str, str]],
    everything_in: Period | None,
) -> Counts:
    counts = Counts()
    postgres = connections[qs.db].vendor == "postgresql"
    done_dims: set[str] = set()
    done_crosses: set[tuple[str, str]] = set()
    # Crossings of two single-valued dimensions: one GROUPING SETS pass on PostgreSQL.
    single_crosses = [
        pair for pair in crosses if all(DIMENSIONS[key].raw is not None for key in pair)
    ]
    if postgres and everything_in is not None:
        done_dims = set(_from_tally(qs.db, everything_in, dimensions, counts))
        # The crossing and the unique persons are not in the tally: counted live.
        if single_crosses:
            crossed = Counts()
            _one_pass(qs, [], single_crosses, crossed)
            counts.cross.update(crossed.cross)
            done_crosses = set(single_crosses)
        counts.persons = _persons(qs)
    elif postgres:
        single = [key for key in dimensions if DIMENSIONS[key].raw is not None]
        _one_pass(qs, single, single_crosses, counts)
        counts.persons = _persons(qs)
        done_dims, done_crosses = set(single), set(single_crosses)
        if "exploitation_form" in dimensions:
            found = _forms(qs)
            if found is not None:
                counts.by["exploitation_form"] = found
                done_dims.add("exploitation_form")
        case_keys = [key for key in CASE_COLUMNS if key in dimensions]
        if case_keys:
            counts.by.update(_case_values(qs, case_keys, counts.total))
            done_dims.update(case_keys)
    else:
        counts.total = qs.count()
        counts.persons = _persons(qs)
    for key in dimensions:
        if key not in done_dims:
            counts.by[key] = {value[0]: n for value, n in _group(qs, (key,)).items()}
    for pair in crosses:
        if pair not in done_crosses:
            counts.cross[pair] = dict(_group(qs, pair))  # type: ignore[arg-type]
    return counts
