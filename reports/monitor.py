"""The victim monitor's yearly report (issue 16; docs/reports.md, "The monitor report").

The tables the National Rapporteur's victim monitor and CoMensha's annual figures publish, for
one calendar year that has ended, each beside the same table of the year before. Every figure
is a database aggregate over clear columns (reports.aggregates, and the few queries below) and
is published through the statistics' own table builders (``breakdown``, ``cross_table``,
``year_on_year`` of reports.tables), so the monitor passes exactly the disclosure rules of the
statistics page and its downloads (reports.disclosure: every count randomly rounded to base 5,
the mark for 0 to 14); nothing here protects a figure on its own. Each figure is keyed as the
statistics page of its year keys it (``scope_of`` the year, and what it counts), so the
monitor's 2025 and its 2024 column read exactly what the statistics of 2025 and of 2024 read.

Figures the statistics do not hold:

- **minors**: the registration's ``is_minor`` (from the date of birth or the estimated age);
- **sub 3**: registrations whose case is marked as one of Article 273f, paragraph 1, sub 3 of
  the Criminal Code (``Case.sub3``);
- **police report**: the status of the police report recorded on the registration's case
  (``ResidenceProcedure`` of kind ``police_report``), "no report recorded" without one;
- **repeat victims**: the persons registered in the year, by whether they were registered
  before the year, registered again within it, or once.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.db import connections, transaction
from django.db.models import Count, F, FilteredRelation, Max, Min, Q
from django.db.models.functions import ExtractYear
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from registry import registering
from registry.choices import POLICE_REPORT_STATUSES, ProcedureKind, Sector
from registry.models import Case
from reports.aggregates import (
    Counts,
    Period,
    count_registrations,
    counted_registrations,
    counts_everything,
)
from reports.dimensions import DIMENSIONS, Dimension
from reports.disclosure import percentages
from reports.periods import PeriodRefused, PublishedPeriod
from reports.suppression import Cell, cell, small_cell_k
from reports.tables import (
    Breakdown,
    CrossTable,
    YearRow,
    breakdown,
    cross_table,
    scope_of,
    year_on_year,
)

if TYPE_CHECKING:
    from registry.models import User

# The statistics' dimensions the monitor shows, in the monitor's order.
STANDARD = [
    "gender",
    "age_monitor",
    "nationality_group",
    "nationality",
    "exploitation_form",
    "scope",
    "reporter_type",
]
FORM_SECTOR = ("exploitation_form", "sector")
OTHER_VALUES = "_other"

# The sectors of each form of exploitation, in the vocabulary's order (registry.registering);
# "other" and "unknown" belong to every form. A sector outside its form's list is shown too
# when it was counted.
FORM_SECTORS = registering.SECTORS_BY_FORM
SHARED_SECTORS = (Sector.OTHER.value, Sector.UNKNOWN.value)

NO_REPORT = "none"
REPEAT_VALUES = ("once", "again_within_year", "registered_before")


def _yes_no_labels() -> dict[str, str]:
    return {"yes": str(_("yes")), "no": str(_("no"))}


def _police_labels() -> dict[str, str]:
    found = {status.value: str(status.label) for status in POLICE_REPORT_STATUSES}
    found[NO_REPORT] = str(_("no police report recorded"))
    return found


def _repeat_labels() -> dict[str, str]:
    return {
        "once": str(_("registered once in the year, never before")),
        "again_within_year": str(_("registered again within the year")),
        "registered_before": str(_("registered before the year too")),
    }


def _unused() -> Any:
    raise NotImplementedError("counted by reports.monitor, not by a GROUP BY expression")


# The monitor's own tables: Dimensions only for their labels and order (``breakdown`` takes a
# Dimension); they are counted by the queries below, not through reports.aggregates.
MINOR = Dimension("minor", _("Minors"), _unused, _yes_no_labels, order=("yes", "no"))
SUB3 = Dimension(
    "sub3",
    _("Sub 3 cases (Art. 273f(1)(3) Sr)"),
    _unused,
    _yes_no_labels,
    order=("yes", "no"),
)
POLICE = Dimension(
    "police_report",
    _("Police report"),
    _unused,
    _police_labels,
    order=(*(status.value for status in POLICE_REPORT_STATUSES), NO_REPORT),
)
REPEAT = Dimension(
    "repeat",
    _("Repeat victims (persons)"),
    _unused,
    _repeat_labels,
    order=REPEAT_VALUES,
)
NOTES: dict[str, Promise] = {
    "minor": _("Under 18 at registration, from the date of birth or the estimated age."),
    "sub3": _(
        "Registrations whose case is marked as one of Article 273f, paragraph 1, sub 3 of the "
        "Criminal Code: recruiting, taking along or abducting a person to bring them to make "
        "themselves available for sexual acts for payment in another country (no coercion "
        "need be shown). Registrations without a case count as no."
    ),
    "police_report": _(
        "The police report recorded on the registration's case (its residence procedures); "
        "registrations without a case or without a recorded report count as none recorded."
    ),
    "repeat": _(
        "Persons registered in the year: registered before the year too (in an earlier year), "
        "registered more than once within the year only, or once. Percentages are of the "
        "persons."
    ),
    "exploitation_form": _(
        "Several forms may apply to one registration: percentages can add up to more than 100."
    ),
}


@dataclass
class MonitorRow:
    value: str
    label: str
    cell: Cell
    previous: Cell


@dataclass
class MonitorTable:
    """One table of the monitor: the year's rows with the year before beside them."""

    key: str
    title: str | Promise
    rows: list[MonitorRow]
    total: Cell
    previous_total: Cell
    note: str | Promise = ""
    current: Breakdown | None = None


