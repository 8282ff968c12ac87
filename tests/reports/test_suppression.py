"""Disclosure control on its own (docs/reports.md, "Disclosure control"): every count randomly
rounded on its own to base 5, counts below k (zero included, and a count rounded to k) shown
as x."""

from __future__ import annotations

import statistics

import pytest

from reports.disclosure import interval, protect, round_count
from reports.suppression import suppress_grid, suppress_series, with_percentages

K, BASE = 10, 5


@pytest.mark.parametrize("count", range(0, 120))
def test_a_published_count_is_within_4_of_the_count_and_never_one_below_k(count):
    c = protect(count, K, key=f"figure {count}")
    lo, hi = interval(c.text, K, BASE)
    assert lo <= count <= hi  # the documented meaning holds
    if c.published is None:
        assert c.text == "x" and count < K + BASE
    else:
        assert abs(c.published - count) <= BASE - 1 and c.published % BASE == 0
        assert c.published >= K + BASE  # nothing from 1 to k-1 (nor k) is printed
    if count < K:
        assert c.text == "x"  # zero too: the mark does not say whether there is anyone
    if count >= K + BASE:
        assert c.published is not None  # every count of 15 or more is shown


def test_the_same_figure_is_rounded_the_same_way_every_time_and_a_multiple_stays():
    assert len({round_count(12, BASE, "2019|gender=male") for _ in range(20)}) == 1
    assert round_count(640, BASE, "anything") == 640


def test_rounding_is_unbiased_over_many_figures():
    # Up with probability 2/5 for 12: on average 12, not 10 as rounding to the nearest gives.
    rounded = [round_count(12, BASE, f"figure {n}") for n in range(4000)]
    assert set(rounded) == {10, 15}
    assert abs(statistics.mean(rounded) - 12) < 0.15


def test_rounding_depends_on_the_secret(settings):
    keys = [f"figure {n}" for n in range(64)]
    before = [round_count(12, BASE, key) for key in keys]
    settings.SECRET_KEY = "another secret for this test only"
    assert [round_count(12, BASE, key) for key in keys] != before


def test_a_lone_small_cell_no_longer_hides_a_headline():
    # The victim monitor's gender table: secondary suppression hid the 643 male to protect
    # the 4 unknown. Now every category of 1% or more is published (rounded), the 4 reads x.
    keys = ["gender=female", "gender=male", "gender=other", "gender=unknown"]
    cells = with_percentages(suppress_series([687, 643, 0, 4], K, keys=keys), 1334, K)
    female, male, other, unknown = cells
    assert female.published in (685, 690) and male.published in (640, 645)
    assert other.text == unknown.text == "x" and unknown.percent is None
    assert abs(female.percent - 51.5) <= 0.65 and abs(male.percent - 48.2) <= 0.65
    assert not any(c.secondary for c in cells)


def test_percentages_only_beside_published_counts_and_of_the_published_total():
    cells = with_percentages(suppress_series([5, 5, 92], K), 102, K)
    total = protect(102, K, key="total").published
    assert [c.percent_text for c in cells[:2]] == ["", ""]
    assert cells[2].percent == pytest.approx(100.0 * cells[2].published / total)


def test_every_cell_of_a_crossing_is_protected_on_its_own():
    grid = suppress_grid([[2, 20, 30], [15, 0, 40]], K, [True, True], [True, True, True])
    assert [[c.text for c in row] for row in grid] == [["x", "20", "30"], ["15", "x", "40"]]
