"""Handing a case to another region: request, accept or reject by the receiver, history."""

from __future__ import annotations

import datetime
import json

import pytest

from registry import casework, once, registering
from registry.choices import AuditAction, HandoverStatus
from registry.models import AuditEvent, FormOfExploitation, Handover
from tests.catalogue import english_date
from tests.intake.formstate import form_values
from tests.registry.conftest import PLANTED

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
    assert case.region == region_b and case.coordinator == coordinator_b
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


# Issue 13, item 5: handover with sight --------------------------------------------------------

PERSONAL_ON_THE_PERSON = {
    "address": "Planted-Address Lindelaan 7, Utrecht",
    "aliases": "Planted-Alias Bloemetje",
    "languages": "Planted-Language Twi",
    "id_document_country": "GH",
}


@pytest.fixture
def profiled(casework_world, requested):
    """Case A with a profile to show (and more planted personal values to look for)."""
    from django.utils import timezone

    person, case = casework_world.person_a, casework_world.case_a
    for field, value in PERSONAL_ON_THE_PERSON.items():
        setattr(person, field, value)
    person.nationality = "NG"
    person.save()
    registration = casework_world.registration_a
    registration.sector = "agriculture"
    registration.is_minor = False
    registration.save()
    registration.exploitation_forms.set(FormOfExploitation.objects.filter(code="labour"))
    case.shelter_requested = "cosm"
    case.residence_status = "reflection_period"
    case.reflection_start = timezone.localdate() - datetime.timedelta(days=100)
    case.care_location = "Planted-Care-Location De Haven"
    case.save()
    return requested


def planted_values(world) -> list[str]:
    """Every personal value of case A's person and case, as it could show up on a page."""
    return [
        *PLANTED.values(),
        *(v for k, v in PERSONAL_ON_THE_PERSON.items() if k != "id_document_country"),
        "Planted-Care-Location",
        "1990-05-17",
        "17-05-1990",
        "17 mei 1990",
        "May 17, 1990",
        "17 May 1990",
    ]


def test_the_receiving_coordinator_sees_the_profile_and_the_reason_before_deciding(
    casework_world, profiled, client_for, coordinator_b
):
    page = client_for(coordinator_b).get(f"/handovers/{profiled.pk}/", HTTP_ACCEPT_LANGUAGE="en")
    assert page.status_code == 200 and page.context["may_decide"]
    profile = page.text.split('id="case-profile"')[1].split('id="handover-request"')[0]
    age = casework_world.person_a.age_on(datetime.date.today())
    assert registering.age_band(age) in profile  # the band, never the age or the date
    for shown in (
        "female",
        "Nigeria",
        "labour exploitation",
        "agriculture",
        "immediate danger",
        "COSM",
        "reflection period",
        "ended 8 days ago",
    ):
        assert shown.lower() in profile.lower(), shown
    case = casework_world.case_a
    case.refresh_from_db()
    assert english_date(case.reflection_end) in profile
    assert "moved to a relative" in page.text  # the reason
    # The emergency number comes first for a person in immediate danger.
    assert page.text.index("112") < page.text.index('id="case-profile"')


def test_the_handover_page_shows_no_personal_value_to_either_side(
    casework_world, profiled, client_for, coordinator_a, coordinator_b
):
    """Values planted in every personal field of the person and the case are on neither
    side's handover page, in either language, and reading the page is no view of personal
    data (nothing personal is shown)."""
    for user in (coordinator_a, coordinator_b):
        for language in ("en", "nl"):
            page = client_for(user).get(f"/handovers/{profiled.pk}/", HTTP_ACCEPT_LANGUAGE=language)
            assert page.status_code == 200
            for value in planted_values(casework_world):
                assert value not in page.text, (user, language, value)
    assert not AuditEvent.objects.filter(action=AuditAction.VIEW_PERSONAL).exists()


