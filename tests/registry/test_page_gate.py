"""The one gate: a predicate per question a page asks (registry/access.py), one decorator.

The table below is DESIGN.md's role table ("Who uses it") written out per predicate: what each
kind of account may do. Every page of the project asks one of these predicates through
``access.requires`` (the URL walk below), the navigation and the home page show a link by the
same predicate (tests/config/test_home.py), and the access matrix proves that every URL gives
every role the same status as before the gate (tests/registry/test_access_matrix.py).
"""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.test import RequestFactory

from registry import access
from registry.choices import Role
from tests.factories import UserFactory
from tests.url_patterns import walk

pytestmark = pytest.mark.django_db

ACCOUNTS = (
    "anonymous",
    "reporter",
    "reporter_without_organisation",
    "coordinator",
    "helpdesk",
    "administrator",
    "superuser",
    "inactive_administrator",
)

# What each account may do, in the order of ACCOUNTS (1: may, 0: may not).
# A superuser counts as an administrator whatever their role (here the default, reporter).
# An inactive account may do nothing, like an anonymous visitor.
TABLE: dict[str, tuple[int, ...]] = {
    # any page whose records decide what it shows (for_user; 404 outside)
    "signed_in": (0, 1, 1, 1, 1, 1, 1, 0),
    # reporter: "submit a registration; see the reference number and status of what they
    # submitted" (for an organisation: a reporter account without one submits nothing)
    "may_submit": (0, 1, 0, 0, 0, 0, 0, 0),
    # coordinator, help desk: "register victims"; administrator: "everything above"
    "may_register": (0, 0, 0, 1, 1, 1, 1, 0),
    # coordinator: "see and work the cases now in their own region(s)"; help desk: "coordinate
    # the cases of regions without an active coordinator"
    "may_work_cases": (0, 0, 0, 1, 1, 1, 1, 0),
    # help desk: "triage reporter submissions"
    "may_triage": (0, 0, 0, 0, 1, 1, 1, 0),
    # help desk: "coordinate the cases of regions without an active coordinator" (its page)
    "may_coordinate_remotely": (0, 0, 0, 0, 1, 1, 1, 0),
    # administrator: "statistics"; the national figures are the help desk's task too
    "may_count": (0, 0, 0, 0, 1, 1, 1, 0),
    # help desk and administrators: the completeness of the figures (no record shown)
    "may_see_data_quality": (0, 0, 0, 0, 1, 1, 1, 0),
    # the victim monitor's yearly report: those who count
    "may_read_monitor": (0, 0, 0, 0, 1, 1, 1, 0),
    # administrator: "the personal export only with an explicit permission": nobody without a
    # grant in force (with one: tests/reports/test_personal_export_page.py)
    "may_export_personal": (0, 0, 0, 0, 0, 0, 0, 0),
    # the exact counts behind suppressed cells, not for publication
    "may_read_exact_counts": (0, 0, 0, 0, 0, 1, 1, 0),
    # the audit trail
    "may_read_audit": (0, 0, 0, 0, 0, 1, 1, 0),
    # the admin: a staff tool for coordinators and administrators
    "may_use_admin": (0, 0, 0, 1, 0, 1, 1, 0),
    # administrator: "users, regions, organisations"
    "may_administer": (0, 0, 0, 0, 0, 1, 1, 0),
    # the CSV import of registrations
    "may_import": (0, 0, 0, 0, 0, 1, 1, 0),
    # administrator: "exports, the personal export only with an explicit permission"
    "may_grant_exports": (0, 0, 0, 0, 0, 1, 1, 0),
    # subject access (GDPR art. 15): its own permission, granted to nobody by default
    "may_give_subject_access": (0, 0, 0, 0, 0, 0, 0, 0),
    # the placement page: the help desk places in a COSM, coordinators in other shelters
    "may_place_in_shelter": (0, 0, 0, 1, 1, 0, 0, 0),
    # the weekly shelter overview: the help desk and administrators
    "may_oversee_shelters": (0, 0, 0, 0, 1, 1, 1, 0),
}


@pytest.fixture
def accounts(reporter, coordinator_a, helpdesk, administrator):
    return {
        "anonymous": AnonymousUser(),
        "reporter": reporter,
        "reporter_without_organisation": UserFactory(username="lone", role=Role.REPORTER),
        "coordinator": coordinator_a,
        "helpdesk": helpdesk,
        "administrator": administrator,
        "superuser": UserFactory(username="root", role=Role.REPORTER, is_superuser=True),
        "inactive_administrator": UserFactory(
            username="gone", role=Role.ADMINISTRATOR, is_active=False
        ),
    }


