"""The row-level anonymised dataset, k-anonymous over the quasi-identifiers.

Quasi-identifiers (``reports.columns.QUASI_IDENTIFIERS``): registration year, age band,
gender, nationality, region and country of exploitation. Every combination of them that
appears in the output appears at least k times.

**Full-domain generalisation, chosen per release** (as Incognito, ARX and sdcMicro do): each
quasi-identifier has a hierarchy of levels (age: band -> wider bands -> minor/adult ->
withheld; nationality and country of exploitation: country -> world region -> Dutch / other
EU / outside the EU -> withheld; region: care-coordination region -> landsdeel -> withheld;
gender: as recorded -> other and unknown together -> withheld; the year is not generalised,
a release covers one year at most). A node of the lattice is one level per quasi-identifier,
applied to every row; the rows of combinations still below k are then suppressed. Of the
nodes that suppress at most ``MAX_SUPPRESSED`` of the rows, the one with the least
information loss is chosen (a precision loss: each cell's level as a share of its hierarchy's
height, a suppressed row counting as lost whole; ties by discernibility, the sum of the
squared group sizes); if none does, the one that suppresses the fewest.

Choosing the node that keeps the most rows alone would always choose the top of the lattice
(everything withheld keeps every row), so the rows kept are a bound and the loss decides.

**Fast**: one GROUP BY over the finest values (year, age, gender, nationality, region,
country of exploitation), folded in Python; each node's counts are rolled up from a node one
step below it. Nodes are visited in the order of their generalisation loss, which is a lower
bound of their total loss, so the search stops as soon as no node left can beat the best one
found. Exact counts never leave this module: the summary holds totals only.

The rows then stream past the chosen plan (``anonymised_rows``).
"""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, QuerySet
from django.db.models.functions import ExtractYear
from django.utils.translation import gettext_lazy as _

from registry import registering
from reports.columns import ANONYMISED_COLUMNS, QUASI_IDENTIFIERS, anonymised_source
from reports.dimensions import AGE_SCHEMES, UNKNOWN
from reports.geography import country_area, country_group, landsdeel, world_region

# At most this share of the rows is suppressed when a generalisation can keep the rest; the
# usual setting of ARX and sdcMicro's suppression limit.
MAX_SUPPRESSED = 0.05
LAYOUTS = ("registry", "ctdc")

QI = tuple[str, ...]
_QI_INDEX = [ANONYMISED_COLUMNS.index(name) for name in QUASI_IDENTIFIERS]


# The hierarchies ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Hierarchy:
    """The levels of one quasi-identifier: ``first`` turns a database value into level 0,
    ``up[i]`` turns a value of level i into one of level i + 1 (the last level withholds)."""

    column: str
    levels: tuple[tuple[str, Any], ...]  # (code, label) per level, for the summary
    first: Callable[[Any], str]
    up: tuple[Callable[[str], str], ...] = ()

    @property
    def height(self) -> int:
        return len(self.up)

    @property
    def labels(self) -> tuple[Any, ...]:
        return tuple(label for _code, label in self.levels)

    def chain(self, value: str) -> list[str]:
        values = [value]
        for step in self.up:
            values.append(step(values[-1]))
        return values


def _withheld(_value: str) -> str:
    return ""


def _band_of(bands: list[tuple[str, int, int | None]]) -> Callable[[Any], str]:
    def first(age: Any) -> str:
        return registering.age_band(age, bands) if age is not None else UNKNOWN

    return first


def _regroup(groups: dict[str, str]) -> Callable[[str], str]:
    """A coarser age band: ``groups`` maps each band of the level below to its wider band."""

    def up(band: str) -> str:
        return UNKNOWN if band == UNKNOWN else groups.get(band, band)

    return up


_MONITOR_WIDER = {"0-17": "0-17", "18-22": "18-29", "23-29": "18-29", "30-39": "30+", "40+": "30+"}
_CTDC_WIDER = {
    "0-8": "0-8",
    "9-17": "9-17",
    "18-20": "18-23",
    "21-23": "18-23",
    "24-26": "24-29",
    "27-29": "24-29",
    "30-38": "30-47",
    "39-47": "30-47",
    "48+": "48+",
}
_CTDC_WIDEST = {
    "0-8": "0-17",
    "9-17": "0-17",
    "18-23": "18-29",
    "24-29": "18-29",
    "30-47": "30+",
    "48+": "30+",
}
_MAJORITY = {"0-17": "0-17", "18-29": "18+", "30+": "18+"}
_CTDC_MAJORITY = {band: ("0-17" if band in ("0-8", "9-17") else "18+") for band in _CTDC_WIDER}


