"""The audit trail: each event is recorded, never a personal value, and nothing changes it."""

from __future__ import annotations

import json

import pytest
from django.forms.models import model_to_dict
from django.utils import timezone

from registry import casework
from registry.choices import AuditAction
from registry.models import AuditEvent
from registry.models.audit import AuditTrailError, verify_chain
from tests.logins import after_throttle, current_code, device_for, post_code, post_password
from tests.registry.conftest import PLANTED

pytestmark = pytest.mark.django_db


def _actions() -> list[str]:
    return list(AuditEvent.objects.order_by("id").values_list("action", flat=True))


def _all_audit_text() -> str:
    return json.dumps(
        [model_to_dict(e) | {"at": str(e.at)} for e in AuditEvent.objects.all()], default=str
    )


def test_login_logout_and_failed_login_are_recorded_without_the_typed_name(
    client, coordinator_a, password
):
    device = device_for(coordinator_a)
    post_password(client, PLANTED["family_name"], "x")
    post_password(client, "coordinator-a", "wrong")
    post_password(client, "coordinator-a", password)
    post_code(client, "000000" if current_code(device) != "000000" else "111111")
    after_throttle(device)
    post_code(client, current_code(device))
    client.post("/accounts/logout/")
    assert _actions() == ["login_failed", "login_failed", "second_factor", "login", "logout"]
    failed = AuditEvent.objects.filter(action="login_failed").order_by("id")
    assert [e.details["known_account"] for e in failed] == [False, True]
    wrong_code = AuditEvent.objects.get(action="second_factor")
    assert wrong_code.details == {"step": "failed", "screen": "login"}
    assert AuditEvent.objects.get(action="login").details == {"second_factor": True}
    assert PLANTED["family_name"] not in _all_audit_text()


def test_viewing_personal_data_is_recorded_in_the_workspace_and_the_admin(
    casework_world, client_for, coordinator_a
):
    client = client_for(coordinator_a)
    case = casework_world.case_a
    client.get(f"/cases/{case.pk}/")
    client.get(f"/cases/{case.pk}/edit/")  # shows the encrypted notes
    client.get(f"/admin/registry/person/{case.person_id}/change/")
    client.get(f"/admin/registry/case/{case.pk}/change/")
    events = AuditEvent.objects.filter(action=AuditAction.VIEW_PERSONAL).order_by("id")
    assert [e.details["screen"] for e in events] == ["case_detail", "case_edit", "admin", "admin"]
    assert all(e.actor_id == coordinator_a.pk for e in events)


def test_the_case_list_records_one_view_for_the_page_it_shows_names_on(
    casework_world, client_for, coordinator_a
):
    client_for(coordinator_a).get("/cases/")
    (event,) = AuditEvent.objects.filter(action=AuditAction.VIEW_PERSONAL)
    assert event.details == {
        "screen": "case_list",
        "rows": 1,
        "people": 1,
        "cases": [str(casework_world.case_a.pk)],
    }


def test_changes_record_field_names_never_values(casework_world, client_for, coordinator_a):
    case = casework_world.case_a
    client_for(coordinator_a).post(
        f"/admin/registry/case/{case.pk}/change/",
        {
            "person": case.person_id,
            "registration": case.registration_id,
            "region": case.region_id,
            "coordinator": coordinator_a.pk,
            "status": "in_care",
            "victim_status": "possible",
            "residence_status": "unknown",
            "care_location": "Planted location Kastanjehof",
            "notes": "Another planted note: Beukenlaan 7",
            "opened_on": case.opened_on.isoformat(),
            "initial-opened_on": case.opened_on.isoformat(),
            "handovers-TOTAL_FORMS": "0",
            "handovers-INITIAL_FORMS": "0",
            "case_notes-TOTAL_FORMS": "0",
            "case_notes-INITIAL_FORMS": "0",
        },
    )
    event = AuditEvent.objects.get(action=AuditAction.CHANGE)
    assert event.details == {
        "fields": ["care_location", "notes", "status"],
        "screen": "admin",
        "moves": {"status": ["new", "in_care"]},
    }
    text = _all_audit_text()
    assert "Kastanjehof" not in text and "Beukenlaan" not in text


def test_administrator_creating_a_region_is_recorded(client_for, administrator):
    client_for(administrator).post(
        "/admin/registry/region/add/", {"code": "zeeland", "name": "Zeeland", "is_active": "on"}
    )
    event = AuditEvent.objects.get(action=AuditAction.CREATE)
    assert event.object_type == "registry.region"
    assert event.details["fields"] == ["code", "name"]


