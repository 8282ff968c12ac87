"""CSV import in the interchange format: all or nothing, errors by row and column, linking."""

from __future__ import annotations

import csv
import datetime
import io

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from registry.interchange import COLUMN_NAMES
from registry.models import AuditEvent, Person, Registration, RegistrationNumberSequence
from tests.factories import PersonFactory, RegistrationFactory

pytestmark = pytest.mark.django_db


def row(n: int, **overrides) -> dict:
    values = {
        "registration_number": "",
        "registered_on": "2024-05-01",
        "reporter_type": "police",
        "region": "region-a",
        "given_names": f"Given{n}",
        "family_name": f"Family{n:05d}",
        "date_of_birth": f"{1960 + n % 40}-0{1 + n % 9}-1{n % 9}",
        "age_at_registration": "",
        "gender": ["female", "male", "other", "unknown"][n % 4],
        "nationality": ["NL", "RO", "BG", "NG"][n % 4],
        "exploitation_forms": ["sexual", "labour;criminal", "labour", "unknown"][n % 4],
        "sector": ["window", "agriculture", "", "unknown"][n % 4],
        "exploitation_country": "NL",
        "file_type": "registration",
        "id_document_number": f"DOC{n:06d}",
        "consent_registration": "yes",
        "consent_care": "no",
    }
    values.update(overrides)
    return values


def write_csv(tmp_path, rows, name="registrations.csv", columns=COLUMN_NAMES):
    path = tmp_path / name
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=columns)
        writer.writeheader()
        writer.writerows(rows)
    return path


def run(path, *args):
    out = io.StringIO()
    call_command("import_registrations", str(path), *args, stdout=out)
    return out.getvalue()


def test_valid_thousand_row_file_imports_completely(tmp_path, region_a):
    path = write_csv(tmp_path, [row(n) for n in range(1000)])
    output = run(path)
    assert "1000 registration(s) and 1000 person(s)" in output
    assert Registration.objects.count() == 1000
    assert Person.objects.count() == 1000
    assert Registration.objects.values("number").distinct().count() == 1000
    labour = Registration.objects.filter(exploitation_forms__code="labour").count()
    assert labour == 500
    event = AuditEvent.objects.get(action="import")
    assert event.details["registrations_created"] == 1000


def test_personal_fields_are_stored_encrypted(tmp_path, region_a):
    run(write_csv(tmp_path, [row(1, family_name="Zamfirescu", id_document_number="QQ778899")]))
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT family_name, given_names, date_of_birth, id_document_number "
            "FROM registry_person"
        )
        raw = cursor.fetchone()
    assert all(value.startswith("d1:") for value in raw)  # under the person's data key
    assert "Zamfirescu" not in repr(raw) and "QQ778899" not in repr(raw)
    assert Person.objects.get().family_name == "Zamfirescu"


def test_one_bad_row_in_the_middle_saves_nothing_and_names_row_and_column(tmp_path, region_a):
    rows = [row(n) for n in range(1000)]
    rows[499]["sector"] = "window"  # row 500: labour;criminal does not fit window
    rows[499]["exploitation_forms"] = "labour"
    path = write_csv(tmp_path, rows)
    with pytest.raises(CommandError) as failure:
        run(path)
    message = str(failure.value)
    assert "row 500" in message
    assert "column 'sector'" in message
    assert "nothing was imported" in message
    assert Registration.objects.count() == 0
    assert Person.objects.count() == 0
    assert not AuditEvent.objects.filter(action="import").exists()


@pytest.mark.parametrize(
    ("column", "value"),
    [
        ("registered_on", "01-05-2024"),
        ("registered_on", "2999-01-01"),
        ("reporter_type", "journalist"),
        ("region", "atlantis"),
        ("date_of_birth", "2999-01-01"),
        ("gender", "f"),
        ("nationality", "XX"),
        ("exploitation_forms", "sexual;piracy"),
        ("consent_registration", "maybe"),
        ("registration_number", "2024-12"),
    ],
)
def test_bad_value_is_named_by_row_and_column_without_echoing_it(tmp_path, region_a, column, value):
    path = write_csv(tmp_path, [row(1), row(2, **{column: value})])
    with pytest.raises(CommandError) as failure:
        run(path)
    message = str(failure.value)
    assert f"row 2 (line 3), column '{column}'" in message
    assert Registration.objects.count() == 0


def test_age_required_without_date_of_birth(tmp_path, region_a):
    path = write_csv(tmp_path, [row(1, date_of_birth="", age_at_registration="")])
    with pytest.raises(CommandError, match="column 'age_at_registration'"):
        run(path)