def _age_hierarchy(scheme: str, layout: str) -> Hierarchy:
    first = _band_of(AGE_SCHEMES[scheme])
    if layout == "ctdc":
        # CTDC's ageBroad holds its own bands; wider ones cannot be written, but
        # majorityStatus can: band -> minor/adult -> withheld.
        return Hierarchy(
            "age_band",
            (
                ("band", _("CTDC band")),
                ("minor_adult", _("minor / adult")),
                ("withheld", _("withheld")),
            ),
            _band_of(AGE_SCHEMES["ctdc"]),
            (_regroup(_CTDC_MAJORITY), _withheld),
        )
    if scheme == "ctdc":
        return Hierarchy(
            "age_band",
            (
                ("band", _("band")),
                ("wider_bands", _("wider bands")),
                ("three_bands", _("under 18, 18-29, 30+")),
                ("minor_adult", _("minor / adult")),
                ("withheld", _("withheld")),
            ),
            first,
            (_regroup(_CTDC_WIDER), _regroup(_CTDC_WIDEST), _regroup(_MAJORITY), _withheld),
        )
    return Hierarchy(
        "age_band",
        (
            ("band", _("band")),
            ("three_bands", _("under 18, 18-29, 30+")),
            ("minor_adult", _("minor / adult")),
            ("withheld", _("withheld")),
        ),
        first,
        (_regroup(_MONITOR_WIDER), _regroup(_MAJORITY), _withheld),
    )


def _gender_first(gender: Any) -> str:
    return gender or UNKNOWN


def _gender_merged(gender: str) -> str:
    return gender if gender in ("female", "male") else "other_or_unknown"


def _country(value: Any) -> str:
    return str(value or "")


def _country_hierarchy(column: str, layout: str) -> Hierarchy:
    if layout == "ctdc":  # CTDC writes an ISO code or -99: nothing in between
        return Hierarchy(
            column, (("country", _("country")), ("withheld", _("withheld"))), _country, (_withheld,)
        )
    return Hierarchy(
        column,
        (
            ("country", _("country")),
            ("world_region", _("world region")),
            ("eu_group", _("Dutch / other EU / outside the EU")),
            ("withheld", _("withheld")),
        ),
        _country,
        (country_area, country_group, _withheld),
    )


def hierarchies(age_scheme: str = "monitor", layout: str = "registry") -> list[Hierarchy]:
    """The hierarchy of each quasi-identifier, in the order of QUASI_IDENTIFIERS."""
    if layout == "ctdc":
        # CTDC has no sub-national location: the region is not written, so not a QI.
        region = Hierarchy("region", (("not_in_layout", _("not in the layout")),), lambda code: "")
    else:
        region = Hierarchy(
            "region",
            (
                ("region", _("region")),
                ("landsdeel", _("part of the country")),
                ("withheld", _("withheld")),
            ),
            lambda code: code or "",
            (landsdeel, _withheld),
        )
    found = [
        Hierarchy("registration_year", (("year", _("year")),), lambda year: str(year)),
        _age_hierarchy(age_scheme, layout),
        Hierarchy(
            "gender",
            (
                ("as_recorded", _("as recorded")),
                ("other_unknown_merged", _("other and unknown together")),
                ("withheld", _("withheld")),
            ),
            _gender_first,
            (_gender_merged, _withheld),
        ),
        _country_hierarchy("nationality", layout),
        region,
        _country_hierarchy("exploitation_country", layout),
    ]
    assert tuple(h.column for h in found) == QUASI_IDENTIFIERS
    return found


# Counting -----------------------------------------------------------------------------------


def finest_counts(qs: QuerySet) -> Counter:
    """Registrations per combination of the finest values: one GROUP BY (age, not its band),
    over the same columns as the rows (reports.columns.anonymised_source) read."""
    rows = (
        qs.annotate(_year=ExtractYear("registered_on"))
        .values_list(
            "_year",
            "age_at_registration",
            "person__gender",
            "person__nationality",
            "region__code",
            "exploitation_country",
        )
        .annotate(n=Count("pk"))
        .order_by()
    )
    counts: Counter = Counter()
    for *values, n in rows:
        counts[tuple(values)] += n
    return counts


# The plan -----------------------------------------------------------------------------------


