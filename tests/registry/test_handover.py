"""Handing a case to another region: request, accept or reject by the receiver, history."""

from __future__ import annotations

import pytest

from registry import casework, once
from registry.choices import AuditAction, HandoverStatus
from registry.models import AuditEvent, Handover
from tests.intake.formstate import form_values

pytestmark = pytest.mark.django_db


@pytest.fixture
def requested(casework_world, client_for, coordinator_a, region_b):
    response = client_for(coordinator_a).post(
        f"/cases/{casework_world.case_a.pk}/handover/",
        {"to_region": region_b.pk, "reason": "moved to a relative"},
    )
    assert response.status_code == 302
    return Handover.objects.get(case=casework_world.case_a)


def test_request_keeps_the_case_with_the_sender_until_accepted(
    casework_world, requested, client_for, coordinator_a, coordinator_b
):
    assert requested.status == HandoverStatus.PENDING
    assert client_for(coordinator_a).get(f"/cases/{casework_world.case_a.pk}/").status_code == 200
    assert client_for(coordinator_b).get(f"/cases/{casework_world.case_a.pk}/").status_code == 404
    # The receiving side sees the request, without the person's data.
    page = client_for(coordinator_b).get(f"/handovers/{requested.pk}/")
    assert page.status_code == 200 and page.context["may_decide"]
    assert b"Zwartekoppenstraat" not in page.content


def test_receiving_coordinator_accepts_and_the_case_moves(
    casework_world, requested, client_for, coordinator_a, coordinator_b, region_b
):
    response = client_for(coordinator_b).post(
        f"/handovers/{requested.pk}/decide/", {"decision": "accept"}
    )
    assert response.status_code == 302
    case = casework_world.case_a
    case.refresh_from_db()
    assert case.region == region_b and case.coordinator is None
    requested.refresh_from_db()
    assert (requested.status, requested.decided_by) == (HandoverStatus.ACCEPTED, coordinator_b)
    assert client_for(coordinator_b).get(f"/cases/{case.pk}/").status_code == 200
    assert client_for(coordinator_a).get(f"/cases/{case.pk}/").status_code == 404


def test_after_acceptance_the_sending_region_sees_nothing_of_the_person(
    casework_world, requested, client_for, coordinator_a, coordinator_b
):
    """Issue 10: A still read and changed the person in the admin after the move, including a
    safe address added after it. Now A gets 404 for the person, the case and the
    registration, in the workspace and the admin, and cannot write to them."""
    client_for(coordinator_b).post(f"/handovers/{requested.pk}/decide/", {"decision": "accept"})
    person, case = casework_world.person_a, casework_world.case_a
    registration = casework_world.registration_a
    b = client_for(coordinator_b)
    assert b.get(f"/admin/registry/person/{person.pk}/change/").status_code == 200
    person.address = "Safe house, Planted-Address-Lindelaan 7"
    person.save()
    a = client_for(coordinator_a)
    for url in (
        f"/cases/{case.pk}/",
        f"/cases/{case.pk}/edit/",
        f"/intake/registrations/{registration.pk}/saved/",
        f"/admin/registry/person/{person.pk}/change/",
        f"/admin/registry/person/{person.pk}/history/",
        f"/admin/registry/case/{case.pk}/change/",
        f"/admin/registry/registration/{registration.pk}/change/",
        f"/admin/intake/registrationimport/{registration.pk}/change/",
    ):
        response = a.get(url)
        assert response.status_code == 404, url
        assert b"Planted-Address" not in response.content
    for listing in ("/admin/registry/person/", "/admin/registry/case/", "/cases/"):
        assert str(person.pk) not in a.get(listing).text
        assert str(case.pk) not in a.get(listing).text
    response = a.post(
        f"/admin/registry/person/{person.pk}/change/",
        {"address": "overwritten by the sender", "gender": "female"},
    )
    assert response.status_code == 404
    person.refresh_from_db()
    assert person.address == "Safe house, Planted-Address-Lindelaan 7"
    # B, the receiving side, sees the registration that came with the case.
    assert registration.number in b.get(f"/cases/{case.pk}/").text


