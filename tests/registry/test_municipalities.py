"""The list of Dutch municipalities (CBS codes): shipped as data, loaded by
load_reference_data, a rule on registrations, and the mapping of old free text to codes."""

from __future__ import annotations

import io

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.db import connection
from django.utils import translation

from registry import municipalities as municipality_list
from registry.models import Municipality
from tests.factories import RegistrationFactory

pytestmark = pytest.mark.django_db


def test_the_shipped_list_has_well_formed_unique_codes_and_says_whether_it_is_complete():
    listed = municipality_list.read_list()
    codes = [e.code for e in listed.entries]
    assert len(codes) == len(set(codes)) >= 18
    assert all(municipality_list.CODE_RE.match(code) for code in codes)
    names = {e.code: e.name for e in listed.entries}
    assert (names["GM0363"], names["GM0599"], names["GM0518"]) == (
        "Amsterdam",
        "Rotterdam",
        "'s-Gravenhage",
    )
    # 342 municipalities on 1 January 2025: a list that says "complete" must hold them all.
    assert listed.complete == (len(codes) >= 342)


def test_load_reference_data_loads_the_list_and_a_second_run_adds_nothing():
    Municipality.objects.all().delete()
    out = io.StringIO()
    call_command("load_reference_data", stdout=out)
    listed = municipality_list.read_list()
    assert Municipality.objects.count() == len(listed.entries)
    assert Municipality.objects.get(code="GM0363").name == "Amsterdam"
    assert f"{len(listed.entries)} municipalities created" in out.getvalue()
    if not listed.complete:
        assert "municipality list is incomplete" in out.getvalue()

    renamed = Municipality.objects.get(code="GM0599")
    renamed.name = "Rotterdam (corrected by an administrator)"
    renamed.save()
    out = io.StringIO()
    call_command("load_reference_data", stdout=out)
    assert "0 municipalities created" in out.getvalue()
    assert Municipality.objects.count() == len(listed.entries)
    assert Municipality.objects.get(code="GM0599").name.endswith("administrator)")


def test_a_municipality_the_file_marks_as_merged_is_deactivated_not_deleted(tmp_path):
    municipality_list.load(Municipality)
    merged = tmp_path / "municipalities.csv"
    merged.write_text(
        "# status: incomplete\ncode,name,active\nGM0363,Amsterdam,yes\nGM0450,Uitgeest,no\n",
        encoding="utf-8",
    )
    counts = municipality_list.load(Municipality, merged)
    assert counts["deactivated"] == 1
    assert not Municipality.objects.get(code="GM0450").is_active
    assert Municipality.objects.get(code="GM0363").is_active


@pytest.mark.parametrize(
    "line",
    ["GM363,Amsterdam,yes", "GM0363,,yes", "GM0363,Amsterdam,maybe"],
)
def test_a_malformed_data_file_is_refused_with_the_line(tmp_path, line):
    bad = tmp_path / "municipalities.csv"
    bad.write_text(f"code,name,active\nGM0599,Rotterdam,yes\n{line}\n", encoding="utf-8")
    with pytest.raises(municipality_list.MunicipalityListError, match="data row 2"):
        municipality_list.read_list(bad)


def test_a_registration_refuses_a_dutch_municipality_with_a_foreign_country(municipalities):
    registration = RegistrationFactory(
        exploitation_country="BE", exploitation_municipality=municipalities["GM0363"]
    )
    with translation.override("en"):
        with pytest.raises(ValidationError) as refused:
            registration.clean()
        assert "only applies to exploitation in the Netherlands" in str(
            refused.value.message_dict["exploitation_municipality"]
        )
    for country in ("NL", ""):
        registration.exploitation_country = country
        registration.clean()  # the Netherlands, or unknown: fine


# The data step of the migration, on rows written with raw SQL --------------------------------


@pytest.fixture
def free_text_table():
    """A table shaped like registry_registration before the migration, filled with raw SQL."""
    with connection.cursor() as cursor:
        cursor.execute(
            "CREATE TABLE municipality_mapping_test "
            "(id integer PRIMARY KEY, municipality varchar(100) NULL, country varchar(2) NOT NULL)"
        )
        cursor.executemany(
            "INSERT INTO municipality_mapping_test (id, municipality, country) VALUES (%s, %s, %s)",
            [
                (1, "amsterdam", "NL"),
                (2, "  ROTTERDAM ", ""),
                (3, "Rottérdam", "NL"),  # accents ignored
                (4, "'S-GRAVENHAGE", "NL"),
                (5, "Keizersgracht 12, Amsterdam", "NL"),  # an address: cleared
                (6, "Amsterdam", "BE"),  # not in the Netherlands: cleared
                (7, "", "NL"),
                (8, None, "NL"),
                (9, "GM0599", "NL"),  # already a code (a second run)
            ],
        )
    yield "municipality_mapping_test"
    with connection.cursor() as cursor:
        cursor.execute("DROP TABLE municipality_mapping_test")