def test_unknown_column_is_refused(tmp_path, region_a):
    path = write_csv(
        tmp_path, [{"registered_on": "2024-01-01"}], columns=["registered_on", "phone"]
    )
    with pytest.raises(CommandError, match="column 'phone'"):
        run(path)


def test_missing_file_is_a_clear_error(tmp_path):
    with pytest.raises(CommandError, match="cannot read"):
        run(tmp_path / "nope.csv")


def test_reimported_person_is_linked_not_duplicated(tmp_path, region_a):
    run(write_csv(tmp_path, [row(1), row(2)], name="first.csv"))
    assert Person.objects.count() == 2
    output = run(write_csv(tmp_path, [row(1, registered_on="2024-06-01")], name="second.csv"))
    assert "1 registration(s) and 0 person(s)" in output
    assert "1 row(s) linked" in output
    assert Person.objects.count() == 2
    assert Registration.objects.count() == 3


def test_row_matching_a_staff_registered_person_by_name_and_dob_is_linked(tmp_path, region_a):
    person = PersonFactory(
        given_names="Ana Maria", family_name="Pópescu", date_of_birth=datetime.date(1995, 3, 14)
    )
    RegistrationFactory(person=person, region=region_a)
    path = write_csv(
        tmp_path,
        [
            row(
                1,
                given_names="ANA-MARIA",
                family_name="Popescu",
                date_of_birth="1995-03-14",
                id_document_number="",
            )
        ],
    )
    run(path)
    assert Person.objects.count() == 1
    assert person.registrations.count() == 2


def test_anonymous_rows_store_no_personal_field(tmp_path, region_a):
    path = write_csv(tmp_path, [row(1, reporter_type="shelter", consent_registration="no")])
    run(path)
    person = Person.objects.get()
    assert person.is_anonymous
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT family_name, given_names, date_of_birth, id_document_number, bi_name_dob "
            "FROM registry_person"
        )
        assert cursor.fetchone() == (None, None, None, None, None)


def test_dry_run_counts_and_saves_nothing(tmp_path, region_a):
    output = run(write_csv(tmp_path, [row(1), row(2)]), "--dry-run")
    assert "would create 2 registration(s)" in output
    assert Registration.objects.count() == 0
    assert not RegistrationNumberSequence.objects.filter(last__gt=0).exists()


def test_given_numbers_are_kept_and_new_numbers_follow_them(tmp_path, region_a):
    path = write_csv(tmp_path, [row(1, registration_number="2024-000500"), row(2)])
    run(path)
    numbers = set(Registration.objects.values_list("number", flat=True))
    assert numbers == {"2024-000500", "2024-000501"}


def test_number_already_registered_is_refused(tmp_path, region_a):
    existing = RegistrationFactory(region=region_a, registered_on=datetime.date(2024, 1, 1))
    path = write_csv(tmp_path, [row(1, registration_number=existing.number)])
    with pytest.raises(CommandError, match="already registered"):
        run(path)


def test_an_age_giving_a_year_of_birth_before_1880_is_named_by_row_and_column(tmp_path, region_a):
    bad = row(2, registered_on="1850-06-01", date_of_birth="", age_at_registration="30")
    path = write_csv(tmp_path, [row(1), bad])
    with pytest.raises(CommandError) as failure:
        run(path)
    assert "row 2 (line 3), column 'age_at_registration'" in str(failure.value)
    assert Registration.objects.count() == 0


def test_batched_exact_matches_give_find_exact_answer(tmp_path, region_a):
    from intake.importing import exact_matches
    from intake.matching import find_exact, indexes_for

    # Persons registered earlier, some sharing a document with another's names.
    run(write_csv(tmp_path, [row(n) for n in range(20)], name="first.csv"))
    typed = [
        row(n, id_document_number=f"DOC{(n * 7) % 30:06d}", registered_on="2024-06-01")
        for n in range(0, 40, 3)
    ]
    indexes = [
        indexes_for(
            given_names=values["given_names"],
            family_name=values["family_name"],
            date_of_birth=datetime.date.fromisoformat(values["date_of_birth"]),
            id_document_number=values["id_document_number"],
            near_years=False,
        )
        for values in typed
    ]
    assert exact_matches([*indexes, None]) == [*(find_exact(ix) for ix in indexes), None]
    assert any(match is not None for match in exact_matches(indexes))
    assert any(match is None for match in exact_matches(indexes))
