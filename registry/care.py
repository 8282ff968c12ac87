"""The reminders of residence procedures and referrals (issue 14), for the dashboard, the
page of cases they concern and ``send_reminders``.

- a granted B8 permit, from 30 days before it expires until it does;
- a B8 holder three years after the application (the permit's start): continued residence may
  be applied for, until a procedure for it is recorded;
- a reflection period ending within 7 days (or ended) while the police report is undecided,
  until the decision is recorded;
- a pending Nidos referral, on the dashboard until its outcome is recorded.

The first three are mailed by ``send_reminders``, each once per case, recipient and deadline
(ReminderSent): the expiry, the third anniversary, the reflection end. A deadline that moves (a
renewed permit) is a new reminder.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from registry.choices import ProcedureKind
from registry.models import Case, Referral, ReminderSent, ResidenceProcedure
from registry.models.care import DECIDED_REPORT_STATUSES, REPORT_DECISION_WARNING_DAYS
from registry.models.cases import UNDECIDED_RESIDENCE

if TYPE_CHECKING:
    from django.utils.functional import Promise

    from registry.models import User

Due = tuple[str, Case, datetime.date]


def reflection_without_report_decision(cases: QuerySet, today: datetime.date) -> QuerySet:
    """Open cases still in (or just past) their reflection period, with nothing recorded to
    follow it (the residence status undecided, as the lists' "reflection period ended" flag
    reads it), whose period ends within 7 days or has ended, with no decision on a police
    report recorded (made, not made or exempt)."""
    decided = ResidenceProcedure.objects.filter(
        case=OuterRef("pk"),
        kind=ProcedureKind.POLICE_REPORT,
        status__in=DECIDED_REPORT_STATUSES,
    )
    return (
        cases.open()
        .filter(
            reflection_end__isnull=False,
            reflection_end__lte=today + datetime.timedelta(days=REPORT_DECISION_WARNING_DAYS),
            residence_status__in=UNDECIDED_RESIDENCE,
        )
        .exclude(Exists(decided))
    )


def due_for(cases: QuerySet, today: datetime.date) -> list[Due]:
    """Every procedure reminder due on ``today`` about ``cases`` (already scoped), with its
    deadline."""
    procedures = ResidenceProcedure.objects.filter(case__in=cases.values("pk")).select_related(
        "case"
    )
    due: list[Due] = [
        (ReminderSent.Kind.B8_EXPIRING, p.case, p.expires_on) for p in procedures.b8_expiring(today)
    ]
    due += [
        (ReminderSent.Kind.B8_THREE_YEARS, p.case, p.three_years_on)
        for p in procedures.b8_three_years(today)
    ]
    due += [
        (ReminderSent.Kind.REFLECTION_NO_REPORT, c, c.reflection_end)
        for c in reflection_without_report_decision(cases, today)
    ]
    return due


def due_reminders(user: User, today: datetime.date) -> list[Due]:
    """The procedure reminders due to ``user``: about the cases they coordinate, or that
    nobody coordinates and they may take (the rule of the reflection reminder)."""
    cases = Case.objects.for_user(user).filter(Q(coordinator=user) | Q(coordinator__isnull=True))
    return due_for(cases, today)


def summary(user: User, today: datetime.date) -> dict[str, int]:
    """Counts for the dashboard, no personal data."""
    cases = Case.objects.for_user(user)
    counts = {str(kind): 0 for kind in KINDS}
    for kind, _case, _day in due_for(cases, today):
        counts[str(kind)] += 1
    counts["nidos_pending"] = (
        Referral.objects.for_user(user).nidos_awaiting_outcome().values("case").distinct().count()
    )
    return counts


@dataclass(frozen=True)
class DueCase:
    kind: str
    what: Promise
    case: Case
    day: datetime.date | None


KINDS: dict[str, Promise] = {
    ReminderSent.Kind.B8_EXPIRING: _("B8 permit expires on"),
    ReminderSent.Kind.B8_THREE_YEARS: _("Continued residence may be applied for since"),
    ReminderSent.Kind.REFLECTION_NO_REPORT: _(
        "Reflection period ends, police report undecided, on"
    ),
}
NIDOS_PENDING = "nidos_pending"
ALL_KINDS: dict[str, Promise] = {**KINDS, NIDOS_PENDING: _("Nidos referral pending since")}
# The filters of the page of due cases: what each kind is called.
FILTERS: dict[str, Promise] = {
    **{str(kind): ReminderSent.Kind(kind).label for kind in KINDS},
    NIDOS_PENDING: _("Nidos referral pending"),
}


def due_cases(user: User, today: datetime.date, kind: str = "") -> list[DueCase]:
    """The cases behind the dashboard's counts, soonest date first; ``kind`` narrows."""
    cases = Case.objects.for_user(user).select_related("region", "coordinator")
    found = [
        DueCase(k, KINDS[k], case, day)
        for k, case, day in due_for(cases, today)
        if not kind or kind == k
    ]
    if not kind or kind == NIDOS_PENDING:
        found += [
            DueCase(NIDOS_PENDING, ALL_KINDS[NIDOS_PENDING], referral.case, referral.referred_on)
            for referral in Referral.objects.for_user(user)
            .nidos_awaiting_outcome()
            .select_related("case", "case__region", "case__coordinator")
        ]
    found.sort(key=lambda item: (item.day or datetime.date.max, str(item.case.pk)))
    return found


def reminder_text(kind: str, due: datetime.date) -> str | None:
    """The e-mail's line for a procedure reminder (None: not one of these kinds)."""
    label = KINDS.get(kind)
    return None if label is None else f"{label} {date_format(due)}"