def test_migration_maps_names_to_codes_and_clears_everything_else(free_text_table):
    codes = municipality_list.codes_by_name(municipality_list.read_list().entries)
    with connection.cursor() as cursor:
        counts = municipality_list.map_free_text(
            cursor,
            connection.ops.quote_name,
            free_text_table,
            "id",
            "municipality",
            "country",
            codes,
        )
        cursor.execute(f"SELECT id, municipality FROM {free_text_table} ORDER BY id")  # noqa: S608
        result = dict(cursor.fetchall())
    assert result == {
        1: "GM0363",
        2: "GM0599",
        3: "GM0599",
        4: "GM0518",
        5: None,
        6: None,
        7: None,
        8: None,
        9: "GM0599",
    }
    assert counts == {"mapped": 4, "cleared": 2}


CBS_FILE = (
    "Gemeentecode;GemeentecodeGM;Gemeentenaam;Provinciecode;ProvinciecodePV;Provincienaam\n"
    "0363;GM0363;Amsterdam;27;PV27;Noord-Holland\n"
    "0599;GM0599;Rotterdam;28;PV28;Zuid-Holland\n"
    "1979;GM1979;Eemsdelta;20;PV20;Groningen\n"
)


def _without_eemsdelta() -> None:
    """The shipped list is complete: take Eemsdelta out, so CBS's file has one to create."""
    Municipality.objects.filter(code="GM1979").delete()


def test_load_municipalities_takes_the_list_as_cbs_publishes_it(tmp_path, municipalities):
    _without_eemsdelta()
    path = tmp_path / "Gemeenten alfabetisch 2026.csv"
    path.write_text("\ufeff" + CBS_FILE, encoding="utf-8")
    out = io.StringIO()
    call_command("load_municipalities", str(path), "--deactivate-missing", stdout=out)
    assert Municipality.objects.get(code="GM1979").name == "Eemsdelta"
    active = set(Municipality.objects.filter(is_active=True).values_list("code", flat=True))
    assert active == {"GM0363", "GM0599", "GM1979"}
    # Merged ones stay for old registrations, no longer offered.
    assert Municipality.objects.filter(code="GM0014", is_active=False).exists()
    assert "3 municipalities" in out.getvalue() and "1 were created" in out.getvalue()
    again = io.StringIO()
    call_command("load_municipalities", str(path), "--deactivate-missing", stdout=again)
    assert "0 were created" in again.getvalue() and "0 marked as merged" in again.getvalue()


def test_load_municipalities_accepts_the_plain_four_digit_code(tmp_path, municipalities):
    path = tmp_path / "list.csv"
    path.write_text("Gemeentecode,Gemeentenaam\n1979,Eemsdelta\n", encoding="utf-8")
    call_command("load_municipalities", str(path), stdout=io.StringIO())
    assert Municipality.objects.get(code="GM1979").is_active


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("Gemeentecode;Naam\n0363;Amsterdam\n", "Gemeentenaam"),
        ("GemeentecodeGM;Gemeentenaam\nGM0363;Amsterdam\nXX12;Nergens\n", "line 3"),
        ("GemeentecodeGM;Gemeentenaam\nGM0363;Amsterdam\nGM0363;Amsterdam\n", "twice"),
        ("", "no municipalities"),
    ],
)
def test_a_bad_municipality_file_names_the_problem_and_writes_nothing(
    tmp_path, municipalities, content, message
):
    before = list(Municipality.objects.order_by("code").values_list("code", "name", "is_active"))
    path = tmp_path / "bad.csv"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(CommandError, match=message):
        call_command("load_municipalities", str(path), "--deactivate-missing")
    after = list(Municipality.objects.order_by("code").values_list("code", "name", "is_active"))
    assert after == before


def test_load_municipalities_dry_run_changes_nothing(tmp_path, municipalities):
    _without_eemsdelta()
    path = tmp_path / "list.csv"
    path.write_text(CBS_FILE, encoding="utf-8")
    out = io.StringIO()
    call_command("load_municipalities", str(path), "--deactivate-missing", "--dry-run", stdout=out)
    assert "would be created" in out.getvalue()
    assert not Municipality.objects.filter(code="GM1979").exists()
