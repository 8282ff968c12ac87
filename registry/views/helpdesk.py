"""The help desk's workspace: what it coordinates, and the load per region (counts only)."""

from __future__ import annotations

from urllib.parse import urlencode

from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from registry import casework
from registry.access import may_coordinate_remotely, requires
from registry.choices import OPEN_CASE_STATUSES
from registry.forms import DEFAULT_SORT, CaseFilterForm
from registry.models import Case, Region
from registry.views import lists
from registry.views.cases import filter_cases

SCREEN = "helpdesk"


@requires(may_coordinate_remotely)
def helpdesk(request: HttpRequest) -> HttpResponse:
    """Cases of regions without an active coordinator and unassigned cases, urgent first
    (immediate danger, a deadline passed, near, then newest), with the flags' filters, the
    columns' sorting and pages; open cases per region (the template links to the triage
    queue, by its predicate). One audit event records the page."""
    user = request.user
    uncovered = Region.objects.without_active_coordinator().filter(is_active=True)
    form = CaseFilterForm(request.GET)
    # Open cases only (the status filter is the case list's), whatever the URL says.
    form.is_valid()
    form.cleaned_data.pop("status", None)
    cases = filter_cases(
        Case.objects.for_user(user).filter(
            Q(region__in=uncovered.values("pk")) | Q(coordinator__isnull=True)
        ),
        form,
        user,
    )
    page = lists.read_page(cases, request.GET.get("page"))
    rows = lists.rows_for(page.object_list, None, timezone.localdate(), request.user)
    lists.record_list_view(user, SCREEN, rows)
    params = [(name, value) for name, value in form.filter_params() if name != "status"]
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
            "form": form,
            "page": page,
            "rows": rows,
            "cases": [row.case for row in rows],
            "query": urlencode(params),
            "sort_links": lists.sort_links(params, form.cleaned_data.get("sort") or DEFAULT_SORT),
            "per_region": per_region,
            "reminders": casework.reminder_summary(user, procedures=False),
        },
    )
