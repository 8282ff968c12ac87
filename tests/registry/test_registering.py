"""The rules of a registration record, its one validator and its one constructor
(registry/registering.py), on their own: no form, no CSV."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.test.utils import CaptureQueriesContext

from registry import municipalities, registering
from registry.choices import AuditAction, ReporterType, SubmissionStatus
from registry.models import AuditEvent, Case, Person, Registration
from registry.models.people import (
    document_index,
    family_name_index,
    name_dob_index,
    phonetic_index,
)
from tests.factories import PersonFactory, RegistrationFactory

TODAY = datetime.date(2026, 6, 15)


def valid(**overrides):
    """Values of a valid registration (a police report of an adult, with consent)."""
    values = {
        "registered_on": datetime.date(2026, 5, 1),
        "reporter_type": ReporterType.POLICE,
        "date_of_birth": datetime.date(1995, 3, 14),
        "exploitation_forms": ["sexual"],
        "sector": "window",
        "exploitation_country": "NL",
        "consent_registration": True,
        "consent_signed_by": "victim",
        "consent_care": True,
        "residence_status": "reflection_period",
    }
    values.update(overrides)
    return values


# The rules ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (datetime.date(2026, 3, 13), 30),  # the day before the birthday
        (datetime.date(2026, 3, 14), 31),  # the birthday
        (datetime.date(2027, 1, 1), 31),
    ],
)
def test_age_counts_whole_years_from_the_date_of_birth(day, expected):
    assert registering.age_on(day, datetime.date(1995, 3, 14)) == expected


def test_age_comes_from_the_date_of_birth_else_the_estimate_else_the_year():
    dob = datetime.date(2000, 6, 1)
    assert registering.age_on(TODAY, dob, 40, year_of_birth=1950) == 26
    assert registering.age_on(TODAY, None, 40, year_of_birth=1950) == 40
    assert registering.age_on(TODAY, None, None, year_of_birth=1950) == 76
    assert registering.age_on(TODAY) is None


def test_year_of_birth_from_the_date_of_birth_or_estimated_from_the_age():
    assert registering.year_of_birth(datetime.date(1995, 3, 14), 50, on=TODAY) == (1995, False)
    assert registering.year_of_birth(None, 15, on=TODAY) == (2011, True)
    assert registering.year_of_birth(None, None, on=TODAY) == (None, False)


def test_a_person_gives_the_same_age_as_the_rules(db):
    with_date = PersonFactory(date_of_birth=datetime.date(2009, 6, 16))
    estimated = PersonFactory(date_of_birth=None, year_of_birth=2011, year_of_birth_estimated=True)
    assert with_date.age_on(TODAY) == registering.age_on(TODAY, datetime.date(2009, 6, 16)) == 16
    assert estimated.age_on(TODAY) == 15
    assert with_date.year_of_birth == 2009  # derived on save from the date of birth


@pytest.mark.parametrize(("age", "minor"), [(None, False), (0, True), (17, True), (18, False)])
def test_under_18_is_a_minor(age, minor):
    assert registering.is_minor(age) is minor


@pytest.mark.parametrize(
    ("minor", "unaccompanied", "residence", "nidos"),
    [
        (True, True, "no_status", True),
        (True, True, "reflection_period", True),
        (True, True, "b8_victim", False),  # lawful residence
        (True, False, "no_status", False),  # accompanied
        (False, True, "no_status", False),  # adult
    ],
)
def test_unaccompanied_minors_without_lawful_residence_go_the_nidos_route(
    minor, unaccompanied, residence, nidos
):
    assert registering.needs_nidos(minor, unaccompanied, residence) is nidos


@pytest.mark.parametrize(
    ("reporter_type", "consent", "anonymous"),
    [
        (ReporterType.POLICE, False, False),  # legal duty
        (ReporterType.KMAR, False, False),
        (ReporterType.LABOUR_INSPECTORATE, False, False),
        (ReporterType.NGO, True, False),  # written consent
        (ReporterType.NGO, False, True),
        (ReporterType.SELF_REPORT, False, True),
    ],
)
def test_personal_data_needs_a_legal_duty_or_written_consent(reporter_type, consent, anonymous):
    assert registering.is_anonymous(reporter_type, consent) is anonymous
    outcome = registering.check(
        valid(reporter_type=reporter_type, consent_registration=consent), today=TODAY
    ).outcome
    assert outcome.anonymous is anonymous


@pytest.mark.django_db
def test_the_database_holds_the_same_age_limit(region_a):
    """The constraint on age_at_registration is the rules' MAX_AGE (no second 120)."""
    registration = RegistrationFactory(region=region_a)
    Registration.objects.filter(pk=registration.pk).update(age_at_registration=registering.MAX_AGE)
    with pytest.raises(IntegrityError), transaction.atomic():
        Registration.objects.filter(pk=registration.pk).update(
            age_at_registration=registering.MAX_AGE + 1
        )


