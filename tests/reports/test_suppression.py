"""Disclosure control on its own (docs/reports.md, "Disclosure control"): every count rounded
on its own to base 5, counts below k (zero included) shown as x."""

from __future__ import annotations

import pytest

from reports.disclosure import interval, round_count
from reports.suppression import suppress_grid, suppress_series, with_percentages


def test_counts_below_k_read_x_and_from_k_on_they_are_rounded_to_5():
    cells = suppress_series([9, 10, 11, 12, 13], 10)
    assert [c.text for c in cells] == ["x", "10", "10", "10", "15"]


def test_zero_reads_x_like_any_count_below_k():
    # Zero and 4 read the same: the mark does not say whether there is anyone at all.
    assert [c.text for c in suppress_series([0, 4, 25], 10)] == ["x", "x", "25"]


@pytest.mark.parametrize("count", range(0, 200))
def test_a_published_count_is_within_2_of_the_exact_one_and_never_a_count_below_k(count):
    (c,) = suppress_series([count], 10)
    lo, hi = interval(c.text, 10, 5)
    assert lo <= count <= hi  # the documented meaning holds
    if c.published is not None:
        assert abs(c.published - count) <= 2 and c.published % 5 == 0
        assert c.published >= 10  # no count 1..k-1 is printed


def test_a_lone_small_cell_no_longer_hides_a_headline():
    # The victim monitor's gender table: secondary suppression hid the 643 male to protect
    # the 4 unknown. Now every category of 1% or more is published (rounded), the 4 reads x.
    cells = with_percentages(suppress_series([687, 643, 0, 4], 10), 1334, 10)
    assert [c.text for c in cells] == ["685", "645", "x", "x"]
    assert [c.percent_text for c in cells] == ["51.3", "48.3", "", ""]
    assert not any(c.secondary for c in cells)


def test_percentages_only_beside_published_counts_and_of_the_published_total():
    cells = with_percentages(suppress_series([5, 5, 92], 10), 102, 10)
    # 92 reads 90 of a published total of 100 (102 rounded).
    assert [c.percent_text for c in cells] == ["", "", "90.0"]


def test_every_cell_of_a_crossing_is_protected_on_its_own():
    grid = suppress_grid([[2, 20, 31], [15, 0, 38]], 10, [True, True], [True, True, True])
    assert [[c.text for c in row] for row in grid] == [["x", "20", "30"], ["15", "x", "40"]]


def test_rounding_halves_up():
    assert [round_count(n, 5) for n in (10, 12, 13, 17, 18)] == [10, 10, 15, 15, 20]
