"""The project's own pages: the home page, which may point at every app's pages."""

from __future__ import annotations

from dataclasses import dataclass

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from registry import access, casework
from registry.access import Predicate, requires, signed_in


@dataclass(frozen=True)
class Destination:
    """A card of the home page: the page it opens, shown to whom that page's gate lets in."""

    url_name: str
    may: Predicate
    title: Promise
    text: Promise
    action: Promise


# Where each role goes after login, in this order. Each card asks the predicate of its page's
# gate (registry/access.py), so nobody is offered a page that answers 403.
DESTINATIONS = [
    Destination(
        "intake:submit",
        access.may_submit,
        _("Report a possible victim"),
        _("Submit a registration. You will get a reference number to follow its status."),
        _("New report"),
    ),
    Destination(
        "intake:my_submissions",
        access.may_submit,
        _("My reports"),
        _("The reference numbers and status of what you reported."),
        _("View status"),
    ),
    Destination(
        "intake:register",
        access.may_register,
        _("Register a victim"),
        _("Record a new registration, with duplicate check and routing to a coordinator."),
        _("New registration"),
    ),
    Destination(
        "registry:case_list",
        access.may_work_cases,
        _("Cases"),
        _("Your cases, deadlines of reflection periods and handovers."),
        _("Open workspace"),
    ),
    Destination(
        "intake:triage",
        access.may_triage,
        _("Triage queue"),
        _("Reporter submissions waiting to be accepted, merged or rejected."),
        _("Open queue"),
    ),
    Destination(
        "registry:helpdesk",
        access.may_coordinate_remotely,
        _("Help desk"),
        _("Cases of regions without a coordinator, and open cases per region."),
        _("Open help desk"),
    ),
    Destination(
        "registry:audit_trail",
        access.may_read_audit,
        _("Audit trail"),
        _("Who viewed, changed, handed over, exported or imported what, and when."),
        _("Read the trail"),
    ),
    Destination(
        "reports:statistics",
        access.may_count,
        _("Statistics"),
        _("Anonymised figures, charts and downloads for the National Rapporteur."),
        _("View statistics"),
    ),
    Destination(
        "reports:monitor",
        access.may_read_monitor,
        _("Victim monitor"),
        _(
            "The yearly tables of the National Rapporteur's monitor, with charts and the year "
            "before, as a page or a printable PDF."
        ),
        _("Open the monitor"),
    ),
    Destination(
        "reports:data_quality",
        access.may_see_data_quality,
        _("Data quality"),
        _(
            "Unknown or blank fields per reporter type and region, and months with fewer "
            "registrations than a year before."
        ),
        _("Check data quality"),
    ),
    # Only while the administrator holds a personal-export grant in force (two people gave it).
    Destination(
        "reports:personal_export",
        access.may_export_personal,
        _("Personal export"),
        _(
            "A file with victims' identities, for a stated purpose: an encrypted archive, its "
            "password shown once, deleted after 7 days."
        ),
        _("Export personal data"),
    ),
    Destination(
        "intake:import_upload",
        access.may_import,
        _("Import registrations"),
        _("A CSV file of past registrations, checked and saved in the background."),
        _("Upload a file"),
    ),
    # The card speaks of users, regions and organisations: for those who administer them.
    # Coordinators reach their own lists in the admin from the navigation (may_use_admin).
    Destination(
        "admin:index",
        access.may_administer,
        _("Administration"),
        _("Users, regions, organisations, the audit trail and exports."),
        _("Open admin"),
    ),
]


def destinations_for(may: access.PageAnswers) -> list[dict[str, object]]:
    """The home page's cards for the user whose answers are ``may``, in order."""
    return [
        {
            "url": reverse(item.url_name),
            "title": item.title,
            "text": item.text,
            "action": item.action,
        }
        for item in DESTINATIONS
        if may[item.may]
    ]


@requires(signed_in)
def home(request: HttpRequest) -> HttpResponse:
    """After login: where each role goes next, and what needs attention today."""
    may = access.answers_for(request)  # shared with the gate and the navigation
    context: dict[str, object] = {"destinations": destinations_for(may)}
    if may[access.may_work_cases]:
        context["reminders"] = casework.reminder_summary(request.user)
    return render(request, "home.html", context)