@dataclass
class Summary:
    """What the release holds: rows in and out, the generalisation chosen and its loss."""

    k: int
    total: int = 0
    suppressed: int = 0
    levels: tuple[int, ...] = ()
    # (quasi-identifier, code of the level chosen, its label)
    level_labels: tuple[tuple[str, str, Any], ...] = ()
    loss: float = 0.0  # precision loss, 0..1
    cells_generalised: float = 0.0  # share of the file's QI cells not as recorded
    nodes: int = 0  # lattice nodes in all
    nodes_evaluated: int = 0
    seconds: float = 0.0

    @property
    def published(self) -> int:
        return self.total - self.suppressed

    @property
    def kept_share(self) -> float:
        return self.published / self.total if self.total else 0.0

    def generalisation(self) -> str:
        return ", ".join(f"{column}: {code}" for column, code, _label in self.level_labels)

    def as_dict(self) -> dict[str, Any]:
        return {
            "k": self.k,
            "rows_in": self.total,
            "rows_out": self.published,
            "suppressed": self.suppressed,
            "generalisation": {column: code for column, code, _label in self.level_labels},
            "information_loss_percent": round(100 * self.loss, 1),
            "cells_generalised_percent": round(100 * self.cells_generalised, 1),
        }


@dataclass
class Plan:
    k: int
    hierarchies: list[Hierarchy]
    levels: tuple[int, ...] = ()
    # level-0 combination -> published combination; absent = suppressed
    published: dict[QI, QI] = field(default_factory=dict)
    summary: Summary | None = None

    def apply(self, qi: QI) -> QI | None:
        return self.published.get(qi)


def _generalisation_loss(levels: tuple[int, ...], found: list[Hierarchy]) -> float:
    shares = [level / h.height for level, h in zip(levels, found, strict=True) if h.height]
    return sum(shares) / len(shares) if shares else 0.0


def _successors(levels: tuple[int, ...], found: list[Hierarchy]) -> Iterator[tuple[int, ...]]:
    for i, h in enumerate(found):
        if levels[i] < h.height:
            yield levels[:i] + (levels[i] + 1,) + levels[i + 1 :]


def make_plan(
    finest: Counter, k: int, age_scheme: str = "monitor", layout: str = "registry"
) -> Plan:
    """Search the lattice for the generalisation of this release (see the module's doc)."""
    started = time.perf_counter()
    found = hierarchies(age_scheme, layout)
    # Level 0 of each row, and each level-0 value's chain up its hierarchy.
    base: Counter = Counter()
    for values, n in finest.items():
        base[tuple(h.first(v) for h, v in zip(found, values, strict=True))] += n
    chains = [{} for _ in found]
    for qi in base:
        for i, value in enumerate(qi):
            if value not in chains[i]:
                chains[i][value] = found[i].chain(value)
    # value at level l -> value at level l + 1, per quasi-identifier (for the roll-up)
    steps: list[list[dict[str, str]]] = [[{} for _ in range(h.height)] for h in found]
    for i, chain_of in enumerate(chains):
        for chain in chain_of.values():
            for level in range(found[i].height):
                steps[i][level][chain[level]] = chain[level + 1]

    total = sum(base.values())
    limit = int(MAX_SUPPRESSED * total)
    bottom = tuple(0 for _ in found)
    nodes = [bottom]
    seen = {bottom}
    for node in nodes:  # breadth first: every node of the lattice
        for successor in _successors(node, found):
            if successor not in seen:
                seen.add(successor)
                nodes.append(successor)
    nodes.sort(key=lambda node: (_generalisation_loss(node, found), node))

    counts: dict[tuple[int, ...], Counter] = {bottom: base}
    best: tuple[float, int, tuple[int, ...]] | None = None  # (loss, discernibility, node)
    fewest: tuple[int, float, int, tuple[int, ...]] | None = None  # fallback
    evaluated = 0
    for node in nodes:
        floor = _generalisation_loss(node, found)
        if best is not None and floor > best[0]:
            break  # no node from here on can lose less than the best
        if node not in counts:
            counts[node] = _roll_up(node, counts, steps)
        evaluated += 1
        groups = counts[node]
        suppressed = sum(n for n in groups.values() if n < k)
        kept = total - suppressed
        loss = (kept * floor + suppressed) / total if total else 0.0
        discernibility = sum(n * n for n in groups.values() if n >= k) + suppressed * total
        if suppressed <= limit:
            candidate = (loss, discernibility, node)
            if best is None or candidate < best:
                best = candidate
        option = (suppressed, loss, discernibility, node)
        if fewest is None or option < fewest:
            fewest = option
    assert fewest is not None
    chosen = best[2] if best is not None else fewest[3]
    plan = _plan_for(chosen, base, counts[chosen], chains, found, k)
    assert plan.summary is not None
    plan.summary.nodes, plan.summary.nodes_evaluated = len(nodes), evaluated
    plan.summary.seconds = time.perf_counter() - started
    return plan