@dataclass
class FormSectors:
    """The sectors within one form of exploitation (a row of the form x sector crossing)."""

    value: str
    label: str
    rows: list[MonitorRow]
    total: Cell
    previous_total: Cell


@dataclass
class MonitorReport:
    year: int
    k: int
    period: Period
    headline: list[YearRow]
    persons: list[YearRow]
    tables: list[MonitorTable] = field(default_factory=list)
    form_sectors: list[FormSectors] = field(default_factory=list)
    crossing: CrossTable | None = None

    @property
    def registrations(self) -> Cell:
        return self.headline[-1].cell

    @property
    def previous_year(self) -> int:
        return self.year - 1


def monitor_period(text: str | int) -> PublishedPeriod:
    """The calendar year of the report: a whole year that has ended, else PeriodRefused."""
    text = str(text).strip()
    if not text.isdigit() or len(text) != 4:
        raise PeriodRefused(f"the monitor covers a calendar year as 2025, got {text!r}")
    return PublishedPeriod.parse(text).ended()


# Counting ------------------------------------------------------------------------------------


@dataclass
class YearCounts:
    """Exact counts of one year: the statistics' and the monitor's own."""

    counts: Counts
    minor: dict[str, int]
    sub3: dict[str, int]
    police: dict[str, int]
    repeat: dict[str, int]


def _year(value: Any) -> int:
    return int(value)


def _case_figures(
    qs: Any, totals: dict[int, int]
) -> tuple[dict[int, dict[str, int]], dict[int, dict[str, int]]]:
    """{year: sub3} and {year: police report} of the registrations in ``qs``, from their cases
    in one GROUP BY: the cases opened by those registrations with their police report (a LEFT
    JOIN on the one procedure of that kind a case may have). A registration without a case is
    "no" and "none recorded" (``totals``, the registrations per year, less those with one).
    Counted as distinct registrations, so two cases of one registration count once per
    value."""
    rows = (
        Case.objects.filter(registration_id__in=qs.values("pk"))
        .annotate(
            police=FilteredRelation(
                "procedures", condition=Q(procedures__kind=ProcedureKind.POLICE_REPORT)
            ),
            year=ExtractYear("registration__registered_on"),
        )
        .values("year", "sub3", "police__status")
        .annotate(n=Count("registration_id", distinct=True))
        .order_by()
    )
    sub3 = {year: {"yes": 0, "no": 0} for year in totals}
    police: dict[int, dict[str, int]] = {year: {} for year in totals}
    with_case = dict.fromkeys(totals, 0)
    for row in rows:
        year, n = _year(row["year"]), row["n"]
        with_case[year] += n
        sub3[year]["yes" if row["sub3"] else "no"] += n
        status = row["police__status"] or NO_REPORT
        police[year][status] = police[year].get(status, 0) + n
    for year, total in totals.items():
        without = max(0, total - with_case[year])
        sub3[year]["no"] += without
        police[year][NO_REPORT] = police[year].get(NO_REPORT, 0) + without
    return sub3, police


