"""The k-anonymous dataset and the statistics command, on the planted dataset."""

from __future__ import annotations

import csv
import datetime
import io
from collections import Counter

import pytest
from django.core.management import call_command
from django.urls import reverse

from registry.choices import AuditAction, Gender
from registry.models import AuditEvent
from reports.columns import ANONYMISED_COLUMNS, PERSONAL_ONLY, QUASI_IDENTIFIERS
from tests.factories import PersonFactory, RegistrationFactory
from tests.jobs import export_via_job
from tests.reports.conftest import PLANTED_SECRET

pytestmark = pytest.mark.django_db


@pytest.fixture
def rare(planted):
    """Rows that need each step at k = 10 (besides group C, suppressed as it is).

    - one Ghanaian girl of 16 in the north in 2025: with group C (Nigerian) she makes 10
      registrations of (2025, 0-17, female, Africa, north): nationality generalised;
    - 5 Belgian men of 35 in the north and 5 German men of 35 in the south in 2025: only
      together, without region, are they 10: region dropped.
    """

    def add(nationality, region, age, gender, count):
        for _ in range(count):
            RegistrationFactory(
                person=PersonFactory(gender=gender, nationality=nationality),
                registered_on=datetime.date(2025, 6, 1),
                region=region,
                age_at_registration=age,
            )

    add("GH", planted.north, 16, Gender.FEMALE, 1)
    add("BE", planted.north, 35, Gender.MALE, 5)
    add("DE", planted.south, 35, Gender.MALE, 5)
    return planted


def _export(tmp_path, *args):
    target = tmp_path / "anonymised.csv"
    out = io.StringIO()
    call_command(
        "export_registrations",
        "--anonymised",
        "--output",
        str(target),
        "--period",
        "2025",
        *args,
        stdout=out,
    )
    rows = list(csv.DictReader(io.StringIO(target.read_bytes().decode(), newline="")))
    return rows, out.getvalue()


def test_every_combination_of_quasi_identifiers_occurs_at_least_k_times(rare, tmp_path):
    rows, _out = _export(tmp_path, "--k", "10")
    combos = Counter(tuple(row[q] for q in QUASI_IDENTIFIERS) for row in rows)
    assert combos and min(combos.values()) >= 10


def test_rare_rows_are_generalised_then_lose_region_then_are_suppressed(rare, tmp_path):
    rows, out = _export(tmp_path, "--k", "10")
    combos = Counter(tuple(row[q] for q in QUASI_IDENTIFIERS) for row in rows)
    assert combos == {
        ("2025", "30-39", "male", "NL", "south"): 10,  # group B, unchanged
        ("2025", "0-17", "female", "africa", "north"): 10,  # C + the Ghanaian girl
        ("2025", "30-39", "male", "eu", ""): 10,  # Belgian and German men, no region
    }
    # 30 rows of 2025: 10 unchanged, 10 generalised, 10 without region, none suppressed.
    assert "30 of 30 registrations" in out
    assert "10 unchanged, 10 with nationality generalised" in out
    assert "10 also without region, 0 suppressed" in out


def test_a_group_that_stays_below_k_is_suppressed(planted, tmp_path):
    rows, out = _export(tmp_path, "--k", "10")
    assert len(rows) == 10  # group B; group C (9 Nigerian girls) cannot reach 10
    assert "9 suppressed" in out
    assert not any(row["nationality"] in ("NG", "africa") for row in rows)


def test_k_of_the_dataset_follows_the_setting(planted, tmp_path, settings):
    settings.REGISTRY_SMALL_CELL_K = 9
    rows, _out = _export(tmp_path)
    assert len(rows) == 19  # 2025


def test_the_dataset_has_no_personal_column_and_no_personal_value(planted, tmp_path):
    rows, _out = _export(tmp_path, "--k", "1")
    assert list(rows[0]) == ANONYMISED_COLUMNS
    assert not PERSONAL_ONLY & set(rows[0])
    assert "registration_number" not in rows[0] and "age_at_registration" not in rows[0]
    assert PLANTED_SECRET not in str(rows)
    assert {row["registration_year"] for row in rows} == {"2025"}


def test_ctdc_age_bands_can_be_chosen(planted, tmp_path):
    rows, _out = _export(tmp_path, "--k", "1", "--age-bands", "ctdc")
    assert Counter(row["age_band"] for row in rows) == {"30-38": 10, "9-17": 9}


def test_anonymised_page_shows_the_summary_and_the_download_is_audited(
    rare, administrator, client_for, settings
):
    settings.REGISTRY_SMALL_CELL_K = 10
    client = client_for(administrator)
    page = client.get(reverse("reports:anonymised"), {"year": "2025"})
    assert page.status_code == 200
    assert page.context["summary"].as_dict() == {
        "k": 10,
        "rows_in": 30,
        "rows_out": 30,
        "unchanged": 10,
        "nationality_generalised": 10,
        "region_dropped": 10,
        "suppressed": 0,
    }
    response = export_via_job(
        client, reverse("reports:anonymised_download", args=["csv"]), {"year": "2025"}
    )
    assert len(response.content.splitlines()) == 31
    done = AuditEvent.objects.filter(action=AuditAction.EXPORT).order_by("-id").first()
    assert done.details["export"] == "anonymised" and done.details["rows"] == 30


def test_export_statistics_writes_dimension_value_count_percent(planted, tmp_path, settings):
    settings.REGISTRY_SMALL_CELL_K = 10
    target = tmp_path / "stats.csv"
    call_command(
        "export_statistics",
        "--output",
        str(target),
        "--period",
        "2025",
        stdout=io.StringIO(),
    )
    rows = list(csv.reader(io.StringIO(target.read_text())))
    assert rows[0] == ["dimension", "value", "count", "percent"]
    # 19 is published randomly rounded to 5 (docs/reports.md, "Disclosure control"), the
    # same in every row that counts it; 9 reads x.
    found = {(row[0], row[1]): row[2] for row in rows[1:]}
    assert found[("total", "registrations")] in ("15", "20")
    assert found[("year", "2025")] == found[("total", "registrations")]  # one figure, one value
    assert found[("total", "persons")] in ("15", "20")
    assert ["gender", "female", "x", ""] in rows  # 9
    assert ["age_monitor", "0-17", "x", ""] in rows


def test_export_statistics_refuses_an_unknown_dimension(db, tmp_path):
    from django.core.management import CommandError

    with pytest.raises(CommandError, match="two different dimensions"):
        call_command(
            "export_statistics",
            *("--output", str(tmp_path / "s.csv"), "--period", "2025", "--cross", "a,b"),
        )
