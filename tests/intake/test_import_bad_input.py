"""Bad import files (issue 12, items 4 and 7): each a clear error by row (the line its record
starts on) and column, nothing written, never a server error, never a personal value."""

from __future__ import annotations

import csv
import io

import pytest
from django.core.management import CommandError

from intake.importing import ImportFailed, import_csv
from registry.interchange import COLUMN_NAMES
from registry.models import Person, Registration, RegistrationNumberSequence
from tests.intake.test_import import row, run, write_csv

pytestmark = pytest.mark.django_db

# Distinctive personal values, searched for in every message.
SECRET_NAME = "Qwzxyfamilia"
SECRET_GIVEN = "Jvbnmgiven"
SECRET_DOB = "1987-03-14"
SECRET_DOC = "ZZ9911223"


def secret_row(n: int, **overrides) -> dict:
    secrets = {
        "family_name": SECRET_NAME,
        "given_names": SECRET_GIVEN,
        "date_of_birth": SECRET_DOB,
        "id_document_number": SECRET_DOC,
    }
    return row(n, **{**secrets, **overrides})


def text(rows, columns=COLUMN_NAMES, header=True) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=columns, lineterminator="\n")
    if header:
        writer.writeheader()
    writer.writerows(rows)
    return out.getvalue()


def failure_of(data) -> str:
    with pytest.raises(ImportFailed) as failure:
        import_csv(data, actor_name="test")
    message = str(failure.value)
    for secret in (SECRET_NAME, SECRET_GIVEN, SECRET_DOB, SECRET_DOC):
        assert secret not in message
    assert "nothing was imported" in message
    assert Registration.objects.count() == 0
    assert Person.objects.count() == 0
    return message


# Numbers ---------------------------------------------------------------------------------------


def test_imported_number_above_the_ceiling_is_refused_and_the_year_goes_on(region_a):
    message = failure_of(text([secret_row(1, registration_number="2024-999999")]))
    assert "row 1 (line 2), column 'registration_number'" in message
    assert "YYYY-899999" in message
    assert not RegistrationNumberSequence.objects.filter(year=2024, last__gt=899_999).exists()


def test_number_at_the_ceiling_is_kept_and_the_next_number_still_has_eleven_characters(region_a):
    import_csv(
        text([row(1, registration_number="2024-899999"), row(2)]),
        actor_name="test",
    )
    numbers = sorted(Registration.objects.values_list("number", flat=True))
    assert numbers == ["2024-899999", "2024-900000"]
    assert RegistrationNumberSequence.allocate(2024) == "2024-900001"


@pytest.mark.parametrize(
    "number",
    ["٢٠٢٤-٠٠٠٠١٢", "2024-٠٠٠٠١٢", "2024-00001²", "２０２４-000012"],
    ids=["arabic-indic", "mixed", "superscript", "fullwidth"],
)
def test_number_in_other_digits_is_refused(region_a, number):
    message = failure_of(text([secret_row(1, registration_number=number)]))
    assert "row 1 (line 2), column 'registration_number'" in message


def test_sequence_past_the_six_digits_refuses_instead_of_a_longer_number(region_a):
    from registry.models.registrations import NumbersExhausted

    RegistrationNumberSequence.objects.create(year=2030, last=999_999)
    with pytest.raises(NumbersExhausted):
        RegistrationNumberSequence.allocate(2030)


# Cells -----------------------------------------------------------------------------------------


@pytest.mark.parametrize("age", ["²", "٣٠", "9" * 5000, "30.5", "-3", "1e3"], ids=lambda a: a[:6])
def test_bad_age_is_an_error_by_row_and_column(region_a, age):
    message = failure_of(
        text([secret_row(1), secret_row(2, date_of_birth="", age_at_registration=age)])
    )
    assert "row 2 (line 3), column 'age_at_registration'" in message


@pytest.mark.parametrize("value", ["20240501", "2024-W18-3", "٢٠٢٤-٠٥-٠١"])
def test_date_in_another_form_than_yyyy_mm_dd_is_refused(region_a, value):
    message = failure_of(text([secret_row(1, registered_on=value)]))
    assert "row 1 (line 2), column 'registered_on'" in message


def test_registration_date_long_ago_with_an_age_is_an_error_not_a_crash(region_a):
    message = failure_of(
        text(
            [secret_row(1, registered_on="1850-01-01", date_of_birth="", age_at_registration="40")]
        )
    )
    assert "row 1 (line 2), column 'age_at_registration'" in message


def test_cell_over_131072_characters_is_named_by_row_and_column(region_a):
    message = failure_of(text([secret_row(1), secret_row(2, family_name=SECRET_NAME * 20_000)]))
    assert "row 2 (line 3), column 'family_name'" in message
    assert "131,072" in message