def _registration_figures(
    qs: Any, totals: dict[int, int]
) -> tuple[dict[int, dict[str, int]], dict[int, dict[str, int]], dict[int, dict[str, int]]]:
    """{year: minors}, {year: sub3}, {year: police report} in one GROUP BY over the
    registrations of ``qs`` with their case (LEFT JOIN) and its police report (LEFT JOIN):
    COUNT(*) counts registrations while no registration has two cases, which the sums against
    ``totals`` tell; otherwise the exact, slower queries count them (``_case_figures``)."""
    rows = (
        qs.annotate(
            year=ExtractYear("registered_on"),
            police=FilteredRelation(
                "cases__procedures",
                condition=Q(cases__procedures__kind=ProcedureKind.POLICE_REPORT),
            ),
        )
        .values("year", "is_minor", "cases__sub3", "police__status")
        .annotate(n=Count("*"))
        .order_by()
    )
    minors = {year: {"yes": 0, "no": 0} for year in totals}
    sub3 = {year: {"yes": 0, "no": 0} for year in totals}
    police: dict[int, dict[str, int]] = {year: {} for year in totals}
    for row in rows:
        year, n = _year(row["year"]), row["n"]
        minors[year]["yes" if row["is_minor"] else "no"] += n
        sub3[year]["yes" if row["cases__sub3"] else "no"] += n
        status = row["police__status"] or NO_REPORT
        police[year][status] = police[year].get(status, 0) + n
    if any(sum(minors[year].values()) != total for year, total in totals.items()):
        sub3, police = _case_figures(qs, totals)
        minors = _minors(qs, list(totals))
    return minors, sub3, police


def _minors(qs: Any, years: list[int]) -> dict[int, dict[str, int]]:
    found = {year: {"yes": 0, "no": 0} for year in years}
    rows = (
        qs.annotate(year=ExtractYear("registered_on"))
        .values("year", "is_minor")
        .annotate(n=Count("pk"))
        .values_list("year", "is_minor", "n")
    )
    for year, is_minor, n in rows:
        found[_year(year)]["yes" if is_minor else "no"] += n
    return found


def _repeat(user: User | object, year: int) -> dict[int, dict[str, int]]:
    """{year: persons by category} for ``year`` and the year before: the persons registered in
    a year by whether they were registered before it, more than once within it, or once.

    One GROUP BY person over their registrations up to the end of ``year`` (on PostgreSQL an
    index-only scan of ``registration_counted_person`` in person order), counting each
    person's registrations in either year and their first date; then one count per pair of
    categories, both in the database."""
    this, before = PublishedPeriod(year).period, PublishedPeriod(year - 1).period
    upto = counted_registrations(user, Period(None, this.end))
    inner = (
        upto.values("person_id")
        .annotate(
            in_this=Count("pk", filter=Q(registered_on__gte=this.start)),
            in_before=Count(
                "pk", filter=Q(registered_on__gte=before.start, registered_on__lte=before.end)
            ),
            first=Min("registered_on"),
            last=Max("registered_on"),
        )
        .filter(last__gte=before.start)
        .values("in_this", "in_before", "first")
    )
    sql, params = inner.query.sql_with_params()
    connection = connections[upto.db]
    this_start = connection.ops.adapt_datefield_value(this.start)
    before_start = connection.ops.adapt_datefield_value(before.start)
    category = (
        "CASE WHEN persons.{count} = 0 THEN '' WHEN persons.first < %s THEN 'registered_before' "
        "WHEN persons.{count} > 1 THEN 'again_within_year' ELSE 'once' END"
    )
    query = (
        f"SELECT {category.format(count='in_this')}, "  # noqa: S608 (constants; values are parameters)
        f"{category.format(count='in_before')}, COUNT(*) "
        f"FROM ({sql}) AS persons GROUP BY 1, 2"
    )
    found = {y: dict.fromkeys(REPEAT_VALUES, 0) for y in (year, year - 1)}
    with connection.cursor() as cursor:
        cursor.execute(query, [this_start, before_start, *params])
        for this_value, before_value, n in cursor.fetchall():
            if this_value:
                found[year][this_value] += n
            if before_value:
                found[year - 1][before_value] += n
    return found


def count_years(user: User | object, year: int) -> tuple[YearCounts, YearCounts]:
    """Every exact count of ``year`` and of the year before (nothing published yet).

    The statistics' dimensions come from ``count_registrations`` per year (on PostgreSQL from
    the tally); the form x sector crossing, the minors with the cases' figures, and the repeat
    victims are each one query over both years, grouped by year. On PostgreSQL without JIT, as
    the statistics count (compiling these short aggregates costs more than it saves); a larger
    work_mem, as the statistics' crossing takes, made them slower (docs/PERFORMANCE.md).
    """
    using = counted_registrations(user, Period()).db
    if connections[using].vendor != "postgresql":
        return _count_years(user, year)
    # SET LOCAL ends with this transaction.
    with transaction.atomic(using=using), connections[using].cursor() as cursor:
        cursor.execute("SET LOCAL jit = off")
        return _count_years(user, year)


