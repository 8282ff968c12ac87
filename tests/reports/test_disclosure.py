"""Disclosure control that keeps the headlines (issue 16, item 2; docs/reports.md,
"Disclosure control"): the victim monitor's 2015-2019 table imported from an interchange file
and read back from the published download, and the attacker (tests/reports/attacker.py)
pinning none of its protected cells, while it does pin them under primary suppression alone."""

from __future__ import annotations

import csv
import datetime
import io
import random
import re

import pytest
from django.core.management import call_command
from django.urls import reverse

from registry.interchange import COLUMN_NAMES, PERSONAL_COLUMNS
from tests.factories import RegistrationFactory
from tests.jobs import export_via_job
from tests.reports.attacker import attack, documented_meaning, weak_publication

pytestmark = pytest.mark.django_db

K, BASE = 10, 5
# The documented protection width: a protected count is never proven to lie from 1 to k-1
# within fewer than BASE possible values (docs/reports.md, "The attacker").
WIDTH = BASE
EN = {"HTTP_ACCEPT_LANGUAGE": "en"}

# The victim monitor's 2015-2019 table (Nationaal Rapporteur, slachtoffermonitor 2015-2019):
# 1,334 registered possible victims.
TOTAL = 1334
GENDER = {"female": 687, "male": 643, "unknown": 4}
# The interchange format has no unknown age (age_at_registration is required without a date
# of birth), so the monitor's unknown ages are counted among the oldest here.
AGE = {(12, 17): 150, (18, 22): 256, (23, 29): 320, (30, 39): 300, (40, 60): 308}
FORMS = {"sexual": 720, "labour": 260, "criminal": 148, "unknown": 206}
NATIONALITY = {
    "NL": 244, "RO": 140, "BG": 110, "PL": 90, "NG": 75, "UG": 60, "GN": 50,
    "HU": 45, "SK": 40, "LT": 38, "ER": 35, "CN": 32, "VN": 30, "MA": 28, "AL": 26, "UA": 25,
    "SY": 22, "IN": 20, "BR": 18, "GH": 16, "SL": 15, "TH": 14, "PH": 12, "LV": 11, "CZ": 10,
    "SO": 9, "ET": 9, "DO": 9, "CO": 8, "TR": 8, "IQ": 8, "AF": 8, "PK": 7, "EG": 7, "KE": 7,
    "CM": 6, "SN": 6, "MD": 6, "": 30,
}  # fmt: skip


def _column(counts: dict, rng: random.Random) -> list:
    values = [value for value, n in counts.items() for _ in range(n)]
    assert len(values) == TOTAL
    rng.shuffle(values)
    return values


def monitor_file(path) -> None:
    """The table as an interchange file: one anonymous registration per row (no personal
    columns), spread at random over the days of 2015-2019, each column drawn independently."""
    rng = random.Random(2019)
    first, days = (
        datetime.date(2015, 1, 1),
        (datetime.date(2019, 12, 31) - datetime.date(2015, 1, 1)).days,
    )
    genders, ages = _column(GENDER, rng), _column(AGE, rng)
    forms, nationalities = _column(FORMS, rng), _column(NATIONALITY, rng)
    columns = [c for c in COLUMN_NAMES if c not in PERSONAL_COLUMNS]
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=columns, extrasaction="ignore")
        writer.writeheader()
        for n in range(TOTAL):
            writer.writerow(
                {
                    "registered_on": (
                        first + datetime.timedelta(days=rng.randint(0, days))
                    ).isoformat(),
                    "reporter_type": "police",
                    "region": "region-a",
                    "age_at_registration": str(rng.randint(*ages[n])),
                    "gender": genders[n],
                    "nationality": nationalities[n],
                    "exploitation_forms": forms[n],
                    "file_type": "registration",
                    "consent_registration": "no",
                    "consent_care": "no",
                }
            )


def _published(rows: list[list[str]]) -> dict[tuple[str, str], tuple[str, str]]:
    return {(dim, value): (count, percent) for dim, value, count, percent in rows[1:]}


def _near(text: str, exact: int) -> bool:
    """A published count is the exact one within the documented rounding."""
    if text == "x":
        return 0 <= exact < K + BASE
    return abs(int(text) - exact) <= BASE - 1 and int(text) >= K + BASE


