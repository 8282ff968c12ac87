"""The one entry point of disclosure control for published figures (docs/reports.md,
"Disclosure control").

``reports.tables`` builds every published table (the statistics page, its charts, the CSV/XLSX
downloads, ``export_statistics``) through these functions; the method itself lives in
``reports.disclosure``: every count randomly rounded on its own to base 5, counts below k
(zero included) shown as ``x``. It replaced secondary suppression, which hid headline figures (the
48.2% male of the victim monitor's table, to protect 4 of unknown gender).

Rules, applied to every table on a published screen and in every download:

1. A count below k (``settings.REGISTRY_SMALL_CELL_K``, default 10), zero included, reads
   ``x``: from 0 to k-1, without saying whether there is anyone.
2. Every other count is randomly rounded to one of the two multiples of b next to it
   (``settings.REGISTRY_ROUNDING_BASE``, default 5), on its own: totals, margins, years and
   the cells of a crossing are rounded independently, so a table need not add up. A figure
   is within b-1 of its count.
3. Percentages are of the published total and computed from the published counts; a cell
   shown as ``x`` has none.
"""

from __future__ import annotations

from reports.disclosure import (
    SUPPRESSED,
    Cell,
    percentages,
    protect,
    rounding_base,
    small_cell_k,
)

__all__ = [
    "SUPPRESSED",
    "Cell",
    "cell",
    "rounding_base",
    "small_cell_k",
    "suppress_grid",
    "suppress_series",
    "with_percentages",
]


def cell(count: int, k: int, key: str = "") -> Cell:
    """One count as published; ``key`` names what it counts (the same key, the same value)."""
    return protect(count, k, key=key)


def suppress_series(
    counts: list[int], k: int, total_published: bool = True, keys: list[str] | None = None
) -> list[Cell]:
    """Cells of a one-way breakdown. ``total_published`` is no longer needed (each cell is
    protected on its own) and kept for the callers."""
    keys = keys or [str(n) for n in range(len(counts))]
    return [protect(n, k, key=key) for n, key in zip(counts, keys, strict=True)]


def suppress_grid(
    grid: list[list[int]],
    k: int,
    rows_published: list[bool],
    cols_published: list[bool],
    keys: list[list[str]] | None = None,
) -> list[list[Cell]]:
    """Cells of a crossing (rows x columns), each protected on its own."""
    keys = keys or [[f"{i}|{j}" for j in range(len(row))] for i, row in enumerate(grid)]
    return [
        [protect(n, k, key=key) for n, key in zip(row, row_keys, strict=True)]
        for row, row_keys in zip(grid, keys, strict=True)
    ]


def with_percentages(
    cells: list[Cell], total: int, k: int | None = None, key: str = "total"
) -> list[Cell]:
    """A percentage of the published ``total`` (published under ``key``) beside each published
    count."""
    return percentages(cells, protect(total, small_cell_k() if k is None else k, key=key))
