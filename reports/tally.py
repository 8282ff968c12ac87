"""The statistics tally's upkeep: compaction, rebuilding and verification (PostgreSQL only).

The triggers of migration ``reports/0003_statistics_tally_triggers`` append every change to
``TallyChange``; ``compact`` folds those into ``Tally`` (``manage.py compact_statistics``, run
nightly, see docs/deployment.md). Until then the statistics read both, so the figures are
exact at any time; compaction only keeps the reads short.
"""

from __future__ import annotations

from django.db import DEFAULT_DB_ALIAS, connections, transaction

from reports.aggregates import COMMAND_LINE, Period, count_registrations
from reports.aggregates import counted_registrations as counted
from reports.dimensions import BREAKDOWNS


def is_kept(using: str = DEFAULT_DB_ALIAS) -> bool:
    """Whether this database keeps a tally (PostgreSQL, where the triggers are installed)."""
    return connections[using].vendor == "postgresql"


def _call(function: str, using: str) -> int:
    with transaction.atomic(using=using), connections[using].cursor() as cursor:
        cursor.execute(f"SELECT {function}()")
        return int(cursor.fetchone()[0])


def compact(using: str = DEFAULT_DB_ALIAS) -> int:
    """Folds the pending changes into the tally; the number folded (0 if another runs)."""
    return _call("reports_tally_compact", using)


def rebuild(using: str = DEFAULT_DB_ALIAS) -> int:
    """Recomputes the tally from the registrations; the number of counted registrations."""
    return _call("reports_tally_rebuild", using)


def differences(using: str = DEFAULT_DB_ALIAS) -> list[str]:
    """Every breakdown (and the year) of all registrations, from the tally against a live
    count; one line per dimension that differs (codes and counts only, no personal value)."""
    dimensions = [*BREAKDOWNS, "year"]
    qs = counted(COMMAND_LINE, Period()).using(using)
    tallied = count_registrations(qs, dimensions, everything_in=Period())
    live = count_registrations(qs, dimensions)
    found = []
    if tallied.total != live.total:
        found.append(f"total: tally {tallied.total}, registrations {live.total}")
    for key in dimensions:
        if tallied.by[key] != live.by[key]:
            found.append(
                f"{key}: tally {sorted(tallied.by[key].items())}, "
                f"registrations {sorted(live.by[key].items())}"
            )
    return found
