"""Routing to the coordinator with the fewest open cases, or the help desk; the e-mail."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from intake.routing import first_coordinators, pick_coordinator
from intake.services import register
from registry import registering
from registry.choices import CaseStatus, Role
from registry.models import AuditEvent, Case, OutgoingMail, Person, Registration, User
from tests.factories import CaseFactory, UserFactory
from tests.intake.conftest import planted
from tests.outbox import run_ready_jobs

pytestmark = pytest.mark.django_db


def _adult_police_outcome() -> registering.Outcome:
    return registering.check(
        {
            "registered_on": datetime.date.today(),
            "estimated_age": 30,
            "residence_status": "unknown",
            "reporter_type": "police",
            "consent_registration": False,
        }
    ).outcome


def police_values(region) -> dict:
    """A police report of an adult who consented to care (so a case opens and mails)."""
    return {
        "reporter_type": "police",
        "region": region,
        "family_name": "X",
        "estimated_age": 30,
        "consent_care": True,
    }


URL = "/intake/register/"


def test_case_goes_to_the_coordinator_with_fewest_open_cases(region_a, coordinator_a):
    other = UserFactory(username="coordinator-a2", role=Role.COORDINATOR, regions=[region_a])
    CaseFactory(region=region_a, coordinator=coordinator_a)
    CaseFactory(region=region_a, coordinator=other, status=CaseStatus.CLOSED, closed_reason="other")
    assert pick_coordinator(region_a) == other


def test_first_coordinators_are_those_the_orm_finds(
    region_a, region_b, region_c, coordinator_a, coordinator_b
):
    UserFactory(username="a2", role=Role.COORDINATOR, regions=[region_a, region_b])
    UserFactory(username="a3-inactive", role=Role.COORDINATOR, regions=[region_a], is_active=False)
    UserFactory(username="a4-helpdesk", role=Role.HELPDESK, regions=[region_a])
    UserFactory(username="a5-admin", role=Role.ADMINISTRATOR, regions=[region_a])
    UserFactory(username="a6", role=Role.COORDINATOR, regions=[region_a])
    for region in (region_a, region_b, region_c):
        expected = list(User.objects.active_coordinators().filter(regions=region).order_by("pk"))
        for limit in (1, 2, 5):
            found = first_coordinators(region, limit)
            assert found == expected[:limit]
            assert [u.email for u in found] == [u.email for u in expected[:limit]]
    assert [u.username for u in first_coordinators(region_a, 5)] == ["coordinator-a", "a2", "a6"]


def test_inactive_coordinator_gets_no_cases(region_a, coordinator_a):
    coordinator_a.is_active = False
    coordinator_a.save()
    assert pick_coordinator(region_a) is None


def test_region_without_coordinator_goes_to_the_help_desk(
    client_for, helpdesk, region_c, staff_data, mailoutbox
):
    response = client_for(helpdesk).post(
        URL, {**staff_data(region=str(region_c.pk)), "step": "save", "person_choice": "new"}
    )
    assert response.status_code == 302
    case = Case.objects.get()
    assert case.coordinator is None
    assert not OutgoingMail.objects.exists()
    run_ready_jobs()
    assert mailoutbox == []
    page = client_for(helpdesk).get(response["Location"]).content.decode()
    assert "help desk" in page or "helpdesk" in page.lower()


def test_coordinator_email_has_number_and_link_and_no_personal_data(
    client_for, helpdesk, coordinator_a, staff_data, mailoutbox
):
    values = {
        "given_names": planted("Given"),
        "family_name": planted("Family"),
        "phone": planted("Phone"),
        "id_document_number": planted("DOC"),
        "languages": planted("Lang"),
    }
    client_for(helpdesk).post(URL, {**staff_data(**values), "step": "save", "person_choice": "new"})
    registration = Registration.objects.get()
    case = Case.objects.get()
    assert mailoutbox == []  # the save only queued it; the mail worker sends it
    assert run_ready_jobs() == 1
    (mail,) = mailoutbox
    assert mail.to == [coordinator_a.email]
    text = mail.subject + mail.body
    assert registration.number in text
    assert "http://" in mail.body and reverse("registry:case_detail", args=[case.pk]) in mail.body
    for value in [*values.values(), "1995-03-14", "14-03-1995"]:
        assert value not in text


def test_no_email_when_the_transaction_rolls_back(region_a, coordinator_a, mailoutbox):
    outcome = _adult_police_outcome()
    data = police_values(region_a)
    with pytest.raises(RuntimeError), transaction.atomic():
        register(coordinator_a, data, outcome)
        assert OutgoingMail.objects.count() == 1
        raise RuntimeError("simulated failure after the save")
    assert not OutgoingMail.objects.exists()
    assert run_ready_jobs() == 0
    assert mailoutbox == []


def test_a_failing_step_saves_nothing(region_a, coordinator_a, monkeypatch):
    """Person, registration, case and audit event are saved together or not at all."""
    outcome = _adult_police_outcome()
    data = police_values(region_a)
    events_before = AuditEvent.objects.count()

    def broken(*args, **kwargs):
        raise RuntimeError("audit store unavailable")

    monkeypatch.setattr(AuditEvent, "record", broken)
    # register() makes no savepoint of its own: the caller's transaction rolls back whole,
    # as a request's does. This test carries on afterwards, so it brings its own.
    with pytest.raises(RuntimeError), transaction.atomic():
        register(coordinator_a, data, outcome)
    assert Person.objects.count() == 0
    assert Registration.objects.count() == 0
    assert Case.objects.count() == 0
    monkeypatch.undo()
    assert AuditEvent.objects.count() == events_before


def test_register_joins_the_callers_transaction_without_a_savepoint(region_a, coordinator_a):
    outcome = _adult_police_outcome()
    data = police_values(region_a)
    with transaction.atomic(), CaptureQueriesContext(connection) as queries:
        register(coordinator_a, data, outcome)
    assert not [q["sql"] for q in queries if "SAVEPOINT" in q["sql"].upper()]
    assert Registration.objects.count() == 1


def test_repeat_registration_joins_the_open_case_of_its_region(
    client_for, coordinator_a, staff_data
):
    client = client_for(coordinator_a)
    client.post(URL, {**staff_data(), "step": "save", "person_choice": "new"})
    person = Person.objects.get()
    client.post(URL, {**staff_data(), "step": "save", "person_choice": str(person.pk)})
    assert Registration.objects.count() == 2
    assert Case.objects.count() == 1


def _tables(sql: str) -> set[str]:
    import re

    return set(re.findall(r'(?:FROM|INTO|UPDATE|JOIN)\s+"?(\w+)"?', sql))


@pytest.mark.parametrize("second_coordinator", [False, True])
def test_the_number_and_audit_locks_are_taken_last_in_a_staff_save(
    client_for, coordinator_a, region_a, staff_data, second_coordinator
):
    """After the registration number's row lock only the registration, the coordinator's
    e-mail and the audit event are written; after the audit chain head's, nothing but the
    event: every other save of the year waits for those few statements, not for the whole
    save (routing, the case, the code lists)."""
    if second_coordinator:  # routing then reads the open-case counts
        UserFactory(username="coordinator-a2", role=Role.COORDINATOR, regions=[region_a])
    client = client_for(coordinator_a)
    with CaptureQueriesContext(connection) as queries:
        response = client.post(URL, {**staff_data(), "step": "save", "person_choice": "new"})
    assert response.status_code == 302
    statements = [q["sql"] for q in queries.captured_queries]
    # The last statement on the sequence (the year's first number also creates its row).
    number = max(
        i for i, sql in enumerate(statements) if "registry_registrationnumbersequence" in sql
    )
    head = next(i for i, sql in enumerate(statements) if "registry_auditchainhead" in sql)
    after_number = set().union(*(_tables(sql) for sql in statements[number + 1 : head]))
    # On PostgreSQL the code lists ride in the registration's own INSERT (registry.carried):
    # no statement more after the lock. (SQLite writes them after it; it locks the whole
    # database for the transaction anyway.)
    code_lists = {
        "registry_registration_exploitation_forms",
        "registry_registration_means_of_control",
    }
    assert after_number <= {
        "registry_registration",
        "registry_outgoingmail",
        "django_tasks_database_dbtaskresult",
        *code_lists,
    }, after_number
    for sql in statements[number + 1 : head]:
        if _tables(sql) & code_lists and connection.vendor == "postgresql":
            assert 'INSERT INTO "registry_registration" ' in sql
    after_head = set().union(*(_tables(sql) for sql in statements[head + 1 :]))
    assert "registry_case" not in after_head and "registry_person" not in after_head
    assert Case.objects.filter(registration__number__isnull=False).count() == 1
