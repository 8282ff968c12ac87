"""Saving a registration: person, registration, case and audit event in one transaction.

Views and the import call these functions; they hold the business rules of saving (the form
holds those of validating). Audit details carry field names, counts and choices, never values.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils import timezone

from intake import rules
from intake.matching import Indexes, find_matches, indexes_for
from intake.routing import notify_coordinator, pick_coordinator
from registry.choices import ResidenceStatus, SubmissionStatus
from registry.models import (
    AuditEvent,
    Case,
    Person,
    Registration,
)
from registry.models.people import PERSONAL_FIELDS

# Form fields copied onto Person (the rest of PERSONAL_FIELDS stay empty when not typed).
PERSON_STAT_FIELDS = ("gender", "nationality", "country_of_birth")
REGISTRATION_FIELDS = (
    "registered_on",
    "reporter_type",
    "organisation",
    "region",
    "sector",
    "exploitation_country",
    "exploitation_municipality",
    "exploitation_start",
    "exploitation_end",
    "scope",
    "unaccompanied_minor",
    "immediate_danger",
    "file_type",
    "shelter_requested",
    "consent_registration",
    "consent_care",
    "consent_signed_by",
)
NEW_PERSON = "new"

# The saves below are all-or-nothing. Called from a view they join the request's transaction
# (ATOMIC_REQUESTS) without a savepoint of their own: nobody catches their errors to carry on,
# so an error rolls back the whole request, and a SAVEPOINT/RELEASE pair would only cost two
# statements. Outside a transaction they open one. A caller that wants to continue after a
# failure wraps the call in its own ``transaction.atomic()``.


@dataclass
class Saved:
    registration: Registration
    person: Person
    case: Case | None
    person_created: bool


def typed_indexes(data: dict[str, Any]) -> Indexes:
    """The blind indexes of what was typed (none for an anonymous registration)."""
    day = data.get("registered_on") or timezone.localdate()
    year, _estimated = rules.year_of_birth(
        day, data.get("date_of_birth"), data.get("estimated_age")
    )
    return indexes_for(
        family_name=data.get("family_name") or "",
        given_names=data.get("given_names") or "",
        date_of_birth=data.get("date_of_birth"),
        year_of_birth=year,
        id_document_country=data.get("id_document_country") or "",
        id_document_number=data.get("id_document_number") or "",
    )


def possible_matches(user: Any, data: dict[str, Any], outcome: rules.Outcome) -> list:
    """Possible matches to show before saving; an anonymous registration has none to show."""
    if outcome.anonymous:
        return []
    return find_matches(user, typed_indexes(data))


def build_person(data: dict[str, Any], outcome: rules.Outcome) -> Person:
    """A new Person from cleaned form data; anonymous ones get statistical fields only."""
    day = data.get("registered_on") or timezone.localdate()
    year, estimated = rules.year_of_birth(day, data.get("date_of_birth"), data.get("estimated_age"))
    person = Person(
        is_anonymous=outcome.anonymous,
        year_of_birth=year,
        year_of_birth_estimated=estimated,
        **{name: data.get(name) or "" for name in PERSON_STAT_FIELDS if name in data},
    )
    if not outcome.anonymous:
        for name in PERSONAL_FIELDS:
            value = data.get(name)
            if value not in (None, ""):
                setattr(person, name, value)
    return person


def _registration(
    data: dict[str, Any], outcome: rules.Outcome, person: Person, **extra: Any
) -> Registration:
    registration = Registration(
        person=person,
        is_minor=outcome.minor,
        age_at_registration=outcome.age,
        **{
            name: data[name]
            for name in REGISTRATION_FIELDS
            if name in data and data[name] is not None
        },
        **extra,
    )
    if outcome.anonymous:
        # Without consent there is nobody who signed.
        registration.consent_signed_by = ""
    return registration


def _set_lists(registration: Registration, data: dict[str, Any]) -> None:
    for name in ("exploitation_forms", "means_of_control"):
        registration.insert_codes(name, data.get(name) or [])


def open_case(
    registration: Registration,
    residence_status: str = ResidenceStatus.UNKNOWN,
    *,
    new_person: bool = False,
) -> Case:
    """The person's open case in the registration's region, or a new one, routed.

    A repeat registration joins the open case of its region instead of opening a second one;
    a person created with this registration has no case yet, so nothing is looked up.
    """
    if not new_person:
        existing = (
            Case.objects.open()
            .filter(person=registration.person, region=registration.region)
            .first()
        )
        if existing is not None:
            return existing
    case = Case.objects.create(
        person=registration.person,
        registration=registration,
        region=registration.region,
        coordinator=pick_coordinator(registration.region),
        residence_status=residence_status or ResidenceStatus.UNKNOWN,
        shelter_requested=registration.shelter_requested,
        opened_on=registration.registered_on,
    )
    notify_coordinator(case, registration.number)
    return case


def _audit_save(
    user: Any,
    registration: Registration,
    case: Case | None,
    *,
    person_created: bool,
    outcome: rules.Outcome,
    matches_shown: int,
    source: str,
) -> None:
    typed = sorted(
        name for name in PERSONAL_FIELDS if registration.person.__dict__.get(name) not in (None, "")
    )
    AuditEvent.record(
        "create" if person_created else "link_person",
        user=user,
        obj=registration,
        case=case,
        details={
            "source": source,
            "person": registration.person.reference,
            "person_choice": "new" if person_created else "linked",
            "possible_matches_shown": matches_shown,
            "anonymous": outcome.anonymous,
            "minor": outcome.minor,
            "immediate_danger": outcome.immediate_danger,
            "personal_fields": typed,
            "case": "none" if case is None else ("routed" if case.coordinator_id else "help_desk"),
        },
    )


@transaction.atomic(savepoint=False)
def register(
    user: Any,
    data: dict[str, Any],
    outcome: rules.Outcome,
    *,
    link_to: Person | None = None,
    matches_shown: int = 0,
) -> Saved:
    """Save a staff registration: person (new or linked), registration, case, audit event.

    ``link_to`` must be one of the possible matches shown to ``user`` (the view checks that
    against a fresh ``find_matches``), so nobody links to a person they may not see.
    """
    if link_to is not None:
        person, created = link_to, False
    else:
        person, created = build_person(data, outcome), True
        person.save()
    registration = _registration(
        data, outcome, person, status=SubmissionStatus.ACCEPTED, submitted_by=user
    )
    registration.save()
    _set_lists(registration, data)
    case = open_case(registration, data.get("residence_status", ""), new_person=created)
    _audit_save(
        user,
        registration,
        case,
        person_created=created,
        outcome=outcome,
        matches_shown=matches_shown,
        source="staff_form",
    )
    return Saved(registration, person, case, created)


@transaction.atomic(savepoint=False)
def submit(user: Any, data: dict[str, Any], outcome: rules.Outcome) -> Registration:
    """A reporter's submission: waits for triage, so no case and no routing yet."""
    organisation = user.organisation
    person = build_person(data, outcome)
    person.save()
    data = {**data, "registered_on": timezone.localdate(), "organisation": organisation}
    data["reporter_type"] = organisation.reporter_type
    registration = _registration(
        data, outcome, person, status=SubmissionStatus.SUBMITTED, submitted_by=user
    )
    registration.save()
    _set_lists(registration, data)
    _audit_save(
        user,
        registration,
        None,
        person_created=True,
        outcome=outcome,
        matches_shown=0,
        source="reporter_submission",
    )
    return registration