# The validator --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("overrides", "expected"),
    [
        ({}, {}),
        ({"registered_on": TODAY}, {}),
        ({"registered_on": TODAY + datetime.timedelta(days=1)}, {"registered_on": "DATE"}),
        ({"date_of_birth": TODAY + datetime.timedelta(days=1)}, {"date_of_birth": "DOB"}),
        ({"date_of_birth": datetime.date(1890, 1, 1)}, {"date_of_birth": "AGE"}),
        # Born after the registration date: a negative age.
        ({"date_of_birth": datetime.date(2026, 6, 1)}, {"date_of_birth": "AGE"}),
        ({"date_of_birth": None, "estimated_age": 121}, {"estimated_age": "AGE"}),
        ({"date_of_birth": None, "estimated_age": -1}, {"estimated_age": "AGE"}),
        ({"date_of_birth": None, "estimated_age": 120}, {}),
        # A year of birth before the earliest the database keeps (1850 - 30 = 1820).
        (
            {
                "registered_on": datetime.date(1850, 6, 1),
                "date_of_birth": None,
                "estimated_age": 30,
            },
            {"estimated_age": "YEAR"},
        ),
        (
            {
                "registered_on": datetime.date(1900, 6, 1),
                "date_of_birth": datetime.date(1870, 1, 1),
            },
            {"date_of_birth": "YEAR"},
        ),
        ({"date_of_birth": None, "estimated_age": 0, "consent_signed_by": "guardian"}, {}),
        ({"exploitation_forms": ["labour"]}, {"sector": "SECTOR"}),
        ({"exploitation_forms": []}, {"sector": "SECTOR"}),
        ({"exploitation_forms": ["labour"], "sector": "other"}, {}),
        (
            {
                "exploitation_start": datetime.date(2024, 5, 1),
                "exploitation_end": datetime.date(2024, 1, 1),
            },
            {"exploitation_end": "END"},
        ),
        ({"consent_signed_by": ""}, {"consent_signed_by": "SIGNER"}),
        (
            {"date_of_birth": None, "estimated_age": 15, "consent_signed_by": "victim"},
            {"consent_signed_by": "GUARDIAN"},
        ),
        ({"date_of_birth": None, "estimated_age": 15, "consent_signed_by": "guardian"}, {}),
        ({"date_of_birth": None, "estimated_age": 16, "consent_signed_by": "victim"}, {}),
        (
            {"exploitation_country": "BE", "exploitation_municipality": "GM0363"},
            {"exploitation_municipality": "MUNICIPALITY"},
        ),
        ({"exploitation_country": "NL", "exploitation_municipality": "GM0363"}, {}),
        ({"exploitation_country": "", "exploitation_municipality": "GM0363"}, {}),
        (
            {"registered_on": TODAY + datetime.timedelta(days=1), "exploitation_forms": []},
            {"registered_on": "DATE", "sector": "SECTOR"},
        ),
    ],
)
def test_registration_errors_name_the_field_and_the_rule(overrides, expected):
    messages = {
        "DATE": registering.DATE_IN_FUTURE,
        "DOB": registering.DOB_IN_FUTURE,
        "AGE": registering.AGE_OUT_OF_RANGE % {"max_age": registering.MAX_AGE},
        "SECTOR": registering.SECTOR_DOES_NOT_FIT,
        "END": registering.END_BEFORE_START,
        "SIGNER": registering.CONSENT_NEEDS_SIGNER,
        "GUARDIAN": registering.GUARDIAN_UNDER_16,
        "MUNICIPALITY": municipalities.NOT_IN_THE_NETHERLANDS,
        "YEAR": registering.BORN_TOO_EARLY % {"year": registering.EARLIEST_YEAR_OF_BIRTH},
    }
    errors = registering.registration_errors(valid(**overrides), today=TODAY)
    assert set(errors) == set(expected)
    for field, key in expected.items():
        assert errors[field].startswith(str(messages[key])[:40]), errors[field]