def test_the_victim_monitors_2015_2019_table_as_published(tmp_path, region_a, helpdesk, client_for):
    """Must show (issue 16): 1,334 registered possible victims; 51.5% female, 48.2% male,
    0.3% (4) unknown; 30.4% under 23; 54% sexual exploitation, 30.6% outside the sex
    industry; 18.3% Dutch; the most frequent other nationalities Romanian, Bulgarian, Polish,
    Nigerian, Ugandan and Guinean; the attacker pins none of the protected cells."""
    path = tmp_path / "monitor-2015-2019.csv"
    monitor_file(path)
    call_command("import_registrations", str(path), stdout=io.StringIO())

    client = client_for(helpdesk)
    query = {"year": "2015", "until": "2019", "rows": "gender", "cols": "age_monitor"}
    response = export_via_job(client, reverse("reports:statistics_download", args=["csv"]), query)
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    published = _published(rows)
    total = int(published[("total", "registrations")][0])
    # A percentage is of the published total from a published count: within
    # 100 x 2 x (b - 1) / total points of the exact one, and 0.05 for its one decimal.
    slack = 100 * 2 * (BASE - 1) / total + 0.05

    def percent(dim: str, *values: str) -> float:
        return sum(float(published[(dim, v)][1]) for v in values)

    def near_percent(dim: str, exact: float, *values: str) -> bool:
        return abs(percent(dim, *values) - exact) <= slack * len(values)

    assert _near(published[("total", "registrations")][0], TOTAL)
    # Gender: both headline figures are published (secondary suppression hid the male one).
    assert _near(published[("gender", "female")][0], 687) and near_percent("gender", 51.5, "female")
    assert _near(published[("gender", "male")][0], 643) and near_percent("gender", 48.2, "male")
    assert published[("gender", "unknown")] == ("x", "")  # 4: below 1%, not shown exactly
    assert _near("x", 4)
    assert near_percent("age_monitor", 30.4, "0-17", "18-22")  # under 23
    assert near_percent("exploitation_form", 54.0, "sexual")
    assert near_percent("exploitation_form", 30.6, "labour", "criminal")  # outside the sex industry
    assert near_percent("nationality_group", 18.3, "dutch")
    named = [value for (dim, value) in published if dim == "nationality"]
    others = [v for v in named if v not in ("NL", "unknown", "_other")]
    assert named[0] == "NL" and others[:6] == ["RO", "BG", "PL", "NG", "UG", "GN"]
    # Every category of at least 1% of the total is shown, within the rounding.
    for dim, counts in (("gender", GENDER), ("exploitation_form", FORMS)):
        for value, exact in counts.items():
            if exact >= TOTAL / 100:
                assert _near(published[(dim, value)][0], exact), (dim, value)
    # No count from 1 to k-1 is printed anywhere.
    assert all(not (c.isdigit() and 0 < int(c) < K) for _d, _v, c, _p in rows[1:])

    # The page shows the same figures.
    page = client.get(reverse("reports:statistics"), query, **EN)
    assert page.status_code == 200
    html = page.content.decode()
    for value in ("female", "male"):
        count, share = published[("gender", value)]
        row = re.search(rf'<tr data-value="{value}">.*?</tr>', html, re.S).group(0)
        assert f">{count}<" in row and f">{share}<" in row

    # The attacker, from every table of every published period of 2015-2019 (runs of years,
    # years, halves, quarters), pins none of the protected cells.
    result = attack(helpdesk, ("gender", "age_monitor"), 2015, 2019, documented_meaning(K, BASE), K)
    assert len(result.bounds) > 100  # many protected cells (the quarters' crossings)
    assert result.pinned(K, WIDTH) == []
    unknown = [b for b in result.bounds if b.figure.label == "2015-2019 gender=unknown"]
    assert unknown and unknown[0].lo == 0


def test_the_attacker_pins_cells_of_a_weak_publication(region_a, helpdesk):
    """Exact counts with small cells as x (primary suppression alone): the 3 of unknown
    gender is the total less the others, and the attacker finds it."""
    day = datetime.date(2019, 5, 1)
    for gender, n in (("female", 30), ("male", 25), ("unknown", 3)):
        RegistrationFactory.create_batch(
            n, region=region_a, registered_on=day, person__gender=gender
        )
    publish, meaning = weak_publication(K)
    result = attack(helpdesk, ("gender", "age_monitor"), 2019, 2019, meaning, K, publish)
    pinned = {b.figure.label: (b.lo, b.hi) for b in result.pinned(K, WIDTH)}
    assert pinned["2019 gender=unknown"] == (3, 3)
    # The same tables as published now: the 3 stays between 0 and 9.
    published = attack(
        helpdesk, ("gender", "age_monitor"), 2019, 2019, documented_meaning(K, BASE), K
    )
    assert published.pinned(K, WIDTH) == []


def test_a_country_whose_figure_reads_x_is_not_listed_on_its_own():
    """A row of its own would say, through its x, that someone of that country was counted
    (x covers zero too): it joins "other" (reports.tables._top)."""
    from reports.dimensions import DIMENSIONS
    from reports.tables import breakdown

    table = breakdown(DIMENSIONS["nationality"], {"NL": 40, "RO": 35, "ER": 3}, 78, 10, "s")
    values = [row.value for row in table.rows]
    assert "ER" not in values
    assert "NL" in values and "RO" in values and "_other" in values
