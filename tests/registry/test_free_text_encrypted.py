"""Free text that people fill with personal data is encrypted: the case's care location, the
handover's reason and decision note.

Each test types a unique value on the real screen that writes it, then reads every row of the
table with plain SQL (as someone with a copy of the database would) and does not find it,
while the page that shows it still shows it to a user who may see it.
"""

from __future__ import annotations

import uuid

import pytest
from django.db import connection

from registry.choices import HandoverStatus
from registry.models import Case, Handover

pytestmark = pytest.mark.django_db


def plant(label: str) -> str:
    return f"Planted {label} {uuid.uuid4().hex[:12]} Lindelaan"


def raw_table_text(model) -> str:
    """Every column of every row of ``model``'s table as text, read around the ORM."""
    table = connection.ops.quote_name(model._meta.db_table)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(f"SELECT t::text FROM {table} t")  # noqa: S608
        else:
            cursor.execute(f"SELECT * FROM {table}")  # noqa: S608
        return "\n".join(" ".join(str(value) for value in row) for row in cursor.fetchall())


def _workspace_edit(case: Case, **changes: object) -> dict[str, object]:
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
    data.update(changes)
    return data


def test_care_location_typed_in_the_workspace_is_stored_encrypted_and_shown_to_the_coordinator(
    casework_world, client_for, coordinator_a, coordinator_b
):
    case = casework_world.case_a
    location = plant("care location")
    client = client_for(coordinator_a)
    response = client.post(
        f"/cases/{case.pk}/edit/",
        _workspace_edit(case, status="in_care", care_received="omm", care_location=location),
    )
    assert response.status_code == 302

    raw = raw_table_text(Case)
    assert "in_care" in raw and "omm" in raw  # control: the clear columns of the row are read
    assert location not in raw
    assert "Lindelaan" not in raw

    assert location in client.get(f"/cases/{case.pk}/").content.decode()
    assert client_for(coordinator_b).get(f"/cases/{case.pk}/").status_code == 404


def test_care_location_typed_in_the_admin_case_form_is_stored_encrypted_and_shown_there(
    casework_world, client_for, coordinator_a
):
    case = casework_world.case_a
    location = plant("admin care location")
    client = client_for(coordinator_a)
    response = client.post(
        f"/admin/registry/case/{case.pk}/change/",
        {
            "person": case.person_id,
            "registration": case.registration_id,
            "region": case.region_id,
            "coordinator": coordinator_a.pk,
            "status": "in_care",
            "victim_status": "possible",
            "residence_status": "unknown",
            "care_received": "omm",
            "care_location": location,
            "opened_on": case.opened_on.isoformat(),
            "initial-opened_on": case.opened_on.isoformat(),
            "handovers-TOTAL_FORMS": "0",
            "handovers-INITIAL_FORMS": "0",
            "case_notes-TOTAL_FORMS": "0",
            "case_notes-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 302, response.context and response.context["errors"]

    raw = raw_table_text(Case)
    assert "in_care" in raw
    assert location not in raw

    page = client.get(f"/admin/registry/case/{case.pk}/change/").content.decode()
    assert location in page


def test_handover_reason_typed_on_the_request_page_is_stored_encrypted_and_shown_to_both_sides(
    casework_world, client_for, coordinator_a, coordinator_b, region_b
):
    case = casework_world.case_a
    reason = plant("handover reason")
    response = client_for(coordinator_a).post(
        f"/cases/{case.pk}/handover/", {"to_region": region_b.pk, "reason": reason}
    )
    assert response.status_code == 302
    handover = Handover.objects.get(case=case)
    assert isinstance(handover.pk, uuid.UUID)

    raw = raw_table_text(Handover)
    assert HandoverStatus.PENDING in raw  # control
    assert reason not in raw

    # The receiving side reads why, to decide; the sending side sees it in the case history.
    assert reason in client_for(coordinator_b).get(f"/handovers/{handover.pk}/").content.decode()
    assert reason in client_for(coordinator_a).get(f"/cases/{case.pk}/").content.decode()


def test_decision_note_typed_on_the_decision_page_is_stored_encrypted_and_shown_to_the_sender(
    casework_world, client_for, coordinator_a, coordinator_b, region_b
):
    case = casework_world.case_a
    client_for(coordinator_a).post(
        f"/cases/{case.pk}/handover/", {"to_region": region_b.pk, "reason": "relocation"}
    )
    handover = Handover.objects.get(case=case)
    note = plant("decision note")
    response = client_for(coordinator_b).post(
        f"/handovers/{handover.pk}/decide/", {"decision": "reject", "note": note}
    )
    assert response.status_code == 302

    raw = raw_table_text(Handover)
    assert HandoverStatus.REJECTED in raw  # control
    assert note not in raw and "relocation" not in raw

    assert note in client_for(coordinator_a).get(f"/handovers/{handover.pk}/").content.decode()
    assert note in client_for(coordinator_a).get(f"/cases/{case.pk}/").content.decode()


def test_handover_urls_take_a_uuid_and_an_integer_id_finds_nothing(
    casework_world, client_for, coordinator_a, region_b
):
    client = client_for(coordinator_a)
    client.post(
        f"/cases/{casework_world.case_a.pk}/handover/", {"to_region": region_b.pk, "reason": ""}
    )
    handover = Handover.objects.get()
    assert client.get(f"/handovers/{handover.pk}/").status_code == 200
    assert client.get("/handovers/1/").status_code == 404
    assert client.post("/handovers/1/withdraw/").status_code == 404
