"""Reporter submissions and the help desk's triage queue."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse

from registry.choices import AuditAction, SubmissionStatus
from registry.models import AuditEvent, Case, Person, Registration
from tests.factories import PersonFactory, RegistrationFactory
from tests.outbox import run_ready_jobs

pytestmark = pytest.mark.django_db


def submit(client, data):
    return client.post(reverse("intake:submit"), data)


def test_reporter_submission_lands_in_triage_with_a_number(
    client_for, reporter, helpdesk, reporter_data
):
    response = submit(client_for(reporter), reporter_data())
    registration = Registration.objects.get()
    assert response.status_code == 302
    assert registration.status == SubmissionStatus.SUBMITTED
    assert registration.submitted_by == reporter
    assert registration.organisation == reporter.organisation
    assert registration.reporter_type == reporter.organisation.reporter_type
    assert not Case.objects.exists()
    queue = client_for(helpdesk).get(reverse("intake:triage"))
    assert registration.number in queue.content.decode()


def test_reporter_form_error_keeps_typed_values(client_for, reporter, reporter_data):
    from tests.intake.formstate import assert_round_trip

    data = reporter_data(estimated_age="200", date_of_birth="")
    response = submit(client_for(reporter), data)
    assert response.status_code == 200
    assert "estimated_age" in response.context["form"].errors
    assert_round_trip(response.content.decode(), data)
    assert not Registration.objects.exists()


def test_reporter_without_consent_gives_anonymous_submission(client_for, reporter, reporter_data):
    html = client_for(reporter).get(reverse("intake:submit")).content.decode()
    assert 'id="anonymity-notice" class="alert alert-warning"' in html  # said before saving
    submit(client_for(reporter), reporter_data(consent_registration="", consent_signed_by=""))
    person = Person.objects.get()
    assert person.is_anonymous
    assert not person.has_personal_data()


def test_planted_personal_values_appear_on_no_page_a_reporter_can_reach(
    client_for, reporter, reporter_data, helpdesk
):
    client = client_for(reporter)
    data = reporter_data(immediate_danger="on")
    response = submit(client, data)
    registration = Registration.objects.get()
    pages = [
        response["Location"],
        reverse("home"),
        reverse("intake:submit"),
        reverse("intake:my_submissions"),
        reverse("intake:my_submissions") + "?sort=number&number_part=" + registration.number[:4],
        reverse("intake:submitted", args=[registration.pk]),
    ]
    # Also after the help desk has accepted it (status changes, data now in a case).
    client_for(helpdesk).post(
        reverse("intake:triage_detail", args=[registration.pk]), {"action": "accept"}
    )
    forbidden = [
        reverse("intake:triage"),
        reverse("intake:triage_detail", args=[registration.pk]),
        reverse("intake:register"),
        reverse("registry:case_list"),
        reverse("registry:case_detail", args=[Case.objects.get().pk]),
        reverse("admin:index"),
        f"/admin/registry/person/{registration.person.pk}/change/",
        f"/admin/registry/registration/{registration.pk}/change/",
    ]
    secrets = [data[k] for k in ("given_names", "family_name", "phone", "email", "languages")]
    secrets += ["1990-01-02", "02-01-1990", "2 januari 1990", "Jan. 2, 1990"]
    for url in pages + forbidden:
        page = client.get(url, follow=True)
        body = page.content.decode()
        for secret in secrets:
            assert secret not in body, (url, secret)
    mine = client.get(reverse("intake:my_submissions")).content.decode()
    assert registration.number in mine
    assert "accepted" in mine or "geaccepteerd" in mine


def test_reporter_sees_only_their_own_submissions(client_for, reporter, reporter_data, region_a):
    other = RegistrationFactory(region=region_a)
    submit(client_for(reporter), reporter_data())
    html = client_for(reporter).get(reverse("intake:my_submissions")).content.decode()
    assert other.number not in html
    response = client_for(reporter).get(reverse("intake:submitted", args=[other.pk]))
    assert response.status_code == 404


def test_staff_cannot_use_the_reporter_form(client_for, coordinator_a):
    assert client_for(coordinator_a).get(reverse("intake:submit")).status_code == 403


@pytest.mark.parametrize("who", ["reporter", "coordinator_a"])
def test_only_help_desk_and_administrators_triage(roles, client_for, who):
    assert client_for(roles[who]).get(reverse("intake:triage")).status_code == 403


def test_accept_opens_and_routes_a_case(
    client_for,
    reporter,
    helpdesk,
    coordinator_a,
    reporter_data,
    mailoutbox,
):
    submit(client_for(reporter), reporter_data())
    registration = Registration.objects.get()
    response = client_for(helpdesk).post(
        reverse("intake:triage_detail", args=[registration.pk]), {"action": "accept"}
    )
    assert response.status_code == 302
    registration.refresh_from_db()
    assert registration.status == SubmissionStatus.ACCEPTED
    assert Case.objects.get().coordinator == coordinator_a
    assert run_ready_jobs() == 1
    assert [m.to for m in mailoutbox] == [[coordinator_a.email]]
    assert AuditEvent.objects.filter(action="triage", details__decision="accepted").exists()


def test_merge_links_the_submission_to_the_existing_person(
    client_for, reporter, helpdesk, region_c, reporter_data
):
    existing = PersonFactory(
        given_names="Ivana", family_name="Petrova", date_of_birth=datetime.date(1990, 1, 2)
    )
    RegistrationFactory(person=existing, region=region_c)
    submit(
        client_for(reporter),
        reporter_data(given_names="Ivana", family_name="Petrova", found_in_municipality="Utrecht"),
    )
    submission = Registration.objects.get(status=SubmissionStatus.SUBMITTED)
    url = reverse("intake:triage_detail", args=[submission.pk])
    page = client_for(helpdesk).get(url)
    assert [m.person for m in page.context["matches"]] == [existing]
    response = client_for(helpdesk).post(url, {"action": "merge", "merge_with": str(existing.pk)})
    assert response.status_code == 302
    submission.refresh_from_db()
    assert submission.status == SubmissionStatus.MERGED
    assert submission.person == existing
    assert Person.objects.count() == 1
    assert Case.objects.get().person == existing


def test_merge_only_with_an_offered_match(client_for, reporter, helpdesk, reporter_data):
    stranger = PersonFactory()
    submit(client_for(reporter), reporter_data())
    submission = Registration.objects.get()
    response = client_for(helpdesk).post(
        reverse("intake:triage_detail", args=[submission.pk]),
        {"action": "merge", "merge_with": str(stranger.pk)},
    )
    assert response.status_code == 200
    # With no possible match, merging is not even offered.
    assert "action" in response.context["form"].errors
    submission.refresh_from_db()
    assert submission.status == SubmissionStatus.SUBMITTED


def test_reject_needs_a_reason_and_keeps_it_from_the_reporter(
    client_for, reporter, helpdesk, reporter_data
):
    submit(client_for(reporter), reporter_data())
    submission = Registration.objects.get()
    url = reverse("intake:triage_detail", args=[submission.pk])
    response = client_for(helpdesk).post(url, {"action": "reject", "reason": ""})
    assert "reason" in response.context["form"].errors
    client_for(helpdesk).post(url, {"action": "reject", "reason": "Test report, not real"})
    submission.refresh_from_db()
    assert submission.status == SubmissionStatus.REJECTED
    assert submission.triage_note == "Test report, not real"
    assert not Case.objects.exists()
    html = client_for(reporter).get(reverse("intake:my_submissions")).content.decode()
    assert "Test report, not real" not in html


def test_opening_a_submission_is_audited_as_a_personal_data_view(
    client_for, reporter, helpdesk, reporter_data
):
    submit(client_for(reporter), reporter_data())
    submission = Registration.objects.get()
    client_for(helpdesk).get(reverse("intake:triage_detail", args=[submission.pk]))
    assert AuditEvent.objects.filter(action="view_personal", details__screen="triage").exists()


@pytest.mark.parametrize(
    ("role", "url"), [("helpdesk", "/intake/triage/"), ("reporter", "/intake/submissions/")]
)
def test_number_searches_are_posted_and_a_name_typed_there_reaches_no_url(
    roles, client_for, reporter, region_a, role, url
):
    """The triage queue and a reporter's list search reference numbers; a name typed in the
    box by mistake finds nothing and travels nowhere."""
    wanted = RegistrationFactory(
        region=region_a, status=SubmissionStatus.SUBMITTED, submitted_by=reporter
    )
    RegistrationFactory(region=region_a, status=SubmissionStatus.SUBMITTED, submitted_by=reporter)
    client = client_for(roles[role])
    digits = wanted.number.split("-")[1]
    response = client.post(url, {"q": digits, "sort": "date"})
    assert response.status_code == 302 and f"number_part={digits}" in response.url
    page = client.get(response.url)
    assert [r.pk for r in page.context["page"]] == [wanted.pk]
    assert page.context["page"].paginator.count == 1
    name = "Zwartekoppenstraat"
    response = client.post(url, {"q": name})
    assert response.status_code == 302 and name not in response.url
    page = client.get(response.url)
    assert name not in page.text and list(page.context["page"]) == []
    events = AuditEvent.objects.filter(action=AuditAction.SEARCH).order_by("id")
    assert [(e.details["kind"], e.details["results"]) for e in events] == [
        ("number_part", 1),
        ("number_part", 0),
    ]
    assert name not in str([e.details for e in events])
    # A term put into the URL by hand is ignored, not searched or carried.
    assert len(client.get(url + "?q=" + digits).context["page"]) == 2
