"""Consent decides the case (issue 14, item 1), from every way in.

CoMensha: registration may rest on a legal duty to report, care needs the person's consent.
A registration without consent to care is recorded and counted but opens no case, is routed
to no one and mails no one; the audit event gives the reason code. Consent recorded later
opens and routes the case and mails its coordinator once; withdrawn consent closes the case
and hides the personal fields from the coordinator.
"""

from __future__ import annotations

import pytest
from django.urls import reverse

from registry import once
from registry.choices import AuditAction, CaseStatus, ClosedReason, SubmissionStatus
from registry.models import AuditEvent, Case, OutgoingMail, Registration
from reports.aggregates import Period, count_registrations, counted_registrations
from tests.factories import PersonFactory, RegistrationFactory
from tests.intake.conftest import planted
from tests.intake.test_import import row, run, write_csv
from tests.outbox import run_ready_jobs

pytestmark = pytest.mark.django_db

EN = {"HTTP_ACCEPT_LANGUAGE": "en"}
REGISTER = "/intake/register/"


def counted(user) -> int:
    """The registrations the national statistics count (reports.aggregates)."""
    return count_registrations(counted_registrations(user, Period()), ["gender"]).total


def consent_url(registration) -> str:
    return reverse("intake:care_consent", args=[registration.pk])


def staff_save(client, data):
    return client.post(REGISTER, {**data, "step": "save", "person_choice": "new"})


def _no_case_event(registration) -> AuditEvent:
    return AuditEvent.objects.get(object_id=str(registration.pk), action=AuditAction.CREATE)


# The observation: a police "registration only" file without consent to care ----------------


def test_a_police_registration_only_file_without_consent_to_care_opens_no_case(
    client_for, coordinator_a, administrator, staff_data, mailoutbox
):
    response = staff_save(
        client_for(coordinator_a),
        staff_data(reporter_type="police", file_type="registration", consent_care=None),
    )
    assert response.status_code == 302
    registration = Registration.objects.get()
    assert registration.status == SubmissionStatus.ACCEPTED and not registration.consent_care
    assert not Case.objects.exists()
    assert not OutgoingMail.objects.exists()
    assert run_ready_jobs() == 0 and mailoutbox == []
    event = _no_case_event(registration)
    assert event.details["case"] == "none"
    assert event.details["no_case_reason"] == "no_consent_to_care"
    assert counted(administrator) == 1
    # The confirmation says so instead of naming a coordinator.
    page = client_for(coordinator_a).get(response.url, **EN).content.decode()
    assert "without consent to care no case is opened" in page


def test_with_consent_to_care_the_staff_save_still_opens_and_routes_the_case(
    client_for, coordinator_a, staff_data
):
    staff_save(client_for(coordinator_a), staff_data())
    assert Case.objects.get().coordinator == coordinator_a
    assert OutgoingMail.objects.count() == 1


def test_a_submission_without_consent_to_care_accepted_at_triage_opens_no_case(
    client_for, reporter, helpdesk, coordinator_a, administrator, reporter_data, mailoutbox
):
    client_for(reporter).post(reverse("intake:submit"), reporter_data(consent_care=None))
    registration = Registration.objects.get()
    desk = client_for(helpdesk)
    response = desk.post(
        reverse("intake:triage_detail", args=[registration.pk]), {"action": "accept"}, **EN
    )
    assert response.status_code == 302
    registration.refresh_from_db()
    assert registration.status == SubmissionStatus.ACCEPTED
    assert not Case.objects.exists()
    assert not OutgoingMail.objects.exists() and run_ready_jobs() == 0 and mailoutbox == []
    event = AuditEvent.objects.get(action=AuditAction.TRIAGE)
    assert event.details == {
        "decision": "accepted",
        "case": "none",
        "no_case_reason": "no_consent_to_care",
    }
    assert counted(administrator) == 1
    queue = desk.get(reverse("intake:triage"), **EN).content.decode()
    assert "did not consent to care" in queue


def test_an_imported_row_without_consent_to_care_opens_no_case_and_is_counted(
    tmp_path, region_a, coordinator_a, administrator
):
    run(write_csv(tmp_path, [row(1, consent_care="no"), row(2, consent_care="")]))
    assert Registration.objects.count() == 2
    assert not Case.objects.exists() and not OutgoingMail.objects.exists()
    assert counted(administrator) == 2
    details = AuditEvent.objects.get(action=AuditAction.IMPORT).details
    assert details["cases_opened"] == 0 and details["without_consent_to_care"] == 2


# Consent given later -------------------------------------------------------------------------


def _without_consent(region, **kwargs):
    person = PersonFactory(family_name=planted("Family"), phone=planted("+31"))
    return RegistrationFactory(person=person, region=region, consent_care=False, **kwargs)


def test_consent_recorded_later_opens_and_routes_the_case_and_mails_once(
    client_for, coordinator_a, region_a, mailoutbox
):
    registration = _without_consent(region_a, residence_status="reflection_period")
    client = client_for(coordinator_a)
    page = client.get(consent_url(registration), **EN)
    assert page.status_code == 200 and registration.number in page.content.decode()
    response = client.post(consent_url(registration), {"consent": "given"})
    case = Case.objects.get()
    assert response.status_code == 302 and response.url == case.get_absolute_url()
    assert case.coordinator == coordinator_a and case.registration == registration
    assert case.residence_status == "reflection_period"
    assert case.reflection_start == registration.registered_on
    registration.refresh_from_db()
    assert registration.consent_care
    # Recording it again changes nothing and mails nobody a second time.
    client.post(consent_url(registration), {"consent": "given"})
    assert Case.objects.count() == 1
    assert run_ready_jobs() == 1
    assert [m.to for m in mailoutbox] == [[coordinator_a.email]]
    events = AuditEvent.objects.filter(action=AuditAction.CHANGE, details__screen="care_consent")
    assert events.count() == 2
    for event in events:
        assert set(event.details) == {"fields", "screen", "care_consent", "case"}
        assert registration.person.family_name not in str(event.details)


