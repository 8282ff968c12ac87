"""The coordinators' workspace: list filters, search, the audited detail page, editing."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from registry.choices import AuditAction, CaseStatus, SubmissionStatus, VictimStatus
from registry.models import AuditEvent, Case
from tests.factories import CaseFactory, PersonFactory, RegistrationFactory
from tests.registry.conftest import PLANTED

pytestmark = pytest.mark.django_db


def _listed(response) -> set:
    return {case.pk for case in response.context["page"].object_list}


def test_coordinator_sees_only_own_region_cases_in_the_list(
    casework_world, client_for, coordinator_a
):
    response = client_for(coordinator_a).get("/cases/")
    assert _listed(response) == {casework_world.case_a.pk}


def test_list_never_shows_a_name(casework_world, client_for, coordinator_a):
    content = client_for(coordinator_a).get("/cases/").content.decode()
    for value in PLANTED.values():
        assert value not in content


def test_search_by_exact_family_name_goes_through_the_blind_index(
    casework_world, client_for, coordinator_a
):
    client = client_for(coordinator_a)
    # Case and accents do not matter (the index normalises), a partial name finds nothing.
    assert _listed(client.get("/cases/", {"q": "ZWARTEKOPPENSTRAAT"})) == {casework_world.case_a.pk}
    assert _listed(client.get("/cases/", {"q": "Zwartekoppen"})) == set()


def test_search_by_registration_number(casework_world, client_for, coordinator_a):
    number = casework_world.registration_a.number
    assert _listed(client_for(coordinator_a).get("/cases/", {"q": number})) == {
        casework_world.case_a.pk
    }


def test_search_cannot_find_another_regions_person(casework_world, client_for, coordinator_b):
    assert _listed(client_for(coordinator_b).get("/cases/", {"q": PLANTED["family_name"]})) == set()


def test_filters_status_urgency_minor_unassigned_and_reflection(
    casework_world, client_for, coordinator_a, region_a
):
    today = timezone.localdate()
    minor = CaseFactory(
        region=region_a, registration=RegistrationFactory(region=region_a, is_minor=True)
    )
    closed = CaseFactory(region=region_a, status=CaseStatus.CLOSED, closed_reason="no_contact")
    ending = CaseFactory(
        region=region_a,
        coordinator=coordinator_a,
        reflection_start=today - datetime.timedelta(days=80),
    )
    client = client_for(coordinator_a)
    a = casework_world.case_a.pk
    assert _listed(client.get("/cases/")) == {a, minor.pk, ending.pk}  # open cases by default
    assert _listed(client.get("/cases/", {"status": "closed"})) == {closed.pk}
    assert _listed(client.get("/cases/", {"status": "all"})) == {a, minor.pk, ending.pk, closed.pk}
    assert _listed(client.get("/cases/", {"urgent": "on"})) == {a}
    assert _listed(client.get("/cases/", {"minor": "on"})) == {minor.pk}
    assert _listed(client.get("/cases/", {"assigned": "unassigned"})) == {minor.pk}
    assert _listed(client.get("/cases/", {"assigned": "mine"})) == {a, ending.pk}
    assert _listed(client.get("/cases/", {"reflection": "on"})) == {ending.pk}


def test_sorting_and_pagination(client_for, coordinator_a, region_a):
    today = timezone.localdate()
    for days in range(55):
        CaseFactory(region=region_a, opened_on=today - datetime.timedelta(days=days))
    client = client_for(coordinator_a)
    first = client.get("/cases/", {"sort": "opened"})
    dates = [case.opened_on for case in first.context["page"].object_list]
    assert len(dates) == 50 and dates == sorted(dates)
    second = client.get("/cases/", {"sort": "opened", "page": 2})
    assert len(second.context["page"].object_list) == 5
    # A sort that is not offered falls back to the default, with a message, not a 500.
    assert client.get("/cases/", {"sort": "person__family_name"}).status_code == 200


def test_case_detail_shows_person_and_registrations_and_records_the_view(
    casework_world, client_for, coordinator_a, region_a
):
    second = RegistrationFactory(person=casework_world.person_a, region=region_a)
    response = client_for(coordinator_a).get(f"/cases/{casework_world.case_a.pk}/")
    content = response.content.decode()
    assert PLANTED["family_name"] in content and PLANTED["phone"] in content
    assert casework_world.registration_a.number in content and second.number in content
    assert "112" in content  # immediate danger comes first
    event = AuditEvent.objects.get(action=AuditAction.VIEW_PERSONAL)
    assert event.actor == "coordinator-a" and event.case_id == casework_world.case_a.pk


def test_case_detail_lists_only_registrations_the_user_may_see(
    casework_world, client_for, coordinator_a, region_b, reporter
):
    """Every counted registration of the person, wherever reported; no untriaged submission
    and nobody else's."""
    elsewhere = RegistrationFactory(person=casework_world.person_a, region=region_b)
    untriaged = RegistrationFactory(
        person=casework_world.person_a,
        region=casework_world.case_a.region,
        status=SubmissionStatus.SUBMITTED,
        submitted_by=reporter,
    )
    other_person = casework_world.case_b.registration
    content = client_for(coordinator_a).get(f"/cases/{casework_world.case_a.pk}/").content
    assert elsewhere.number.encode() in content
    assert untriaged.number.encode() not in content
    assert other_person.number.encode() not in content


