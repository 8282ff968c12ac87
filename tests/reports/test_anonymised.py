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
from registry.models import AuditEvent, Job
from reports.columns import ANONYMISED_COLUMNS, PERSONAL_ONLY, QUASI_IDENTIFIERS
from tests.factories import PersonFactory, RegionFactory, RegistrationFactory
from tests.jobs import export_via_job
from tests.reports.conftest import PLANTED_SECRET

pytestmark = pytest.mark.django_db


EN = {"HTTP_ACCEPT_LANGUAGE": "en"}


def _add(nationality, region, age, gender, count, country=""):
    for i in range(count):
        RegistrationFactory(
            person=PersonFactory(
                gender=gender,
                nationality=nationality,
                family_name=f"{PLANTED_SECRET}{i}",
                given_names=f"Given{PLANTED_SECRET}",
            ),
            registered_on=datetime.date(2025, 6, 1),
            region=region,
            age_at_registration=age,
            exploitation_country=country,
        )


@pytest.fixture
def rare(planted):
    """Rows that need generalising at k = 10 besides groups B and C of 2025.

    - one Ghanaian girl of 16 in the north in 2025: with group C (Nigerian) she makes 10
      registrations of girls from outside the EU;
    - 5 Belgian men of 35 in the north and 5 German men of 35 in the south in 2025: only
      together, without region, are they 10.
    """

    _add("GH", planted.north, 16, Gender.FEMALE, 1)
    _add("BE", planted.north, 35, Gender.MALE, 5)
    _add("DE", planted.south, 35, Gender.MALE, 5)
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


def test_one_generalisation_is_chosen_for_every_row_of_the_release(rare, tmp_path):
    """30 rows of 2025 in groups of 10 (B), 9 (C, Nigerian girls of 16 in the north), 1 (a
    Ghanaian girl of 16 in the north) and 5 + 5 (Belgian men of 35 in the north, German men of 35
    in the south). Suppressing at most 5% (one row), what loses least is nationality to world
    region and region to the larger area (the planted codes north and south are no Dutch
    region's, so both fall under 'other'), for every row alike; nothing is left out."""
    rows, out = _export(tmp_path, "--k", "10")
    combos = Counter(tuple(row[q] for q in QUASI_IDENTIFIERS) for row in rows)
    assert combos == {
        ("2025", "30-39", "male", "NL", "other", ""): 10,  # group B
        ("2025", "0-17", "female", "africa", "other", ""): 10,  # C + the Ghanaian girl
        ("2025", "30-39", "male", "eu", "other", ""): 10,  # Belgian and German men
    }
    assert "30 of 30 registrations" in out and "0 suppressed (100.0% kept)" in out
    assert "nationality: world_region" in out and "region: landsdeel" in out
    assert "age_band: band" in out and "exploitation_country: country" in out


def test_a_rare_row_is_suppressed_rather_than_generalise_everyone(db, tmp_path):
    """Thirty Dutch women of 25 in Amsterdam and one Chinese man of 50 in Groningen: leaving the
    one row out (3% of the release) loses far less than generalising thirty-one rows."""
    amsterdam = RegionFactory(code="amsterdam", name="Amsterdam")
    groningen = RegionFactory(code="groningen", name="Groningen")
    _add("NL", amsterdam, 25, Gender.FEMALE, 30, country="NL")
    _add("CN", groningen, 50, Gender.MALE, 1, country="NL")
    rows, out = _export(tmp_path, "--k", "10")
    assert len(rows) == 30
    assert {tuple(row[q] for q in QUASI_IDENTIFIERS) for row in rows} == {
        ("2025", "23-29", "female", "NL", "amsterdam", "NL")
    }
    assert "1 suppressed (96.8% kept)" in out
    assert "information lost 3.2%" in out and "cells not as recorded 0.0%" in out


def test_the_region_is_generalised_to_its_landsdeel(db, tmp_path):
    """Six and six Romanian women of 20 in Amsterdam and Rotterdam: together, in West
    Netherlands, they are twelve; nothing else needs to change."""
    amsterdam = RegionFactory(code="amsterdam", name="Amsterdam")
    rotterdam = RegionFactory(code="rotterdam", name="Rotterdam")
    _add("RO", amsterdam, 20, Gender.FEMALE, 6, country="NL")
    _add("RO", rotterdam, 20, Gender.FEMALE, 6, country="NL")
    rows, out = _export(tmp_path, "--k", "10")
    assert {tuple(row[q] for q in QUASI_IDENTIFIERS) for row in rows} == {
        ("2025", "18-22", "female", "RO", "west", "NL")
    }
    assert len(rows) == 12 and "region: landsdeel" in out


def test_the_lattice_keeps_more_rows_than_the_plan_before_it(db, tmp_path):
    """A release where the old per-row plan (nationality to world region, then no region, then
    suppressed) leaves out 60 of 120 rows: every Dutch registration is alone in its region and
    age band. The lattice keeps them all and at least k per combination."""
    from registry.models import Registration
    from reports.anonymise import per_row_plan_summary, plan_for

    regions = [RegionFactory(code=code, name=code) for code in ("amsterdam", "rotterdam")]
    ages = (16, 20, 25, 35, 45)
    for i in range(60):
        _add("NL", regions[i % 2], ages[i % 5] + i % 3, Gender.FEMALE, 1, country="NL")
    for region in regions:
        _add("RO", region, 20, Gender.FEMALE, 30, country="NL")
    qs = Registration.objects.all()
    before = per_row_plan_summary(qs, 10)
    plan = plan_for(qs, 10)
    assert plan.summary.published > before["rows_out"]
    assert plan.summary.published >= 0.95 * plan.summary.total
    rows, _out = _export(tmp_path, "--k", "10")
    assert len(rows) == plan.summary.published
    combos = Counter(tuple(row[q] for q in QUASI_IDENTIFIERS) for row in rows)
    assert min(combos.values()) >= 10
    assert PLANTED_SECRET not in str(rows)
    assert not {r.number for r in qs} & {cell for row in rows for cell in row.values()}


def test_k_of_the_dataset_follows_the_setting(planted, tmp_path, settings):
    settings.REGISTRY_SMALL_CELL_K = 9
    rows, _out = _export(tmp_path)
    assert len(rows) == 19  # 2025: groups B (10) and C (9), both as recorded
    assert {row["nationality"] for row in rows} == {"NL", "NG"}


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


def test_anonymised_page_shows_the_generalisation_and_the_download_is_audited(
    rare, administrator, client_for, settings
):
    settings.REGISTRY_SMALL_CELL_K = 10
    client = client_for(administrator)
    page = client.get(reverse("reports:anonymised"), {"year": "2025"}, **EN)
    assert page.status_code == 200
    summary = page.context["summary"].as_dict()
    assert summary["rows_in"] == summary["rows_out"] == 30 and summary["suppressed"] == 0
    assert summary["generalisation"]["nationality"] == "world_region"
    assert summary["generalisation"]["region"] == "landsdeel"
    html = page.content.decode()
    assert "Generalisation chosen for this release" in html
    assert "world region" in html and "part of the country" in html and "Information lost" in html
    response = export_via_job(
        client, reverse("reports:anonymised_download", args=["csv"]), {"year": "2025"}
    )
    assert len(response.content.splitlines()) == 31
    job = Job.objects.filter(kind=Job.Kind.EXPORT_ANONYMISED).latest("created_at")
    shown = client.get(reverse("registry:job_detail", args=[job.pk]), **EN).content.decode()
    assert "Generalisation chosen" in shown and "nationality: world_region" in shown
    assert "Information lost (%)" in shown
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
