"""Data quality for the help desk and administrators (issue 16, item 5; docs/reports.md, "Data
quality").

Two things, for a published period (reports.periods):

- the share of registrations whose gender, age, nationality, form of exploitation or sector
  is unknown or blank, per reporter type and per region;
- the registrations per reporter type in each month of the period against the same month a
  year before, with a flag where they dropped by more than 30% (a reporting organisation that
  stopped reporting, or reports elsewhere).

Counted by database aggregates over the clear statistical columns (the expressions of
reports.dimensions), in a constant number of queries whatever the number of regions and
reporter types: one ``GROUP BY reporter type, region`` with a conditional count per field, and
one ``GROUP BY reporter type, year, month``. Nothing is decrypted and no figure leads to a
record. Published through the small-cell rules of reports.suppression (its public functions,
whatever method it uses inside).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.db.models import Count, Exists, OuterRef, Q
from django.db.models.functions import ExtractMonth, ExtractYear
from django.utils.dates import MONTHS
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from registry.choices import ReporterType
from registry.models import FormOfExploitation, Region, Registration
from reports.aggregates import Period, counted_registrations
from reports.dimensions import DIMENSIONS, UNKNOWN
from reports.periods import PARTS, PublishedPeriod
from reports.suppression import Cell, cell, suppress_grid, suppress_series
from reports.tables import scope_of

if TYPE_CHECKING:
    from registry.models import User

# A drop of more than this share of the same month a year before is flagged.
DROP_FLAG_PERCENT = 30.0

# The fields whose unknown or blank share is shown, each with the statistics dimension whose
# expression reads "unknown" for it (reports.dimensions). The form of exploitation is
# many-valued, so it has a condition of its own (``_form_unknown``).
FIELDS: tuple[tuple[str, str | None, Promise], ...] = (
    ("gender", "gender", _("Gender")),
    ("age", "age_monitor", _("Age")),
    ("nationality", "nationality_group", _("Nationality")),
    ("form", None, _("Form of exploitation")),
    ("sector", "sector", _("Sector")),
)

# A group's status: shares shown; fewer than k registrations; its count withheld so that a
# small group's count cannot be worked out from the total.
SHOWN, TOO_SMALL, WITHHELD = "shown", "too_small", "withheld"


@dataclass
class Share:
    """The registrations of a group with one field unknown or blank, and their percentage of
    the group (only beside a published count and a published group total)."""

    count: Cell
    percent: float | None

    @property
    def percent_text(self) -> str:
        return "" if self.percent is None else f"{self.percent:.1f}"


@dataclass
class GroupRow:
    value: str
    label: str
    total: Cell
    status: str
    shares: list[Share] = field(default_factory=list)


@dataclass
class ShareTable:
    key: str
    title: Promise
    rows: list[GroupRow]
    overall: GroupRow


@dataclass
class MonthRow:
    month: datetime.date
    current: Cell
    previous: Cell
    change_percent: float | None
    dropped: bool

    @property
    def key(self) -> str:
        """The month as the page's data attribute reads it: ``2025-06``."""
        return f"{self.month:%Y-%m}"

    @property
    def name(self) -> str:
        """The month's name in the page's language (config/formats decides dates, so the
        template asks for no format of its own)."""
        return str(MONTHS[self.month.month])


@dataclass
class ReporterMonths:
    value: str
    label: str
    months: list[MonthRow]


@dataclass
class DataQuality:
    period: PublishedPeriod
    year_before: PublishedPeriod
    fields: list[Promise]
    share_tables: list[ShareTable]
    monthly: list[ReporterMonths]

    @property
    def drops(self) -> int:
        return sum(row.dropped for group in self.monthly for row in group.months)


def _form_unknown() -> Q:
    """No form of exploitation recorded, or only "unknown"."""
    through = Registration.exploitation_forms.through
    known = through.objects.filter(registration_id=OuterRef("pk")).exclude(
        formofexploitation__code=FormOfExploitation.Code.UNKNOWN
    )
    return ~Exists(known)


