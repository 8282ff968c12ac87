"""Small-cell suppression of published figures (docs/reports.md, "Suppression rules").

Rules, applied to every table on a published screen and in every download:

1. Primary: a count from 1 to k-1 is suppressed (k = ``settings.REGISTRY_SMALL_CELL_K``,
   default 10). Zero is published: it tells nothing about a person.
2. Secondary: where the total of a group is published (a breakdown, a row or a column of a
   crossing), one suppressed cell could be derived by subtracting the others from the total.
   So when a group has exactly one suppressed cell, the smallest other non-zero published
   cell of that group is suppressed as well; for a crossing this repeats over rows and
   columns until no group has a single suppressed cell.
3. Totals (a breakdown's total, the unique persons, the margins of a crossing) follow rule 1.
4. Percentages are shown only beside published counts; a suppressed cell has none.

Suppressed cells read ``x`` in screens and downloads (one mark for both rules, so a reader
cannot tell a secondary cell is at least k).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings

SUPPRESSED = "x"


def small_cell_k() -> int:
    return max(1, int(getattr(settings, "REGISTRY_SMALL_CELL_K", 10)))


@dataclass
class Cell:
    """One figure: the exact count (never published when suppressed) and its fate."""

    exact: int
    suppressed: bool = False
    secondary: bool = False
    percent: float | None = None

    @property
    def published(self) -> int | None:
        return None if self.suppressed else self.exact

    @property
    def text(self) -> str:
        return SUPPRESSED if self.suppressed else str(self.exact)

    @property
    def percent_text(self) -> str:
        return "" if self.percent is None else f"{self.percent:.1f}"


def primary(count: int, k: int) -> bool:
    """True when ``count`` is a small cell: 1 <= count < k."""
    return 0 < count < k


def cell(count: int, k: int) -> Cell:
    return Cell(exact=count, suppressed=primary(count, k))


def _protect_group(cells: list[Cell]) -> bool:
    """Rule 2 on one group; True when it suppressed another cell."""
    suppressed = [c for c in cells if c.suppressed]
    if len(suppressed) != 1:
        return False
    candidates = [c for c in cells if not c.suppressed and c.exact > 0]
    if not candidates:
        return False
    smallest = min(candidates, key=lambda c: c.exact)
    smallest.suppressed = True
    smallest.secondary = True
    return True


def suppress_series(counts: list[int], k: int, total_published: bool = True) -> list[Cell]:
    """Cells of a one-way breakdown, rules 1 and 2."""
    cells = [cell(n, k) for n in counts]
    if total_published:
        _protect_group(cells)
    return cells


def suppress_grid(
    grid: list[list[int]], k: int, rows_published: list[bool], cols_published: list[bool]
) -> list[list[Cell]]:
    """Cells of a crossing (rows x columns), rules 1 and 2 over rows and columns."""
    cells = [[cell(n, k) for n in row] for row in grid]
    changed = True
    while changed:
        changed = False
        for i, row in enumerate(cells):
            if rows_published[i]:
                changed |= _protect_group(row)
        for j in range(len(cols_published)):
            if cols_published[j]:
                changed |= _protect_group([row[j] for row in cells])
    return cells


def with_percentages(cells: list[Cell], total: int) -> list[Cell]:
    """Rule 4: a percentage of ``total`` beside each published count."""
    for c in cells:
        c.percent = None if c.suppressed or not total else 100.0 * c.exact / total
    return cells
