"""The rules of consent to care in the core (registry.registering, casework, access): one
rule for every way in, and who sees a person's personal fields after consent is withdrawn."""

from __future__ import annotations

import datetime

import pytest

from registry import access, casework, registering
from registry.choices import CaseStatus, ClosedReason, NoCaseReason
from registry.interchange import ANONYMISED_COLUMNS, BY_NAME, COLUMN_NAMES, parse_row
from registry.models import AuditEvent, Case, Registration
from reports.columns import anonymised_source, personal_rows
from tests.factories import PersonFactory, RegistrationFactory
from tests.registry.test_registering import values_for

pytestmark = pytest.mark.django_db


def route_to(user):
    return lambda region: user


def test_record_without_consent_to_care_opens_no_case_and_says_why(region_a, coordinator_a):
    recorded = Registration.objects.record(
        values_for(region_a, consent_care=False),
        source="staff_form",
        user=coordinator_a,
        coordinator_for=route_to(coordinator_a),
    )
    assert recorded.case is None and not recorded.case_opened and not Case.objects.exists()
    details = AuditEvent.objects.get().details
    assert details["case"] == "none"
    assert details["no_case_reason"] == NoCaseReason.NO_CONSENT_TO_CARE
    assert "Popescu" not in str(details)


def test_open_case_refuses_without_consent_for_every_caller(region_a, coordinator_a):
    registration = RegistrationFactory(region=region_a, consent_care=False)
    assert registering.open_case(registration, coordinator_for=route_to(coordinator_a)) == (
        None,
        False,
    )
    registration.consent_care = True
    case, opened = registering.open_case(registration, coordinator_for=route_to(coordinator_a))
    assert opened and case.coordinator == coordinator_a


def test_a_repeat_registration_without_consent_does_not_join_or_open_a_case(
    region_a, coordinator_a
):
    first = Registration.objects.record(
        values_for(region_a), source="staff_form", coordinator_for=route_to(coordinator_a)
    )
    second = Registration.objects.record(
        values_for(region_a, consent_care=False),
        source="staff_form",
        person=first.person,
        coordinator_for=route_to(coordinator_a),
    )
    assert first.case_opened and second.case is None and Case.objects.count() == 1


def test_withdrawal_closes_every_open_case_of_the_person(region_a, region_b, coordinator_a):
    person = PersonFactory()
    registrations = [
        RegistrationFactory(person=person, region=region, consent_care=True)
        for region in (region_a, region_b)
    ]
    for registration in registrations:
        registering.open_case(registration, coordinator_for=route_to(None))
    closed = casework.withdraw_care_consent(
        registrations[0], coordinator_a, today=datetime.date(2026, 5, 4)
    )
    assert len(closed) == 2
    for case in Case.objects.all():
        assert (case.status, case.closed_reason, case.closed_on) == (
            CaseStatus.CLOSED,
            ClosedReason.CONSENT_WITHDRAWN,
            datetime.date(2026, 5, 4),
        )
    assert not Registration.objects.filter(consent_care=True).exists()
    person.refresh_from_db()
    assert person.care_consent_withdrawn_on == datetime.date(2026, 5, 4)


@pytest.mark.parametrize(
    ("who", "sees"),
    [
        ("coordinator_a", False),
        ("helpdesk", False),
        ("administrator", True),
        ("reporter", False),
        (None, False),
    ],
)
def test_after_withdrawal_only_administrators_see_the_personal_fields(roles, who, sees):
    person = PersonFactory(care_consent_withdrawn_on=datetime.date(2026, 5, 4))
    user = roles[who] if who else None
    assert access.may_see_personal(user, person) is sees
    person.care_consent_withdrawn_on = None
    assert access.may_see_personal(user, person) is (who not in ("reporter", None))


def test_the_residence_status_is_an_interchange_column_in_import_and_both_exports(region_a):
    column = BY_NAME["residence_status"]
    assert "residence_status" in COLUMN_NAMES and "residence_status" in ANONYMISED_COLUMNS
    assert not column.personal
    values, errors = parse_row({"residence_status": "reflection_period"})
    assert values["residence_status"] == "reflection_period"
    _values, errors = parse_row({"residence_status": "Bedenktijd"})
    assert [e.column for e in errors if e.column == "residence_status"] == ["residence_status"]
    RegistrationFactory(region=region_a, residence_status="b8_victim")
    (row,) = list(anonymised_source(Registration.objects.all()))
    assert row[ANONYMISED_COLUMNS.index("residence_status")] == "b8_victim"
    (row,) = list(personal_rows(Registration.objects.all()))
    assert row[COLUMN_NAMES.index("residence_status")] == "b8_victim"
