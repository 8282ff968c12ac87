"""The shortcuts that make the statistics fast count exactly what the plain queries count.

The person's gender and nationality are copied onto each registration (so the statistics need
no join); they must follow the person. Shelter and care are counted per registration even
when a registration has several cases.
"""

from __future__ import annotations

import datetime

import pytest

from registry.choices import Gender, Shelter, SubmissionStatus
from registry.models import Case, Registration
from reports.aggregates import COMMAND_LINE, Period, count_registrations
from reports.aggregates import counted_registrations as counted
from tests.factories import PersonFactory, RegionFactory, RegistrationFactory

ALL = Period()


def _by(dimension: str) -> dict[str, int]:
    return count_registrations(counted(COMMAND_LINE, ALL), [dimension]).by[dimension]


@pytest.mark.django_db
def test_statistics_follow_a_change_of_the_persons_gender_and_nationality():
    person = PersonFactory(gender=Gender.FEMALE, nationality="RO")
    RegistrationFactory.create_batch(2, person=person)
    assert _by("gender") == {Gender.FEMALE: 2}
    assert _by("nationality") == {"RO": 2}

    person.gender = Gender.MALE
    person.nationality = "NL"
    person.save()

    assert _by("gender") == {Gender.MALE: 2}
    assert _by("nationality_group") == {"dutch": 2}
    assert set(Registration.objects.values_list("person_gender", "person_nationality")) == {
        (Gender.MALE, "NL")
    }


@pytest.mark.django_db
def test_a_registration_moved_to_another_person_is_counted_with_that_persons_gender():
    registration = RegistrationFactory(person=PersonFactory(gender=Gender.FEMALE))
    registration.person = PersonFactory(gender=Gender.OTHER, nationality="NG")
    registration.status = SubmissionStatus.MERGED
    registration.save(update_fields=["person", "status", "updated_at"])

    assert _by("gender") == {Gender.OTHER: 1}
    assert _by("nationality") == {"NG": 1}


@pytest.mark.django_db
def test_a_registration_with_several_cases_counts_once_per_shelter_value():
    region = RegionFactory()
    person = PersonFactory()
    two_cases = RegistrationFactory(person=person, region=region)
    for shelter, care in [
        (Shelter.COSM, Shelter.OUTPATIENT),
        (Shelter.COSM, ""),
        (Shelter.OMM, Shelter.OUTPATIENT),
    ]:
        Case.objects.create(
            person=person,
            registration=two_cases,
            region=region,
            opened_on=datetime.date(2025, 1, 1),
            shelter_placed=shelter,
            care_received=care,
        )
    RegistrationFactory(region=region)  # no case

    assert _by("shelter") == {Shelter.COSM: 1, Shelter.OMM: 1, "no_case": 1}
    assert _by("care") == {Shelter.OUTPATIENT: 1, "unknown": 1, "no_case": 1}