def test_cells_beyond_the_header_are_an_error(region_a):
    data = text([secret_row(1)]) + text([secret_row(2)], header=False).rstrip("\n") + ",extra\n"
    message = failure_of(data)
    assert f"row 2 (line 3), column '#{len(COLUMN_NAMES) + 1}'" in message


def test_line_numbers_count_the_line_breaks_inside_quoted_cells(region_a):
    rows = [secret_row(1, given_names="Ann\nMarie\nJo"), secret_row(2, gender="x")]
    message = failure_of(text(rows))
    # Row 1 takes lines 2-4; row 2 starts on line 5.
    assert "row 2 (line 5), column 'gender'" in message


# Header ----------------------------------------------------------------------------------------


def test_column_named_twice_is_an_error(region_a):
    columns = [*COLUMN_NAMES, "gender"]
    data = "\n".join([",".join(columns), ",".join(["x"] * len(columns))]) + "\n"
    message = failure_of(data)
    assert "header, column 'gender': the column is named twice" in message


def test_empty_header_cell_is_an_error(region_a):
    columns = [*COLUMN_NAMES[:3], "", *COLUMN_NAMES[3:]]
    data = ",".join(columns) + "\n"
    message = failure_of(data)
    assert "header, column '#4': the column has no name" in message


def test_file_without_a_header_row_echoes_no_value(region_a):
    data = text([secret_row(1), secret_row(2)], header=False)
    message = failure_of(data)
    assert "not the header" in message


def test_unknown_column_that_looks_like_data_is_named_by_position(region_a):
    columns = [*COLUMN_NAMES, SECRET_NAME]
    message = failure_of(",".join(columns) + "\n")
    assert f"header, column '#{len(columns)}': unknown column" in message


# The file --------------------------------------------------------------------------------------


def test_file_not_in_utf8_is_refused_with_its_line(region_a):
    data = text([secret_row(1), secret_row(2, family_name="Müller")]).encode("latin-1")
    message = failure_of(data)
    assert "line 3" in message and "not UTF-8" in message


def test_byte_order_mark_is_accepted(region_a):
    import_csv(("\ufeff" + text([row(1)])).encode("utf-8"), actor_name="test")
    assert Registration.objects.count() == 1


def test_nul_character_is_refused_with_its_line(region_a):
    data = text([secret_row(1), secret_row(2, given_names="A\x00B")])
    message = failure_of(data.encode())
    assert "line 3" in message and "NUL" in message


@pytest.mark.parametrize("data", [b"", b"\xef\xbb\xbf", b"\n\n  \n"], ids=["empty", "bom", "blank"])
def test_empty_file_is_refused(region_a, data):
    assert "the file is empty" in failure_of(data)


def test_header_only_is_refused(region_a):
    assert "the file has no rows" in failure_of(",".join(COLUMN_NAMES) + "\n")


# Caps ------------------------------------------------------------------------------------------


def test_command_refuses_a_file_over_the_byte_cap_without_reading_it(tmp_path, region_a, settings):
    settings.REGISTRY_IMPORT_MAX_BYTES = 2_000
    path = write_csv(tmp_path, [secret_row(n) for n in range(30)])
    with pytest.raises(CommandError) as failure:
        run(path)
    assert "larger than 2,000 bytes" in str(failure.value)
    assert Registration.objects.count() == 0


def test_command_refuses_a_file_over_the_row_cap(tmp_path, region_a, settings):
    settings.REGISTRY_IMPORT_MAX_ROWS = 5
    path = write_csv(tmp_path, [secret_row(n) for n in range(6)])
    with pytest.raises(CommandError) as failure:
        run(path)
    message = str(failure.value)
    assert "more than 5 rows" in message
    assert SECRET_NAME not in message
    assert Registration.objects.count() == 0


def test_file_at_the_row_cap_imports(tmp_path, region_a, settings):
    settings.REGISTRY_IMPORT_MAX_ROWS = 5
    run(write_csv(tmp_path, [row(n) for n in range(5)]))
    assert Registration.objects.count() == 5


def test_dry_run_reserves_no_numbers(region_a):
    import_csv(text([row(1), row(2)]), actor_name="test", dry_run=True)
    assert Registration.objects.count() == 0
    assert not RegistrationNumberSequence.objects.filter(last__gt=0).exists()


def test_progress_is_called_per_batch(region_a, settings):
    from intake import importing

    calls = []
    rows = [row(n) for n in range(importing.BATCH_SIZE + 3)]
    import_csv(
        text(rows), actor_name="test", progress=lambda done, total: calls.append((done, total))
    )
    total = importing.BATCH_SIZE + 3
    assert calls == [(importing.BATCH_SIZE, total), (total, total)]
