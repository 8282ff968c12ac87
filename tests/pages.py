"""Every page of every role, in one list: what the accessibility crawl visits (tests/e2e/
test_accessibility.py), and what any other test that must see "every page" can reuse.

A page is a path (with ``{case}``, ``{person}``... filled in from ``build_world``'s ids), the
role that opens it, the status it answers with, and for pages that exist only after some typing
(a form with errors, the intake's later steps, the check page) the browser actions that lead
there from the path. ``build_world`` makes the records the paths need: the demo's users and a
few dozen registrations (registry/demo.py, Faker names), plus one of each record a page shows.
"""

from __future__ import annotations

import datetime
import uuid
from dataclasses import dataclass, field
from typing import Any

# Who opens a page: the demo's users (registry/demo.py), by role.
USERS = {
    "anonymous": None,
    "reporter": "reporter",
    "coordinator": "coordinator-a",
    "helpdesk": "helpdesk",
    "administrator": "admin",
}
LANGUAGES = ("nl", "en")


@dataclass(frozen=True)
class Action:
    """One thing a user does on the page before it is checked, as Playwright names it:
    ``click`` (a selector; waits for the page to settle), ``fill`` / ``select`` (a selector
    and a value), ``check`` (a selector)."""

    verb: str
    selector: str
    value: str = ""


@dataclass(frozen=True)
class Page:
    name: str  # unique per role: the screenshot's file name
    role: str  # a key of USERS
    path: str  # "/cases/{case}/": filled in with build_world's ids
    status: int = 200
    actions: tuple[Action, ...] = field(default_factory=tuple)

    def url(self, ids: dict[str, str]) -> str:
        return self.path.format(**ids)


def click(selector: str) -> Action:
    return Action("click", selector)


def fill(selector: str, value: str) -> Action:
    return Action("fill", selector, value)


def select(selector: str, value: str) -> Action:
    return Action("select", selector, value)


def check(selector: str) -> Action:
    return Action("check", selector)


SUBMIT = "main form button[type=submit]"

# The staff intake (templates/intake/register.html): "Next" through the steps, then "Check
# before saving". Its markup belongs to the intake; only these selectors name it.
NEXT = "#step-next"
TO_CHECK = NEXT  # on the last step "Next" goes to the check page
INTAKE_FILLED = (
    select("#id_reporter_type", "police"),
    select("#id_region", "{region}"),
    click(NEXT),
    fill("#id_given_names", "Elena"),
    fill("#id_family_name", "Dumitrescu"),
    fill("#id_date_of_birth", "2001-07-09"),
    select("#id_nationality", "RO"),
    click(NEXT),
    check("input[name=exploitation_forms][value=sexual]"),
    click(NEXT),
    click(NEXT),
    check("#id_consent_care"),
    click(TO_CHECK),
)


def _until_step(n: int) -> tuple[Action, ...]:
    """The actions of INTAKE_FILLED that reach step ``n``: each step is validated on "Next"
    (the server's steps), so the steps before it are filled in."""
    clicks = [i for i, action in enumerate(INTAKE_FILLED) if action == click(NEXT)]
    return INTAKE_FILLED[: clicks[n - 2] + 1] if n > 1 else ()


def _intake(role: str) -> list[Page]:
    steps = [
        Page(f"intake-step-{n}", role, "/intake/register/", actions=_until_step(n))
        for n in range(1, 6)
    ]
    return [
        # "Next" on an empty first step: stopped there, with the error summary. First, before
        # anything is typed: later pages leave a draft, which the form would bring back.
        Page("intake-errors", role, "/intake/register/", actions=(click(NEXT),)),
        *steps,
        Page("intake-check", role, "/intake/register/", actions=INTAKE_FILLED),
    ]