def test_a_way_in_without_a_signer_is_not_held_to_the_signers_rules():
    """The interchange CSV has no signer column: its rows are not refused for lacking one."""
    values = valid(date_of_birth=None, estimated_age=15)
    del values["consent_signed_by"]
    assert registering.registration_errors(values, today=TODAY) == {}


def test_a_refused_registration_date_leaves_the_age_rules_to_today():
    """The age is checked on the registration date, or on today when that date is refused."""
    values = valid(registered_on=datetime.date(2999, 1, 1), date_of_birth=datetime.date(1950, 1, 1))
    assert set(registering.registration_errors(values, today=TODAY)) == {"registered_on"}


def test_the_outcome_is_only_given_for_valid_values():
    assert registering.check(valid(sector="agriculture"), today=TODAY).outcome is None
    assert registering.check(valid(), today=TODAY).outcome is not None


def test_the_outcome_holds_age_minor_year_and_the_nidos_route():
    outcome = registering.check(
        valid(
            date_of_birth=None,
            estimated_age=15,
            consent_signed_by="guardian",
            unaccompanied_minor=True,
            residence_status="no_status",
            immediate_danger=True,
        ),
        today=TODAY,
    ).outcome
    assert (outcome.age, outcome.minor, outcome.nidos, outcome.immediate_danger) == (
        15,
        True,
        True,
        True,
    )
    assert (outcome.year_of_birth, outcome.year_of_birth_estimated) == (2011, True)
    assert outcome.emergency_number == "112"


def test_without_an_age_probably_under_18_decides():
    values = valid(date_of_birth=None, believed_minor=True)
    outcome = registering.check(values, today=TODAY).outcome
    assert (outcome.age, outcome.minor, outcome.year_of_birth) == (None, True, None)


def test_the_date_of_birth_decides_when_an_age_disagrees_with_it():
    """Both origins keep the rule of the interchange format: the age is derived from the date
    of birth when there is one; an age given besides it is not used (no error)."""
    values = valid(date_of_birth=datetime.date(1995, 3, 14), estimated_age=50)
    checked = registering.check(values, today=TODAY)
    assert checked.errors == {}
    assert (checked.outcome.age, checked.outcome.year_of_birth) == (31, 1995)
    assert not checked.outcome.year_of_birth_estimated


# The constructor ------------------------------------------------------------------------------


def values_for(region, **overrides):
    return valid(
        registered_on=datetime.date.today(),
        region=region,
        given_names="Ana Maria",
        family_name="Popescu",
        id_document_country="RO",
        id_document_number="RX123456",
        gender="female",
        nationality="RO",
        means_of_control=["threats", "debt_bondage"],
        **overrides,
    )


@pytest.mark.django_db
def test_record_saves_person_registration_code_lists_case_and_audit_event(region_a, coordinator_a):
    recorded = Registration.objects.record(
        values_for(region_a),
        source="staff_form",
        user=coordinator_a,
        coordinator_for=lambda region: coordinator_a,
    )
    registration = Registration.objects.get()
    assert recorded.registration == registration and recorded.person_created
    assert registration.status == SubmissionStatus.ACCEPTED
    assert registration.submitted_by == coordinator_a
    assert registration.age_at_registration == registering.age_on(
        datetime.date.today(), datetime.date(1995, 3, 14)
    )
    assert not registration.is_minor
    assert list(registration.exploitation_forms.values_list("code", flat=True)) == ["sexual"]
    assert sorted(registration.means_of_control.values_list("code", flat=True)) == [
        "debt_bondage",
        "threats",
    ]
    person = Person.objects.get()
    assert (person.family_name, person.year_of_birth, person.year_of_birth_estimated) == (
        "Popescu",
        1995,
        False,
    )
    assert person.bi_family_name == family_name_index("Popescu")
    assert person.bi_name_dob == name_dob_index("Popescu", "Ana Maria", datetime.date(1995, 3, 14))
    assert person.bi_document == document_index("RO", "RX123456")
    assert person.bi_phonetic == phonetic_index("Popescu", 1995)
    case = Case.objects.get()
    assert recorded.case == case and recorded.case_opened
    assert (case.coordinator, case.residence_status, case.registration) == (
        coordinator_a,
        "reflection_period",
        registration,
    )
    event = AuditEvent.objects.get(object_id=str(registration.pk))
    assert event.action == AuditAction.CREATE
    assert event.details["source"] == "staff_form"
    assert event.details["case"] == "routed"
    assert "Popescu" not in str(event.details) and "RX123456" not in str(event.details)


