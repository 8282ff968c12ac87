"""The row-level anonymised dataset, k-anonymous over the quasi-identifiers.

Quasi-identifiers: registration year, age band, gender, nationality, region. Every
combination of them that appears in the output appears at least k times. Rows of a rarer
combination are generalised step by step (DESIGN.md):

1. nationality -> world region (``eu``, ``africa``, ... lower-case, so never confused with an
   ISO code), counted among the rows that needed it;
2. then the region is dropped (empty cell);
3. rows still in a group smaller than k are left out (suppressed).

The plan is made from one GROUP BY over the quasi-identifiers (exact counts never leave this
module); the rows then stream past it. A summary says how many rows took each step.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field

from django.db.models import CharField, Count, QuerySet
from django.db.models.functions import Cast, ExtractYear

from reports.columns import ANONYMISED_COLUMNS, anonymised_source
from reports.dimensions import AGE_SCHEMES, age_band_expression
from reports.geography import world_region

QI = tuple[str, str, str, str, str]  # year, age band, gender, nationality, region
_YEAR, _REGION, _BAND, _GENDER, _NATIONALITY = (
    ANONYMISED_COLUMNS.index(name)
    for name in ("registration_year", "region", "age_band", "gender", "nationality")
)
UNCHANGED, GENERALISED, REGION_DROPPED, SUPPRESSED = 0, 1, 2, 3


@dataclass
class Summary:
    """How many rows were published as they are, generalised, or left out."""

    k: int
    total: int = 0
    unchanged: int = 0
    nationality_generalised: int = 0
    region_dropped: int = 0
    suppressed: int = 0

    @property
    def published(self) -> int:
        return self.total - self.suppressed

    def as_dict(self) -> dict[str, int]:
        return {
            "k": self.k,
            "rows_in": self.total,
            "rows_out": self.published,
            "unchanged": self.unchanged,
            "nationality_generalised": self.nationality_generalised,
            "region_dropped": self.region_dropped,
            "suppressed": self.suppressed,
        }


@dataclass
class Plan:
    k: int
    # QI of a source row -> (step, published QI); rows of unlisted QIs are unchanged.
    steps: dict[QI, tuple[int, QI]] = field(default_factory=dict)
    summary: Summary | None = None

    def apply(self, qi: QI) -> tuple[int, QI]:
        return self.steps.get(qi, (UNCHANGED, qi))


def quasi_identifier_counts(qs: QuerySet, age_scheme: str = "monitor") -> Counter:
    rows = (
        qs.annotate(
            _year=Cast(ExtractYear("registered_on"), CharField()),
            _band=age_band_expression(AGE_SCHEMES[age_scheme], "age_at_registration"),
        )
        .values_list("_year", "_band", "person__gender", "person__nationality", "region__code")
        .annotate(n=Count("pk"))
        .order_by()
    )
    counts: Counter = Counter()
    for year, band, gender, nationality, region, n in rows:
        counts[(str(year), band, gender, str(nationality or ""), region)] += n
    return counts


def make_plan(counts: Counter, k: int) -> Plan:
    """Decide, per combination, which step makes it k-anonymous (or that it is suppressed)."""
    plan = Plan(k)
    summary = Summary(k, total=sum(counts.values()))
    rare = {qi: n for qi, n in counts.items() if n < k}
    summary.unchanged = summary.total - sum(rare.values())

    step1: Counter = Counter()
    for (year, band, gender, nationality, region), n in rare.items():
        step1[(year, band, gender, world_region(nationality), region)] += n
    step2: Counter = Counter()
    for (year, band, gender, group, _region), n in step1.items():
        if n < k:
            step2[(year, band, gender, group, "")] += n

    for qi, n in rare.items():
        year, band, gender, nationality, region = qi
        generalised = (year, band, gender, world_region(nationality), region)
        if step1[generalised] >= k:
            plan.steps[qi] = (GENERALISED, generalised)
            summary.nationality_generalised += n
            continue
        dropped = (year, band, gender, generalised[3], "")
        if step2[dropped] >= k:
            plan.steps[qi] = (REGION_DROPPED, dropped)
            summary.region_dropped += n
        else:
            plan.steps[qi] = (SUPPRESSED, dropped)
            summary.suppressed += n
    plan.summary = summary
    return plan


def plan_for(qs: QuerySet, k: int, age_scheme: str = "monitor") -> Plan:
    return make_plan(quasi_identifier_counts(qs, age_scheme), k)


def anonymised_rows(
    qs: QuerySet, k: int, age_scheme: str = "monitor"
) -> tuple[Summary, Iterator[list[str]]]:
    """The summary and the rows of the k-anonymous dataset (ANONYMISED_COLUMNS)."""
    plan = plan_for(qs, k, age_scheme)

    def rows() -> Iterator[list[str]]:
        for row in anonymised_source(qs, age_scheme):
            qi = (row[_YEAR], row[_BAND], row[_GENDER], row[_NATIONALITY], row[_REGION])
            step, published = plan.apply(qi)
            if step == SUPPRESSED:
                continue
            if step != UNCHANGED:
                row[_NATIONALITY], row[_REGION] = published[3], published[4]
            yield row

    assert plan.summary is not None
    return plan.summary, rows()
