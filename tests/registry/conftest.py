"""Fixtures of the casework tests: cases in regions A, B and C with planted personal values."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

import pytest

from registry.models import Case, Handover, Person, Registration
from tests.factories import CaseFactory, PersonFactory, RegistrationFactory

# Unique values that must never show up where they do not belong (audit rows, other regions'
# pages, e-mails). Long and odd, so a match is never a coincidence.
PLANTED = {
    "family_name": "Zwartekoppenstraat",
    "given_names": "Quillonetta",
    "phone": "+31 6 9876 5432",
    "email": "quillonetta@hidden.example",
    "id_document_number": "XQ9921337",
    "notes": "Planted case note: the safe house at Lindelaan",
}


@dataclass
class CaseworkWorld:
    person_a: Person
    registration_a: Registration
    case_a: Case
    person_b: Person
    case_b: Case
    case_c: Case
    handover: Handover | None = None


@pytest.fixture
def casework_world(roles, region_a, region_b, region_c, coordinator_a) -> CaseworkWorld:
    """Region A: a case of a person with planted values, assigned to coordinator A.

    Region B: a case of another person. Region C (no coordinator): a case for the help desk.
    """
    person_a = PersonFactory(
        family_name=PLANTED["family_name"],
        given_names=PLANTED["given_names"],
        phone=PLANTED["phone"],
        email=PLANTED["email"],
        id_document_country="RO",
        id_document_number=PLANTED["id_document_number"],
        date_of_birth=datetime.date(1990, 5, 17),
    )
    registration_a = RegistrationFactory(person=person_a, region=region_a, immediate_danger=True)
    case_a = CaseFactory(
        person=person_a,
        region=region_a,
        registration=registration_a,
        coordinator=coordinator_a,
        notes=PLANTED["notes"],
    )
    person_b = PersonFactory()
    case_b = CaseFactory(
        person=person_b,
        region=region_b,
        registration=RegistrationFactory(person=person_b, region=region_b),
    )
    person_c = PersonFactory()
    case_c = CaseFactory(
        person=person_c,
        region=region_c,
        registration=RegistrationFactory(person=person_c, region=region_c),
    )
    return CaseworkWorld(person_a, registration_a, case_a, person_b, case_b, case_c)
