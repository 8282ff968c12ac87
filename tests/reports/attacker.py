"""An attacker of the published statistics (docs/reports.md, "Disclosure control", "The
attacker").

It reads every table a help-desk user can have for the published periods of a span of years
(every run of whole years, every year, half-year and quarter: the total, the breakdowns of
two single-valued dimensions, their crossing with its margins, and the year-on-year rows)
and derives, by integer programming (``scipy.optimize.milp``), the tightest bounds that all
those figures together put on each protected cell: a published figure whose true count is
from 1 to k-1. It does what a person with a spreadsheet does, only exhaustively: subtraction
across margins, across crossings and across adjacent periods (a year less three of its
quarters, a half less a quarter, a run less its years).

The unknowns are the finest cells every published figure is a sum of: the registrations of
one quarter with one raw value of each dimension (a country, not "other countries"). Each
published figure says ``lo <= sum of its cells <= hi``, with ``(lo, hi)`` the figure's meaning
under the publication method (``meaning``). A protected cell is **pinned** when the attacker
can prove its count is from 1 to k-1 within fewer than ``width`` possible values, or derive it
exactly.

The same attacker run on a deliberately weak publication (exact counts, small counts only
replaced by ``x``) pins cells: it is shown to work (tests/reports/test_disclosure.py).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

import numpy as np
from scipy.optimize import LinearConstraint, milp
from scipy.sparse import lil_matrix

from reports.aggregates import COMMAND_LINE, Period, count_registrations, counted_registrations
from reports.disclosure import SUPPRESSED
from reports.periods import PublishedPeriod
from reports.tables import OTHER_VALUES, Statistics, build_statistics

Meaning = Callable[[str], tuple[int, int]]
Publish = Callable[[int], str]


def documented_meaning(k: int, base: int) -> Meaning:
    """What docs/reports.md says a published count means (written from the documentation,
    not imported from the code under test): ``x`` is 0..k+base-1 (below k, or rounded to k);
    a number v is a count above k within ``base - 1`` of v (it was rounded to one of the two
    multiples next to it)."""

    def meaning(text: str) -> tuple[int, int]:
        if text == SUPPRESSED:
            return 0, k + base - 1
        value = int(text)
        return max(k + 1, value - (base - 1)), value + (base - 1)

    return meaning


def weak_publication(k: int) -> tuple[Publish, Meaning]:
    """Exact counts with only small counts (1..k-1) shown as ``x``: primary suppression alone."""

    def publish(count: int) -> str:
        return SUPPRESSED if 0 < count < k else str(count)

    def meaning(text: str) -> tuple[int, int]:
        if text == SUPPRESSED:
            return 1, k - 1
        return int(text), int(text)

    return publish, meaning


def published_periods(first_year: int, last_year: int) -> list[PublishedPeriod]:
    """Every published period within the years: runs of whole years, years, halves, quarters."""
    periods = [
        PublishedPeriod(a, "", b)
        for a in range(first_year, last_year + 1)
        for b in range(a + 1, last_year + 1)
    ]
    for year in range(first_year, last_year + 1):
        periods += [
            PublishedPeriod(year, part) for part in ("", "H1", "H2", "Q1", "Q2", "Q3", "Q4")
        ]
    return periods


def quarters(first_year: int, last_year: int) -> list[PublishedPeriod]:
    return [
        PublishedPeriod(year, part)
        for year in range(first_year, last_year + 1)
        for part in ("Q1", "Q2", "Q3", "Q4")
    ]


@dataclass
class Figure:
    """One published figure: the period, what it counts, its published text and (for the
    test's judgement only, never for the attacker) its exact count."""

    label: str
    quarters: frozenset[int]
    a_values: frozenset[str] | None  # None: every value
    b_values: frozenset[str] | None
    text: str
    exact: int


@dataclass
class Bounds:
    figure: Figure
    lo: int
    hi: int

    @property
    def values(self) -> int:
        return self.hi - self.lo + 1


@dataclass
class Attack:
    figures: list[Figure]
    protected: list[Figure]
    bounds: list[Bounds] = field(default_factory=list)
    solved: int = 0

    def pinned(self, k: int, width: int) -> list[Bounds]:
        return [b for b in self.bounds if is_pinned(b, k, width)]


def is_pinned(bounds: Bounds, k: int, width: int) -> bool:
    """Derived exactly, or proven to be from 1 to k-1 within fewer than ``width`` values."""
    if bounds.lo == bounds.hi:
        return True
    return bounds.lo >= 1 and bounds.hi <= k - 1 and bounds.values < width


def _quarter_index(first_year: int, period: Period) -> frozenset[int]:
    """The quarters (numbered from the first of ``first_year``) that ``period`` covers."""
    assert period.start is not None and period.end is not None
    first = (period.start.year - first_year) * 4 + (period.start.month - 1) // 3
    last = (period.end.year - first_year) * 4 + (period.end.month - 1) // 3
    return frozenset(range(first, last + 1))


def _values(rows: Iterable[str], value: str) -> frozenset[str] | None:
    """The raw values a row of a table counts: itself, or for "other" none of the named."""
    if value == OTHER_VALUES:
        named = {v for v in rows if v != OTHER_VALUES}
        return frozenset({f"!{v}" for v in named})  # complement, resolved against the universe
    return frozenset({value})


def figures_of(
    stats: Statistics, first_year: int, label: str, publish: Publish | None
) -> list[Figure]:
    """Every figure of one period's published tables (the breakdowns of the crossing's two
    dimensions, the crossing with its margins, the years and the total)."""
    period_quarters = _quarter_index(first_year, stats.period)

    def text(cell) -> str:
        return cell.text if publish is None else publish(cell.exact)

    found = [
        Figure(f"{label} total", period_quarters, None, None, text(stats.total), stats.total.exact)
    ]
    ct = stats.cross
    assert ct is not None
    for table in stats.breakdowns:
        names = [row.value for row in table.rows]
        for row in table.rows:
            values = _values(names, row.value)
            a, b = (values, None) if table.key == ct.row_key else (None, values)
            found.append(
                Figure(
                    f"{label} {table.key}={row.value}",
                    period_quarters,
                    a,
                    b,
                    text(row.cell),
                    row.cell.exact,
                )
            )
    row_names = [v for v, _label in ct.rows]
    col_names = [v for v, _label in ct.cols]
    for (a, _l), line, total in zip(ct.rows, ct.cells, ct.row_totals, strict=True):
        found.append(
            Figure(
                f"{label} row {a}",
                period_quarters,
                _values(row_names, a),
                None,
                text(total),
                total.exact,
            )
        )
        for (b, _c), cell in zip(ct.cols, line, strict=True):
            found.append(
                Figure(
                    f"{label} {a}|{b}",
                    period_quarters,
                    _values(row_names, a),
                    _values(col_names, b),
                    text(cell),
                    cell.exact,
                )
            )
    for (b, _c), total in zip(ct.cols, ct.col_totals, strict=True):
        found.append(
            Figure(
                f"{label} col {b}",
                period_quarters,
                None,
                _values(col_names, b),
                text(total),
                total.exact,
            )
        )
    for row in stats.years:
        year = int(row.year)
        in_year = frozenset(q for q in period_quarters if q // 4 == year - first_year)
        found.append(
            Figure(f"{label} year {year}", in_year, None, None, text(row.cell), row.cell.exact)
        )
    return found


def _resolve(values: frozenset[str] | None, universe: list[str]) -> set[str]:
    if values is None:
        return set(universe)
    if any(v.startswith("!") for v in values):
        excluded = {v[1:] for v in values}
        return {v for v in universe if v not in excluded}
    return set(values)


def _optimum(
    objective: np.ndarray, constraint: LinearConstraint, integrality: np.ndarray
) -> tuple[int, np.ndarray]:
    """The integer optimum and a solution reaching it: the linear relaxation first (fast),
    whose solution is often whole already and then optimal for the integer problem too; else
    the integer program."""
    relaxed = milp(objective, constraints=constraint)
    assert relaxed.success, relaxed.message  # the true counts are a solution: feasible
    if np.allclose(relaxed.x, np.round(relaxed.x), atol=1e-7):
        return round(relaxed.fun), np.round(relaxed.x)
    exact = milp(objective, constraints=constraint, integrality=integrality)
    assert exact.success, exact.message
    return round(exact.fun), np.round(exact.x)


def _can_be_zero(
    cells: list[int],
    truth: np.ndarray,
    matrix,
    lower: np.ndarray,
    upper: np.ndarray,
    quarter_of: np.ndarray,
    n_quarters: int,
) -> bool:
    """A quick certificate that the least count is 0: the true counts with this figure's
    registrations taken out, or moved to another cell of the same quarter, still agree with
    every published figure. Only ever proves a bound the integer program would find; when it
    fails, the integer program decides."""
    members = np.zeros(len(truth), dtype=bool)
    members[cells] = True
    emptied = truth.copy()
    emptied[members] = 0
    candidates = [emptied]
    touched = sorted(set(quarter_of[members].tolist()))
    per_quarter = {q: np.flatnonzero(~members & (quarter_of == q)) for q in touched}
    for t in range(min(len(others) for others in per_quarter.values())):
        shifted = emptied.copy()
        for q, others in per_quarter.items():
            shifted[others[t]] += truth[members & (quarter_of == q)].sum()
        candidates.append(shifted)
    for candidate in candidates:
        totals = matrix @ candidate
        if np.all(lower <= totals) and np.all(totals <= upper):
            return True
    return False


def attack(
    user,
    dims: tuple[str, str],
    first_year: int,
    last_year: int,
    meaning: Meaning,
    k: int,
    publish: Publish | None = None,
) -> Attack:
    """Bounds on every protected cell of the published tables of ``dims`` over the years."""
    a_dim, b_dim = dims
    figures: list[Figure] = []
    for published in published_periods(first_year, last_year):
        stats = build_statistics(user, published.period, cross=dims, dimensions=list(dims), k=k)
        figures += figures_of(stats, first_year, str(published), publish)
    # The universe of raw values: every value seen in any quarter (the attacker is granted it).
    a_universe: set[str] = set()
    b_universe: set[str] = set()
    for quarter in quarters(first_year, last_year):
        counts = count_registrations(
            counted_registrations(COMMAND_LINE, quarter.period), [a_dim, b_dim], [dims]
        )
        for a, b in counts.cross[dims]:
            a_universe.add(a)
            b_universe.add(b)
    for figure in figures:
        for values, universe in ((figure.a_values, a_universe), (figure.b_values, b_universe)):
            if values is not None:
                universe.update(v for v in values if not v.startswith("!"))
    a_list, b_list = sorted(a_universe), sorted(b_universe)
    n_quarters = (last_year - first_year + 1) * 4
    index = {
        (q, a, b): i
        for i, (q, a, b) in enumerate(
            (q, a, b) for q in range(n_quarters) for a in a_list for b in b_list
        )
    }
    members: list[list[int]] = []
    # One constraint per set of cells: a figure published twice (a breakdown and the
    # crossing's margin; a year's total and its row in a run) gives the intersection.
    known: dict[frozenset[int], tuple[int, int]] = {}
    for figure in figures:
        a_set, b_set = _resolve(figure.a_values, a_list), _resolve(figure.b_values, b_list)
        cols = [index[(q, a, b)] for q in figure.quarters for a in a_set for b in b_set]
        members.append(cols)
        lo, hi = meaning(figure.text)
        before = known.get(frozenset(cols), (lo, hi))
        known[frozenset(cols)] = (max(lo, before[0]), min(hi, before[1]))
    rows = lil_matrix((len(known), len(index)))
    lower, upper = np.zeros(len(known)), np.zeros(len(known))
    for n, (cols, (lo, hi)) in enumerate(known.items()):
        for col in cols:
            rows[n, col] = 1
        lower[n], upper[n] = lo, hi
    matrix = rows.tocsr()
    constraint = LinearConstraint(matrix, lower, upper)
    truth = np.zeros(len(index))
    for quarter_number, quarter in enumerate(quarters(first_year, last_year)):
        counts = count_registrations(
            counted_registrations(COMMAND_LINE, quarter.period), [a_dim, b_dim], [dims]
        )
        for (a, b), count in counts.cross[dims].items():
            truth[index[(quarter_number, a, b)]] = count
    assert np.all(lower <= matrix @ truth) and np.all(matrix @ truth <= upper)
    quarter_of = np.array([q for (q, _a, _b) in index])
    integrality = np.ones(len(index))
    protected = [n for n, f in enumerate(figures) if 0 < f.exact < k]
    result = Attack(figures, [figures[n] for n in protected])
    seen: set[frozenset[int]] = set()
    # Whole solutions found so far, each consistent with every published figure: where one
    # holds nobody in a cell, that cell's least count is 0 without another program.
    solutions: list[np.ndarray] = []
    for n in protected:
        key = frozenset(members[n])
        if key in seen:
            continue  # the same cells published twice (a margin and its breakdown)
        seen.add(key)
        if any(not solution[members[n]].sum() for solution in solutions) or _can_be_zero(
            members[n], truth, matrix, lower, upper, quarter_of, n_quarters
        ):
            # An integer solution consistent with everything published holds nobody here
            # (one found for another cell, or the truth with these registrations moved).
            result.bounds.append(Bounds(figures[n], 0, figures[n].exact))
            continue
        objective = np.zeros(len(index))
        objective[members[n]] = 1
        lo, solution = _optimum(objective, constraint, integrality)
        solutions.append(solution)
        result.solved += 1
        if lo == 0:
            # Not proven to hold anyone, and its true count is at least 1: not pinned.
            result.bounds.append(Bounds(figures[n], 0, k - 1))
            continue
        highest, solution = _optimum(-objective, constraint, integrality)
        hi = -highest
        solutions.append(solution)
        result.solved += 1
        result.bounds.append(Bounds(figures[n], lo, hi))
    return result
