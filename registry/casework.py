"""The rules of daily casework: the status workflow, handovers, reminders.

Views and the admin call these functions, so a rule holds on every screen. Each write leaves
an audit event with field names only, never a value.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from registry import once, registering
from registry.choices import AuditAction, CareConsent, CaseStatus, ClosedReason, HandoverStatus
from registry.models import AuditEvent, Case, Handover, Region, Registration, User
from registry.models.cases import Flag

if TYPE_CHECKING:
    from collections.abc import Callable


# --- status workflow -------------------------------------------------------------------------


def apply_status(case: Case, previous: str, today: datetime.date | None = None) -> None:
    """Keep the dates that follow from the status: closed on, cleared on reopening."""
    if case.status == CaseStatus.CLOSED and previous != CaseStatus.CLOSED:
        case.closed_on = today or timezone.localdate()
    elif case.status != CaseStatus.CLOSED:
        case.closed_on = None
        case.closed_reason = ""


def save_case_change(case: Case, changed_fields: list[str], user: User, screen: str) -> None:
    """Save an edited case and record which fields changed (names only), and where the
    workflow moved (``workflow_moves``), so the case's timeline can say it in words."""
    moves = workflow_moves(case)
    case.save()
    if changed_fields:
        details: dict[str, object] = {"fields": sorted(changed_fields), "screen": screen}
        if moves:
            details["moves"] = moves
        AuditEvent.record(AuditAction.CHANGE, user=user, obj=case, case=case, details=details)


def workflow_moves(case: Case) -> dict[str, list[object]]:
    """Where the case's workflow moved since it was read: ``{"status": [before, after],
    "coordinator": [before, after], "closed_reason": [before, after]}`` for those that did.

    Codes of the workflow and the coordinators' account ids: the case's own bookkeeping, never
    a value of the person (the audit trail holds field names for those). The case's timeline
    (registry/timeline.py) reads them to say "assigned the case to ..." and "changed the
    status from ... to ...".
    """
    before_status = case.previous_status
    before_coordinator = getattr(case, "_loaded_coordinator_id", None)
    moves: dict[str, list[object]] = {}
    if case.status != before_status:
        moves["status"] = [before_status, case.status]
        if case.closed_reason:
            moves["closed_reason"] = ["", case.closed_reason]
    if case.coordinator_id != before_coordinator:
        moves["coordinator"] = [before_coordinator, case.coordinator_id]
    return moves


# --- consent to care -------------------------------------------------------------------------
#
# CoMensha: registration may rest on a legal duty, care needs the person's consent. Without it
# a registration opens no case (registering.open_case); these record consent given or
# withdrawn after the registration was saved.


def give_care_consent(
    registration: Registration,
    user: User,
    *,
    coordinator_for: Callable[[Region], User | None],
    then: Callable[[Case], None] | None = None,
) -> tuple[Case | None, bool]:
    """Record consent to care on ``registration`` and open (or join) its case, routed by
    ``coordinator_for`` as at intake; ``then(case)`` runs for a case opened now (the way in
    mails its coordinator). (case, opened?)."""
    with transaction.atomic():
        once.lock_for_decision(Registration, registration.pk)
        registration.refresh_from_db()
        person = registration.person
        if person.care_consent_withdrawn_on is not None:
            person.care_consent_withdrawn_on = None
            person.save(update_fields=["care_consent_withdrawn_on", "updated_at"])
        changed = not registration.consent_care
        if changed:
            registration.consent_care = True
            registration.save(update_fields=["consent_care", "updated_at"])
        case, opened = registering.open_case(registration, coordinator_for=coordinator_for)
        if opened and then is not None:
            then(case)
        _record_consent(registration, user, CareConsent.GIVEN, changed, case)
    return case, opened


def withdraw_care_consent(
    registration: Registration, user: User, today: datetime.date | None = None
) -> list[Case]:
    """Record that the person withdrew consent to care: every registration of theirs loses
    it, their open cases close ("consent withdrawn") and their personal fields are hidden
    from the staff who work cases (``access.may_see_personal``); the values stay for the
    retention period. The closed cases are returned."""
    today = today or timezone.localdate()
    with transaction.atomic():
        once.lock_for_decision(Registration, registration.pk)
        registration.refresh_from_db()
        person = registration.person
        changed = Registration.objects.filter(person=person, consent_care=True).update(
            consent_care=False, updated_at=timezone.now()
        )
        person.care_consent_withdrawn_on = today
        person.save(update_fields=["care_consent_withdrawn_on", "updated_at"])
        closed = list(Case.objects.open().filter(person=person).select_for_update())
        for case in closed:
            case.status = CaseStatus.CLOSED
            case.closed_reason = ClosedReason.CONSENT_WITHDRAWN
            apply_status(case, case.previous_status, today)
            save_case_change(case, ["closed_reason", "status"], user, "care_consent")
        _record_consent(
            registration, user, CareConsent.WITHDRAWN, bool(changed), closed[0] if closed else None
        )
    return closed


