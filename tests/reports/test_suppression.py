"""The suppression rules on their own (docs/reports.md)."""

from __future__ import annotations

from reports.suppression import suppress_grid, suppress_series, with_percentages


def test_primary_rule_at_k_minus_one_k_and_k_plus_one():
    cells = suppress_series([9, 10, 11], 10, total_published=False)
    assert [c.text for c in cells] == ["x", "10", "11"]


def test_zero_is_published():
    assert [c.text for c in suppress_series([0, 25], 10)] == ["0", "25"]


def test_a_lone_suppressed_cell_takes_the_smallest_other_cell_with_it():
    cells = suppress_series([3, 40, 12, 0], 10)
    assert [c.text for c in cells] == ["x", "40", "x", "0"]
    assert cells[2].secondary and not cells[0].secondary


def test_two_suppressed_cells_need_no_secondary_suppression():
    assert [c.text for c in suppress_series([3, 4, 40], 10)] == ["x", "x", "40"]


def test_percentages_only_beside_published_counts():
    cells = with_percentages(suppress_series([5, 5, 90], 10), 100)
    assert [c.percent_text for c in cells] == ["", "", "90.0"]


def test_grid_protects_rows_and_columns():
    grid = suppress_grid([[2, 20, 30], [15, 25, 35]], 10, [True, True], [True, True, True])
    # Row 0 has one small cell: 20 goes too; then columns 0 and 1 each hold one suppressed
    # cell, so 15 and 25 go as well.
    assert [[c.text for c in row] for row in grid] == [["x", "x", "30"], ["x", "x", "35"]]
