"""A planted dataset whose every figure is known (see PLANTED below), and helpers.

Three groups of registrations, sized k+1, k and k-1 for the default k = 10:

- A: 11 registrations of 6 persons (5 registered twice): female, RO, age 20, sexual, window,
  cross_border, police, north, registration, 2024, a case with shelter cosm and care outpatient.
- B: 10 registrations of 10 persons: male, NL, age 35, labour, agriculture, domestic,
  labour_inspectorate, south, registration_shelter, 2025, no case.
- C: 9 registrations of 9 persons: female, NG, age 16, sexual and criminal, sector blank,
  cross_border, ngo, north, registration_advice, 2025, a case with shelter and care blank.

Not counted: one submission awaiting triage and one rejected (both 2025, group B's shape).
Outside the period 2024-2025: one registration of 2023 (group B's shape).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

import pytest

from registry.choices import (
    FileType,
    Gender,
    ReporterType,
    Scope,
    Shelter,
    SubmissionStatus,
)
from registry.models import Case, Registration
from reports.aggregates import Period
from tests.factories import PersonFactory, RegionFactory, RegistrationFactory

PLANTED_PERIOD = Period(datetime.date(2024, 1, 1), datetime.date(2025, 12, 31))
# Unique strings planted in every personal field: none may appear in statistics.
PLANTED_SECRET = "Zyxwvutsrq"


@dataclass
class Planted:
    north: object
    south: object
    registrations: list[Registration]


def _group(
    *,
    persons: list,
    count: int,
    region,
    year: int,
    age: int,
    forms: list[str],
    sector: str,
    scope: str,
    reporter: str,
    file_type: str,
    status: str = SubmissionStatus.ACCEPTED,
    case: tuple[str, str] | None = None,
) -> list[Registration]:
    made = []
    for i in range(count):
        registration = RegistrationFactory(
            person=persons[i % len(persons)],
            registered_on=datetime.date(year, 3, 1 + i % 28),
            region=region,
            age_at_registration=age,
            forms=forms,
            sector=sector,
            scope=scope,
            reporter_type=reporter,
            file_type=file_type,
            status=status,
        )
        if case is not None:
            Case.objects.create(
                person=registration.person,
                registration=registration,
                region=region,
                shelter_placed=case[0],
                care_received=case[1],
            )
        made.append(registration)
    return made


def _people(n: int, gender: str, nationality: str) -> list:
    return [
        PersonFactory(
            gender=gender,
            nationality=nationality,
            family_name=f"{PLANTED_SECRET}{gender}{i}",
            given_names=f"Given{PLANTED_SECRET}",
            notes=f"note {PLANTED_SECRET}",
        )
        for i in range(n)
    ]


@pytest.fixture
def planted(db) -> Planted:
    north = RegionFactory(code="north", name="North")
    south = RegionFactory(code="south", name="South")
    group_a = _group(
        persons=_people(6, Gender.FEMALE, "RO"),
        count=11,
        region=north,
        year=2024,
        age=20,
        forms=["sexual"],
        sector="window",
        scope=Scope.CROSS_BORDER,
        reporter=ReporterType.POLICE,
        file_type=FileType.REGISTRATION,
        case=(Shelter.COSM, Shelter.OUTPATIENT),
    )
    b_people = _people(12, Gender.MALE, "NL")
    shape_b = {
        "region": south,
        "age": 35,
        "forms": ["labour"],
        "sector": "agriculture",
        "scope": Scope.DOMESTIC,
        "reporter": ReporterType.LABOUR_INSPECTORATE,
        "file_type": FileType.REGISTRATION_SHELTER,
    }
    group_b = _group(persons=b_people[:10], count=10, year=2025, **shape_b)
    _group(persons=[b_people[10]], count=1, year=2025, status=SubmissionStatus.SUBMITTED, **shape_b)
    _group(persons=[b_people[11]], count=1, year=2025, status=SubmissionStatus.REJECTED, **shape_b)
    _group(persons=[b_people[0]], count=1, year=2023, **shape_b)
    group_c = _group(
        persons=_people(9, Gender.FEMALE, "NG"),
        count=9,
        region=north,
        year=2025,
        age=16,
        forms=["sexual", "criminal"],
        sector="",
        scope=Scope.CROSS_BORDER,
        reporter=ReporterType.NGO,
        file_type=FileType.REGISTRATION_ADVICE,
        case=("", ""),
    )
    return Planted(north, south, group_a + group_b + group_c)