def test_handover_is_recorded_without_its_free_text(casework_world, coordinator_a, region_b):
    casework.request_handover(
        casework_world.case_a, region_b, "reason mentions Zwartekoppenstraat", coordinator_a
    )
    event = AuditEvent.objects.get(action=AuditAction.HANDOVER)
    assert event.case_id == casework_world.case_a.pk
    assert event.details == {
        "step": "requested",
        "from_region": "region-a",
        "to_region": "region-b",
    }
    assert "Zwartekoppenstraat" not in _all_audit_text()


def test_no_planted_value_anywhere_in_the_trail_after_a_day_of_work(
    casework_world, client_for, coordinator_a, coordinator_b, administrator, region_b
):
    case = casework_world.case_a
    a = client_for(coordinator_a)
    a.get(f"/cases/{case.pk}/")
    a.post("/cases/", {"q": PLANTED["family_name"]}, follow=True)
    a.post(f"/cases/{case.pk}/handover/", {"to_region": region_b.pk, "reason": "relocation"})
    handover = case.handovers.get()
    client_for(coordinator_b).post(f"/handovers/{handover.pk}/decide/", {"decision": "accept"})
    client_for(administrator).get(f"/admin/registry/person/{case.person_id}/change/")
    client_for(administrator).get("/audit/", {"case": str(case.pk)})
    text = _all_audit_text()
    for value in PLANTED.values():
        assert value not in text
    assert verify_chain()[2] == ""


def test_audit_events_cannot_be_changed_or_deleted_through_the_admin(
    casework_world, client_for, administrator, coordinator_a
):
    event = AuditEvent.record(AuditAction.LOGIN, user=coordinator_a)
    client = client_for(administrator)  # logging in adds an event of its own
    before = (AuditEvent.objects.count(), event.hash)
    assert client.get(f"/admin/registry/auditevent/{event.pk}/change/").status_code == 200
    assert (
        client.post(
            f"/admin/registry/auditevent/{event.pk}/change/", {"action": "logout"}
        ).status_code
        == 403
    )
    assert (
        client.post(f"/admin/registry/auditevent/{event.pk}/delete/", {"post": "yes"}).status_code
        == 403
    )
    assert client.get("/admin/registry/auditevent/add/").status_code == 403
    # No bulk delete action is offered on the list.
    changelist = client.get("/admin/registry/auditevent/")
    assert b"delete_selected" not in changelist.content
    client.post(
        "/admin/registry/auditevent/",
        {"action": "delete_selected", "_selected_action": [event.pk], "post": "yes"},
    )
    event.refresh_from_db()
    assert (AuditEvent.objects.count(), event.hash) == (before[0], before[1])
    # And not through code either.
    with pytest.raises(AuditTrailError):
        event.save()
    with pytest.raises(AuditTrailError):
        AuditEvent.objects.all().delete()


def test_coordinators_cannot_read_the_trail(client_for, coordinator_a):
    client = client_for(coordinator_a)
    assert client.get("/audit/").status_code == 403
    assert client.get("/admin/registry/auditevent/").status_code == 403


def test_administrator_reads_the_trail_per_case_per_user_by_action_and_date(
    casework_world, client_for, coordinator_a, coordinator_b, administrator
):
    client_for(coordinator_a).get(f"/cases/{casework_world.case_a.pk}/")
    client_for(coordinator_b).get(f"/cases/{casework_world.case_b.pk}/")
    AuditEvent.record(AuditAction.LOGIN, user=coordinator_a)
    client = client_for(administrator)

    def listed(**params):
        return list(client.get("/audit/", params).context["page"].object_list)

    per_case = listed(case=str(casework_world.case_a.pk))
    assert [e.actor for e in per_case] == ["coordinator-a"]
    per_user = listed(user=coordinator_a.pk)
    assert sorted(e.action for e in per_user) == ["login", "login", "view_personal"]
    assert {e.action for e in listed(user=coordinator_a.pk, action="login")} == {"login"}
    today = timezone.localtime(per_user[0].at).date().isoformat()
    # Everything happened today: the three logins (force_login), two views and one login.
    assert len(listed(since=today, until=today)) == AuditEvent.objects.count() == 6
    assert listed(since="2000-01-01", until="2000-01-02") == []
    # A nonsense filter is an error on the form, not a 500.
    response = client.get("/audit/", {"case": "not-a-uuid", "since": "2026-02-30"})
    assert response.status_code == 200 and response.context["form"].errors


def test_an_action_that_is_not_an_audit_action_is_refused_before_anything_is_written(
    coordinator_a,
):
    with pytest.raises(ValueError):
        AuditEvent.record("triaged", user=coordinator_a)
    assert not AuditEvent.objects.exists()
