"""The audit trail for administrators: per case and per user, by action and date."""

from __future__ import annotations

import datetime

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from registry import audit_details
from registry.access import may_read_audit, requires
from registry.forms import AuditFilterForm
from registry.models import AuditEvent

PAGE_SIZE = 100


@requires(may_read_audit)
def audit_trail(request: HttpRequest) -> HttpResponse:
    """Read-only: the trail has no screen that changes or deletes an event."""
    form = AuditFilterForm(request.GET)
    events = AuditEvent.objects.for_user(request.user)
    if form.is_valid():
        data = form.cleaned_data
        if data["case"]:
            events = events.filter(case_id=data["case"])
        if data["user"]:
            events = events.filter(actor_id=data["user"].pk)
        if data["action"]:
            events = events.filter(action=data["action"])
        tz = timezone.get_current_timezone()
        if data["since"]:
            events = events.filter(
                at__gte=datetime.datetime.combine(data["since"], datetime.time.min, tz)
            )
        if data["until"]:
            end = data["until"] + datetime.timedelta(days=1)
            events = events.filter(at__lt=datetime.datetime.combine(end, datetime.time.min, tz))
    else:
        events = events.none()
    page = Paginator(events.order_by("-id"), PAGE_SIZE).get_page(request.GET.get("page"))
    regions = audit_details.region_names()
    for event in page:  # codes in words of the reader's language (registry/audit_details.py)
        event.shown_details = audit_details.describe(event, regions)
        event.record_type = audit_details.record_type(event.object_type)
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "registry/audit_trail.html",
        {"form": form, "page": page, "query": query.urlencode()},
    )
