"""The rules of daily casework: the status workflow, handovers, reminders.

Views and the admin call these functions, so a rule holds on every screen. Each write leaves
an audit event with field names only, never a value.
"""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from registry import once
from registry.choices import AuditAction, CaseStatus, HandoverStatus
from registry.models import AuditEvent, Case, Handover, Region

if TYPE_CHECKING:
    from registry.models import User

    pass

REFLECTION_WARNING_DAYS = 14
UNASSIGNED_WORKING_DAYS = 2


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
    """Accept (the case moves to the receiving region, unassigned) or reject a handover."""
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
            # The receiving region assigns its own coordinator; until then the case shows up
            # as unassigned in that region's workspace.
            case.coordinator = None
            case.save()
        _record_handover(handover, user, "accepted" if accept else "rejected")
    return handover


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


def _record_handover(handover: Handover, user: User, step: str) -> None:
    AuditEvent.record(
        AuditAction.HANDOVER,
        user=user,
        obj=handover,
        case=handover.case_id,
        details={
            "step": step,
            "from_region": handover.from_region.code,
            "to_region": handover.to_region.code,
        },
    )


# --- reminders -------------------------------------------------------------------------------


def subtract_working_days(day: datetime.date, count: int) -> datetime.date:
    """``day`` minus ``count`` working days (Monday to Friday)."""
    while count > 0:
        day -= datetime.timedelta(days=1)
        if day.weekday() < 5:
            count -= 1
    return day


def reflection_ending_soon(qs: QuerySet, today: datetime.date) -> QuerySet:
    """Open cases whose reflection period ends today or within the next 14 days."""
    return qs.open().filter(
        reflection_end__gte=today,
        reflection_end__lte=today + datetime.timedelta(days=REFLECTION_WARNING_DAYS),
    )


def unassigned_too_long(qs: QuerySet, today: datetime.date) -> QuerySet:
    """New cases without a coordinator for more than two working days."""
    cutoff = subtract_working_days(today, UNASSIGNED_WORKING_DAYS)
    return qs.filter(status=CaseStatus.NEW, coordinator__isnull=True, opened_on__lt=cutoff)


def reminder_summary(user: User, today: datetime.date | None = None) -> dict[str, int]:
    """Counts for the dashboard: no personal data, only how many cases need attention."""
    from registry import care

    today = today or timezone.localdate()
    cases = Case.objects.for_user(user)
    return {
        "reflection_ending": reflection_ending_soon(cases, today).count(),
        "unassigned": unassigned_too_long(cases, today).count(),
        "handovers": handovers_to_decide(user).count(),
        **care.summary(user, today),
    }