PAGES: tuple[Page, ...] = (
    # Not signed in: the two steps of the login, a page that does not exist.
    Page("login", "anonymous", "/accounts/login/"),
    Page(
        "login-code",
        "anonymous",
        "/accounts/login/",
        actions=(
            fill("#id_auth-username", "coordinator-a"),
            fill("#id_auth-password", "{password}"),
            click(SUBMIT),
        ),
    ),
    Page("login-errors", "anonymous", "/accounts/login/", actions=(click(SUBMIT),)),
    Page("not-found", "anonymous", "/no-such-page/", status=404),
    # A reporter of an organisation.
    Page("home", "reporter", "/"),
    Page("report", "reporter", "/intake/submit/"),
    Page("report-errors", "reporter", "/intake/submit/", actions=(click(SUBMIT),)),
    Page("my-reports", "reporter", "/intake/submissions/"),
    Page("my-report", "reporter", "/intake/submissions/{submission}/"),
    Page("add-information", "reporter", "/intake/submissions/add/"),
    Page("two-factor-setup", "reporter", "/accounts/two-factor/setup/"),
    Page("forbidden", "reporter", "/cases/", status=403),
    Page("not-found", "reporter", "/cases/{unknown}/", status=404),
    # A care coordinator (region Amsterdam).
    Page("home", "coordinator", "/"),
    *_intake("coordinator"),
    Page("case-list", "coordinator", "/cases/"),
    Page("case", "coordinator", "/cases/{case}/"),
    Page("case-edit", "coordinator", "/cases/{case}/edit/"),
    Page("case-shelter", "coordinator", "/cases/{case}/shelter/"),
    Page("procedure", "coordinator", "/cases/{case}/procedures/b8_permit/"),
    Page("referral", "coordinator", "/cases/{case}/referrals/"),
    Page("referral-errors", "coordinator", "/cases/{case}/referrals/", actions=(click(SUBMIT),)),
    Page("referral-outcome", "coordinator", "/referrals/{referral}/outcome/"),
    Page("registered", "coordinator", "/intake/registrations/{registration}/saved/"),
    Page("care-consent", "coordinator", "/intake/registrations/{registration}/consent/"),
    Page("handover-request", "coordinator", "/cases/{case}/handover/"),
    Page("person", "coordinator", "/people/{person}/"),
    Page("person-edit", "coordinator", "/people/{person}/edit/"),
    Page("handovers", "coordinator", "/handovers/"),
    Page("handover", "coordinator", "/handovers/{handover}/"),
    Page("care-due", "coordinator", "/care/due/"),
    Page("backup-codes", "coordinator", "/accounts/two-factor/backup-codes/"),
    Page("forbidden", "coordinator", "/helpdesk/", status=403),
    # The national help desk.
    Page("home", "helpdesk", "/"),
    Page("triage", "helpdesk", "/intake/triage/"),
    Page("triage-detail", "helpdesk", "/intake/triage/{submission}/"),
    Page("helpdesk", "helpdesk", "/helpdesk/"),
    Page("shelters", "helpdesk", "/shelters/"),
    Page("case-list", "helpdesk", "/cases/"),
    Page("statistics", "helpdesk", "/statistics/"),
    Page("anonymised", "helpdesk", "/statistics/anonymised/"),
    Page("data-quality", "helpdesk", "/statistics/data-quality/"),
    Page("monitor", "helpdesk", "/statistics/monitor/"),
    # An administrator.
    Page("home", "administrator", "/"),
    Page("audit-trail", "administrator", "/audit/"),
    Page("statistics", "administrator", "/statistics/"),
    Page("data-quality", "administrator", "/statistics/data-quality/?year=2025&part=Q1"),
    Page("personal-export", "administrator", "/admin/reports/personalexport/"),
    Page("personal-export-form", "administrator", "/statistics/personal/"),
    Page(
        "personal-export-errors",
        "administrator",
        "/statistics/personal/",
        actions=(click("#start-personal-export"),),
    ),
    Page("export-grants", "administrator", "/admin/reports/exportgrant/"),
    Page("jobs", "administrator", "/jobs/"),
    Page("job", "administrator", "/jobs/{job}/"),
    Page("import", "administrator", "/intake/import/"),
    Page("reverify", "administrator", "/accounts/verify/"),
    Page("two-factor-done", "administrator", "/accounts/two-factor/setup/complete/"),
    Page("case", "administrator", "/cases/{case}/"),
    Page("admin", "administrator", "/admin/"),
    Page("privacy", "administrator", "/privacy/"),
    Page("erasure-request", "administrator", "/people/{person}/erase/"),
    Page("subject-access", "administrator", "/people/{person}/subject-access/"),
)


