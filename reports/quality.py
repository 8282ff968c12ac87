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
record. Published through reports.suppression's public functions (reports.disclosure: every
count randomly rounded to base 5 on its own, 0 to 14 may read ``x``); shares and changes are
computed from the published (rounded) counts.
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
from reports.suppression import Cell, cell, suppress_series
from reports.tables import scope_of

if TYPE_CHECKING:
    from registry.models import User

# A drop of more than this share of the same month a year before is flagged (on the published
# counts).
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

# A group's status: shares shown; too small (its registrations read ``x``), no shares.
SHOWN, TOO_SMALL = "shown", "too_small"


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
    """The published unknown count of the published registrations. Both are rounded on their
    own, so the unknown count may read more than the registrations: the share is then 100%."""
    if count.suppressed or total.suppressed or not total.published:
        return Share(count, None)
    return Share(count, min(100.0, 100.0 * count.published / total.published))


def _share_table(
    key: str,
    title: Promise,
    groups: list[tuple[str, str, dict[str, int]]],
    overall_counts: dict[str, int],
    k: int,
    scope: str = "",
    figures: list[str] | None = None,
) -> ShareTable:
    """Shares per group. Every count is protected on its own (reports.disclosure): a group's
    registrations, the period's total and each unknown count. A group whose registrations read
    ``x`` shows no share; a share is the published unknown count of the published
    registrations, and an unknown count that reads ``x`` has none."""
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
    rows = []
    for i, (value, label, values) in enumerate(groups):
        shares = []
        if not totals[i].suppressed:
            unknown = suppress_series(
                [values[name] for name, _d, _l in FIELDS],
                k,
                keys=[
                    f"{scope}|quality:{name}|{key}={figures[i]}=unknown" for name, _d, _l in FIELDS
                ],
            )
            shares = [_share(count, totals[i]) for count in unknown]
        status = TOO_SMALL if totals[i].suppressed else SHOWN
        rows.append(GroupRow(value, label, totals[i], status, shares))
    overall_shares = []
    if not overall_total.suppressed:
        unknown = suppress_series(
            [overall_counts[name] for name, _d, _l in FIELDS],
            k,
            keys=[f"{scope}|quality:{name}=unknown" for name, _d, _l in FIELDS],
        )
        overall_shares = [_share(count, overall_total) for count in unknown]
    overall = GroupRow(
        "",
        str(_("All registrations")),
        overall_total,
        TOO_SMALL if overall_total.suppressed else SHOWN,
        overall_shares,
    )
    return ShareTable(key, title, rows, overall)


def _months(period: PublishedPeriod) -> list[int]:
    """The months of the period: [1, 2, ..., 12] for a year, [4, 5, 6] for Q2."""
    _label, first, last = PARTS[period.part]
    return list(range(first, last + 1))


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
    counts: dict[tuple[str, int, int], int], reporter: str, year: int, months: list[int], k: int
) -> dict[int, Cell]:
    """One reporter type's months of one year, each protected on its own."""
    cells = suppress_series(
        [counts.get((reporter, year, month), 0) for month in months],
        k,
        keys=[f"month={year}-{month:02d}|reporter_type={reporter}" for month in months],
    )
    return dict(zip(months, cells, strict=True))


def _change(current: Cell, previous: Cell) -> tuple[float | None, bool]:
    """The change in percent of the published counts against a year before, and whether it is
    a flagged drop: only where both counts are published numbers (neither reads ``x``)."""
    if current.suppressed or previous.suppressed or not previous.published:
        return None, False
    change = 100.0 * (current.published - previous.published) / previous.published
    return change, change < -DROP_FLAG_PERCENT


def _monthly(registrations, period: PublishedPeriod, year_before: PublishedPeriod, k: int):
    counts = _monthly_counts(registrations, [period.period, year_before.period])
    months_of_period = _months(period)
    labels = dict(ReporterType.choices)
    present = {reporter for reporter, _y, _m in counts}
    result = []
    for reporter in ReporterType.values:
        if reporter not in present:
            continue
        current = _published_months(counts, reporter, period.year, months_of_period, k)
        previous = _published_months(counts, reporter, year_before.year, months_of_period, k)
        months = []
        for month in months_of_period:
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
    """The data quality of ``period`` as ``user`` may count it (reports.aggregates), protected.

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