def test_reject_needs_a_reason_and_leaves_the_case_where_it_was(
    casework_world, requested, client_for, coordinator_b, region_a
):
    client = client_for(coordinator_b)
    response = client.post(f"/handovers/{requested.pk}/decide/", {"decision": "reject"})
    assert response.status_code == 200 and "note" in response.context["form"].errors
    client.post(
        f"/handovers/{requested.pk}/decide/", {"decision": "reject", "note": "no shelter place"}
    )
    requested.refresh_from_db()
    assert requested.status == HandoverStatus.REJECTED
    casework_world.case_a.refresh_from_db()
    assert casework_world.case_a.region == region_a


def test_sending_side_cannot_decide_its_own_request(requested, client_for, coordinator_a):
    client_for(coordinator_a).post(f"/handovers/{requested.pk}/decide/", {"decision": "accept"})
    requested.refresh_from_db()
    assert requested.status == HandoverStatus.PENDING


def test_uninvolved_region_gets_404_for_the_handover(requested, client_for, helpdesk):
    assert client_for(helpdesk).get(f"/handovers/{requested.pk}/").status_code == 404
    assert (
        client_for(helpdesk)
        .post(f"/handovers/{requested.pk}/decide/", {"decision": "accept"})
        .status_code
        == 404
    )


def test_only_one_pending_handover_per_case(casework_world, requested, coordinator_a, region_c):
    with pytest.raises(casework.HandoverError):
        casework.request_handover(casework_world.case_a, region_c, "", coordinator_a)


def test_sender_withdraws_a_pending_request(requested, client_for, coordinator_a):
    client_for(coordinator_a).post(f"/handovers/{requested.pk}/withdraw/")
    requested.refresh_from_db()
    assert requested.status == HandoverStatus.WITHDRAWN


def test_history_shows_every_hop_and_each_step_is_audited(
    casework_world, requested, client_for, coordinator_a, coordinator_b, region_a, helpdesk
):
    client_for(coordinator_b).post(
        f"/handovers/{requested.pk}/decide/", {"decision": "reject", "note": "full"}
    )
    second = casework.request_handover(
        casework_world.case_a, requested.to_region, "", coordinator_a
    )
    casework.decide_handover(second, coordinator_b, accept=True)
    # Region B now holds the case and sees both hops, including the rejected one.
    page = client_for(coordinator_b).get(f"/cases/{casework_world.case_a.pk}/")
    assert [h.status for h in page.context["handovers"]] == ["accepted", "rejected"]
    steps = [
        e.details["step"]
        for e in AuditEvent.objects.filter(action=AuditAction.HANDOVER).order_by("id")
    ]
    assert steps == ["requested", "rejected", "requested", "accepted"]


def test_a_second_decision_is_told_who_decided_first_and_changes_nothing(
    casework_world, requested, client_for, coordinator_b, region_b
):
    from registry.choices import Role
    from tests.factories import UserFactory

    colleague = UserFactory(username="coordinator-b2", role=Role.COORDINATOR, regions=[region_b])
    client_for(coordinator_b).post(f"/handovers/{requested.pk}/decide/", {"decision": "accept"})
    response = client_for(colleague).post(
        f"/handovers/{requested.pk}/decide/",
        {"decision": "reject", "note": "full"},
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 200
    assert "already decided" in response.content.decode()
    assert coordinator_b.username in response.content.decode()
    requested.refresh_from_db()
    assert (requested.status, requested.decided_by) == (HandoverStatus.ACCEPTED, coordinator_b)


def test_a_handover_request_sent_twice_is_one_request(
    casework_world, client_for, coordinator_a, region_b
):
    client = client_for(coordinator_a)
    url = f"/cases/{casework_world.case_a.pk}/handover/"
    token = form_values(client.get(url).content.decode())[once.FIELD][0]
    sent = {"to_region": region_b.pk, "reason": "moved", once.FIELD: token}
    first, second = client.post(url, sent), client.post(url, sent)
    assert first.status_code == second.status_code == 302
    assert first["Location"] == second["Location"]
    assert Handover.objects.count() == 1