def _roll_up(node: tuple[int, ...], counts: dict[tuple[int, ...], Counter], steps: list) -> Counter:
    """The counts of ``node`` from an evaluated node one step below it (the smallest)."""
    below = []
    for i, level in enumerate(node):
        if level:
            lower = node[:i] + (level - 1,) + node[i + 1 :]
            if lower in counts:
                below.append((len(counts[lower]), i, lower))
    _size, i, lower = min(below)
    step = steps[i][node[i] - 1]
    rolled: Counter = Counter()
    for qi, n in counts[lower].items():
        rolled[qi[:i] + (step[qi[i]],) + qi[i + 1 :]] += n
    return rolled


def _plan_for(
    levels: tuple[int, ...],
    base: Counter,
    groups: Counter,
    chains: list[dict[str, list[str]]],
    found: list[Hierarchy],
    k: int,
) -> Plan:
    plan = Plan(k, found, levels)
    summary = Summary(k, total=sum(base.values()), levels=levels)
    changed = cells = 0
    for qi, n in base.items():
        published = tuple(chains[i][v][levels[i]] for i, v in enumerate(qi))
        if groups[published] < k:
            summary.suppressed += n
            continue
        plan.published[qi] = published
        for i, h in enumerate(found):
            if h.height:
                cells += n
                changed += n if published[i] != qi[i] else 0
    summary.level_labels = tuple(
        (h.column, *h.levels[level]) for h, level in zip(found, levels, strict=True)
    )
    summary.loss = (
        (summary.published * _generalisation_loss(levels, found) + summary.suppressed)
        / summary.total
        if summary.total
        else 0.0
    )
    summary.cells_generalised = changed / cells if cells else 0.0
    plan.summary = summary
    return plan


def plan_for(qs: QuerySet, k: int, age_scheme: str = "monitor", layout: str = "registry") -> Plan:
    return make_plan(finest_counts(qs), k, age_scheme, layout)


def anonymised_rows(
    qs: QuerySet, k: int, age_scheme: str = "monitor", layout: str = "registry"
) -> tuple[Summary, Iterator[list[str]]]:
    """The summary and the rows of the k-anonymous dataset (ANONYMISED_COLUMNS; with the
    CTDC layout one more cell, the means of control, for reports.ctdc)."""
    plan = plan_for(qs, k, age_scheme, layout)
    scheme = "ctdc" if layout == "ctdc" else age_scheme
    # Level 0 from the source's cells: the age band is already a band (the source computes it
    # in SQL by the same rule); every other cell goes through its hierarchy's ``first``.
    first = [h.first for h in plan.hierarchies]
    _age = QUASI_IDENTIFIERS.index("age_band")

    def rows() -> Iterator[list[str]]:
        source = anonymised_source(qs, scheme, means_of_control=layout == "ctdc")
        for row in source:
            qi = tuple(
                row[index] if i == _age else first[i](row[index])
                for i, index in enumerate(_QI_INDEX)
            )
            published = plan.apply(qi)
            if published is None:
                continue
            for index, value in zip(_QI_INDEX, published, strict=True):
                row[index] = value
            yield row

    assert plan.summary is not None
    return plan.summary, rows()


# The plan before issue 16, kept to measure the lattice against (bench/anonymised.py and the
# tests): per rare combination of (year, age band, gender, nationality, region), nationality
# to world region, then the region dropped, then the row suppressed.


def per_row_plan_summary(qs: QuerySet, k: int, age_scheme: str = "monitor") -> dict[str, int]:
    """Rows kept by the old per-row plan, and of those how many lost their region."""
    bands = AGE_SCHEMES[age_scheme]
    counts: Counter = Counter()
    for (year, age, gender, nationality, region, _country), n in finest_counts(qs).items():
        band = registering.age_band(age, bands) if age is not None else UNKNOWN
        counts[(str(year), band, gender, str(nationality or ""), region or "")] += n
    rare = {qi: n for qi, n in counts.items() if n < k}
    step1: Counter = Counter()
    for (year, band, gender, nationality, region), n in rare.items():
        step1[(year, band, gender, world_region(nationality), region)] += n
    step2: Counter = Counter()
    for (year, band, gender, group, _region), n in step1.items():
        if n < k:
            step2[(year, band, gender, group)] += n
    total = sum(counts.values())
    suppressed = region_dropped = 0
    for (year, band, gender, nationality, region), n in rare.items():
        group = world_region(nationality)
        if step1[(year, band, gender, group, region)] >= k:
            continue
        if step2[(year, band, gender, group)] >= k:
            region_dropped += n
        else:
            suppressed += n
    return {
        "rows_in": total,
        "rows_out": total - suppressed,
        "region_dropped": region_dropped,
    }