# Triage ----------------------------------------------------------------------------------------


def submission_matches(user: Any, registration: Registration) -> list:
    """Possible matches of a submission's person among the people ``user`` may see."""
    person = registration.person
    if person.is_anonymous:
        return []
    ix = indexes_for(
        family_name=person.family_name or "",
        given_names=person.given_names or "",
        date_of_birth=person.date_of_birth,
        year_of_birth=person.year_of_birth,
        id_document_country=person.id_document_country or "",
        id_document_number=person.id_document_number or "",
    )
    return find_matches(user, ix, exclude=person.pk)


@transaction.atomic(savepoint=False)
def accept(user: Any, registration: Registration) -> Case:
    registration.status = SubmissionStatus.ACCEPTED
    registration.save(update_fields=["status", "updated_at"])
    case = open_case(registration)
    AuditEvent.record(
        "triage", user=user, obj=registration, case=case, details={"decision": "accepted"}
    )
    return case


@transaction.atomic(savepoint=False)
def merge(user: Any, registration: Registration, into: Person) -> Case:
    """Link the submission to an existing person; the submitted copy of the person goes.

    The submitted Person row was only ever a copy typed by the reporter; keeping it would
    leave two records of one victim, which is what merging is meant to prevent.
    """
    duplicate = registration.person
    registration.person = into
    registration.status = SubmissionStatus.MERGED
    registration.save(update_fields=["person", "status", "updated_at"])
    if not duplicate.registrations.exists() and not duplicate.cases.exists():
        duplicate_ref = duplicate.reference
        duplicate.delete()
    else:
        duplicate_ref = ""
    case = open_case(registration)
    AuditEvent.record(
        "triage",
        user=user,
        obj=registration,
        case=case,
        details={"decision": "merged", "into": into.reference, "removed_copy": duplicate_ref},
    )
    return case


@transaction.atomic(savepoint=False)
def reject(user: Any, registration: Registration, reason: str) -> None:
    registration.status = SubmissionStatus.REJECTED
    registration.triage_note = reason
    registration.save(update_fields=["status", "triage_note", "updated_at"])
    AuditEvent.record(
        "triage",
        user=user,
        obj=registration,
        details={"decision": "rejected", "fields": ["triage_note"]},
    )
