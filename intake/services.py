"""The intake's ways of recording: the staff save, the reporter's submission, triage.

Each records through the registry's one constructor (``Registration.objects.record``, see
registry/registering.py) and adds what belongs to a way in: the duplicate check before
saving, the choice of a coordinator (intake.routing) and the e-mail once a case is opened.
Audit details carry field names, counts and choices, never values.
"""

from __future__ import annotations

import uuid
from typing import Any

from django.db import transaction
from django.utils import timezone

from intake.matching import Indexes, Match, find_matches, indexes_for
from intake.routing import notify_coordinator, pick_coordinator
from registry import casework, registering
from registry.choices import AuditAction, SubmissionStatus
from registry.models import AuditEvent, Case, Person, Registration, User
from registry.models.people import index_values
from registry.registering import Outcome, Recorded

NEW_PERSON = "new"

# The saves below are all-or-nothing and, like registering.record, join the caller's
# transaction without a savepoint of their own (see there why). The staff save and the
# submission write only through record(), which is that transaction; triage's decisions write
# more, so they open it themselves.


def typed_indexes(data: dict[str, Any], outcome: Outcome) -> Indexes | None:
    """The blind indexes of what was typed; none for an anonymous registration (nothing of
    it is matched or stored). The year of birth is the one ``outcome`` worked out."""
    if outcome.anonymous:
        return None
    return indexes_for(**index_values(data), year_of_birth=outcome.year_of_birth)


def possible_matches(user: User, indexes: Indexes | None) -> list[Match]:
    """Possible matches to show before saving; an anonymous registration has none to show."""
    if indexes is None:
        return []
    return find_matches(user, indexes)


def register(
    user: User,
    data: dict[str, Any],
    outcome: Outcome | None = None,
    *,
    link_to: Person | None = None,
    matches_shown: int = 0,
    indexes: Indexes | None = None,
    registration_id: uuid.UUID | None = None,
) -> Recorded:
    """Save a staff registration: person (new or linked), registration, case, audit event.

    ``link_to`` must be one of the possible matches shown to ``user`` (the view checks that
    against a fresh ``find_matches``), so nobody links to a person they may not see.
    ``indexes`` are those of the duplicate check, kept for a new person.
    """
    recorded = Registration.objects.record(
        data,
        source="staff_form",
        user=user,
        outcome=outcome,
        person=link_to,
        indexes=indexes.stored if indexes is not None else None,
        status=SubmissionStatus.ACCEPTED,
        coordinator_for=pick_coordinator,
        matches_shown=matches_shown,
        then=_notify_if_opened,
        registration_id=registration_id,
    )
    if data.get("sub3") and recorded.case is not None and not recorded.case.sub3:
        # The staff form's sub 3 question (issue 16) is kept on the case the registration
        # opened or joined; without consent to care there is no case to keep it on.
        recorded.case.sub3 = True
        recorded.case.save(update_fields=["sub3", "updated_at"])
        AuditEvent.record(
            AuditAction.CHANGE,
            user=user,
            obj=recorded.case,
            case=recorded.case,
            details={"fields": ["sub3"], "screen": "staff_form"},
        )
    return recorded


def _notify_if_opened(recorded: Recorded) -> None:
    # Needs the number, so it comes after it; before the audit event, whose lock is last.
    if recorded.case_opened:
        notify_coordinator(recorded.case, recorded.registration.number)


def submit(user: User, data: dict[str, Any], outcome: Outcome | None = None) -> Registration:
    """A reporter's submission: waits for triage, so no case and no routing yet.

    The date is today's and the reporter type and organisation are the account's, as the
    reporter's form assumed when it checked the values.
    """
    organisation = user.organisation
    values = {
        **data,
        "registered_on": timezone.localdate(),
        "organisation": organisation,
        "reporter_type": organisation.reporter_type,
    }
    recorded = Registration.objects.record(
        values,
        source="reporter_submission",
        user=user,
        outcome=outcome,
        status=SubmissionStatus.SUBMITTED,
    )
    return recorded.registration


# Consent to care given later ------------------------------------------------------------------


def give_care_consent(user: User, registration: Registration) -> tuple[Case | None, bool]:
    """Record consent to care on a saved registration: its case opens (or joins the person's
    open one) and is routed as at intake, and a new case's coordinator gets the e-mail once.
    The rule is the registry's (``casework.give_care_consent``); routing and mail are ours."""
    return casework.give_care_consent(
        registration,
        user,
        coordinator_for=pick_coordinator,
        then=lambda case: notify_coordinator(case, registration.number),
    )


# Triage ----------------------------------------------------------------------------------------


def submission_matches(user: User, registration: Registration) -> list[Match]:
    """Possible matches of a submission's person among the people ``user`` may see."""
    person = registration.person
    if person.is_anonymous:
        return []
    ix = indexes_for(**person.index_values(), year_of_birth=person.year_of_birth)
    return find_matches(user, ix, exclude=person.pk)


def open_routed_case(registration: Registration, user: User) -> tuple[Case | None, bool]:
    """Open (or join) the registration's case, routed as at intake, and mail its coordinator
    when it is new. No case without consent to care: the registry decides that
    (``registering.open_case``), not the way in. ``user`` decided the triage: what opening the
    case records besides (the pending Nidos referral) is theirs."""
    case, opened = registering.open_case(registration, coordinator_for=pick_coordinator, user=user)
    if opened:
        notify_coordinator(case, registration.number)
    return case, opened


def _record_decision(
    user: User, registration: Registration, details: dict[str, Any], case: Case | None = None
) -> None:
    if details["decision"] != "rejected":
        details = {**details, "case": registering.case_routing(case)}
        if case is None and (reason := registering.no_case_reason(registration)):
            details["no_case_reason"] = reason
    AuditEvent.record(AuditAction.TRIAGE, user=user, obj=registration, case=case, details=details)


@transaction.atomic(savepoint=False)
def accept(user: User, registration: Registration) -> Case | None:
    registration.status = SubmissionStatus.ACCEPTED
    registration.save(update_fields=["status", "updated_at"])
    case, _opened = open_routed_case(registration, user)
    _record_decision(user, registration, {"decision": "accepted"}, case)
    return case


@transaction.atomic(savepoint=False)
def merge(user: User, registration: Registration, into: Person) -> Case | None:
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
    case, _opened = open_routed_case(registration, user)
    details = {"decision": "merged", "into": into.reference, "removed_copy": duplicate_ref}
    _record_decision(user, registration, details, case)
    return case


@transaction.atomic(savepoint=False)
def reject(user: User, registration: Registration, reason: str) -> None:
    registration.status = SubmissionStatus.REJECTED
    registration.triage_note = reason
    registration.save(update_fields=["status", "triage_note", "updated_at"])
    _record_decision(user, registration, {"decision": "rejected", "fields": ["triage_note"]})
