"""Disclosure control of published counts: rounding to base 5 with a small-count mark.

The method (docs/reports.md, "Disclosure control"), as the ONS and HESA publish tables: every
published count is rounded on its own to the nearest multiple of ``b`` (the rounding base,
``settings.REGISTRY_ROUNDING_BASE``, default 5; halves round up), and every count below ``k``
(``settings.REGISTRY_SMALL_CELL_K``, default 10) — zero included — is shown as one mark, ``x``.
Totals, margins, years and periods are rounded independently of their parts, so a published
table need not add up, and nothing is suppressed because of another cell: the headline figures
always stay.

What a reader may take from a published figure (``interval``):

- ``x``: the count is from 0 to k-1. The mark does not say whether there is anyone at all.
- a number ``v``: the count is from ``max(k, v - b//2)`` to ``v + (b-1)//2`` (within 2 of ``v``
  for b = 5).

Percentages are computed from the published (rounded) count and the published total, so they
give nothing away that the counts do not.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings

SUPPRESSED = "x"


def small_cell_k() -> int:
    return max(1, int(getattr(settings, "REGISTRY_SMALL_CELL_K", 10)))


def rounding_base() -> int:
    return max(1, int(getattr(settings, "REGISTRY_ROUNDING_BASE", 5)))


def round_count(count: int, base: int) -> int:
    """``count`` to the nearest multiple of ``base``, halves up (12 -> 10, 13 -> 15)."""
    return base * ((count + base // 2) // base)


def interval(text: str, k: int, base: int) -> tuple[int, int]:
    """The documented meaning of a published count: the true count lies in [lo, hi]."""
    if text == SUPPRESSED:
        return 0, k - 1
    value = int(text)
    return max(k, value - base // 2), value + (base - 1) // 2


@dataclass
class Cell:
    """One figure: the exact count (never published) and what is published of it.

    ``suppressed`` is True for a count below k (shown as the mark); ``rounded`` is the
    published count otherwise. ``secondary`` is kept for the callers of the former secondary
    suppression and is always False: no cell is hidden because of another.
    """

    exact: int
    suppressed: bool = False
    secondary: bool = False
    percent: float | None = None
    rounded: int | None = None

    @property
    def published(self) -> int | None:
        return None if self.suppressed else self.rounded

    @property
    def text(self) -> str:
        return SUPPRESSED if self.suppressed else str(self.rounded)

    @property
    def percent_text(self) -> str:
        return "" if self.percent is None else f"{self.percent:.1f}"


def protect(count: int, k: int, base: int | None = None) -> Cell:
    """The published form of one count: the mark below k, else rounded to ``base``."""
    base = rounding_base() if base is None else base
    if count < k:
        return Cell(exact=count, suppressed=True)
    return Cell(exact=count, rounded=round_count(count, base))


def published_total(total: int, k: int, base: int | None = None) -> int | None:
    """The total as published (None when it is the mark)."""
    return protect(total, k, base).published


def percentages(cells: list[Cell], total: int, k: int, base: int | None = None) -> list[Cell]:
    """A percentage beside each published count, of the published total."""
    shown = published_total(total, k, base)
    for c in cells:
        c.percent = None if c.published is None or not shown else 100.0 * c.published / shown
    return cells
