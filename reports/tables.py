"""Statistics tables built from exact counts, with disclosure control applied (every count
rounded to base 5, counts below k shown as ``x``: reports.disclosure).

The same tables feed the statistics page, its charts, the CSV/XLSX downloads and the
``export_statistics`` command, so every published figure passes the same rules.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.db.models import Count
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from registry.choices import ReferralType
from registry.models import Referral
from reports.aggregates import (
    Counts,
    Period,
    count_registrations,
    counted_registrations,
    counts_everything,
)
from reports.dimensions import BREAKDOWNS, DIMENSIONS, UNKNOWN, Dimension
from reports.suppression import (
    Cell,
    cell,
    small_cell_k,
    suppress_grid,
    suppress_series,
    with_percentages,
)

if TYPE_CHECKING:
    from registry.models import User

OTHER_VALUES = "_other"


@dataclass
class Row:
    value: str
    label: str
    cell: Cell


@dataclass
class Breakdown:
    key: str
    title: str | Promise
    rows: list[Row]
    total: Cell
    multivalued: bool = False


@dataclass
class CrossLine:
    value: str
    label: str
    cells: list[Cell]
    total: Cell


@dataclass
class CrossTable:
    row_key: str
    col_key: str
    row_title: str | Promise
    col_title: str | Promise
    rows: list[tuple[str, str]]  # (value, label)
    cols: list[tuple[str, str]]
    cells: list[list[Cell]]
    row_totals: list[Cell]
    col_totals: list[Cell]

    @property
    def lines(self) -> list[CrossLine]:
        return [
            CrossLine(value, label, cells, total)
            for (value, label), cells, total in zip(
                self.rows, self.cells, self.row_totals, strict=True
            )
        ]


@dataclass
class YearRow:
    year: str
    cell: Cell
    change: int | None = None
    change_percent: float | None = None


@dataclass
class Statistics:
    period: Period
    k: int
    total: Cell
    persons: Cell
    breakdowns: list[Breakdown] = field(default_factory=list)
    cross: CrossTable | None = None
    years: list[YearRow] = field(default_factory=list)
    referrals: Breakdown | None = None


def _top(dim: Dimension, counts: dict[str, int], k: int, scope: str = "") -> dict[str, str]:
    """Value -> bucket for a dimension without a fixed list of values (countries): the
    ``dim.top`` values with the largest published figures stay, every other value becomes
    'other'. A value whose figure reads ``x`` is never listed on its own: its row would tell
    that someone of that country was counted (x covers zero too), so it joins 'other'. Ranked
    by the published (rounded) figure, then by code, never by the exact count."""
    if not dim.top:
        return {value: value for value in counts}
    shown = {
        v: cell(n, k, _key(scope, dim, v)).published for v, n in counts.items() if v != UNKNOWN
    }
    ranked = sorted((v for v, n in shown.items() if n is not None), key=lambda v: (-shown[v], v))
    keep = set(ranked[: dim.top]) | {UNKNOWN}
    return {value: value if value in keep else OTHER_VALUES for value in counts}


def _bucketed(dim: Dimension, counts: dict[str, int], k: int, scope: str = "") -> dict[str, int]:
    mapping = _top(dim, counts, k, scope)
    result: dict[str, int] = {}
    for value, n in counts.items():
        result[mapping[value]] = result.get(mapping[value], 0) + n
    return result


def scope_of(period: Period) -> str:
    """What a period counts, for the keys of its figures: the same dates, the same rounding
    (a year's total and the year's row in a run of years are one figure)."""
    return f"{period.start or ''}..{period.end or ''}"


def _key(scope: str, dim: Dimension | str, value: str) -> str:
    return f"{scope}|{getattr(dim, 'key', dim)}={value}"


def _ordered_values(dim: Dimension, counts: dict[str, int], k: int, scope: str = "") -> list[str]:
    """Known codes in their fixed order, others by published (rounded) count, then by code.

    Values shown as ``x`` go last in alphabetical order, and equal rounded counts by code:
    ordering by the exact counts would tell which of two cells is larger.
    """
    if dim.order:
        values = list(dim.order)
        values += sorted(v for v in counts if v not in dim.order)
        return values
    present = [v for v in counts if v != OTHER_VALUES]
    shown = {v: cell(counts[v], k, _key(scope, dim, v)).published for v in present}
    published = sorted((v for v in present if shown[v] is not None), key=lambda v: (-shown[v], v))
    small = sorted(v for v in present if shown[v] is None)
    tail = [OTHER_VALUES] if OTHER_VALUES in counts else []
    return published + small + tail


def breakdown(
    dim: Dimension, counts: dict[str, int], total: int, k: int, scope: str = ""
) -> Breakdown:
    """One dimension's table. ``scope`` (``scope_of(period)``) keys the random rounding, so a
    figure published again elsewhere (a crossing's margin) reads the same."""
    counts = _bucketed(dim, counts, k, scope)
    labels = dim.labels()
    values = _ordered_values(dim, counts, k, scope)
    total_key = f"{scope}|registrations"
    total_cell = cell(total, k, total_key)
    cells = suppress_series(
        [counts.get(v, 0) for v in values],
        k,
        not total_cell.suppressed,
        [_key(scope, dim, v) for v in values],
    )
    with_percentages(cells, total, k, total_key)
    rows = [Row(v, labels.get(v, v), c) for v, c in zip(values, cells, strict=True)]
    return Breakdown(dim.key, dim.label, rows, total_cell, dim.multiplies)


def cross_table(
    row_dim: Dimension,
    col_dim: Dimension,
    grid_counts: dict[tuple[str, str], int],
    row_counts: dict[str, int],
    col_counts: dict[str, int],
    k: int,
    scope: str = "",
) -> CrossTable:
    row_map, col_map = _top(row_dim, row_counts, k, scope), _top(col_dim, col_counts, k, scope)
    merged: dict[tuple[str, str], int] = {}
    for (a, b), n in grid_counts.items():
        key = (row_map.get(a, a), col_map.get(b, b))
        merged[key] = merged.get(key, 0) + n
    row_totals_exact = _bucketed(row_dim, row_counts, k, scope)
    col_totals_exact = _bucketed(col_dim, col_counts, k, scope)
    rows = _ordered_values(row_dim, row_totals_exact, k, scope)
    cols = _ordered_values(col_dim, col_totals_exact, k, scope)
    row_totals = [cell(row_totals_exact.get(v, 0), k, _key(scope, row_dim, v)) for v in rows]
    col_totals = [cell(col_totals_exact.get(v, 0), k, _key(scope, col_dim, v)) for v in cols]
    cells = suppress_grid(
        [[merged.get((a, b), 0) for b in cols] for a in rows],
        k,
        [not c.suppressed for c in row_totals],
        [not c.suppressed for c in col_totals],
        [[f"{_key(scope, row_dim, a)}|{col_dim.key}={b}" for b in cols] for a in rows],
    )
    row_labels, col_labels = row_dim.labels(), col_dim.labels()
    return CrossTable(
        row_dim.key,
        col_dim.key,
        row_dim.label,
        col_dim.label,
        [(v, row_labels.get(v, v)) for v in rows],
        [(v, col_labels.get(v, v)) for v in cols],
        cells,
        row_totals,
        col_totals,
    )


def year_on_year(
    counts: dict[str, int],
    k: int,
    total_published: bool = True,
    period: Period | None = None,
    figure: str = "registrations",
) -> list[YearRow]:
    """Registrations (or ``figure``: "persons") per year with the change against the year
    before (both published), computed from the published (rounded) counts. With ``period``,
    each year's figure is keyed by the dates it counts (the year within the period), so it
    reads as that year's own total."""

    def key(year: str) -> str:
        if period is None:
            return f"year={year}"
        first, last = datetime.date(int(year), 1, 1), datetime.date(int(year), 12, 31)
        start = max(period.start, first) if period.start else first
        end = min(period.end, last) if period.end else last
        return f"{scope_of(Period(start, end))}|{figure}"

    years = sorted(counts)
    rows: list[YearRow] = []
    cells = suppress_series([counts[y] for y in years], k, total_published, [key(y) for y in years])
    for year, this in zip(years, cells, strict=True):
        row = YearRow(year, this)
        previous = rows[-1].cell if rows else None
        if previous is not None and not previous.suppressed and not this.suppressed:
            row.change = this.published - previous.published
            if previous.published:
                row.change_percent = 100.0 * row.change / previous.published
        rows.append(row)
    return rows


def build_statistics(
    user: User,
    period: Period,
    cross: tuple[str, str] | None = None,
    dimensions: list[str] | None = None,
    k: int | None = None,
) -> Statistics:
    """Every table of the statistics page, protected with ``k`` (default from settings)."""
    k = small_cell_k() if k is None else k
    keys = list(dimensions or BREAKDOWNS)
    wanted = [*keys, "year"]
    if cross:
        wanted += [key for key in cross if key not in wanted]
    qs = counted_registrations(user, period)
    everything_in = period if counts_everything(qs) else None
    counts: Counts = count_registrations(qs, wanted, [cross] if cross else [], everything_in)
    scope = scope_of(period)
    stats = Statistics(
        period,
        k,
        cell(counts.total, k, f"{scope}|registrations"),
        cell(counts.persons, k, f"{scope}|persons"),
    )
    for key in keys:
        stats.breakdowns.append(breakdown(DIMENSIONS[key], counts.by[key], counts.total, k, scope))
    stats.years = year_on_year(counts.by["year"], k, not stats.total.suppressed, period)
    if everything_in is not None:
        stats.referrals = referrals_per_type(period, k)
    if cross:
        a, b = cross
        stats.cross = cross_table(
            DIMENSIONS[a], DIMENSIONS[b], counts.cross[cross], counts.by[a], counts.by[b], k, scope
        )
    return stats


def referrals_per_type(period: Period, k: int) -> Breakdown:
    """Issue 14: the referrals made in ``period`` (by their date), per type, with the small-cell
    rules of every other table; percentages of all referrals of the period. Counted only for
    who counts everything (``counts_everything``): referrals are not registrations, so the
    tally does not hold them and they are counted here, one GROUP BY on an indexed date."""
    counts = dict(
        Referral.objects.in_period(period.start, period.end)
        .order_by()
        .values_list("referral_type")
        .annotate(n=Count("pk"))
        .values_list("referral_type", "n")
    )
    total = sum(counts.values())
    scope = scope_of(period)
    total_cell = cell(total, k, f"{scope}|referrals")
    values = list(ReferralType.values)
    cells = suppress_series(
        [counts.get(v, 0) for v in values],
        k,
        not total_cell.suppressed,
        [_key(scope, "referral_type", v) for v in values],
    )
    with_percentages(cells, total, k, f"{scope}|referrals")
    labels = dict(ReferralType.choices)
    rows = [Row(v, str(labels[v]), c) for v, c in zip(values, cells, strict=True)]
    return Breakdown("referral_type", _("Referrals per type"), rows, total_cell)


def statistics_rows(stats: Statistics) -> list[tuple[str, str, str, str]]:
    """(dimension, value, count, percent) rows for the CSV download and the command."""
    rows: list[tuple[str, str, str, str]] = [
        ("total", "registrations", stats.total.text, ""),
        ("total", "persons", stats.persons.text, ""),
    ]
    for table in stats.breakdowns:
        rows += [(table.key, row.value, row.cell.text, row.cell.percent_text) for row in table.rows]
    rows += [("year", row.year, row.cell.text, "") for row in stats.years]
    if stats.referrals is not None:
        rows += [
            ("referral_type", row.value, row.cell.text, row.cell.percent_text)
            for row in stats.referrals.rows
        ]
    if stats.cross:
        ct = stats.cross
        name = f"{ct.row_key}x{ct.col_key}"
        for (a, _label), line in zip(ct.rows, ct.cells, strict=True):
            for (b, _col_label), c in zip(ct.cols, line, strict=True):
                rows.append((name, f"{a}|{b}", c.text, ""))
    return rows


STATISTICS_HEADER = ("dimension", "value", "count", "percent")
SUMMARY_LABELS = {"registrations": _("registrations"), "persons": _("unique persons")}
