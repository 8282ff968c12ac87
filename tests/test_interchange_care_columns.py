"""The care columns of the interchange format (issue 14, item 6): the police report, the B8
permit, the referrals and the shelter placed of the case a registration opened, written by the
personal and the anonymised export; checked by the import (a bad code is a row error, nothing
is written) but not recorded, since an import opens no case; and no personal value with them.
"""

from __future__ import annotations

import csv
import datetime
import io

import pytest
from django.core.management import CommandError, call_command
from django.utils import translation

from registry.choices import AuditAction
from registry.interchange import CASE_COLUMNS, COLUMN_NAMES
from registry.models import AuditEvent, Case, Referral, Registration, ResidenceProcedure
from tests.factories import PersonFactory, RegionFactory, RegistrationFactory, grant_personal_export
from tests.logins import current_code, device_for

pytestmark = pytest.mark.django_db

D = datetime.date
PLANTED = {"given_names": "Qwyzelda", "family_name": "Xandrovic"}


def _registration_with_care(region, *, police="", b8="", referred=(), shelter="", **more):
    registration = RegistrationFactory(
        person=PersonFactory(gender="female", nationality="RO", **PLANTED),
        region=region,
        registered_on=D(2025, 3, 1),
        age_at_registration=25,
        consent_care=True,
        **more,
    )
    case = Case.objects.create(
        person=registration.person,
        registration=registration,
        region=region,
        opened_on=registration.registered_on,
        shelter_placed=shelter,
    )
    if police:
        decided = None if police == "considering" else D(2025, 3, 10)
        ResidenceProcedure.objects.create(
            case=case, kind="police_report", status=police, decided_on=decided
        )
    if b8:
        ResidenceProcedure.objects.create(
            case=case,
            kind="b8_permit",
            status=b8,
            started_on=D(2025, 3, 11),
            decided_on=None if b8 == "applied" else D(2025, 4, 1),
            expires_on=D(2026, 4, 1) if b8 == "granted" else None,
        )
    for referral_type in referred:
        Referral.objects.create(
            case=case, referral_type=referral_type, reason="other", referred_on=D(2025, 3, 2)
        )
    return registration


@pytest.fixture
def world():
    """Ten registrations of one combination of quasi-identifiers (so the anonymised dataset
    publishes each as it is at k = 10): their care differs; the last opened no case."""
    region = RegionFactory(code="amsterdam", name="Amsterdam")
    made = [
        _registration_with_care(
            region,
            police="made",
            b8="granted",
            referred=("nidos", "lawyer", "nidos"),
            shelter="cosm",
        ),
        _registration_with_care(region, police="exempt_threat", b8="applied", shelter="omm"),
        _registration_with_care(region, police="not_made", referred=("medical",)),
    ]
    made += [_registration_with_care(region) for _ in range(6)]
    made.append(
        RegistrationFactory(
            person=PersonFactory(gender="female", nationality="RO", **PLANTED),
            region=region,
            registered_on=D(2025, 3, 1),
            age_at_registration=25,
        )
    )
    return made


def _care(row) -> tuple[str, ...]:
    return tuple(row[name] for name in CASE_COLUMNS)


EXPECTED_CARE = [
    ("made", "granted", "lawyer;nidos", "cosm"),
    ("exempt_threat", "applied", "", "omm"),
    ("not_made", "", "medical", ""),
]


def _personal_export(administrator, tmp_path):
    grant_personal_export(administrator)
    target = tmp_path / "personal.csv"
    call_command(
        "export_registrations",
        "--personal",
        "--output",
        str(target),
        "--user",
        administrator.username,
        "--code",
        current_code(device_for(administrator)),
        stdout=io.StringIO(),
    )
    return target


def test_the_personal_export_writes_the_care_of_each_registrations_case(
    world, administrator, tmp_path
):
    rows = list(csv.DictReader(_personal_export(administrator, tmp_path).open(encoding="utf-8")))
    assert list(rows[0]) == COLUMN_NAMES
    by_number = {row["registration_number"]: row for row in rows}
    assert [_care(by_number[r.number]) for r in world[:3]] == EXPECTED_CARE
    assert _care(by_number[world[-1].number]) == ("", "", "", "")  # no case


def test_the_anonymised_dataset_carries_the_care_columns_and_no_personal_value(world, tmp_path):
    target = tmp_path / "anonymised.csv"
    call_command(
        *("export_registrations", "--anonymised", "--period", "2025", "--output", str(target)),
        stdout=io.StringIO(),
    )
    text = target.read_text(encoding="utf-8")
    rows = list(csv.DictReader(io.StringIO(text, newline="")))
    assert len(rows) == 10  # one combination of ten: published as it is
    assert sorted(_care(row) for row in rows if any(_care(row))) == sorted(EXPECTED_CARE)
    for value in [*PLANTED.values(), *(r.number for r in world)]:
        assert value not in text


def test_a_repeat_registration_that_joined_the_case_has_no_care_of_its_own(world):
    from reports.columns import NO_CARE, care_of

    first = world[0]
    repeat = RegistrationFactory(person=first.person, region=first.region)
    care = care_of([first.pk, repeat.pk])
    assert care[first.pk].police_report == "made"
    assert care.get(repeat.pk, NO_CARE) == NO_CARE


# --- the import ----------------------------------------------------------------------------------


def _write(tmp_path, rows, columns=None):
    path = tmp_path / "import.csv"
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=columns or list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    return path


