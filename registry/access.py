"""Who may see which records: the one place access is decided.

Every model that holds victims' data has a ``for_user(user)`` queryset method that calls the
matching function here; views, the admin, exports and reports go through it. The rules follow
DESIGN.md ("Who uses it"):

- administrators see everything;
- a care coordinator sees the cases now in their own regions, and a person only through such
  a case (or a registration of their region awaiting their action: accepted, and its person
  has no case anywhere yet). After a handover is accepted, the sending region sees nothing
  more of the person: not the case, not the person, not the registrations;
- the help desk sees the cases it coordinates (no coordinator assigned, or a region without an
  active coordinator), the submissions awaiting triage (theirs alone: coordinators never see
  an untriaged submission) and, likewise, registrations of regions without an active
  coordinator awaiting action, and the people of those;
- a reporter sees the registrations they submitted (number and status only, enforced by the
  views) and no person, case or audit event;
- anonymous or inactive users see nothing.

The registrations a coordinator or the help desk may see are those of the people they may
see, so a person and their registrations always go together. Staff may also see the
confirmation of a registration they saved themselves (``confirmations_for_user``): number,
routing and flags, never the person.

Counting is a separate rule (``registrations_for_statistics``): administrators and the help
desk count every registration for the national figures, which hold no record.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import Exists, OuterRef, Q, QuerySet

from registry.choices import COUNTED_STATUSES, SubmissionStatus

if TYPE_CHECKING:
    from registry.models import User


def _is_anonymous(user: User | None) -> bool:
    return user is None or not user.is_authenticated or not user.is_active


def _helpdesk_regions() -> QuerySet:
    from registry.models import Region

    return Region.objects.without_active_coordinator().values("pk")


def cases_for_user(qs: QuerySet, user: User | None) -> QuerySet:
    if _is_anonymous(user):
        return qs.none()
    if user.is_administrator:
        return qs
    if user.is_coordinator:
        return qs.filter(region_id__in=user.region_ids)
    if user.is_helpdesk:
        return qs.filter(Q(coordinator__isnull=True) | Q(region__in=_helpdesk_regions()))
    return qs.none()


def _awaiting_action(user: User) -> Q:
    """Registrations of the user's regions whose person has no case anywhere yet."""
    from registry.models import Case

    if user.is_coordinator:
        regions = Q(region_id__in=user.region_ids)
    else:
        regions = Q(region__in=_helpdesk_regions())
    any_case = Case.objects.filter(person=OuterRef("person"))
    return regions & Q(status__in=COUNTED_STATUSES) & ~Exists(any_case)


def registrations_for_user(qs: QuerySet, user: User | None) -> QuerySet:
    if _is_anonymous(user):
        return qs.none()
    if user.is_administrator:
        return qs
    if user.is_coordinator or user.is_helpdesk:
        from registry.models import Case

        visible_cases = cases_for_user(Case.objects.all(), user).filter(person=OuterRef("person"))
        through_case = Q(status__in=COUNTED_STATUSES) & Exists(visible_cases)
        found = through_case | _awaiting_action(user)
        if user.is_helpdesk:
            found |= Q(status=SubmissionStatus.SUBMITTED)
        return qs.filter(found)
    if user.is_reporter:
        return qs.filter(submitted_by=user)
    return qs.none()


def confirmations_for_user(qs: QuerySet, user: User | None) -> QuerySet:
    """Registrations whose confirmation page ``user`` may open: those they may see, and those
    they saved themselves (the page shows number, routing and flags, never the person)."""
    if _is_anonymous(user):
        return qs.none()
    return registrations_for_user(qs, user) | qs.filter(submitted_by=user)


def people_for_user(qs: QuerySet, user: User | None) -> QuerySet:
    if _is_anonymous(user):
        return qs.none()
    if user.is_administrator:
        return qs
    if user.is_coordinator or user.is_helpdesk:
        from registry.models import Case, Registration

        cases = cases_for_user(Case.objects.all(), user).filter(person=OuterRef("pk"))
        waiting = Registration.objects.filter(_awaiting_action(user), person=OuterRef("pk"))
        found = Exists(cases) | Exists(waiting)
        if user.is_helpdesk:
            submitted = Registration.objects.filter(
                status=SubmissionStatus.SUBMITTED, person=OuterRef("pk")
            )
            found |= Exists(submitted)
        return qs.filter(found)
    return qs.none()


def handovers_for_user(qs: QuerySet, user: User | None) -> QuerySet:
    """Handovers from or to the user's regions, and the whole history of a case they may see."""
    if _is_anonymous(user):
        return qs.none()
    if user.is_administrator:
        return qs
    from registry.models import Case

    visible_cases = cases_for_user(Case.objects.all(), user).values("pk")
    if user.is_coordinator:
        return qs.filter(
            Q(from_region_id__in=user.region_ids)
            | Q(to_region_id__in=user.region_ids)
            | Q(case__in=visible_cases)
        )
    if user.is_helpdesk:
        regions = _helpdesk_regions()
        return qs.filter(
            Q(from_region__in=regions) | Q(to_region__in=regions) | Q(case__in=visible_cases)
        )
    return qs.none()


def registrations_for_statistics(qs: QuerySet, user: User | None) -> QuerySet:
    """What a user may *count*: administrators and the help desk count every registration.

    National figures are the help desk's task (DESIGN.md), and counting exposes no record:
    the reports app aggregates clear statistical columns only and suppresses small cells.
    Row-level access stays with ``registrations_for_user``.
    """
    if not counts_every_registration(user):
        return qs.none()
    return qs


def counts_every_registration(user: User | None) -> bool:
    """Whether ``user`` counts every registration (then the statistics tally answers)."""
    return not _is_anonymous(user) and (user.is_administrator or user.is_helpdesk)


def accounts_for_user(qs: QuerySet, user: User | None) -> QuerySet:
    """Accounts a user may see or pick: administrators all; a coordinator themselves and the
    coordinators of their regions (whom a case of theirs may go to); anyone else themselves."""
    if _is_anonymous(user):
        return qs.none()
    if user.is_administrator:
        return qs
    if user.is_coordinator:
        colleagues = qs.model.objects.filter(role=user.role, regions__in=user.region_ids)
        return qs.filter(Q(pk__in=colleagues.values("pk")) | Q(pk=user.pk))
    return qs.filter(pk=user.pk)


def needs_second_factor(user: User | None) -> bool:
    """Whether ``user`` must have verified a second factor before any page (issue 10).

    Everyone who may read personal data: coordinators, the help desk and administrators
    (superusers included). Reporters never read personal data back and log in with a password.
    """
    return not _is_anonymous(user) and (
        user.is_superuser or user.is_administrator or user.is_coordinator or user.is_helpdesk
    )


def may_reset_second_factor(user: User | None, target: User) -> bool:
    """An administrator resets someone else's second factor; an administrator's only a superuser.

    With a password reset on top, a reset lets the one who does it log in as the target, so it
    never reaches above the resetter's own power, and never their own account (a stolen
    session must not swap the owner's phone for the thief's).
    """
    if _is_anonymous(user) or not user.is_administrator or target.pk == user.pk:
        return False
    return user.is_superuser or not target.is_administrator


def audit_events_for_user(qs: QuerySet, user: User | None) -> QuerySet:
    if _is_anonymous(user) or not user.is_administrator:
        return qs.none()
    return qs