def _unknown_counts(registrations) -> dict[tuple[str, int], dict[str, int]]:
    """One query: per (reporter type, region id) the registrations and, per field, those with
    the field unknown or blank."""
    annotations = {
        f"dim_{key}": DIMENSIONS[dimension].expression()
        for key, dimension, _label in FIELDS
        if dimension is not None
    }
    conditions = {
        key: Q(**{f"dim_{key}": UNKNOWN}) if dimension is not None else _form_unknown()
        for key, dimension, _label in FIELDS
    }
    rows = (
        registrations.annotate(**annotations)
        .values("reporter_type", "region_id")
        .annotate(
            n=Count("pk"),
            **{f"u_{key}": Count("pk", filter=condition) for key, condition in conditions.items()},
        )
        .order_by()
    )
    return {
        (row["reporter_type"], row["region_id"]): {
            "n": row["n"],
            **{key: row[f"u_{key}"] for key, _d, _l in FIELDS},
        }
        for row in rows
    }


def _sum_by(
    counts: dict[tuple[str, int], dict[str, int]], position: int
) -> dict[object, dict[str, int]]:
    summed: dict[object, dict[str, int]] = {}
    for key, values in counts.items():
        into = summed.setdefault(key[position], dict.fromkeys(values, 0))
        for name, value in values.items():
            into[name] += value
    return summed


def _share(count: Cell, total: Cell) -> Share:
    if count.suppressed or total.suppressed or not total.published:
        return Share(count, None)
    return Share(count, 100.0 * count.published / total.published)


def _share_table(
    key: str,
    title: Promise,
    groups: list[tuple[str, str, dict[str, int]]],
    overall_counts: dict[str, int],
    k: int,
    scope: str = "",
    figures: list[str] | None = None,
) -> ShareTable:
    """Shares per group, with the small-cell rules: a group's registrations is a series over
    the groups (the overall total is published); per field the unknown and known counts of
    the groups are a crossing whose margins are the overall row, protected over groups and
    over unknown/known, so a small count is neither shown nor left to subtraction."""
    # Each figure keyed by what it counts (reports.disclosure): a group's registrations and the
    # period's total are the statistics page's own figures (``figures``: the statistics' codes
    # of the groups), so they read the same on both pages and are rounded once.
    figures = figures or [value for value, _l, _v in groups]
    overall_total = cell(overall_counts["n"], k, f"{scope}|registrations")
    totals = suppress_series(
        [values["n"] for _v, _l, values in groups],
        k,
        keys=[f"{scope}|{key}={figure}" for figure in figures],
    )
    grids = {}
    overall_pairs = {}
    for name, _dimension, _label in FIELDS:
        unknown = overall_counts[name]
        overall_pairs[name] = suppress_series(
            [unknown, overall_counts["n"] - unknown],
            k,
            total_published=not overall_total.suppressed,
            keys=[f"{scope}|quality:{name}=unknown", f"{scope}|quality:{name}=known"],
        )
        grids[name] = suppress_grid(
            [[values[name], values["n"] - values[name]] for _v, _l, values in groups],
            k,
            rows_published=[not total.suppressed for total in totals],
            cols_published=[not pair.suppressed for pair in overall_pairs[name]],
            keys=[
                [
                    f"{scope}|quality:{name}|{key}={figure}=unknown",
                    f"{scope}|quality:{name}|{key}={figure}=known",
                ]
                for figure in figures
            ],
        )
    rows = []
    for i, (value, label, values) in enumerate(groups):
        if values["n"] < k:
            status = TOO_SMALL
        elif totals[i].suppressed:
            status = WITHHELD
        else:
            status = SHOWN
        shares = []
        if status == SHOWN:
            shares = [_share(grids[name][i][0], totals[i]) for name, _d, _l in FIELDS]
        rows.append(GroupRow(value, label, totals[i], status, shares))
    overall_status = TOO_SMALL if overall_counts["n"] < k else SHOWN
    overall = GroupRow(
        "",
        str(_("All registrations")),
        overall_total,
        overall_status,
        [_share(overall_pairs[name][0], overall_total) for name, _d, _l in FIELDS]
        if overall_status == SHOWN
        else [],
    )
    return ShareTable(key, title, rows, overall)


def _quarters(period: PublishedPeriod) -> list[list[int]]:
    """The months of the period by quarter: [[1, 2, 3], [4, 5, 6], ...]."""
    _label, first, last = PARTS[period.part]
    return [[m, m + 1, m + 2] for m in range(first, last + 1, 3)]


