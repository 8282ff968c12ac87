"""The help desk's workspace: what it coordinates, and the load per region (counts only)."""

from __future__ import annotations

from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from registry import casework
from registry.access import may_coordinate_remotely, requires
from registry.choices import OPEN_CASE_STATUSES
from registry.models import Case, Region


@requires(may_coordinate_remotely)
def helpdesk(request: HttpRequest) -> HttpResponse:
    """Cases of regions without an active coordinator, open cases per region (the template
    links to the triage queue, by its predicate)."""
    user = request.user
    uncovered = Region.objects.without_active_coordinator().filter(is_active=True)
    cases = (
        Case.objects.for_user(user)
        .filter(Q(region__in=uncovered.values("pk")) | Q(coordinator__isnull=True))
        .select_related("region", "registration")
        # Open cases, deadlines first (the soonest reflection end), then the oldest.
        .open_by_deadline()[:100]
    )
    # Counts only, never a person: the help desk sees where the load lies across the country
    # (an aggregate, so it is not limited to the cases the help desk itself coordinates).
    per_region = Region.objects.with_coordinator_flag().annotate(
        open_cases=Count("cases", filter=Q(cases__status__in=OPEN_CASE_STATUSES)),
        unassigned=Count(
            "cases",
            filter=Q(cases__status__in=OPEN_CASE_STATUSES, cases__coordinator__isnull=True),
        ),
    )
    return render(
        request,
        "registry/helpdesk.html",
        {
            "uncovered": uncovered,
            "cases": cases,
            "per_region": per_region,
            "reminders": casework.reminder_summary(user),
        },
    )
