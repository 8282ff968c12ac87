"""Counting registrations by dimension: database aggregates only, never a decrypted value.

``count_registrations`` returns raw (exact) counts; publishing them goes through
``reports.suppression``. On PostgreSQL the single-valued dimensions, the year and the
crossing are counted in one pass with ``GROUPING SETS``; elsewhere (SQLite) one ``GROUP BY``
query per dimension gives the same figures.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Any

from django.db import connections, transaction
from django.db.models import Count, QuerySet

from registry.choices import SubmissionStatus
from registry.models import Registration
from reports.dimensions import DIMENSIONS

# Submissions awaiting triage and rejected ones are not (yet) registrations of a victim.
COUNTED_STATUSES = (SubmissionStatus.ACCEPTED, SubmissionStatus.MERGED)


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


def registrations_for_statistics(user: Any, period: Period) -> QuerySet:
    """The registrations ``user`` may count (through ``for_user``) in ``period``.

    ``COMMAND_LINE`` instead of a user counts every registration (management commands).
    """
    base = Registration.objects.all()
    if user is not COMMAND_LINE:
        base = base.for_user(user)
    qs = base.filter(status__in=COUNTED_STATUSES)
    if period.start:
        qs = qs.filter(registered_on__gte=period.start)
    if period.end:
        qs = qs.filter(registered_on__lte=period.end)
    return qs.order_by()


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


def _grouping_sets(qs: QuerySet, sets: list[tuple[str, ...]]) -> dict[tuple[str, ...], dict]:
    """PostgreSQL: all ``sets`` of single-valued dimensions in one scan (GROUPING SETS)."""
    keys = sorted({key for group in sets for key in group})
    inner = qs.annotate(**{_column(key): DIMENSIONS[key].expression() for key in keys}).values(
        *(_column(key) for key in keys)
    )
    sql, params = inner.query.sql_with_params()
    columns = [_column(key) for key in keys]
    sets_sql = ", ".join("(" + ", ".join(_column(k) for k in group) + ")" for group in sets)
    # GROUPING(a, b, c) has a bit set (leftmost = a) for each column NOT in the row's set.
    mask_of = {}
    for group in sets:
        mask = 0
        for key in keys:
            mask = (mask << 1) | (0 if key in group else 1)
        mask_of[mask] = group
    query = (
        f"SELECT GROUPING({', '.join(columns)}), {', '.join(columns)}, COUNT(*) "  # noqa: S608
        f"FROM ({sql}) AS registrations GROUP BY GROUPING SETS ({sets_sql})"
    )
    result: dict[tuple[str, ...], dict] = {group: {} for group in sets}
    with connections[qs.db].cursor() as cursor:
        cursor.execute(query, params)
        for mask, *values, count in cursor.fetchall():
            group = mask_of[mask]
            value = tuple(str(values[keys.index(key)]) for key in group)
            result[group][value] = count
    return result


def count_registrations(
    qs: QuerySet,
    dimensions: list[str],
    crosses: list[tuple[str, str]] | None = None,
) -> Counts:
    """Exact counts of the registrations in ``qs`` by each dimension and each crossing."""
    crosses = crosses or []
    if connections[qs.db].vendor == "postgresql":
        # Hash joins over a million registrations spill to disk at the default 4 MB;
        # SET LOCAL ends with this transaction.
        with transaction.atomic(using=qs.db), connections[qs.db].cursor() as cursor:
            cursor.execute("SET LOCAL work_mem = '64MB'")
            return _count(qs, dimensions, crosses)
    return _count(qs, dimensions, crosses)


def _count(qs: QuerySet, dimensions: list[str], crosses: list[tuple[str, str]]) -> Counts:
    counts = Counts()
    single = [key for key in dimensions if not DIMENSIONS[key].multiplies]
    single_crosses = [
        pair for pair in crosses if not any(DIMENSIONS[key].multiplies for key in pair)
    ]
    if connections[qs.db].vendor == "postgresql" and single:
        sets: list[tuple[str, ...]] = [(), *((key,) for key in single), *single_crosses]
        found = _grouping_sets(qs, sets)
        counts.total = found[()].get((), 0)
        for key in single:
            counts.by[key] = {value[0]: n for value, n in found[(key,)].items()}
        for pair in single_crosses:
            counts.cross[pair] = dict(found[pair])  # type: ignore[arg-type]
        done_dims, done_crosses = set(single), set(single_crosses)
    else:
        counts.total = qs.count()
        done_dims, done_crosses = set(), set()
    for key in dimensions:
        if key not in done_dims:
            counts.by[key] = {value[0]: n for value, n in _group(qs, (key,)).items()}
    for pair in crosses:
        if pair not in done_crosses:
            counts.cross[pair] = dict(_group(qs, pair))  # type: ignore[arg-type]
    # Unique persons: SELECT COUNT(*) FROM (SELECT DISTINCT person_id ...), a hash aggregate.
    counts.persons = qs.values("person_id").distinct().count()
    return counts