def _monthly_counts(registrations, periods: list[Period]) -> dict[tuple[str, int, int], int]:
    """One query: registrations per (reporter type, year, month) in ``periods``."""
    within = Q()
    for period in periods:
        within |= Q(registered_on__gte=period.start, registered_on__lte=period.end)
    rows = (
        registrations.filter(within)
        .annotate(year=ExtractYear("registered_on"), month=ExtractMonth("registered_on"))
        .values("reporter_type", "year", "month")
        .annotate(n=Count("pk"))
        .order_by()
    )
    return {(row["reporter_type"], int(row["year"]), int(row["month"])): row["n"] for row in rows}


def _published_months(
    counts: dict[tuple[str, int, int], int],
    reporter: str,
    year: int,
    quarters: list[list[int]],
    k: int,
) -> dict[int, Cell]:
    """One reporter type's months of one year, suppressed. Each quarter's total per reporter
    type is published (the statistics page of that quarter), so the months of a quarter are a
    group whose total is known: a single small month in it would follow by subtraction."""
    grid = [[counts.get((reporter, year, month), 0) for month in quarter] for quarter in quarters]
    keys = [
        [f"month={year}-{month:02d}|reporter_type={reporter}" for month in quarter]
        for quarter in quarters
    ]
    cells = suppress_grid(
        grid, k, rows_published=[True] * len(quarters), cols_published=[False] * 3, keys=keys
    )
    return {
        month: cells[i][j] for i, quarter in enumerate(quarters) for j, month in enumerate(quarter)
    }


def _change(current: Cell, previous: Cell) -> tuple[float | None, bool]:
    """The change in percent against a year before, and whether it is a flagged drop: only
    where both counts are published and the year before had registrations."""
    if current.suppressed or previous.suppressed or not previous.published:
        return None, False
    change = 100.0 * (current.published - previous.published) / previous.published
    return change, change < -DROP_FLAG_PERCENT


def _monthly(registrations, period: PublishedPeriod, year_before: PublishedPeriod, k: int):
    counts = _monthly_counts(registrations, [period.period, year_before.period])
    quarters = _quarters(period)
    labels = dict(ReporterType.choices)
    present = {reporter for reporter, _y, _m in counts}
    result = []
    for reporter in ReporterType.values:
        if reporter not in present:
            continue
        current = _published_months(counts, reporter, period.year, quarters, k)
        previous = _published_months(counts, reporter, year_before.year, quarters, k)
        months = []
        for quarter in quarters:
            for month in quarter:
                change, dropped = _change(current[month], previous[month])
                months.append(
                    MonthRow(
                        datetime.date(period.year, month, 1),
                        current[month],
                        previous[month],
                        change,
                        dropped,
                    )
                )
        result.append(ReporterMonths(reporter, str(labels[reporter]), months))
    return result


def build_data_quality(user: User, period: PublishedPeriod, k: int) -> DataQuality:
    """The data quality of ``period`` as ``user`` may count it (reports.aggregates), suppressed.

    Three queries, whatever the data: the shares, the region names and the months."""
    registrations = counted_registrations(user, Period())
    in_period = registrations.filter(
        registered_on__gte=period.period.start, registered_on__lte=period.period.end
    )
    counts = _unknown_counts(in_period)
    names, codes = {}, {}
    if counts:
        for pk, name, code in Region.objects.values_list("pk", "name", "code"):
            names[pk], codes[pk] = name, code
    overall: dict[str, int] = {"n": 0, **{name: 0 for name, _d, _l in FIELDS}}
    for values in counts.values():
        for name, value in values.items():
            overall[name] += value

    reporter_labels = dict(ReporterType.choices)
    by_reporter = _sum_by(counts, 0)
    reporter_groups = [
        (code, str(reporter_labels[code]), by_reporter[code])
        for code in ReporterType.values
        if code in by_reporter
    ]
    by_region = _sum_by(counts, 1)
    region_groups = sorted(
        ((str(pk), names.get(pk, ""), values) for pk, values in by_region.items()),
        key=lambda group: group[1].casefold(),
    )
    year_before = PublishedPeriod(period.year - 1, period.part)
    scope = scope_of(period.period)
    return DataQuality(
        period=period,
        year_before=year_before,
        fields=[label for _n, _d, label in FIELDS],
        share_tables=[
            _share_table(
                "reporter_type", _("Per reporter type"), reporter_groups, overall, k, scope
            ),
            _share_table(
                "region",
                _("Per region"),
                region_groups,
                overall,
                k,
                scope,
                [codes.get(int(pk), pk) for pk, _l, _v in region_groups],
            ),
        ],
        monthly=_monthly(registrations, period, year_before, k),
    )