def _row(**care):
    return {
        "registered_on": "2025-05-01",
        "reporter_type": "police",
        "region": "amsterdam",
        "age_at_registration": "30",
        "gender": "female",
        "nationality": "RO",
        "exploitation_forms": "sexual",
        "consent_care": "no",
        **dict.fromkeys(CASE_COLUMNS, ""),
        **care,
    }


@pytest.mark.parametrize(
    ("column", "value"),
    [
        ("police_report", "granted"),  # a status of an application, not of a police report
        ("b8_permit", "made"),  # a status of a police report, not of an application
        ("referred_to", "nidos;embassy"),
        ("shelter_placed", "hotel"),
        ("police_report", "MADE"),  # codes are exact
    ],
)
def test_a_bad_care_code_is_a_row_error_and_nothing_is_written(tmp_path, column, value):
    RegionFactory(code="amsterdam", name="Amsterdam")
    path = _write(tmp_path, [_row(), _row(**{column: value})])
    before = AuditEvent.objects.count()
    with translation.override("en"), pytest.raises(CommandError) as refused:
        call_command("import_registrations", str(path), stdout=io.StringIO())
    message = str(refused.value)
    assert f"row 2 (line 3), column '{column}'" in message
    assert value not in message  # the value is never repeated
    assert Registration.objects.count() == 0
    assert AuditEvent.objects.count() == before


def test_valid_care_codes_are_checked_and_the_import_says_they_are_not_recorded(tmp_path):
    RegionFactory(code="amsterdam", name="Amsterdam")
    rows = [
        _row(police_report="made", b8_permit="granted", referred_to="nidos;police"),
        _row(shelter_placed="cosm"),
        _row(),
    ]
    out = io.StringIO()
    with translation.override("en"):
        call_command("import_registrations", str(_write(tmp_path, rows)), stdout=out)
    assert Registration.objects.count() == 3
    assert not Case.objects.exists()  # an import opens no case
    assert not ResidenceProcedure.objects.exists() and not Referral.objects.exists()
    said = out.getvalue()
    assert "2 row(s) have values in the care columns" in said
    assert "not recorded, since an import opens no case" in said
    event = AuditEvent.objects.get(action=AuditAction.IMPORT)
    assert event.details["care_columns_not_recorded"] == 2


def test_a_personal_export_with_care_imports_again(world, administrator, tmp_path):
    """The round trip: the export's care columns are read back without an error; the
    registrations' own columns are kept, the care (a case's) is reported as not recorded."""
    rows = list(csv.DictReader(_personal_export(administrator, tmp_path).open(encoding="utf-8")))
    for row in rows:
        row["registration_number"] = ""
    out = io.StringIO()
    with translation.override("en"):
        call_command("import_registrations", str(_write(tmp_path, rows)), stdout=out)
    assert Registration.objects.count() == 20
    assert "3 row(s) have values in the care columns" in out.getvalue()
    again = Registration.objects.exclude(pk__in=[r.pk for r in world])
    assert {r.residence_status for r in again} == {r.residence_status for r in world}


# --- the care columns and k-anonymity --------------------------------------------------------


def test_a_care_value_every_row_of_a_group_shares_is_withheld(tmp_path):
    """Ten women of one group all reported to the police and were all referred to the police;
    two were also referred to a lawyer. Publishing that would tell anyone who knows one of them
    (year, age band, gender, nationality, region) that she reported. Ten men of another group
    differ: their care is published as it is. The care columns are no quasi-identifiers: no
    row is generalised or left out for them."""
    north = RegionFactory(code="north", name="North")
    south = RegionFactory(code="south", name="South")
    for i in range(10):
        _registration_with_care(
            north,
            police="made",
            referred=("police", "lawyer") if i < 2 else ("police",),
            shelter="cosm" if i < 5 else "omm",
        )
    for i in range(10):
        registration = _registration_with_care(
            south, police="made" if i < 3 else "considering", shelter="mens_shelter"
        )
        registration.person.gender = "male"
        registration.person.save()

    target = tmp_path / "anonymised.csv"
    out = io.StringIO()
    call_command(
        *("export_registrations", "--anonymised", "--period", "2025", "--output", str(target)),
        stdout=out,
    )
    rows = list(csv.DictReader(target.open(encoding="utf-8", newline="")))
    assert len(rows) == 20  # nothing generalised or suppressed for the care columns
    women = [_care(row) for row in rows if row["gender"] == "female"]
    men = [_care(row) for row in rows if row["gender"] == "male"]
    assert sorted(women) == sorted(
        [("", "", "lawyer", "cosm")] * 2 + [("", "", "", "cosm")] * 3 + [("", "", "", "omm")] * 5
    )
    # The men's police report differs, so it stays; the shelter all of them share does not.
    assert sorted(men) == sorted([("made", "", "", "")] * 3 + [("considering", "", "", "")] * 7)
    # Cells withheld: the women's police report and police referral, the men's shelter.
    assert "30 care cells withheld" in out.getvalue()
    event = AuditEvent.objects.filter(action=AuditAction.EXPORT).order_by("-id").first()
    assert event.details["care_cells_withheld"] == 30


def test_the_admin_resource_has_the_same_care_columns(world):
    """The django-import-export resource of the admin's export button (and of the bench's
    baseline) writes the same columns as the streamed personal export."""
    from reports.resources import PersonalExportResource

    dataset = PersonalExportResource().export(Registration.objects.filter(pk=world[0].pk))
    assert list(dataset.headers) == COLUMN_NAMES
    row = dict(zip(dataset.headers, dataset[0], strict=True))
    assert _care(row) == EXPECTED_CARE[0]