def test_the_profile_goes_with_the_case_once_the_handover_is_decided(
    casework_world, profiled, client_for, coordinator_a, coordinator_b
):
    """After the move the sending region keeps the record of the handover, not the case's
    current profile (DESIGN.md: after a handover the sending region sees nothing more)."""
    client_for(coordinator_b).post(f"/handovers/{profiled.pk}/decide/", {"decision": "accept"})
    page = client_for(coordinator_a).get(f"/handovers/{profiled.pk}/", HTTP_ACCEPT_LANGUAGE="en")
    assert page.status_code == 200 and page.context["profile"] is None
    assert 'id="case-profile"' not in page.text and "Nigeria" not in page.text
    assert "moved to a relative" in page.text  # the record of the request stays


def test_accepting_coordinator_gets_the_case_and_sees_its_registrations(
    casework_world, requested, client_for, coordinator_b
):
    """Issue 13: after accepting, the case was unassigned and its registration showed as
    "No registrations you may see". Now the coordinator who accepts holds the case and reads
    its registration on the case page the decision leads to, with a message that says so."""
    client = client_for(coordinator_b)
    response = client.post(
        f"/handovers/{requested.pk}/decide/", {"decision": "accept"}, HTTP_ACCEPT_LANGUAGE="en"
    )
    case = casework_world.case_a
    assert response.status_code == 302 and response["Location"] == case.get_absolute_url()
    case.refresh_from_db()
    assert case.coordinator == coordinator_b
    page = client.get(response["Location"], HTTP_ACCEPT_LANGUAGE="en")
    assert "assigned to you" in page.text
    assert casework_world.registration_a.number in page.text
    assert "No registrations you may see" not in page.text
    assert list(page.context["registrations"]) == [casework_world.registration_a]


def test_help_desk_accepting_leaves_the_case_for_the_region_and_sees_its_registrations(
    casework_world, client_for, coordinator_a, helpdesk, region_c
):
    handover = casework.request_handover(casework_world.case_a, region_c, "shelter", coordinator_a)
    client = client_for(helpdesk)
    response = client.post(
        f"/handovers/{handover.pk}/decide/", {"decision": "accept"}, HTTP_ACCEPT_LANGUAGE="en"
    )
    case = casework_world.case_a
    case.refresh_from_db()
    assert (case.region, case.coordinator) == (region_c, None)
    assert response["Location"] == case.get_absolute_url()
    page = client.get(response["Location"], HTTP_ACCEPT_LANGUAGE="en")
    assert "without a coordinator" in page.text and "help desk coordinates it" in page.text
    assert casework_world.registration_a.number in page.text


def test_administrator_accepting_leaves_the_case_for_the_region_to_choose(
    casework_world, requested, client_for, administrator, coordinator_b
):
    client_for(administrator).post(f"/handovers/{requested.pk}/decide/", {"decision": "accept"})
    case = casework_world.case_a
    case.refresh_from_db()
    assert case.coordinator is None
    page = client_for(coordinator_b).get(case.get_absolute_url())
    assert page.context["may_take"]
    assert casework_world.registration_a.number in page.text


def test_acceptance_is_audited_with_field_names_only(
    casework_world, profiled, client_for, coordinator_b
):
    client_for(coordinator_b).post(f"/handovers/{profiled.pk}/decide/", {"decision": "accept"})
    event = AuditEvent.objects.filter(action=AuditAction.HANDOVER).order_by("-id").first()
    assert event.details == {
        "step": "accepted",
        "from_region": "region-a",
        "to_region": "region-b",
        "fields": ["coordinator", "region"],
        # Account ids, as the case's own changes record them (casework.workflow_moves).
        "moves": {"coordinator": [casework_world.case_a.coordinator_id, coordinator_b.pk]},
    }
    written = json.dumps([e.details for e in AuditEvent.objects.all()])
    for value in planted_values(casework_world):
        assert value not in written
    assert "moved to a relative" not in written
    assert coordinator_b.username not in written


