"""The lattice search of reports/anonymise.py, on counts alone (no database)."""

from __future__ import annotations

import itertools
import random
from collections import Counter

import pytest

from registry.reference_data import REGIONS
from reports.anonymise import (
    MAX_SUPPRESSED,
    _generalisation_loss,
    _plan_for,
    hierarchies,
    make_plan,
)
from reports.geography import LANDSDELEN, landsdeel


def _counts(seed: int, rows: int) -> Counter:
    rng = random.Random(seed)
    counts: Counter = Counter()
    for _ in range(rows):
        counts[
            (
                2025,
                rng.choice([None, 12, 16, 19, 21, 25, 28, 33, 41, 55]),
                rng.choice(["female"] * 6 + ["male"] * 4 + ["other", "unknown"]),
                rng.choice(["NL"] * 4 + ["RO", "PL", "BG", "NG", "UA", "CN", "BR", ""]),
                rng.choice(["amsterdam", "rotterdam", "twente", "groningen", "tilburg", None]),
                rng.choice(["NL"] * 6 + ["BE", "DE", "RO", ""]),
            )
        ] += 1
    return counts


def _every_node(counts: Counter, k: int, scheme: str, layout: str):
    """Every node of the lattice evaluated by brute force: (suppressed, loss, node)."""
    found = hierarchies(scheme, layout)
    base: Counter = Counter()
    for values, n in counts.items():
        base[tuple(h.first(v) for h, v in zip(found, values, strict=True))] += n
    chains = [{v: found[i].chain(v) for v in {qi[i] for qi in base}} for i in range(len(found))]
    for node in itertools.product(*(range(h.height + 1) for h in found)):
        groups: Counter = Counter()
        for qi, n in base.items():
            groups[tuple(chains[i][v][node[i]] for i, v in enumerate(qi))] += n
        plan = _plan_for(node, base, groups, chains, found, k)
        yield plan.summary.suppressed, plan.summary.loss, node


@pytest.mark.parametrize("seed", [1, 2, 3])
@pytest.mark.parametrize(
    ("scheme", "layout"), [("monitor", "registry"), ("ctdc", "registry"), ("ctdc", "ctdc")]
)
def test_the_pruned_search_finds_the_least_loss_a_full_search_finds(seed, scheme, layout):
    counts = _counts(seed, 400)
    total = sum(counts.values())
    plan = make_plan(counts, 10, scheme, layout)
    every = list(_every_node(counts, 10, scheme, layout))
    allowed = [
        (loss, node) for suppressed, loss, node in every if suppressed <= MAX_SUPPRESSED * total
    ]
    assert allowed, "the top of the lattice always qualifies here"
    assert plan.summary.loss == pytest.approx(min(loss for loss, _node in allowed))
    assert plan.summary.suppressed <= MAX_SUPPRESSED * total
    assert plan.summary.nodes == len(every)
    assert plan.summary.nodes_evaluated <= len(every)


def test_every_published_combination_occurs_at_least_k_times():
    counts = _counts(7, 600)
    plan = make_plan(counts, 10)
    published: Counter = Counter()
    found = plan.hierarchies
    for values, n in counts.items():
        qi = tuple(h.first(v) for h, v in zip(found, values, strict=True))
        out = plan.apply(qi)
        if out is not None:
            published[out] += n
    assert min(published.values()) >= 10
    assert sum(published.values()) == plan.summary.published


def test_when_no_generalisation_keeps_enough_rows_the_fewest_are_left_out():
    # Five rows of one person's shape: at k = 10 nothing can make a group of ten.
    counts = Counter({(2025, 30, "female", "RO", "amsterdam", "NL"): 5})
    plan = make_plan(counts, 10)
    assert plan.summary.published == 0 and plan.summary.suppressed == 5


def test_the_loss_of_a_node_is_its_levels_share_of_the_heights():
    found = hierarchies("monitor", "registry")
    # age 1 of 3, region 2 of 2, the rest as recorded: (1/3 + 1) / 5 quasi-identifiers that
    # can be generalised (the year cannot).
    assert _generalisation_loss((0, 1, 0, 0, 2, 0), found) == pytest.approx((1 / 3 + 1) / 5)


def test_every_default_region_has_its_landsdeel():
    assert {code for code, _name in REGIONS} <= set(LANDSDELEN)
    assert set(LANDSDELEN.values()) == {"north", "east", "south", "west"}
    assert landsdeel("a-region-added-later") == "other" and landsdeel("") == ""