def test_consent_for_an_imported_registration_opens_its_case(
    tmp_path, client_for, region_a, coordinator_a
):
    run(write_csv(tmp_path, [row(1, consent_care="no")]))
    registration = Registration.objects.get()
    client_for(coordinator_a).post(consent_url(registration), {"consent": "given"})
    assert Case.objects.get().registration == registration


def test_the_person_page_links_to_recording_consent(client_for, coordinator_a, region_a):
    registration = _without_consent(region_a)
    page = client_for(coordinator_a).get(registration.person.get_absolute_url(), **EN)
    html = page.content.decode()
    assert consent_url(registration) in html and "no consent to care" in html


def test_consent_of_another_regions_registration_is_not_found(client_for, coordinator_b, region_a):
    registration = _without_consent(region_a)
    client = client_for(coordinator_b)
    assert client.get(consent_url(registration)).status_code == 404
    assert client.post(consent_url(registration), {"consent": "given"}).status_code == 404
    assert not Case.objects.exists()


def test_a_submission_awaiting_triage_gets_its_consent_at_triage_not_here(
    client_for, helpdesk, region_a
):
    registration = _without_consent(region_a, status=SubmissionStatus.SUBMITTED)
    response = client_for(helpdesk).post(consent_url(registration), {"consent": "given"})
    assert response.status_code == 404 and not Case.objects.exists()


def test_reporters_may_not_record_consent(client_for, reporter, region_a):
    registration = _without_consent(region_a, submitted_by=reporter)
    assert client_for(reporter).get(consent_url(registration)).status_code == 403


@pytest.mark.parametrize("value", ["", "yes", "given; withdrawn", "closed"])
def test_a_tampered_consent_value_is_refused_and_nothing_changes(
    client_for, coordinator_a, region_a, value
):
    registration = _without_consent(region_a)
    response = client_for(coordinator_a).post(consent_url(registration), {"consent": value}, **EN)
    assert response.status_code == 200
    assert "Nothing was saved" in response.content.decode()
    assert not Case.objects.exists()


def test_a_missing_or_foreign_once_token_saves_nothing(
    client_for, coordinator_a, coordinator_b, region_a
):
    registration = _without_consent(region_a)
    client = client_for(coordinator_a)
    for token in ["", "tampered", once.new_token(coordinator_b)]:
        response = client.post(
            consent_url(registration), {"consent": "given", "once_token": token}, **EN
        )
        assert response.status_code == 200
        assert "could not be confirmed as sent once" in response.content.decode()
    assert not Case.objects.exists()


# Consent withdrawn ---------------------------------------------------------------------------


def test_withdrawn_consent_closes_the_case_and_hides_the_personal_fields(
    client_for, coordinator_a, administrator, region_a
):
    family, phone = planted("Family"), planted("+31")
    person = PersonFactory(family_name=family, phone=phone)
    registration = RegistrationFactory(person=person, region=region_a, consent_care=True)
    client = client_for(coordinator_a)
    client.post(consent_url(registration), {"consent": "given"})
    case = Case.objects.get()
    assert family in client.get(case.get_absolute_url()).content.decode()

    response = client.post(consent_url(registration), {"consent": "withdrawn"})
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.status == CaseStatus.CLOSED
    assert case.closed_reason == ClosedReason.CONSENT_WITHDRAWN
    registration.refresh_from_db()
    assert not registration.consent_care
    for url in (case.get_absolute_url(), person.get_absolute_url()):
        html = client.get(url, **EN).content.decode()
        assert family not in html and phone not in html
        assert "withdrew consent to care" in html
    assert client.get(reverse("registry:person_edit", args=[person.pk])).status_code == 403
    # Kept for the retention period: the administrator still reads them.
    person.refresh_from_db()
    assert person.family_name == family
    assert family in client_for(administrator).get(person.get_absolute_url()).content.decode()
    # The case's timeline says why it closed.
    assert "consent to care withdrawn" in client.get(case.get_absolute_url(), **EN).content.decode()


def test_consent_given_again_opens_a_new_case_and_shows_the_person_again(
    client_for, coordinator_a, region_a
):
    family = planted("Family")
    registration = RegistrationFactory(
        person=PersonFactory(family_name=family), region=region_a, consent_care=True
    )
    client = client_for(coordinator_a)
    client.post(consent_url(registration), {"consent": "given"})
    client.post(consent_url(registration), {"consent": "withdrawn"})
    client.post(consent_url(registration), {"consent": "given"})
    assert Case.objects.open().count() == 1 and Case.objects.count() == 2
    case = Case.objects.open().get()
    assert family in client.get(case.get_absolute_url()).content.decode()


def test_the_nidos_route_is_shown_without_consent_to_care_too(
    client_for, coordinator_a, staff_data
):
    """Guardianship by Nidos does not wait for consent to care: the confirmation still shows
    the route for an unaccompanied minor without lawful residence, though no case opened."""
    client = client_for(coordinator_a)
    data = staff_data(
        date_of_birth="",
        estimated_age="15",
        unaccompanied_minor="on",
        residence_status="no_status",
        consent_signed_by="guardian",
        consent_care=None,
    )
    response = staff_save(client, data)
    assert not Case.objects.exists()
    assert 'id="nidos-route"' in client.get(response["Location"]).content.decode()
