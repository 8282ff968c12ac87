"""Disclosure control of published counts: random rounding to base 5 with a small-count mark.

The method (docs/reports.md, "Disclosure control"), as Statistics Canada's census tables:
every published count is randomly rounded on its own to one of the two multiples of ``b``
next to it (the rounding base, ``settings.REGISTRY_ROUNDING_BASE``, default 5; up with
probability (count mod b) / b, so unbiased), and every count below ``k``
(``settings.REGISTRY_SMALL_CELL_K``, default 10) — zero included — is shown as one mark, ``x``,
as is a count whose rounding gives k itself.
The draw is fixed per figure by a keyed hash (the server's secret, what the figure counts, and
its count), so downloading a figure again gives the same value. Totals, margins, years and
periods are rounded independently of their parts, so a published table need not add up, and
nothing is suppressed because of another cell: the headline figures always stay.

What a reader may take from a published figure (``interval``):

- ``x``: the count is from 0 to k+b-1 (0 to 14): every count below k, and a count from k to
  k+b-1 whose rounding gave k. The mark does not say whether there is anyone at all, nor that
  there are fewer than k.
- a number ``v`` (never below k+b): the count is more than k and within ``b - 1`` of ``v``
  (4 for b = 5).

Percentages are computed from the published (rounded) count and the published total, so they
give nothing away that the counts do not.
"""

from __future__ import annotations

import hashlib
import hmac
from dataclasses import dataclass

from django.conf import settings

SUPPRESSED = "x"


def small_cell_k() -> int:
    return max(1, int(getattr(settings, "REGISTRY_SMALL_CELL_K", 10)))


def rounding_base() -> int:
    return max(1, int(getattr(settings, "REGISTRY_ROUNDING_BASE", 5)))


def _draw(key: str, count: int) -> float:
    """A number in [0, 1) fixed by the figure's key and count, unpredictable without the
    server's secret: the same figure of the same period is always rounded the same way, so
    downloading it again tells nothing new."""
    secret = str(getattr(settings, "SECRET_KEY", "")).encode()
    digest = hmac.new(secret, f"disclosure|{key}|{count}".encode(), hashlib.sha256).digest()
    return int.from_bytes(digest[:8], "big") / 2**64


def round_count(count: int, base: int, key: str = "") -> int:
    """``count`` randomly rounded to one of the two multiples of ``base`` next to it (a
    multiple stays itself): up with probability (count mod base) / base, so on average the
    rounding adds nothing (unbiased random rounding, as Statistics Canada's census tables)."""
    below = base * (count // base)
    if below == count:
        return count
    return below + base if _draw(key, count) < (count - below) / base else below


def interval(text: str, k: int, base: int) -> tuple[int, int]:
    """The documented meaning of a published count: the true count lies in [lo, hi]."""
    if text == SUPPRESSED:
        return 0, k + base - 1
    value = int(text)
    return max(k + 1, value - (base - 1)), value + (base - 1)


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


def protect(count: int, k: int, base: int | None = None, key: str = "") -> Cell:
    """The published form of one count: the mark below k, else randomly rounded to ``base``.
    ``key`` names what the figure counts (the period's dates, the dimension and value), so
    the same figure is rounded the same way wherever it is published."""
    base = rounding_base() if base is None else base
    rounded = round_count(count, base, key)
    if count < k or rounded <= k:
        # Below k; or from k to k+b-1 and rounded down to k (a published k would say "k to
        # k+b-1", next to the protected counts): the mark then reaches k+b-1, so that it never
        # tells an attacker that a count is below k.
        return Cell(exact=count, suppressed=True)
    return Cell(exact=count, rounded=rounded)


def percentages(cells: list[Cell], total: Cell) -> list[Cell]:
    """A percentage beside each published count, of the published ``total``."""
    shown = total.published
    for c in cells:
        c.percent = None if c.published is None or not shown else 100.0 * c.published / shown
    return cells