def _count_years(user: User | object, year: int) -> tuple[YearCounts, YearCounts]:
    years = [year - 1, year]
    periods = {y: PublishedPeriod(y).period for y in years}
    counts = {}
    for y in years:
        qs = counted_registrations(user, periods[y])
        everything_in = periods[y] if counts_everything(qs) else None
        counts[y] = count_registrations(qs, [*STANDARD, "sector"], [], everything_in)
    both = counted_registrations(user, Period(periods[year - 1].start, periods[year].end))
    crossing = _form_sector(both)
    for y in years:
        counts[y].cross[FORM_SECTOR] = crossing.get(y, {})
    minors, sub3, police = _registration_figures(both, {y: counts[y].total for y in years})
    repeat = _repeat(user, year)
    this, before = (
        YearCounts(counts[y], minors[y], sub3[y], police[y], repeat[y]) for y in years[::-1]
    )
    return this, before


def _form_sector(qs: Any) -> dict[int, dict[tuple[str, str], int]]:
    """{year: {(form, sector): registrations}}: the M2M table holds a (registration, form)
    pair at most once, so COUNT(*) per year, form and sector counts distinct registrations; a
    registration without a form joins as NULL and counts as unknown, a blank sector as unknown
    (the folds of the statistics' dimensions). One GROUP BY over both years."""
    fold_form = DIMENSIONS["exploitation_form"].fold()
    fold_sector = DIMENSIONS["sector"].fold()
    through = qs.model.exploitation_forms.through
    connection = connections[qs.db]
    table = connection.ops.quote_name(through._meta.db_table)
    inner = qs.annotate(rid=F("pk"), year=ExtractYear("registered_on")).values(
        "rid", "year", "sector"
    )
    sql, params = inner.query.sql_with_params()
    query = (
        "SELECT r.year, t.formofexploitation_id, r.sector, COUNT(*) "  # noqa: S608
        f"FROM ({sql}) AS r LEFT JOIN {table} AS t ON t.registration_id = r.rid "
        "GROUP BY 1, 2, 3"
    )
    found: dict[int, dict[tuple[str, str], int]] = {}
    with connection.cursor() as cursor:
        cursor.execute(query, params)
        for year, form, sector, n in cursor.fetchall():
            key = (fold_form(form), fold_sector(sector))
            grid = found.setdefault(_year(year), {})
            grid[key] = grid.get(key, 0) + n
    return found


# Publishing ----------------------------------------------------------------------------------


def _with_zeros(counts: dict[str, int], values: list[str]) -> dict[str, int]:
    return {**dict.fromkeys(values, 0), **counts}


def _paired(
    dim: Dimension,
    this: dict[str, int],
    before: dict[str, int],
    total: int,
    previous_total: int,
    k: int,
    note: str | Promise = "",
    scopes: tuple[str, str] = ("", ""),
) -> MonitorTable:
    """The table of ``dim`` for the year and the year before, each published by
    ``breakdown``; the rows of the year, the year before's figure of the same value beside.

    Values counted in only one of the two years are listed in both (as 0 where absent); where
    the dimension keeps its top values only, the year before is grouped by the year's top.
    """
    union = sorted(set(this) | set(before))
    # ``scopes``: what the year and the year before count (reports.tables.scope_of), so every
    # figure is rounded as the statistics page of that year rounds it (reports.disclosure).
    current = breakdown(dim, _with_zeros(this, union), total, k, scopes[0])
    shown = [row.value for row in current.rows]
    if dim.top:
        grouped: dict[str, int] = {}
        for value, n in before.items():
            bucket = value if value in shown else OTHER_VALUES
            grouped[bucket] = grouped.get(bucket, 0) + n
        before = grouped
        dim = dataclasses.replace(dim, top=0)
    previous = breakdown(dim, _with_zeros(before, shown), previous_total, k, scopes[1])
    by_value = {row.value: row.cell for row in previous.rows}
    rows = [
        MonitorRow(row.value, row.label, row.cell, by_value.get(row.value, cell(0, k)))
        for row in current.rows
    ]
    return MonitorTable(dim.key, dim.label, rows, current.total, previous.total, note, current)


