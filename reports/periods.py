"""The periods figures are published for: a calendar year, half-year or quarter that has ended,
or a run of whole calendar years that have ended (the victim monitor's five-year tables, as
2015-2019).

Every figure that leaves the registry (the statistics page, its downloads, the anonymised
dataset, the referrals file and the export commands' published files) covers one of these.
Free start and end dates remain only in an administrator's exact, not-for-publication view.
Why (docs/reports.md): two periods a day apart, or one period in progress downloaded on two
days, differ by a single day's registrations; subtracting the figures of one from the other
isolates that day's registrations, often one person. Published periods differ by a quarter at
least (a run of years differs from another by whole years), and a period that has ended no
longer changes from day to day.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from reports.aggregates import Period

# Part of the year: (label, first month, last month); "" is the whole year.
PARTS: dict[str, tuple[str, int, int]] = {
    "": (_("Whole year"), 1, 12),
    "H1": (_("First half (January–June)"), 1, 6),
    "H2": (_("Second half (July–December)"), 7, 12),
    "Q1": (_("1st quarter (January–March)"), 1, 3),
    "Q2": (_("2nd quarter (April–June)"), 4, 6),
    "Q3": (_("3rd quarter (July–September)"), 7, 9),
    "Q4": (_("4th quarter (October–December)"), 10, 12),
}
FIRST_YEAR = 2000

FREE_DATES_REFUSED = _(
    "Published figures cover a calendar year, half-year or quarter, not free dates: choose a "
    "year and a part of it (whole year, half-year or quarter)."
)
NOT_ENDED = _(
    "%(period)s has not ended yet. The figures of a period in progress change every day, so "
    "only periods that have ended are published: choose an earlier year or part."
)
COMMAND_FREE_DATES = (
    "--from/--to are not accepted for a published file: give --period as a calendar year, "
    "half-year, quarter or run of whole years that has ended, e.g. --period 2025, "
    "--period 2025-H1, --period 2025-Q3 or --period 2015-2019"
)
_TEXT = re.compile(r"^(?P<year>\d{4})(?:-(?:(?P<part>H[12]|Q[1-4])|(?P<last>\d{4})))?$")
RUN_NOT_WHOLE_YEARS = _(
    "A run of years covers whole calendar years: choose the whole year as the part, and a last "
    "year after the first."
)


class PeriodRefused(ValueError):
    """A period that may not be published; ``message`` says what to choose instead."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def _last_day(year: int, month: int) -> datetime.date:
    if month == 12:
        return datetime.date(year, 12, 31)
    return datetime.date(year, month + 1, 1) - datetime.timedelta(days=1)


@dataclass(frozen=True)
class PublishedPeriod:
    """A calendar year (``part`` empty), half-year (H1, H2) or quarter (Q1–Q4), or with
    ``last_year`` the run of whole calendar years from ``year`` to ``last_year``."""

    year: int
    part: str = ""
    last_year: int | None = None

    @classmethod
    def parse(cls, text: str) -> PublishedPeriod:
        """``"2025"``, ``"2025-H1"``, ``"2025-Q3"`` or ``"2015-2019"``; anything else is
        refused."""
        match = _TEXT.match((text or "").strip().upper())
        if (
            match is None
            or int(match["year"]) < FIRST_YEAR
            or (match["last"] and int(match["last"]) <= int(match["year"]))
        ):
            raise PeriodRefused(
                f"a published period is a year, half-year, quarter or run of years as 2025, "
                f"2025-H1, 2025-Q3 or 2015-2019, got {text!r}"
            )
        if match["last"]:
            return cls(int(match["year"]), "", int(match["last"]))
        return cls(int(match["year"]), match["part"] or "")

    @property
    def period(self) -> Period:
        if self.last_year is not None:
            return Period(datetime.date(self.year, 1, 1), datetime.date(self.last_year, 12, 31))
        _label, first, last = PARTS[self.part]
        return Period(datetime.date(self.year, first, 1), _last_day(self.year, last))

    def has_ended(self, today: datetime.date | None = None) -> bool:
        return self.period.end < (today or timezone.localdate())

    def ended(self, today: datetime.date | None = None) -> PublishedPeriod:
        """This period, or PeriodRefused if it has not ended yet (still changing daily); the
        message in English, for the commands (the form says it in the user's language)."""
        if not self.has_ended(today):
            raise PeriodRefused(
                f"{self} has not ended yet: the figures of a period in progress change every "
                "day, so only periods that have ended are published; choose an earlier one"
            )
        return self

    def __str__(self) -> str:
        if self.last_year is not None:
            return f"{self.year}-{self.last_year}"
        return f"{self.year}-{self.part}" if self.part else str(self.year)


def default_period(today: datetime.date | None = None) -> PublishedPeriod:
    """The last calendar year that has ended."""
    return PublishedPeriod((today or timezone.localdate()).year - 1)


def year_choices(today: datetime.date | None = None) -> list[tuple[str, str]]:
    """Years to choose from, newest first: this year too (its ended quarters may be chosen)."""
    this_year = (today or timezone.localdate()).year
    return [(str(year), str(year)) for year in range(this_year, FIRST_YEAR - 1, -1)]


def until_choices(today: datetime.date | None = None) -> list[tuple[str, str]]:
    """The last year of a run of whole years; empty for one year or a part of it."""
    return [("", "—"), *year_choices(today)]


def part_choices() -> list[tuple[str, object]]:
    return [(key, label) for key, (label, _first, _last) in PARTS.items()]