def _edit_data(case: Case, **changes: object) -> dict[str, object]:
    data = {
        "coordinator": case.coordinator_id or "",
        "status": case.status,
        "closed_reason": case.closed_reason,
        "victim_status": case.victim_status,
        "victim_status_decided_by": case.victim_status_decided_by,
        "reflection_start": case.reflection_start or "",
        "residence_status": case.residence_status,
        "shelter_requested": case.shelter_requested,
        "shelter_placed": case.shelter_placed,
        "care_received": case.care_received,
        "care_location": case.care_location or "",
        "notes": case.notes or "",
    }
    if case.is_dublin:
        data["is_dublin"] = "on"
    data.update(changes)
    return data


def test_edit_case_saves_and_records_changed_field_names(casework_world, client_for, coordinator_a):
    case = casework_world.case_a
    response = client_for(coordinator_a).post(
        f"/cases/{case.pk}/edit/",
        _edit_data(
            case,
            status="in_care",
            reflection_start="2026-01-31",
            residence_status="reflection_period",
            shelter_requested="cosm",
            shelter_placed="cosm",
            notes="Second planted note: Wilgenhof 12",
        ),
    )
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.status == CaseStatus.IN_CARE
    assert case.reflection_end == datetime.date(2026, 4, 30)
    assert case.notes == "Second planted note: Wilgenhof 12"
    event = AuditEvent.objects.get(action=AuditAction.CHANGE)
    assert event.details["fields"] == sorted(
        [
            "status",
            "reflection_start",
            "residence_status",
            "shelter_requested",
            "shelter_placed",
            "notes",
        ]
    )


@pytest.mark.parametrize(
    ("start", "changes", "field"),
    [
        ("new", {"status": "closed"}, "closed_reason"),  # closing needs a reason
        ("new", {"status": "reopened"}, "status"),  # only a closed case is reopened
        ("in_care", {"status": "new"}, "status"),  # no way back to new
        ("new", {"closed_reason": "other"}, "closed_reason"),  # a reason only when closed
        ("new", {"victim_status": VictimStatus.CONFIRMED}, "victim_status_decided_by"),
        ("new", {"is_dublin": "on"}, "reflection_start"),
    ],
)
def test_edit_refuses_what_the_workflow_does_not_allow(
    casework_world, client_for, coordinator_a, start, changes, field
):
    case = casework_world.case_a
    case.status = start
    case.save()
    data = _edit_data(case, **changes)
    response = client_for(coordinator_a).post(f"/cases/{case.pk}/edit/", data)
    assert response.status_code == 200
    assert field in response.context["form"].errors
    # Everything typed is still there.
    assert response.context["form"]["notes"].value() == data["notes"]
    case.refresh_from_db()
    assert case.status == start


def test_close_with_reason_then_reopen(casework_world, client_for, coordinator_a):
    case = casework_world.case_a
    client = client_for(coordinator_a)
    client.post(
        f"/cases/{case.pk}/edit/", _edit_data(case, status="closed", closed_reason="care_completed")
    )
    case.refresh_from_db()
    assert case.status == "closed" and case.closed_on == timezone.localdate()
    client.post(f"/cases/{case.pk}/edit/", _edit_data(case, status="reopened", closed_reason=""))
    case.refresh_from_db()
    assert (case.status, case.closed_reason, case.closed_on) == ("reopened", "", None)


def test_coordinator_takes_an_unassigned_case(client_for, coordinator_a, region_a):
    case = CaseFactory(region=region_a, person=PersonFactory())
    client_for(coordinator_a).post(f"/cases/{case.pk}/take/")
    case.refresh_from_db()
    assert case.coordinator == coordinator_a


def test_helpdesk_page_shows_uncovered_regions_and_counts_without_names(
    casework_world, client_for, helpdesk
):
    response = client_for(helpdesk).get("/helpdesk/")
    assert casework_world.case_c in response.context["cases"]
    counts = {region.code: region.open_cases for region in response.context["per_region"]}
    assert counts == {"region-a": 1, "region-b": 1, "region-c": 1}
    content = response.content.decode()
    for value in PLANTED.values():
        assert value not in content