def _form_sectors(this: CrossTable, before: CrossTable, k: int) -> list[FormSectors]:
    """A row of the form x sector crossing per form: the form's own sectors and any other
    published there, with the year before's cell of the same form and sector.

    What is listed depends on published figures only, never on an exact count: the mark
    ``x`` covers 0 to 14 without saying whether there is anyone, and a row or block shown only
    where someone was counted would say it. A form with sectors of its own (sexual, labour,
    criminal exploitation) always has its block; another form has one where its total is
    published in either year. A sector outside the form's list has a row where its cell is
    published in either year (a row of two marks would tell nothing more)."""
    before_cells = {
        (a, b): before.cells[i][j]
        for i, (a, _la) in enumerate(before.rows)
        for j, (b, _lb) in enumerate(before.cols)
    }
    before_totals = {
        a: total for (a, _l), total in zip(before.rows, before.row_totals, strict=True)
    }
    found = []
    for i, (form, label) in enumerate(this.rows):
        total = this.row_totals[i]
        previous_total = before_totals.get(form, cell(0, k))
        if form not in FORM_SECTORS and total.suppressed and previous_total.suppressed:
            continue
        own = set(FORM_SECTORS.get(form, ())) | set(SHARED_SECTORS)
        rows = []
        for j, (sector, sector_label) in enumerate(this.cols):
            here = this.cells[i][j]
            previous = before_cells.get((form, sector), cell(0, k))
            if sector in own or not here.suppressed or not previous.suppressed:
                rows.append(MonitorRow(sector, sector_label, here, previous))
        # Of the form's published total, from the published counts; none where either reads
        # the mark (reports.disclosure.percentages).
        percentages([row.cell for row in rows], total)
        found.append(FormSectors(form, label, rows, total, previous_total))
    return found


def build_monitor(user: User | object, year: int, k: int | None = None) -> MonitorReport:
    """The monitor of ``year`` (a calendar year that has ended: the caller checks it with
    ``monitor_period``) as ``user`` may count it, every figure published with ``k``."""
    k = small_cell_k() if k is None else k
    period = PublishedPeriod(year).period
    this, before = count_years(user, year)
    total, previous_total = this.counts.total, before.counts.total
    both_years = Period(PublishedPeriod(year - 1).period.start, period.end)
    scopes = (scope_of(period), scope_of(PublishedPeriod(year - 1).period))
    headline = year_on_year({str(year - 1): previous_total, str(year): total}, k, period=both_years)
    persons = year_on_year(
        {str(year - 1): before.counts.persons, str(year): this.counts.persons},
        k,
        period=both_years,
        figure="persons",
    )
    report = MonitorReport(year, k, period, headline, persons)
    for key in STANDARD:
        report.tables.append(
            _paired(
                DIMENSIONS[key],
                this.counts.by[key],
                before.counts.by[key],
                total,
                previous_total,
                k,
                NOTES.get(key, ""),
                scopes,
            )
        )
    form_dim, sector_dim = DIMENSIONS[FORM_SECTOR[0]], DIMENSIONS[FORM_SECTOR[1]]

    # Both years list the forms and sectors counted in either, so their cells pair up.
    forms = sorted(
        set(this.counts.by["exploitation_form"]) | set(before.counts.by["exploitation_form"])
    )
    # A form's own sectors are listed even at zero (a published zero tells nothing).
    own = {sector for form in forms for sector in FORM_SECTORS.get(form, ())}
    sectors = sorted(set(this.counts.by["sector"]) | set(before.counts.by["sector"]) | own)

    def crossing(counts: Counts, scope: str) -> CrossTable:
        return cross_table(
            form_dim,
            sector_dim,
            counts.cross[FORM_SECTOR],
            _with_zeros(counts.by["exploitation_form"], forms),
            _with_zeros(counts.by["sector"], sectors),
            k,
            scope,
        )

    report.crossing = crossing(this.counts, scopes[0])
    report.form_sectors = _form_sectors(report.crossing, crossing(before.counts, scopes[1]), k)
    for dim, this_counts, before_counts, of_persons in [
        (MINOR, this.minor, before.minor, False),
        (SUB3, this.sub3, before.sub3, False),
        (POLICE, this.police, before.police, False),
        (REPEAT, this.repeat, before.repeat, True),
    ]:
        report.tables.append(
            _paired(
                dim,
                this_counts,
                before_counts,
                this.counts.persons if of_persons else total,
                before.counts.persons if of_persons else previous_total,
                k,
                NOTES.get(dim.key, ""),
                scopes,
            )
        )
    return report


def table(report: MonitorReport, key: str) -> MonitorTable:
    return next(found for found in report.tables if found.key == key)
