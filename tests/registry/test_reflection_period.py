"""The reflection period: three months (clamped at month end), or 30 days for Dublin cases."""

from __future__ import annotations

import datetime

import pytest

from registry.models.cases import reflection_end
from tests.factories import CaseFactory

D = datetime.date


@pytest.mark.parametrize(
    ("start", "end"),
    [
        (D(2026, 1, 15), D(2026, 4, 15)),
        (D(2025, 11, 30), D(2026, 2, 28)),  # no 30 February: the last day of the month
        (D(2023, 11, 30), D(2024, 2, 29)),  # leap year
        (D(2026, 5, 31), D(2026, 8, 31)),
        (D(2026, 3, 31), D(2026, 6, 30)),
        (D(2026, 10, 15), D(2027, 1, 15)),  # over the turn of the year
    ],
)
def test_three_months_clamped_to_the_end_of_the_month(start, end):
    assert reflection_end(start, dublin=False) == end


@pytest.mark.parametrize(
    ("start", "end"),
    [
        (D(2026, 1, 15), D(2026, 2, 14)),
        (D(2026, 2, 10), D(2026, 3, 12)),
        (D(2024, 2, 10), D(2024, 3, 11)),
    ],
)
def test_dublin_cases_have_30_days(start, end):
    assert reflection_end(start, dublin=True) == end


@pytest.mark.django_db
def test_case_keeps_its_end_in_step_with_start_and_dublin(region_a):
    case = CaseFactory(region=region_a, reflection_start=D(2026, 1, 31))
    assert case.reflection_end == D(2026, 4, 30)
    case.is_dublin = True
    case.save()
    assert case.reflection_end == D(2026, 3, 2)
    case.reflection_start = None
    case.save()
    assert case.reflection_end is None
