"""The access matrix: EVERY URL pattern of the project, requested by every role.

The patterns are collected from the URL resolver (admin and i18n included), so a new URL
without an entry in EXPECTED fails ``test_every_url_pattern_has_an_entry``. To add your URLs:
add one line per URL name to EXPECTED with the status each role gets on a GET, and, if the
pattern takes arguments this file does not know yet, a line to SAMPLE_ARGS.

Objects in the URLs belong to region A (coordinator A's region): region B's coordinator must
get 404 for them, in the workspace and in the admin.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest
from django.contrib.contenttypes.models import ContentType

from registry.models import Case
from tests.url_patterns import walk

pytestmark = pytest.mark.django_db

ROLES = ("anonymous", "reporter", "coordinator_a", "coordinator_b", "helpdesk", "administrator")

# GET status per role, in the order of ROLES. Keys are URL names ("namespace:name"); patterns
# without a name are keyed by their full route. 302 for anonymous means "sent to log in";
# 302 for reporter/help desk in the admin means "sent to the admin's login" (not staff).
_LOGIN = 302
_ADMIN_ONLY = (_LOGIN, _LOGIN, 403, 403, _LOGIN, 200)  # users, regions, organisations, groups
_ADMIN_ONLY_READ = (_LOGIN, _LOGIN, 403, 403, _LOGIN, 200)
_NO_ADD = (_LOGIN, _LOGIN, 403, 403, _LOGIN, 403)  # records are created through intake
_STAFF_LIST = (_LOGIN, _LOGIN, 200, 200, _LOGIN, 200)  # scoped admin lists
_SCOPED_OBJECT = (_LOGIN, _LOGIN, 200, 404, _LOGIN, 200)  # region A's record in the admin
_NO_DELETE = (_LOGIN, _LOGIN, 403, 404, _LOGIN, 403)  # nothing is deleted from the admin

EXPECTED: dict[str, tuple[int, int, int, int, int, int]] = {
    # --- project ---
    "home": (_LOGIN, 200, 200, 200, 200, 200),
    "login": (200, 200, 200, 200, 200, 200),
    "logout": (405, 405, 405, 405, 405, 405),  # POST only
    "set_language": (302, 302, 302, 302, 302, 302),  # a GET changes nothing, just redirects
    "reverify": (_LOGIN, 200, 200, 200, 200, 200),  # a fresh code before the personal export
    "stay_signed_in": (_LOGIN, 405, 405, 405, 405, 405),  # POST only: renews the session
    # Two-factor enrolment: staff here already have a device, so setup sends them on; reporters
    # may enrol but need not. The QR code exists only during an enrolment (404 otherwise).
    "two_factor:setup": (_LOGIN, 200, 302, 302, 302, 302),
    "two_factor:qr": (_LOGIN, 404, 404, 404, 404, 404),
    "two_factor:setup_complete": (_LOGIN, 302, 200, 200, 200, 200),
    "two_factor:backup_tokens": (_LOGIN, 302, 200, 200, 200, 200),
    # --- the workspace (registry) ---
    "registry:case_list": (_LOGIN, 403, 200, 200, 200, 200),
    "registry:case_detail": (_LOGIN, 404, 200, 404, 404, 200),
    "registry:case_edit": (_LOGIN, 404, 200, 404, 404, 200),
    "registry:case_take": (_LOGIN, 405, 405, 405, 405, 405),  # POST only
    "registry:case_note_add": (_LOGIN, 403, 405, 405, 405, 405),  # POST only
    # Region A's person: coordinator A holds its open case and may correct it; the
    # administrator reads it (and corrects it in the admin).
    "registry:person_detail": (_LOGIN, 404, 200, 404, 404, 200),
    "registry:person_edit": (_LOGIN, 404, 200, 404, 404, 403),
    "registry:handover_request": (_LOGIN, 404, 200, 404, 404, 200),
    "registry:handover_list": (_LOGIN, 403, 200, 200, 200, 200),
    # A pending handover from region A to region B: both sides see it, the help desk not.
    "registry:handover_detail": (_LOGIN, 404, 200, 200, 404, 200),
    "registry:handover_decide": (_LOGIN, 405, 405, 405, 405, 405),
    "registry:handover_withdraw": (_LOGIN, 405, 405, 405, 405, 405),
    "registry:helpdesk": (_LOGIN, 403, 403, 403, 200, 200),
    # Issue 14: procedures and referrals are recorded by whoever holds the case (coordinator A
    # for region A's case); the administrator sees the case but holds none.
    "registry:procedure_edit": (_LOGIN, 403, 200, 404, 404, 403),
    "registry:referral_add": (_LOGIN, 403, 200, 404, 404, 403),
    "registry:referral_outcome": (_LOGIN, 403, 200, 404, 404, 403),
    "registry:care_due": (_LOGIN, 403, 200, 200, 200, 200),
    "registry:audit_trail": (_LOGIN, 403, 403, 403, 403, 200),
    # Issue 17: retention and erasure are the administrators'; subject access needs its own
    # permission, which nobody holds by default (tests/registry/test_subject_access.py).
    "registry:privacy": (_LOGIN, 403, 403, 403, 403, 200),
    "registry:erasure_request": (_LOGIN, 403, 403, 403, 403, 200),
    "registry:erasure_decide": (_LOGIN, 403, 403, 403, 403, 405),  # POST only
    "registry:subject_access": (_LOGIN, 403, 403, 403, 403, 403),
    # --- the admin: coordinators and administrators only (reporter and help desk not staff) ---
    "admin:index": (_LOGIN, _LOGIN, 200, 200, _LOGIN, 200),
    # The admin has no login of its own: everyone is sent to the site's two-step login.
    "admin:login": (302, 302, 302, 302, 302, 302),
    "admin:logout": (_LOGIN, _LOGIN, 405, 405, _LOGIN, 405),  # POST only
    "admin:password_change": (_LOGIN, _LOGIN, 200, 200, _LOGIN, 200),
    "admin:password_change_done": (_LOGIN, _LOGIN, 200, 200, _LOGIN, 200),
    "admin:autocomplete": (_LOGIN, _LOGIN, 403, 403, _LOGIN, 403),  # no autocomplete fields
    "admin:jsi18n": (_LOGIN, _LOGIN, 200, 200, _LOGIN, 200),
    # "View on site": region A's case opens for whom may see it, 404 for everyone else.
    "admin:view_on_site": (_LOGIN, _LOGIN, 302, 404, _LOGIN, 302),
    "admin:app_list": (_LOGIN, _LOGIN, 200, 200, _LOGIN, 200),
    "admin/(?P<url>.*)$": (_LOGIN, _LOGIN, 404, 404, _LOGIN, 404),  # the admin's catch-all
    # regions, organisations, users, groups: administrators only
    "admin:registry_region_changelist": _ADMIN_ONLY,
    "admin:registry_region_add": _ADMIN_ONLY,
    "admin:registry_region_history": _ADMIN_ONLY,
    "admin:registry_region_delete": (_LOGIN, _LOGIN, 403, 403, _LOGIN, 403),
    "admin:registry_region_change": _ADMIN_ONLY,
    "admin/registry/region/<path:object_id>/": (_LOGIN, _LOGIN, 302, 302, _LOGIN, 302),
    "admin:registry_reportingorganisation_changelist": _ADMIN_ONLY,
    "admin:registry_reportingorganisation_add": _ADMIN_ONLY,
    "admin:registry_reportingorganisation_history": _ADMIN_ONLY,
    "admin:registry_reportingorganisation_delete": (_LOGIN, _LOGIN, 403, 403, _LOGIN, 403),
    "admin:registry_reportingorganisation_change": _ADMIN_ONLY,
    "admin/registry/reportingorganisation/<path:object_id>/": (
        _LOGIN,
        _LOGIN,
        302,
        302,
        _LOGIN,
        302,
    ),
    # the CBS municipality list: data, administrators only (like regions)
    "admin:registry_municipality_changelist": _ADMIN_ONLY,
    "admin:registry_municipality_add": _ADMIN_ONLY,
    "admin:registry_municipality_history": _ADMIN_ONLY,
    "admin:registry_municipality_delete": (_LOGIN, _LOGIN, 403, 403, _LOGIN, 403),
    "admin:registry_municipality_change": _ADMIN_ONLY,
    "admin/registry/municipality/<path:object_id>/": (_LOGIN, _LOGIN, 302, 302, _LOGIN, 302),
    # shelters: data, administrators only; placements are made in the workspace
    "admin:registry_shelter_changelist": _ADMIN_ONLY,
    "admin:registry_shelter_add": _ADMIN_ONLY,
    "admin:registry_shelter_history": _ADMIN_ONLY,
    "admin:registry_shelter_delete": (_LOGIN, _LOGIN, 403, 403, _LOGIN, 403),
    "admin:registry_shelter_change": _ADMIN_ONLY,
    "admin/registry/shelter/<path:object_id>/": (_LOGIN, _LOGIN, 302, 302, _LOGIN, 302),
    "admin:auth_user_password_change": _ADMIN_ONLY,
    "admin:registry_user_changelist": _ADMIN_ONLY,
    "admin:registry_user_add": _ADMIN_ONLY,
    "admin:registry_user_history": _ADMIN_ONLY,
    "admin:registry_user_delete": (_LOGIN, _LOGIN, 403, 403, _LOGIN, 403),
    "admin:registry_user_change": _ADMIN_ONLY,
    "admin/registry/user/<path:object_id>/": (_LOGIN, _LOGIN, 302, 302, _LOGIN, 302),
    # groups: administrators view them; only a superuser adds or changes one
    "admin:auth_group_changelist": _ADMIN_ONLY,
    "admin:auth_group_add": (_LOGIN, _LOGIN, 403, 403, _LOGIN, 403),
    "admin:auth_group_history": _ADMIN_ONLY,
    "admin:auth_group_delete": (_LOGIN, _LOGIN, 403, 403, _LOGIN, 403),
    "admin:auth_group_change": _ADMIN_ONLY_READ,
    "admin/auth/group/<path:object_id>/": (_LOGIN, _LOGIN, 302, 302, _LOGIN, 302),
    "admin:registry_remindersent_changelist": _ADMIN_ONLY_READ,
    "admin:registry_remindersent_add": (_LOGIN, _LOGIN, 403, 403, _LOGIN, 403),
    "admin:registry_remindersent_history": _ADMIN_ONLY_READ,
    "admin:registry_remindersent_delete": (_LOGIN, _LOGIN, 403, 403, _LOGIN, 403),
    "admin:registry_remindersent_change": _ADMIN_ONLY_READ,
    "admin/registry/remindersent/<path:object_id>/": (_LOGIN, _LOGIN, 302, 302, _LOGIN, 302),
    "admin:registry_outgoingmail_changelist": _ADMIN_ONLY_READ,
    "admin:registry_outgoingmail_add": (_LOGIN, _LOGIN, 403, 403, _LOGIN, 403),
    "admin:registry_outgoingmail_history": _ADMIN_ONLY_READ,
    "admin:registry_outgoingmail_delete": (_LOGIN, _LOGIN, 403, 403, _LOGIN, 403),
    "admin:registry_outgoingmail_change": _ADMIN_ONLY_READ,
    "admin/registry/outgoingmail/<path:object_id>/": (_LOGIN, _LOGIN, 302, 302, _LOGIN, 302),
    # records of victims: scoped through for_user; region A's objects are 404 to coordinator B
    "admin:registry_person_changelist": _STAFF_LIST,
    "admin:registry_person_add": _NO_ADD,
    "admin:registry_person_history": _SCOPED_OBJECT,
    "admin:registry_person_delete": _NO_DELETE,
    "admin:registry_person_change": _SCOPED_OBJECT,
    "admin/registry/person/<path:object_id>/": (_LOGIN, _LOGIN, 302, 302, _LOGIN, 302),
    "admin:registry_registration_changelist": _STAFF_LIST,
    "admin:registry_registration_add": _NO_ADD,
    "admin:registry_registration_history": _SCOPED_OBJECT,
    "admin:registry_registration_delete": _NO_DELETE,
    "admin:registry_registration_change": _SCOPED_OBJECT,
    "admin/registry/registration/<path:object_id>/": (_LOGIN, _LOGIN, 302, 302, _LOGIN, 302),
    "admin:registry_case_changelist": _STAFF_LIST,
    "admin:registry_case_add": _NO_ADD,
    "admin:registry_case_history": _SCOPED_OBJECT,
    "admin:registry_case_delete": _NO_DELETE,
    "admin:registry_case_change": _SCOPED_OBJECT,
    "admin/registry/case/<path:object_id>/": (_LOGIN, _LOGIN, 302, 302, _LOGIN, 302),
    # a handover from A to B: both coordinators see it (read-only)
    "admin:registry_handover_changelist": _STAFF_LIST,
    "admin:registry_handover_add": _NO_ADD,
    "admin:registry_handover_history": (_LOGIN, _LOGIN, 200, 200, _LOGIN, 200),
    "admin:registry_handover_delete": (_LOGIN, _LOGIN, 403, 403, _LOGIN, 403),
    "admin:registry_handover_change": (_LOGIN, _LOGIN, 200, 200, _LOGIN, 200),
    "admin/registry/handover/<path:object_id>/": (_LOGIN, _LOGIN, 302, 302, _LOGIN, 302),
    # residence procedures and referrals (issue 14): read like their case, corrected by
    # administrators only (the change page is read-only for a coordinator), never added here
    "admin:registry_residenceprocedure_changelist": _STAFF_LIST,
    "admin:registry_residenceprocedure_add": _NO_ADD,
    "admin:registry_residenceprocedure_history": _SCOPED_OBJECT,
    "admin:registry_residenceprocedure_delete": _NO_DELETE,
    "admin:registry_residenceprocedure_change": _SCOPED_OBJECT,
    "admin/registry/residenceprocedure/<path:object_id>/": (_LOGIN, _LOGIN, 302, 302, _LOGIN, 302),
    "admin:registry_referral_changelist": _STAFF_LIST,
    "admin:registry_referral_add": _NO_ADD,
    "admin:registry_referral_history": _SCOPED_OBJECT,
    "admin:registry_referral_delete": _NO_DELETE,
    "admin:registry_referral_change": _SCOPED_OBJECT,
    "admin/registry/referral/<path:object_id>/": (_LOGIN, _LOGIN, 302, 302, _LOGIN, 302),
    # the audit trail: administrators read it; nobody adds, changes or deletes
    "admin:registry_auditevent_changelist": _ADMIN_ONLY_READ,
    "admin:registry_auditevent_add": (_LOGIN, _LOGIN, 403, 403, _LOGIN, 403),
    "admin:registry_auditevent_history": _ADMIN_ONLY_READ,
    "admin:registry_auditevent_delete": (_LOGIN, _LOGIN, 403, 403, _LOGIN, 403),
    "admin:registry_auditevent_change": _ADMIN_ONLY_READ,
    "admin/registry/auditevent/<path:object_id>/": (_LOGIN, _LOGIN, 302, 302, _LOGIN, 302),
    # Shelter placement (issue 14): region A's case requests shelter. Coordinator A and the
    # help desk (every region's, nationally) open its placement page; administrators oversee.
    "registry:case_shelter": (_LOGIN, 403, 200, 404, 200, 403),
    "registry:placement_end": (405, 405, 405, 405, 405, 405),  # POST only
    "registry:placement_withdraw": (405, 405, 405, 405, 405, 405),  # POST only
    "registry:shelter_overview": (_LOGIN, 403, 403, 403, 200, 200),
    "registry:shelter_place_next": (405, 405, 405, 405, 405, 405),  # POST only
    # --- intake ---
    "intake:register": (_LOGIN, 403, 200, 200, 200, 200),
    "intake:register_draft": (_LOGIN, 403, 200, 200, 200, 200),  # the user's own draft
    "intake:registered": (_LOGIN, 403, 200, 404, 404, 200),  # region A's registration
    "intake:care_consent": (_LOGIN, 403, 200, 404, 404, 200),  # region A's registration
    "intake:submit": (_LOGIN, 200, 403, 403, 403, 403),
    "intake:submit_draft": (_LOGIN, 200, 403, 403, 403, 403),
    "intake:my_submissions": (_LOGIN, 200, 403, 403, 403, 403),
    "intake:submitted": (_LOGIN, 200, 403, 403, 403, 403),  # the reporter's own submission
    "intake:add_information": (_LOGIN, 200, 403, 403, 403, 403),
    "intake:triage": (_LOGIN, 403, 403, 403, 200, 200),
    "intake:triage_detail": (_LOGIN, 403, 403, 403, 200, 200),
    # the CSV import in the admin: a scoped list for staff; importing for administrators only
    "admin:intake_registrationimport_changelist": _STAFF_LIST,
    "admin:intake_registrationimport_add": _NO_ADD,
    "admin:intake_registrationimport_history": _SCOPED_OBJECT,
    "admin:intake_registrationimport_delete": _NO_DELETE,
    "admin:intake_registrationimport_change": _SCOPED_OBJECT,
    "admin/intake/registrationimport/<path:object_id>/": (_LOGIN, _LOGIN, 302, 302, _LOGIN, 302),
    # The admin's import button leads to the import page (a background job).
    "admin:intake_registrationimport_import": (_LOGIN, _LOGIN, 403, 403, _LOGIN, 302),
    "intake:import_upload": (_LOGIN, 403, 403, 403, 403, 200),
    # A job (the administrator's) is its owner's alone; its file is gone (404 for everyone).
    "registry:job_list": (_LOGIN, 200, 200, 200, 200, 200),
    "registry:job_detail": (_LOGIN, 404, 404, 404, 404, 200),
    "registry:job_download": (_LOGIN, 404, 404, 404, 404, 404),
    # --- reports: statistics for the help desk and administrators ---
    "reports:statistics": (_LOGIN, 403, 403, 403, 200, 200),
    # The downloads are POSTs that start a job (reports.jobs).
    "reports:statistics_download": (_LOGIN, 403, 403, 403, 405, 405),
    "reports:anonymised": (_LOGIN, 403, 403, 403, 200, 200),
    "reports:data_quality": (_LOGIN, 403, 403, 403, 200, 200),
    "reports:anonymised_download": (_LOGIN, 403, 403, 403, 405, 405),
    "reports:referrals_download": (_LOGIN, 403, 403, 403, 405, 405),
    # The personal export's page: a grant in force, which nobody of the matrix holds
    # (tests/reports/test_personal_export_page.py opens it with one).
    "reports:personal_export": (_LOGIN, 403, 403, 403, 403, 403),
    # The victim monitor (issue 16): its page and its PDF (last year's, made on the spot).
    "reports:monitor": (_LOGIN, 403, 403, 403, 200, 200),
    "reports:monitor_pdf": (_LOGIN, 403, 403, 403, 200, 200),
    # personal-export grants: administrators request, approve, refuse and revoke them
    "admin:reports_exportgrant_changelist": _ADMIN_ONLY,
    "admin:reports_exportgrant_add": _ADMIN_ONLY,
    "admin:reports_exportgrant_history": _ADMIN_ONLY_READ,
    "admin:reports_exportgrant_delete": (_LOGIN, _LOGIN, 403, 403, _LOGIN, 403),
    "admin:reports_exportgrant_change": _ADMIN_ONLY_READ,  # read-only; steps are POSTs
    "admin/reports/exportgrant/<path:object_id>/": (_LOGIN, _LOGIN, 302, 302, _LOGIN, 302),
    "admin:reports_exportgrant_approve": (_LOGIN, _LOGIN, 405, 405, _LOGIN, 405),  # POST only
    "admin:reports_exportgrant_refuse": (_LOGIN, _LOGIN, 405, 405, _LOGIN, 405),
    "admin:reports_exportgrant_revoke": (_LOGIN, _LOGIN, 405, 405, _LOGIN, 405),
    # the personal export: only with an approved grant, which no role here holds
    "admin:reports_personalexport_changelist": (_LOGIN, _LOGIN, 403, 403, _LOGIN, 403),
    "admin:reports_personalexport_add": (_LOGIN, _LOGIN, 403, 403, _LOGIN, 403),
    "admin:reports_personalexport_history": (_LOGIN, _LOGIN, 403, 404, _LOGIN, 403),
    "admin:reports_personalexport_delete": (_LOGIN, _LOGIN, 403, 404, _LOGIN, 403),
    "admin:reports_personalexport_change": (_LOGIN, _LOGIN, 403, 404, _LOGIN, 403),
    "admin/reports/personalexport/<path:object_id>/": (_LOGIN, _LOGIN, 302, 302, _LOGIN, 302),
    "admin:reports_personalexport_export": (_LOGIN, _LOGIN, 403, 403, _LOGIN, 403),
    # POST only: a GET is refused by method before any permission check
    "admin:intake_registrationimport_process_import": (_LOGIN, _LOGIN, 405, 405, _LOGIN, 405),
}

# URL arguments by converter name. Each maker gets the test's objects and the route.
_ADMIN_MODEL = re.compile(r"^admin/(?P<app>\w+)/(?P<model>\w+)/")


def _admin_object(objects: dict[str, Any], route: str) -> Any:
    match = _ADMIN_MODEL.match(route)
    if match is None:
        raise KeyError(route)
    return objects[match["model"]]


def _pk(objects: dict[str, Any], route: str) -> str:
    if route.startswith("handovers/"):
        return str(objects["handover"].pk)
    if route.startswith(("intake/submissions/", "intake/triage/")):
        return str(objects["submission"].pk)
    if route.startswith("jobs/"):
        return str(objects["job"].pk)
    if route.startswith("shelters/"):
        return str(objects["shelter"].pk)
    if route.startswith("placements/"):
        return str(objects["placement"].pk)
    if route.startswith("people/"):
        return str(objects["person"].pk)
    if route.startswith("intake/registrations/"):
        return str(objects["registration"].pk)
    if route.startswith("referrals/"):
        return str(objects["referral"].pk)
    return str(objects["case"].pk)


SAMPLE_ARGS: dict[str, Callable[[dict[str, Any], str], str]] = {
    "pk": _pk,
    "object_id": lambda objects, route: (
        str(objects["case"].pk)
        if route.startswith("admin/r/")
        else str(_admin_object(objects, route).pk)
    ),
    "id": lambda objects, route: str(_admin_object(objects, route).pk),
    "file_format": lambda objects, route: "csv",
    "kind": lambda objects, route: "b8_permit",
    "step": lambda objects, route: "confirm",
    "content_type_id": lambda objects, route: str(ContentType.objects.get_for_model(Case).pk),
}
# Regular-expression routes cannot be filled in generically.
SAMPLE_URLS: dict[str, str] = {
    "admin/(?P<url>.*)$": "/admin/no-such-page/",
}
# The admin's app index route lists every app with models in the admin; it grows with them.
_APP_INDEX = "admin/^(?P<app_label>"


def all_url_patterns() -> list[tuple[str, str]]:
    """(key, route) of every URL pattern the project serves."""
    return [(key, route) for key, route, _view in walk()]


def concrete_url(route: str, objects: dict[str, Any]) -> str:
    if route in SAMPLE_URLS:
        return SAMPLE_URLS[route]
    if route.startswith(_APP_INDEX):
        return "/admin/registry/"
    if "(?P<" in route or "^" in route:
        raise AssertionError(f"add a sample URL for the regular-expression route {route!r}")

    def fill(match: re.Match[str]) -> str:
        name = match["name"]
        if name not in SAMPLE_ARGS:
            raise AssertionError(f"add a SAMPLE_ARGS entry for <{name}> (route {route!r})")
        return SAMPLE_ARGS[name](objects, route)

    return "/" + re.sub(r"<(?:(?P<conv>\w+):)?(?P<name>\w+)>", fill, route)


def test_every_url_pattern_has_an_entry():
    keys = {key for key, _route in all_url_patterns()}
    missing = sorted(keys - EXPECTED.keys())
    assert not missing, f"URL patterns without an entry in the access matrix: {missing}"
    stale = sorted(EXPECTED.keys() - keys)
    assert not stale, f"entries in the access matrix for URLs that no longer exist: {stale}"


@pytest.mark.parametrize("role", ROLES)
def test_each_role_gets_the_expected_status_on_every_url(role, roles, client_for, matrix_objects):
    client = client_for(roles[role])
    index = ROLES.index(role)
    wrong = []
    for key, route in all_url_patterns():
        if key not in EXPECTED:
            continue  # reported by test_every_url_pattern_has_an_entry
        url = concrete_url(route, matrix_objects)
        status = client.get(url).status_code
        if status != EXPECTED[key][index]:
            wrong.append(f"{key} {url}: expected {EXPECTED[key][index]}, got {status}")
    assert not wrong, f"{role}:\n" + "\n".join(wrong)


def test_coordinator_b_gets_404_for_every_url_of_region_a_case(
    client_for, coordinator_b, matrix_objects
):
    case = matrix_objects["case"]
    client = client_for(coordinator_b)
    for url in (
        f"/cases/{case.pk}/",
        f"/cases/{case.pk}/edit/",
        f"/cases/{case.pk}/handover/",
        f"/admin/registry/case/{case.pk}/change/",
        f"/admin/registry/case/{case.pk}/history/",
        f"/admin/registry/person/{case.person_id}/change/",
        f"/admin/registry/registration/{case.registration_id}/change/",
    ):
        assert client.get(url).status_code == 404, url
    for url in (f"/cases/{case.pk}/take/", f"/cases/{case.pk}/edit/"):
        assert client.post(url, {"status": "closed"}).status_code == 404, url
    case.refresh_from_db()
    assert case.status == "new"