def _record_consent(
    registration: Registration, user: User, consent: str, changed: bool, case: Case | None
) -> None:
    AuditEvent.record(
        AuditAction.CHANGE,
        user=user,
        obj=registration,
        case=case,
        details={
            "fields": ["consent_care"] if changed else [],
            "screen": "care_consent",
            "care_consent": consent,
            "case": registering.case_routing(case)
            if consent == CareConsent.GIVEN
            else ("closed" if case else "none"),
        },
    )


# --- handovers -------------------------------------------------------------------------------


class HandoverError(ValidationError):
    """A handover that the rules do not allow; the message says why."""


def receiving_regions(user: User) -> QuerySet:
    """Regions on whose behalf ``user`` accepts or rejects handovers."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return Region.objects.none()
    if user.is_administrator:
        return Region.objects.all()
    if user.is_coordinator:
        return Region.objects.filter(pk__in=user.region_ids)
    if user.is_helpdesk:
        return Region.objects.without_active_coordinator()
    return Region.objects.none()


def handovers_to_decide(user: User) -> QuerySet:
    """Pending handovers (that ``user`` may see) waiting for ``user``'s side to decide."""
    return (
        Handover.objects.for_user(user)
        .filter(status=HandoverStatus.PENDING, to_region__in=receiving_regions(user).values("pk"))
        .select_related("case", "from_region", "to_region")
    )


def may_decide(handover: Handover, user: User) -> bool:
    return handovers_to_decide(user).filter(pk=handover.pk).exists()


def may_withdraw(handover: Handover, user: User) -> bool:
    """The sending side (anyone who may work the case) may withdraw a pending request."""
    return (
        handover.status == HandoverStatus.PENDING
        and Case.objects.for_user(user).filter(pk=handover.case_id).exists()
    )


@dataclass(frozen=True)
class CaseProfile:
    """What the receiving side of a handover reads before deciding: the case's statistical
    facts, flags, shelter need and deadlines, and nothing that identifies the person (no name,
    date of birth, contact, document or free text). Labels are in the user's language."""

    age_band: str
    age_estimated: bool
    gender: str
    nationality: str
    exploitation_forms: list[str]
    sector: str
    unaccompanied_minor: bool
    file_type: str
    shelter_requested: str
    residence_status: str
    reflection_end: datetime.date | None
    is_dublin: bool
    reflection_days_left: int | None
    status: str
    victim_status: str
    opened_on: datetime.date
    coordinated_by_helpdesk: bool

    @property
    def reflection_days_ago(self) -> int:
        """How many days ago the reflection period ended (0 if it has not)."""
        return max(0, -(self.reflection_days_left or 0))


def case_profile(case: Case, today: datetime.date | None = None) -> CaseProfile:
    """The non-identifying profile of ``case`` (select ``person`` and ``registration``).

    The age is worked out from the date of birth in memory and shown only as its band.
    """
    today = today or timezone.localdate()
    person, registration = case.person, case.registration
    band = registering.age_band(person.age_on(today))
    return CaseProfile(
        age_band=str(_("under 18")) if band == "0-17" else band,
        age_estimated=person.year_of_birth_estimated,
        gender=person.get_gender_display(),
        nationality=person.nationality.name if person.nationality else "",
        exploitation_forms=(
            [str(form) for form in registration.exploitation_forms.all()] if registration else []
        ),
        sector=registration.get_sector_display() if registration else "",
        unaccompanied_minor=bool(registration and registration.unaccompanied_minor),
        file_type=registration.get_file_type_display() if registration else "",
        shelter_requested=case.get_shelter_requested_display(),
        residence_status=case.get_residence_status_display(),
        reflection_end=case.reflection_end,
        is_dublin=case.is_dublin,
        reflection_days_left=(case.reflection_end - today).days if case.reflection_end else None,
        status=case.get_status_display(),
        victim_status=case.get_victim_status_display(),
        opened_on=case.opened_on,
        coordinated_by_helpdesk=case.coordinator_id is None,
    )


def request_handover(case: Case, to_region: Region, reason: str, user: User) -> Handover:
    """Ask ``to_region`` to take over ``case``. Raises HandoverError when not allowed."""
    if not case.is_open:
        raise HandoverError(_("Only an open case can be handed over."))
    if to_region.pk == case.region_id:
        raise HandoverError(_("The case is already in that region."))
    if not to_region.is_active:
        raise HandoverError(_("That region is inactive and receives no cases."))
    with transaction.atomic():
        # Two requests at the same moment: the second waits here, then sees the first.
        once.lock_for_decision(Case, case.pk)
        if case.handovers.filter(status=HandoverStatus.PENDING).exists():
            raise HandoverError(_("This case already has a handover waiting for a decision."))
        handover = Handover.objects.create(
            case=case,
            from_region_id=case.region_id,
            to_region=to_region,
            reason=reason,
            requested_by=user,
        )
        _record_handover(handover, user, "requested")
    return handover


