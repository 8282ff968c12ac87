"""Fixtures of the registry tests.

- ``planted`` discovers every model with encrypted fields (registry.keyops.encrypted_models)
  and makes one row of each with a unique value in every encrypted field. A model without a
  factory here fails loudly, so a new encrypted model cannot slip past the leak tests.
- ``casework``: cases in regions A, B and C with planted personal values.
"""

from __future__ import annotations

import datetime
import random
import uuid
from dataclasses import dataclass
from typing import Any

import pytest
from django.contrib.auth.models import Group
from django.db import models

from registry import casework, outbox
from registry.choices import AuditAction, SubmissionStatus
from registry.crypto import generate_key
from registry.fields import EncryptedDateField, EncryptedMixin
from registry.keyops import encrypted_models
from registry.models import (
    AuditEvent,
    Case,
    Handover,
    Job,
    OutgoingMail,
    Person,
    Referral,
    Registration,
    ReminderSent,
    ResidenceProcedure,
    WrappingKey,
)
from tests.factories import (
    CaseFactory,
    CaseNoteFactory,
    ExportGrantFactory,
    FormDraftFactory,
    HandoverFactory,
    JobFileFactory,
    KeyCanaryFactory,
    PersonFactory,
    PlacementFactory,
    RegistrationFactory,
    ShelterFactory,
    SubmissionAdditionFactory,
)


def wrapping_key_factory(**values: Any) -> WrappingKey:
    """A wrapping key holding a planted value (not a key): dated in the past, so that the
    data keys of persons made afterwards are never wrapped with it."""
    row = WrappingKey(**values)
    row.save()
    WrappingKey.objects.filter(pk=row.pk).update(
        created_at=datetime.datetime(2000, 1, 1, tzinfo=datetime.UTC)
    )
    return row


FACTORIES: dict[str, Any] = {
    "registry.wrappingkey": wrapping_key_factory,
    "registry.person": PersonFactory,
    "registry.registration": RegistrationFactory,
    "registry.case": CaseFactory,
    "registry.casenote": CaseNoteFactory,
    "registry.submissionaddition": SubmissionAdditionFactory,
    "registry.handover": HandoverFactory,
    "reports.exportgrant": ExportGrantFactory,
    "registry.keycanary": KeyCanaryFactory,
    "registry.jobfile": JobFileFactory,
    "registry.placement": PlacementFactory,
    "registry.formdraft": FormDraftFactory,
}


@dataclass(frozen=True)
class Plant:
    """A unique value written to one encrypted field of one row."""

    model: type[models.Model]
    field: EncryptedMixin
    pk: Any
    value: Any

    @property
    def text(self) -> str:
        """How the value would look if it reached the database in clear."""
        return self.value.isoformat() if isinstance(self.value, datetime.date) else self.value


def unique_value(field: EncryptedMixin, taken: set[Any]) -> Any:
    if isinstance(field, EncryptedDateField):
        # Dates far from any timestamp the test itself writes (created_at is today).
        while True:
            day = datetime.date(1901, 1, 1) + datetime.timedelta(days=random.randrange(18000))
            if day not in taken:
                taken.add(day)
                return day
    # Longer than some max_length (document country is 2): save() does not validate, and a
    # short value could match random bytes of the file.
    return f"Plant-{field.name}-{uuid.uuid4().hex[:16]}-Zoë"


def plant_everywhere() -> list[Plant]:
    plants: list[Plant] = []
    taken: set[Any] = set()
    for model, fields in encrypted_models():
        factory = FACTORIES.get(model._meta.label_lower)
        assert factory is not None, (
            f"{model._meta.label} has encrypted fields: add its factory to "
            "tests/registry/conftest.py FACTORIES so the leak tests cover it"
        )
        values = {f.attname: unique_value(f, taken) for f in fields}
        obj = factory(**values)
        plants.extend(Plant(model, f, obj.pk, values[f.attname]) for f in fields)
    return plants


@pytest.fixture
def planted(db) -> list[Plant]:
    return plant_everywhere()


@pytest.fixture
def key_a() -> str:
    return generate_key()


@pytest.fixture
def key_b() -> str:
    return generate_key()


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


@pytest.fixture
def matrix_objects(
    casework_world,
    administrator,
    coordinator_a,
    organisation,
    region_a,
    region_b,
    reporter,
    municipalities,
):
    """One object of each kind, all of region A (or involving it)."""
    handover = casework.request_handover(
        casework_world.case_a, region_b, "moved to a relative", coordinator_a
    )
    reminder = ReminderSent.objects.create(
        kind=ReminderSent.Kind.UNASSIGNED,
        case=casework_world.case_a,
        recipient=coordinator_a,
        due=casework_world.case_a.opened_on,
    )
    # Region A's case requests shelter and is placed (issue 14's placement pages).
    Case.objects.filter(pk=casework_world.case_a.pk).update(shelter_requested="cosm")
    shelter = ShelterFactory(municipality=municipalities["GM0363"])
    return {
        "case": casework_world.case_a,
        "shelter": shelter,
        "placement": PlacementFactory(
            case=casework_world.case_a, shelter=shelter, placed_by=coordinator_a
        ),
        "person": casework_world.person_a,
        "registration": casework_world.registration_a,
        "handover": handover,
        "region": region_a,
        "municipality": municipalities["GM0363"],
        "reportingorganisation": organisation,
        "user": coordinator_a,
        "group": Group.objects.create(name="exporters"),
        "remindersent": reminder,
        "referral": Referral.objects.create(
            case=casework_world.case_a, referral_type="police", reason="crime_report"
        ),
        "residenceprocedure": ResidenceProcedure.objects.create(
            case=casework_world.case_a, kind="police_report", status="considering"
        ),
        # The administrator's export job, finished without a file: its page is theirs alone.
        "job": Job.objects.create(
            kind=Job.Kind.EXPORT_STATISTICS, owner=administrator, status=Job.Status.DONE
        ),
        "outgoingmail": outbox.queue_mail(
            OutgoingMail.Kind.NEW_CASE, coordinator_a.email, "New registration", "A link"
        ),
        "auditevent": AuditEvent.record(AuditAction.LOGIN, user=coordinator_a),
        "registrationimport": casework_world.registration_a,
        "personalexport": casework_world.registration_a,
        # A pending request, made by the administrator for themself.
        "exportgrant": ExportGrantFactory(grantee=administrator, requested_by=administrator),
        # A reporter's submission in region A, awaiting triage.
        "submission": RegistrationFactory(
            region=region_a, status=SubmissionStatus.SUBMITTED, submitted_by=reporter
        ),
    }
