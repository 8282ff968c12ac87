"""The admin of residence procedures and referrals (issue 14): read like their case, corrected
by administrators only through the model's rules and audited with field names, never added or
deleted there; the referral's HTCDS terms shown."""

from __future__ import annotations

import datetime

import pytest

from registry.choices import AuditAction
from registry.models import AuditEvent, Referral, ResidenceProcedure
from tests.registry.conftest import PLANTED

pytestmark = pytest.mark.django_db

EN = {"HTTP_ACCEPT_LANGUAGE": "en"}
D = datetime.date


def _referral(case, **more):
    values = {"referral_type": "lawyer", "reason": "legal_aid", "referred_on": D(2026, 2, 1)}
    return Referral.objects.create(case=case, **{**values, **more})


def _procedure(case):
    return ResidenceProcedure.objects.create(
        case=case, kind="b8_permit", status="applied", started_on=D(2026, 2, 1)
    )


def _change_url(record) -> str:
    return f"/admin/registry/{record._meta.model_name}/{record.pk}/change/"


def test_the_lists_show_only_the_records_of_cases_the_user_may_see(
    casework_world, client_for, coordinator_a, coordinator_b
):
    mine = _referral(casework_world.case_a)
    theirs = _referral(casework_world.case_b, referral_type="medical", reason="medical_care")
    _procedure(casework_world.case_a)
    page = client_for(coordinator_a).get("/admin/registry/referral/", **EN)
    assert page.status_code == 200
    assert list(page.context["cl"].result_list) == [mine]
    assert client_for(coordinator_b).get(_change_url(mine)).status_code == 404
    procedures = client_for(coordinator_b).get("/admin/registry/residenceprocedure/", **EN)
    assert list(procedures.context["cl"].result_list) == []
    assert theirs.case == casework_world.case_b


def test_the_referral_page_shows_its_htcds_terms_and_no_personal_value(
    casework_world, client_for, administrator
):
    referral = _referral(casework_world.case_a)
    page = client_for(administrator).get(_change_url(referral), **EN).content.decode()
    assert "LegalService" in page
    assert "AdditionalServicesRequired" in page
    for value in PLANTED.values():
        assert value not in page


def test_a_coordinator_reads_but_cannot_change_a_record_of_their_case(
    casework_world, client_for, coordinator_a
):
    referral = _referral(casework_world.case_a)
    client = client_for(coordinator_a)
    page = client.get(_change_url(referral), **EN)
    assert page.status_code == 200
    assert page.context["has_change_permission"] is False
    response = client.post(
        _change_url(referral),
        {
            "referral_type": "lawyer",
            "reason": "legal_aid",
            "referred_on": "2026-02-01",
            "outcome": "accepted",
            "outcome_on": "2026-02-03",
        },
    )
    assert response.status_code == 403
    referral.refresh_from_db()
    assert referral.outcome == "pending"


def test_an_administrator_corrects_a_referral_through_its_rules_and_it_is_audited(
    casework_world, client_for, administrator
):
    referral = _referral(casework_world.case_a)
    client = client_for(administrator)
    data = {
        "referral_type": "lawyer",
        "reason": "legal_aid",
        "referred_on": "2026-02-01",
        "outcome": "accepted",
        "outcome_on": "",  # refused by Referral.clean(): an outcome has its date
        # What the page sends beside a field with a callable default (today), as a browser.
        "initial-referred_on": "2026-02-01",
    }
    refused = client.post(_change_url(referral), data, **EN)
    assert refused.status_code == 200
    assert "Give the date the organisation accepted or refused." in refused.content.decode()
    referral.refresh_from_db()
    assert referral.outcome == "pending"

    saved = client.post(_change_url(referral), {**data, "outcome_on": "2026-02-03"}, **EN)
    assert saved.status_code == 302
    referral.refresh_from_db()
    assert (referral.outcome, referral.outcome_on) == ("accepted", D(2026, 2, 3))
    event = AuditEvent.objects.filter(action=AuditAction.CHANGE, object_id=str(referral.pk)).get()
    assert event.actor_id == administrator.pk
    assert event.details["screen"] == "admin"
    assert event.details["fields"] == ["outcome", "outcome_on"]
    assert "2026" not in str(event.details)


def test_an_administrator_corrects_a_procedure_and_is_recorded_as_its_last_editor(
    casework_world, client_for, administrator
):
    procedure = _procedure(casework_world.case_a)
    data = {
        "status": "granted",
        "started_on": "2026-02-01",
        "decided_on": "2026-03-01",
        "expires_on": "",  # a granted B8 permit has an expiry date
    }
    client = client_for(administrator)
    refused = client.post(_change_url(procedure), data, **EN)
    assert "Give the date the B8 permit expires." in refused.content.decode()
    response = client.post(_change_url(procedure), {**data, "expires_on": "2027-03-01"})
    assert response.status_code == 302
    procedure.refresh_from_db()
    assert (procedure.status, procedure.updated_by) == ("granted", administrator)
    event = AuditEvent.objects.get(action=AuditAction.CHANGE, object_id=str(procedure.pk))
    assert event.details["procedure"] == "b8_permit"


def test_a_tampered_case_or_kind_in_the_post_changes_nothing(
    casework_world, client_for, administrator
):
    procedure = _procedure(casework_world.case_a)
    client_for(administrator).post(
        _change_url(procedure),
        {
            "case": str(casework_world.case_b.pk),
            "kind": "police_report",
            "status": "refused",
            "started_on": "2026-02-01",
            "decided_on": "2026-02-10",
        },
    )
    procedure.refresh_from_db()
    assert (procedure.case, procedure.kind, procedure.status) == (
        casework_world.case_a,
        "b8_permit",
        "refused",
    )


def test_nobody_adds_or_deletes_them_in_the_admin(casework_world, client_for, administrator):
    referral = _referral(casework_world.case_a)
    client = client_for(administrator)
    assert client.get("/admin/registry/referral/add/").status_code == 403
    assert client.get("/admin/registry/residenceprocedure/add/").status_code == 403
    assert (
        client.post(f"/admin/registry/referral/{referral.pk}/delete/", {"post": "yes"}).status_code
        == 403
    )
    assert Referral.objects.filter(pk=referral.pk).exists()