def decide_handover(handover: Handover, user: User, accept: bool, note: str = "") -> Handover:
    """Accept or reject a handover. Accepted, the case moves to the receiving region and to
    ``user`` when they are an active coordinator of it; accepted by anyone else (the help
    desk, an administrator), it stays unassigned for the region's choice."""
    with transaction.atomic():
        # Two decisions at the same moment: the second waits here, then reads the first's.
        once.lock_for_decision(Handover, handover.pk)
        handover.refresh_from_db()
        _refuse_if_decided(handover)
        if not may_decide(handover, user):
            raise HandoverError(_("Only the receiving region decides on a handover."))
        handover.status = HandoverStatus.ACCEPTED if accept else HandoverStatus.REJECTED
        handover.decided_by = user
        handover.decided_at = timezone.now()
        handover.decision_note = note
        handover.save()
        if accept:
            case = handover.case
            case.region_id = handover.to_region_id
            # The coordinator who accepted takes the case on; otherwise the region chooses,
            # and until then the help desk sees it among the unassigned cases.
            case.coordinator = user if accepting_takes_case(handover, user) else None
            moves = workflow_moves(case)
            case.save()
            _record_handover(
                handover, user, "accepted", fields=["coordinator", "region"], moves=moves
            )
        else:
            _record_handover(handover, user, "rejected")
    return handover


def accepting_takes_case(handover: Handover, user: User) -> bool:
    """Whether ``user``, accepting ``handover``, becomes the case's coordinator: an active
    coordinator of the receiving region does; anyone else leaves the case for the region."""
    return User.objects.coordinators_of(handover.to_region_id).filter(pk=user.pk).exists()


def withdraw_handover(handover: Handover, user: User) -> Handover:
    with transaction.atomic():
        once.lock_for_decision(Handover, handover.pk)
        handover.refresh_from_db()
        _refuse_if_decided(handover)
        if not may_withdraw(handover, user):
            raise HandoverError(_("Only a pending handover can be withdrawn, by the sending side."))
        handover.status = HandoverStatus.WITHDRAWN
        handover.decided_by = user
        handover.decided_at = timezone.now()
        handover.save()
        _record_handover(handover, user, "withdrawn")
    return handover


def _refuse_if_decided(handover: Handover) -> None:
    if handover.status != HandoverStatus.PENDING:
        raise HandoverError(
            _("This handover was already decided (%(status)s) by %(user)s; nothing was changed.")
            % {
                "status": handover.get_status_display(),
                "user": handover.decided_by.username if handover.decided_by else "?",
            }
        )


def _record_handover(
    handover: Handover,
    user: User,
    step: str,
    fields: list[str] | None = None,
    moves: dict[str, list[object]] | None = None,
) -> None:
    """The handover's audit event: the step, the regions' codes, the names of the case's
    fields it changed and where its coordinator moved (``workflow_moves``: account ids), never
    a value of the person."""
    details: dict[str, object] = {
        "step": step,
        "from_region": handover.from_region.code,
        "to_region": handover.to_region.code,
    }
    if fields:
        details["fields"] = sorted(fields)
    if moves:
        details["moves"] = moves
    AuditEvent.record(
        AuditAction.HANDOVER, user=user, obj=handover, case=handover.case_id, details=details
    )


# --- reminders -------------------------------------------------------------------------------
#
# The rules of the flags (deadlines, danger, minors) live on the case's queryset, each once
# (registry/models/cases.py, ``flag_rule``); the list, the counters and the reminders ask it.


def reflection_ending_soon(qs: QuerySet, today: datetime.date) -> QuerySet:
    """Open cases whose reflection period ends today or within the next 14 days."""
    return qs.flagged(Flag.REFLECTION_ENDING, today)


def unassigned_too_long(qs: QuerySet, today: datetime.date) -> QuerySet:
    """New cases without a coordinator for more than two working days."""
    return qs.flagged(Flag.UNASSIGNED, today)


def reminder_summary(
    user: User, today: datetime.date | None = None, *, procedures: bool = True
) -> dict[str, int]:
    """Counts for the dashboard: no personal data, only how many cases need attention.
    ``procedures=False`` leaves out the residence procedures' and referrals' counts
    (registry/care.py, four queries): the lists show the flags' counters only, within
    bench/workspace.py's twelve queries; the home page shows them all."""
    from registry import care

    today = today or timezone.localdate()
    # One query for every flag (CaseQuerySet.flag_counts), one for the handovers.
    counts = {
        **Case.objects.for_user(user).flag_counts(today),
        "handovers": handovers_to_decide(user).count(),
    }
    if procedures:
        counts.update(care.summary(user, today))
    return counts
