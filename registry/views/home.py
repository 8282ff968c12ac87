"""The home page: where each role goes next, and what needs attention today."""

from __future__ import annotations

from dataclasses import dataclass

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import NoReverseMatch, reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from registry import casework
from registry.access import requires, signed_in
from registry.choices import Role


@dataclass(frozen=True)
class Destination:
    url_name: str
    roles: frozenset[str]
    title: Promise
    text: Promise
    action: Promise


# Where each role goes after login. URL names that are not (yet) installed are skipped, so the
# registry app does not import intake or reports (data flows one way, DESIGN.md).
DESTINATIONS = [
    Destination(
        "intake:submit",
        frozenset({Role.REPORTER}),
        _("Report a possible victim"),
        _("Submit a registration. You will get a reference number to follow its status."),
        _("New report"),
    ),
    Destination(
        "intake:my_submissions",
        frozenset({Role.REPORTER}),
        _("My reports"),
        _("The reference numbers and status of what you reported."),
        _("View status"),
    ),
    Destination(
        "intake:register",
        frozenset({Role.COORDINATOR, Role.HELPDESK, Role.ADMINISTRATOR}),
        _("Register a victim"),
        _("Record a new registration, with duplicate check and routing to a coordinator."),
        _("New registration"),
    ),
    Destination(
        "registry:case_list",
        frozenset({Role.COORDINATOR, Role.HELPDESK, Role.ADMINISTRATOR}),
        _("Cases"),
        _("Your cases, deadlines of reflection periods and handovers."),
        _("Open workspace"),
    ),
    Destination(
        "intake:triage",
        frozenset({Role.HELPDESK, Role.ADMINISTRATOR}),
        _("Triage queue"),
        _("Reporter submissions waiting to be accepted, merged or rejected."),
        _("Open queue"),
    ),
    Destination(
        "registry:helpdesk",
        frozenset({Role.HELPDESK, Role.ADMINISTRATOR}),
        _("Help desk"),
        _("Cases of regions without a coordinator, and open cases per region."),
        _("Open help desk"),
    ),
    Destination(
        "registry:audit_trail",
        frozenset({Role.ADMINISTRATOR}),
        _("Audit trail"),
        _("Who viewed, changed, handed over, exported or imported what, and when."),
        _("Read the trail"),
    ),
    Destination(
        "reports:statistics",
        frozenset({Role.HELPDESK, Role.ADMINISTRATOR}),
        _("Statistics"),
        _("Anonymised figures, charts and downloads for the National Rapporteur."),
        _("View statistics"),
    ),
    Destination(
        "admin:index",
        frozenset({Role.ADMINISTRATOR}),
        _("Administration"),
        _("Users, regions, organisations, the audit trail and exports."),
        _("Open admin"),
    ),
]


def destinations_for(user: object) -> list[dict[str, object]]:
    role = Role.ADMINISTRATOR if getattr(user, "is_superuser", False) else user.role
    found = []
    for item in DESTINATIONS:
        if role not in item.roles:
            continue
        try:
            url = reverse(item.url_name)
        except NoReverseMatch:
            continue
        found.append({"url": url, "title": item.title, "text": item.text, "action": item.action})
    return found


@requires(signed_in)
def home(request: HttpRequest) -> HttpResponse:
    """After login: where each role goes next."""
    context = {"destinations": destinations_for(request.user)}
    if request.user.is_registry_staff:
        context["reminders"] = casework.reminder_summary(request.user)
    return render(request, "registry/home.html", context)