def pages_of(role: str) -> list[Page]:
    return [page for page in PAGES if page.role == role]


def build_world(password: str) -> dict[str, str]:
    """The records every page of PAGES needs, made the way the registry makes them; returns
    the ids the paths name. The demo's users get ``password``."""
    from django.contrib.auth.models import Permission

    from registry import casework, demo, reference_data
    from registry.choices import SubmissionStatus
    from registry.models import Job, Referral, Region, Shelter, User
    from tests.factories import (
        CaseFactory,
        CaseNoteFactory,
        PersonFactory,
        PlacementFactory,
        RegistrationFactory,
        grant_personal_export,
    )

    reference_data.load()
    demo.ensure_users(password)
    demo.create_registrations(30)
    demo.ensure_shelters()
    users = {role: User.objects.get(username=name) for role, name in USERS.items() if name}
    coordinator = users["coordinator"]
    amsterdam = Region.objects.get(code="amsterdam")
    rotterdam = Region.objects.get(code="rotterdam")

    # Coordinator A's open case: in danger, a minor's registration, a shelter place, a note.
    # Long values, as real ones can be, so a phone's width is tested with them.
    person = PersonFactory(
        date_of_birth=datetime.date(2009, 3, 14),
        phone="+31 6 1234 5678",
        email="maria.constantinescu-vandenberghe@example.org",
        address="Burgemeester van Nieuwenhuijsenstraat 1234-hs, 1019 AB Amsterdam",
        aliases="Marietta Vandenberghe-Constantinescu",
        languages="Roemeens, Engels, Nederlands",
        id_document_country="RO",
        id_document_number="RX1234567890",
    )
    registration = RegistrationFactory(
        person=person, region=amsterdam, immediate_danger=True, is_minor=True
    )
    case = CaseFactory(
        person=person,
        region=amsterdam,
        registration=registration,
        coordinator=coordinator,
        shelter_requested="cosm",
    )
    CaseNoteFactory(case=case, author=coordinator)
    referral = Referral.objects.create(case=case, referral_type="police", reason="crime_report")
    PlacementFactory(case=case, shelter=Shelter.objects.first(), placed_by=coordinator)
    # A second case of A's, asked to move to Rotterdam.
    mover = PersonFactory()
    moving = CaseFactory(
        person=mover,
        region=amsterdam,
        coordinator=coordinator,
        registration=RegistrationFactory(person=mover, region=amsterdam),
    )
    handover = casework.request_handover(moving, rotterdam, "Moved to a relative", coordinator)
    # A reporter's report, waiting for triage.
    submission = RegistrationFactory(
        region=amsterdam,
        status=SubmissionStatus.SUBMITTED,
        submitted_by=users["reporter"],
        organisation=users["reporter"].organisation,
    )
    grant_personal_export(users["administrator"])
    # Subject access is nobody's until given (registry/subject_access.py).
    users["administrator"].user_permissions.add(
        Permission.objects.get(codename="subject_access", content_type__app_label="registry")
    )
    job = Job.objects.create(
        kind=Job.Kind.EXPORT_STATISTICS, owner=users["administrator"], status=Job.Status.DONE
    )
    return {
        "case": str(case.pk),
        "person": str(person.pk),
        "registration": str(registration.pk),
        "handover": str(handover.pk),
        "referral": str(referral.pk),
        "submission": str(submission.pk),
        "job": str(job.pk),
        "region": str(amsterdam.pk),
        "unknown": str(uuid.UUID(int=1)),
        "password": password,
    }


def fill_in(action: Action, ids: dict[str, Any]) -> Action:
    """``action`` with the world's ids put into its value (a region's id, a password)."""
    return Action(action.verb, action.selector, action.value.format(**ids))