def test_the_table_has_a_row_for_every_page_predicate_and_no_other():
    assert set(TABLE) == {predicate.__name__ for predicate in access.PAGE_PREDICATES.values()}


@pytest.mark.parametrize("account", ACCOUNTS)
@pytest.mark.parametrize("name", sorted(TABLE))
def test_each_predicate_answers_for_each_kind_of_account_as_the_role_table_says(
    accounts, name, account
):
    predicate = getattr(access, name)
    expected = bool(TABLE[name][ACCOUNTS.index(account)])
    assert predicate(accounts[account]) is expected
    assert predicate(None) is False


def test_the_templates_name_each_predicate_without_its_may():
    for name, predicate in access.PAGE_PREDICATES.items():
        assert predicate.__name__.removeprefix("may_") == name


# --- the decorator ----------------------------------------------------------------------------


def _gated_view(predicate):
    @access.requires(predicate)
    def view(request):
        return HttpResponse("the page")

    return view


def _get(user, path="/somewhere/?page=2"):
    request = RequestFactory().get(path)
    request.user = user
    return request


def test_an_anonymous_visitor_is_sent_to_log_in_and_back():
    response = _gated_view(access.may_count)(_get(AnonymousUser()))
    assert response.status_code == 302
    assert response.url == "/accounts/login/?next=/somewhere/%3Fpage%3D2"


def test_a_signed_in_user_the_predicate_refuses_gets_403(coordinator_a):
    with pytest.raises(PermissionDenied):
        _gated_view(access.may_count)(_get(coordinator_a))


def test_a_signed_in_user_the_predicate_allows_sees_the_page(helpdesk):
    response = _gated_view(access.may_count)(_get(helpdesk))
    assert (response.status_code, response.content) == (200, b"the page")


def test_the_gated_view_names_its_predicate():
    assert access.gate_of(_gated_view(access.may_triage)) is access.may_triage


def test_the_gate_and_the_page_share_one_answer_per_request(helpdesk, coordinator_a):
    asked = []

    def may_look(user):
        asked.append(user)
        return True

    @access.requires(may_look)
    def view(request):
        may = access.answers_for(request)
        return HttpResponse(f"{may[may_look]} {may[may_look]}")

    request = _get(helpdesk)
    assert view(request).content == b"True True"
    assert asked == [helpdesk]
    # A login during the request (another user) is asked afresh.
    request.user = coordinator_a
    assert access.answers_for(request)[may_look] is True
    assert asked == [helpdesk, coordinator_a]


def test_templates_read_the_answers_by_name(helpdesk):
    may = access.answers_for(_get(helpdesk))
    assert (may["count"], may["read_audit"], may["signed_in"]) == (True, False, True)
    with pytest.raises(KeyError):
        may["no_such_question"]


# --- every page has a gate --------------------------------------------------------------------

# Pages served without the gate, and why. Nothing else.
PUBLIC = {
    "login": "the way in (the two-step login with lockout), for visitors not yet signed in",
    "logout": "the way out: POST only, it ends the session of whoever sends it",
    "set_language": "the language switch, also on the login page before signing in",
}


def _pages():
    """(URL name, route, view) of every page outside the admin. The admin's pages are gated by
    its site (staff, a verified second factor) and by each ModelAdmin's has_*_permission,
    which ask the same predicates."""
    return [page for page in walk() if not page[1].startswith("admin/")]


def test_every_page_of_the_project_is_gated_or_listed_as_public_with_its_reason():
    pages = list(_pages())
    assert {name for name, _route, _view in pages} >= {
        "home",
        "registry:case_list",
        "intake:register",
        "reports:statistics",
    }
    ungated = sorted(
        f"{name} ({route})"
        for name, route, view in pages
        if access.gate_of(view) is None and name not in PUBLIC
    )
    assert not ungated, f"pages without access.requires(...) and not public: {ungated}"
    gated_public = sorted(
        name for name, _r, view in pages if name in PUBLIC and access.gate_of(view)
    )
    assert not gated_public, f"listed as public but gated (take them off PUBLIC): {gated_public}"
    stale = sorted(PUBLIC.keys() - {name for name, _route, _view in pages})
    assert not stale, f"PUBLIC names pages that no longer exist: {stale}"


def test_every_gate_asks_one_of_the_page_predicates():
    predicates = set(access.PAGE_PREDICATES.values())
    for name, _route, view in _pages():
        gate = access.gate_of(view)
        assert gate is None or gate in predicates, f"{name} is gated by {gate!r}"