def test_deciding_another_regions_handover_is_a_404_and_changes_nothing(
    casework_world, client_for, coordinator_a, coordinator_b, region_c
):
    """A handover from B to C: coordinator A posts a decision on its id."""
    handover = casework.request_handover(casework_world.case_b, region_c, "x", coordinator_b)
    client = client_for(coordinator_a)
    assert client.get(f"/handovers/{handover.pk}/").status_code == 404
    for decision in ("accept", "reject"):
        response = client.post(
            f"/handovers/{handover.pk}/decide/", {"decision": decision, "note": "n"}
        )
        assert response.status_code == 404
    assert client.post(f"/handovers/{handover.pk}/withdraw/").status_code == 404
    handover.refresh_from_db()
    casework_world.case_b.refresh_from_db()
    assert handover.status == HandoverStatus.PENDING
    assert casework_world.case_b.region_id == handover.from_region_id


@pytest.mark.parametrize("decision", ["maybe", "ACCEPT", "", None, "accept\x00"])
def test_a_tampered_decision_is_refused_with_a_message_and_changes_nothing(
    casework_world, requested, client_for, coordinator_b, decision, region_a
):
    data = {"note": "n"} if decision is None else {"decision": decision, "note": "n"}
    response = client_for(coordinator_b).post(
        f"/handovers/{requested.pk}/decide/", data, HTTP_ACCEPT_LANGUAGE="en"
    )
    assert response.status_code == 200
    assert "Choose to accept or to reject the handover." in response.text
    requested.refresh_from_db()
    casework_world.case_a.refresh_from_db()
    assert requested.status == HandoverStatus.PENDING
    assert casework_world.case_a.region == region_a


def test_a_handover_request_for_another_regions_case_is_a_404(
    casework_world, client_for, coordinator_a, region_c
):
    url = f"/cases/{casework_world.case_b.pk}/handover/"
    client = client_for(coordinator_a)
    assert client.get(url).status_code == 404
    assert client.post(url, {"to_region": region_c.pk, "reason": "x"}).status_code == 404
    assert not Handover.objects.exists()


@pytest.mark.parametrize("to_region", ["own", "inactive", "missing", "not-a-number"])
def test_a_tampered_region_is_refused_on_the_field(
    casework_world, client_for, coordinator_a, region_a, to_region
):
    from tests.factories import RegionFactory

    value = {
        "own": region_a.pk,
        "inactive": RegionFactory(code="closed", is_active=False).pk,
        "missing": 999_999,
        "not-a-number": "b'; DROP",
    }[to_region]
    response = client_for(coordinator_a).post(
        f"/cases/{casework_world.case_a.pk}/handover/", {"to_region": value, "reason": "kept"}
    )
    assert response.status_code == 200
    assert "to_region" in response.context["form"].errors
    assert "kept" in response.text  # nothing typed is lost
    assert not Handover.objects.exists()


def test_the_request_form_says_what_the_receiving_region_will_see(
    casework_world, client_for, coordinator_a
):
    page = client_for(coordinator_a).get(
        f"/cases/{casework_world.case_a.pk}/handover/", HTTP_ACCEPT_LANGUAGE="en"
    )
    assert "never the name" in page.text


def test_the_decision_form_says_what_accepting_will_do_for_this_user(
    casework_world, requested, client_for, coordinator_b, administrator
):
    mine = client_for(coordinator_b).get(f"/handovers/{requested.pk}/", HTTP_ACCEPT_LANGUAGE="en")
    assert "becomes yours" in mine.text
    theirs = client_for(administrator).get(f"/handovers/{requested.pk}/", HTTP_ACCEPT_LANGUAGE="en")
    assert "without a coordinator, for the region to assign" in theirs.text


@pytest.mark.parametrize(
    ("who", "said"),
    [
        ("coordinator_b", "accepted the handover and took on the case"),
        ("administrator", "from Region A to Region B, without a coordinator"),
    ],
)
def test_the_case_timeline_says_who_took_the_case_on_acceptance(
    casework_world, requested, client_for, roles, coordinator_b, who, said
):
    client_for(roles[who]).post(f"/handovers/{requested.pk}/decide/", {"decision": "accept"})
    page = client_for(coordinator_b).get(
        casework_world.case_a.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="en"
    )
    assert said in page.text