@pytest.mark.django_db
def test_record_refuses_bad_values_and_writes_nothing(region_a):
    with pytest.raises(ValidationError) as refused:
        Registration.objects.record(
            values_for(region_a, exploitation_forms=["labour"]), source="staff_form"
        )
    assert set(refused.value.message_dict) == {"sector"}
    assert not Person.objects.exists() and not Registration.objects.exists()
    assert not AuditEvent.objects.exists()


@pytest.mark.django_db
def test_record_is_all_or_nothing(region_a, coordinator_a, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("audit store unavailable")

    monkeypatch.setattr(AuditEvent, "record", broken)
    with pytest.raises(RuntimeError), transaction.atomic():
        Registration.objects.record(
            values_for(region_a), source="staff_form", coordinator_for=lambda region: None
        )
    assert (Person.objects.count(), Registration.objects.count(), Case.objects.count()) == (
        0,
        0,
        0,
    )


@pytest.mark.django_db
def test_record_joins_the_callers_transaction_without_a_savepoint(region_a):
    with transaction.atomic(), CaptureQueriesContext(connection) as queries:
        Registration.objects.record(values_for(region_a), source="staff_form")
    assert not [q["sql"] for q in queries if "SAVEPOINT" in q["sql"].upper()]
    assert Registration.objects.count() == 1


@pytest.mark.django_db
def test_without_a_coordinator_choice_no_case_is_opened(region_a):
    recorded = Registration.objects.record(values_for(region_a), source="import", audit=False)
    assert recorded.case is None and not Case.objects.exists()
    assert not AuditEvent.objects.exists()  # the import records one event for the file


@pytest.mark.django_db
def test_a_linked_registration_joins_the_open_case_of_its_region(region_a, coordinator_a):
    def route(region):
        return coordinator_a

    first = Registration.objects.record(
        values_for(region_a), source="staff_form", user=coordinator_a, coordinator_for=route
    )
    second = Registration.objects.record(
        values_for(region_a),
        source="staff_form",
        user=coordinator_a,
        person=first.person,
        coordinator_for=route,
        matches_shown=1,
    )
    assert not second.person_created and not second.case_opened
    assert second.case == first.case and Case.objects.count() == 1
    assert Person.objects.count() == 1
    event = AuditEvent.objects.get(object_id=str(second.registration.pk))
    assert event.action == AuditAction.LINK_PERSON
    assert event.details["person_choice"] == "linked"


@pytest.mark.django_db
def test_an_anonymous_registration_keeps_no_personal_field_no_index_and_no_signer(region_a):
    recorded = Registration.objects.record(
        values_for(region_a, reporter_type=ReporterType.NGO, consent_registration=False),
        source="staff_form",
    )
    person = Person.objects.get()
    assert person.is_anonymous and not person.has_personal_data()
    assert person.year_of_birth == 1995  # statistical fields stay
    assert (person.bi_family_name, person.bi_name_dob, person.bi_document, person.bi_phonetic) == (
        None,
        None,
        None,
        None,
    )
    assert recorded.registration.consent_signed_by == ""
    event = AuditEvent.objects.get()
    assert event.details["anonymous"] is True and event.details["personal_fields"] == []


@pytest.mark.django_db
def test_a_code_given_twice_is_recorded_once(region_a):
    recorded = Registration.objects.record(
        values_for(region_a, exploitation_forms=["sexual", "sexual"]), source="import"
    )
    assert recorded.registration.exploitation_forms.count() == 1


@pytest.mark.django_db
def test_a_value_changed_after_its_indexes_were_worked_out_is_indexed_again(region_a):
    """The constructor hands its indexes to the person; a change before the save still counts."""
    outcome = registering.check(values_for(region_a)).outcome
    person = registering.new_person(values_for(region_a), outcome)
    person.family_name = "Ionescu"
    person.save()
    person.refresh_from_db()
    assert person.bi_family_name == family_name_index("Ionescu")
    assert person.bi_phonetic == phonetic_index("Ionescu", 1995)
