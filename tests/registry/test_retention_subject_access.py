"""Subject access (issue 17, item 4): an administrator with the permission
``registry.subject_access`` and a fresh second factor produces a file with every value held
about one person and the audit trail of who viewed or changed them; audited; no value in a
URL, the job's row or the audit trail."""

from __future__ import annotations

import json

import pytest
from django.contrib.auth.models import Group, Permission

from registry.choices import AuditAction, Role
from registry.models import AuditEvent, Job
from registry.second_factor import SESSION_KEY
from tests.factories import (
    CaseFactory,
    CaseNoteFactory,
    HandoverFactory,
    PersonFactory,
    PlacementFactory,
    RegistrationFactory,
    UserFactory,
)
from tests.jobs import run_jobs

pytestmark = pytest.mark.django_db

NAME = "Quillonetta-Zwartekop"
NOTE = "Planted note: the safe house at Lindelaan"


def grant(user):
    user.user_permissions.add(Permission.objects.get(codename="subject_access"))
    return user


@pytest.fixture
def person(region_a, region_b, coordinator_a):
    person = PersonFactory(family_name=NAME, phone="+31 6 9876 5432", notes=NOTE)
    RegistrationFactory(person=person, region=region_a)
    case = CaseFactory(person=person, region=region_a, coordinator=coordinator_a)
    CaseNoteFactory(case=case, author=coordinator_a, text=NOTE)
    HandoverFactory(case=case, to_region=region_b, requested_by=coordinator_a, reason=NOTE)
    PlacementFactory(case=case, placed_by=coordinator_a, reason=NOTE)
    return person


def _stale(client):
    session = client.session
    session[SESSION_KEY] = 0
    session.save()


def test_nobody_holds_the_permission_by_default(person, roles, client_for):
    superuser = UserFactory(username="root", role=Role.ADMINISTRATOR, is_superuser=True)
    for user in [*(u for u in roles.values() if u is not None), superuser]:
        response = client_for(user).get(f"/people/{person.pk}/subject-access/")
        assert response.status_code in (403, 404), user
    assert "/subject-access/" not in client_for(superuser).get(person.get_absolute_url()).text


def test_a_coordinator_with_the_permission_is_still_refused(person, coordinator_a, client_for):
    grant(coordinator_a)
    assert client_for(coordinator_a).get(f"/people/{person.pk}/subject-access/").status_code == 403


def test_the_permission_through_a_group_counts(person, administrator, client_for):
    group = Group.objects.create(name="privacy officers")
    group.permissions.add(Permission.objects.get(codename="subject_access"))
    administrator.groups.add(group)
    assert client_for(administrator).get(f"/people/{person.pk}/subject-access/").status_code == 200


def test_an_old_second_factor_is_asked_again(person, administrator, client_for):
    client = client_for(grant(administrator))
    _stale(client)
    response = client.get(f"/people/{person.pk}/subject-access/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/verify/?next=")
    assert client.post(f"/people/{person.pk}/subject-access/").status_code == 302
    assert not Job.objects.filter(kind=Job.Kind.SUBJECT_ACCESS).exists()


def test_the_file_holds_every_value_and_the_audit_trail(
    person, administrator, coordinator_a, client_for
):
    # The coordinator's case list shows the person: a list view naming the case's id.
    assert client_for(coordinator_a).get("/cases/").status_code == 200
    client = client_for(grant(administrator))
    # A view of the person before: it must be in the file's audit trail.
    assert client.get(person.get_absolute_url()).status_code == 200
    page = client.get(f"/people/{person.pk}/subject-access/", HTTP_ACCEPT_LANGUAGE="en")
    assert page.status_code == 200 and "GDPR art. 15" in page.text
    started = client.post(f"/people/{person.pk}/subject-access/")
    assert started.status_code == 302 and started["Location"].startswith("/jobs/")
    run_jobs()
    job = Job.objects.get(kind=Job.Kind.SUBJECT_ACCESS)
    assert job.status == Job.Status.DONE, job.failure
    download = client.get(started["Location"] + "download/")
    assert download.status_code == 200
    assert "no-store" in download["Cache-Control"]
    assert NAME not in download["Content-Disposition"]
    content = json.loads(download.content)
    assert content["person"]["family_name"] == NAME
    assert content["person"]["phone"] == "+31 6 9876 5432"
    assert len(content["registrations"]) == 1
    (case,) = content["cases"]
    assert case["notes"][0]["text"] == NOTE
    assert case["handovers"][0]["reason"] == NOTE
    assert case["placements"][0]["reason"] == NOTE
    screens = [e["details"].get("screen") for e in content["audit_trail"]]
    assert "person_detail" in screens
    case_id = case["id"]
    listed = [e for e in content["audit_trail"] if case_id in e["details"].get("cases", [])]
    assert listed and listed[0]["user"] == coordinator_a.username
    # Audited, without a value; the job's row and the URLs hold none either.
    events = AuditEvent.objects.filter(action=AuditAction.EXPORT, object_id=str(person.pk))
    assert [e.details["stage"] for e in events.order_by("id")] == ["started", "finished"]
    job_text = json.dumps([job.params, job.summary, job.failure])
    for event in events:
        assert NAME not in json.dumps(event.details) and NOTE not in json.dumps(event.details)
    assert NAME not in job_text and NOTE not in job_text
    assert NAME not in started["Location"]


def test_the_download_needs_a_fresh_second_factor_and_the_permission(
    person, administrator, client_for
):
    client = client_for(grant(administrator))
    started = client.post(f"/people/{person.pk}/subject-access/")
    run_jobs()
    _stale(client)
    assert client.get(started["Location"] + "download/").status_code == 403
    fresh = client_for(administrator)
    administrator.user_permissions.clear()
    assert fresh.get(started["Location"] + "download/").status_code == 403


def test_another_administrator_cannot_fetch_the_file(person, administrator, client_for):
    client = client_for(grant(administrator))
    started = client.post(f"/people/{person.pk}/subject-access/")
    run_jobs()
    other = grant(UserFactory(username="admin-2", role=Role.ADMINISTRATOR, is_staff=True))
    assert client_for(other).get(started["Location"] + "download/").status_code == 404


def test_a_person_who_does_not_exist_is_404(administrator, client_for):
    client = client_for(grant(administrator))
    assert (
        client.get("/people/00000000-0000-4000-8000-000000000000/subject-access/").status_code
        == 404
    )
