"""The personal export is granted by two people and ends after 24 hours (issue 10, item 5).

One administrator requests a grant for a user with a reason; another administrator (not the
requester, not the grantee) approves it; the grantee may export until 24 hours after the
approval. Every step is an ``export_grant`` audit event with ids and codes only.
"""

from __future__ import annotations

import datetime
import io
import threading
import uuid
from typing import Any

import pytest
from django.contrib.messages import get_messages
from django.core.management import call_command
from django.db import connection
from django.urls import reverse
from django.utils import timezone, translation

from registry.access import may_export_personal
from registry.choices import AuditAction, Role
from registry.models import AuditEvent
from reports.models import GRANT_LIFETIME, ExportGrant, GrantRefused
from tests.factories import RegistrationFactory, UserFactory
from tests.registry.test_encryption import raw_column, whole_database_bytes
from tests.reports.personal_exports import download, job_url, open_archive, shown_password
from tests.reports.personal_exports import start as start_export

pytestmark = pytest.mark.django_db

# Planted in every reason: people write names there, so it must never surface in clear.
REASON = "Court order 2026/117 about Quillonetta Zwartekoppenstraat"
SECRET = "Quillonetta"


@pytest.fixture
def exporter(db):
    """The administrator who needs the export (the grantee)."""
    return UserFactory(username="exporter", role=Role.ADMINISTRATOR)


@pytest.fixture
def approver(db):
    return UserFactory(username="admin-2", role=Role.ADMINISTRATOR)


@pytest.fixture
def superuser(db):
    return UserFactory(username="root", role=Role.ADMINISTRATOR, is_superuser=True)


def add_url() -> str:
    return reverse("admin:reports_exportgrant_add")


def step_url(step: str, grant: Any) -> str:
    return reverse(f"admin:reports_exportgrant_{step}", args=[getattr(grant, "pk", grant)])


def change_url(grant: ExportGrant) -> str:
    return reverse("admin:reports_exportgrant_change", args=[grant.pk])


def grant_events(grant: ExportGrant | None = None) -> list[AuditEvent]:
    events = AuditEvent.objects.filter(action=AuditAction.EXPORT_GRANT)
    if grant is not None:
        events = events.filter(object_id=str(grant.pk))
    return list(events.order_by("id"))


def steps(grant: ExportGrant | None = None) -> list[str]:
    return [event.details["step"] for event in grant_events(grant)]


def messages_of(response: Any) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


def shown(english: str) -> str:
    """``english`` as the pages show it (Dutch, the default language)."""
    with translation.override("nl"):
        return translation.gettext(english)


def errors_of(response: Any) -> str:
    with translation.override("nl"):
        return str(response.context["adminform"].form.errors)


def snapshot(grant: ExportGrant) -> dict[str, Any]:
    """Every stored column of the grant, raw (the reason as its token)."""
    fresh = ExportGrant.objects.values().get(pk=grant.pk)
    fresh["reason"] = raw_column(ExportGrant, "reason", grant.pk)
    return fresh


def request_grant(client: Any, grantee: Any, reason: str = REASON, **extra: Any) -> Any:
    return client.post(add_url(), {"grantee": str(grantee.pk), "reason": reason, **extra})


def pending(grantee: Any, requested_by: Any) -> ExportGrant:
    return ExportGrant.request(grantee, requested_by, REASON)


def approved(grantee: Any, requested_by: Any, approved_by: Any) -> ExportGrant:
    grant = pending(grantee, requested_by)
    grant.approve(approved_by)
    return grant


def age(grant: ExportGrant, by: datetime.timedelta) -> None:
    """Move the grant's approval and expiry into the past, as if ``by`` had gone by."""
    grant.refresh_from_db()
    ExportGrant.objects.filter(pk=grant.pk).update(
        decided_at=grant.decided_at - by, expires_at=grant.expires_at - by
    )


# The two-person flow, end to end through the admin ----------------------------------------


def test_two_administrators_grant_the_export_for_24_hours_and_its_end_is_audited_once(
    administrator, exporter, approver, client_for
):
    RegistrationFactory(age_at_registration=30)
    admin_1, admin_2 = client_for(administrator), client_for(approver)
    grantee = client_for(exporter)
    assert start_export(grantee).status_code == 403

    # Admin 1 requests it for the exporter, with a reason.
    assert request_grant(admin_1, exporter).status_code == 302
    grant = ExportGrant.objects.get()
    assert (grant.grantee, grant.requested_by, grant.status) == (
        exporter,
        administrator,
        ExportGrant.Status.PENDING,
    )
    assert not may_export_personal(exporter)

    # Neither the requester nor the grantee may approve it.
    for client, why in [
        (admin_1, "You requested this grant: another administrator must approve it."),
        (grantee, "This grant is for you: another administrator must approve it."),
    ]:
        response = client.post(step_url("approve", grant))
        assert response.status_code == 302
        assert shown(why) in messages_of(response)
    grant.refresh_from_db()
    assert grant.status == ExportGrant.Status.PENDING
    assert start_export(grantee).status_code == 403

    # Admin 2 sees the request with its reason and approves it.
    page = admin_2.get(change_url(grant))
    assert REASON in page.content.decode()
    assert step_url("approve", grant) in page.content.decode()
    assert admin_2.post(step_url("approve", grant)).status_code == 302
    grant.refresh_from_db()
    assert grant.status == ExportGrant.Status.APPROVED
    assert grant.decided_by == approver
    assert grant.expires_at == grant.decided_at + GRANT_LIFETIME

    started = start_export(grantee)
    archive = download(grantee, started)
    assert archive.status_code == 200
    assert open_archive(archive.content, shown_password(started))[1].startswith(
        b"registration_number"
    )

    # 24 hours later: refused, and the expiry is in the trail, once; the file made while the
    # grant was in force is no longer handed out either.
    age(grant, GRANT_LIFETIME)
    assert start_export(grantee).status_code == 403
    assert grantee.get(job_url(started) + "download/").status_code == 403
    job_page = grantee.get(job_url(started)).content.decode()
    assert (
        "You may not download this file now" in job_page
        or "U mag dit bestand nu niet downloaden" in job_page
    ) and "download/" not in job_page
    assert not may_export_personal(exporter)
    call_command("expire_export_grants", stdout=io.StringIO())
    admin_2.get(reverse("admin:reports_exportgrant_changelist"))

    grant.refresh_from_db()
    assert grant.status == ExportGrant.Status.EXPIRED
    assert steps(grant) == ["requested", "approved", "expired"]
    requested, approval, expiry = grant_events(grant)
    assert requested.actor_id == administrator.pk
    assert approval.actor_id == approver.pk
    assert expiry.actor_id is None
    assert expiry.details == {
        "step": "expired",
        "grantee": exporter.pk,
        "requested_by": administrator.pk,
    }


def test_an_administrator_may_ask_for_themself_but_someone_else_approves(
    administrator, approver, client_for
):
    request_grant(client_for(administrator), administrator)
    grant = ExportGrant.objects.get()

    client_for(administrator).post(step_url("approve", grant))
    assert not may_export_personal(administrator)

    client_for(approver).post(step_url("approve", grant))
    assert may_export_personal(administrator)


def test_the_grant_lasts_exactly_24_hours_from_approval(administrator, exporter, approver):
    grant = pending(exporter, administrator)
    at = timezone.now()
    grant.approve(approver, now=at)

    assert ExportGrant.holds_active(
        exporter, now=at + GRANT_LIFETIME - datetime.timedelta(milliseconds=1)
    )
    assert not ExportGrant.holds_active(exporter, now=at + GRANT_LIFETIME)
    assert steps(grant) == ["requested", "approved", "expired"]


def test_the_expiry_command_is_safe_to_run_twice(administrator, exporter, approver):
    grant = approved(exporter, administrator, approver)
    age(grant, GRANT_LIFETIME)
    out = io.StringIO()

    call_command("expire_export_grants", stdout=out)
    call_command("expire_export_grants", stdout=out)

    assert out.getvalue().splitlines() == [
        "1 personal-export grant(s) recorded as expired",
        "0 personal-export grant(s) recorded as expired",
    ]
    assert steps(grant) == ["requested", "approved", "expired"]


def test_a_superuser_needs_a_grant_and_cannot_approve_their_own(
    superuser, administrator, client_for
):
    assert not may_export_personal(superuser)
    request_grant(client_for(superuser), superuser)
    grant = ExportGrant.objects.get()

    client_for(superuser).post(step_url("approve", grant))
    grant.refresh_from_db()
    assert grant.status == ExportGrant.Status.PENDING

    client_for(administrator).post(step_url("approve", grant))
    assert may_export_personal(superuser)


def test_a_superuser_cannot_approve_a_request_they_made_for_someone_else(
    superuser, exporter, client_for
):
    grant = pending(exporter, superuser)
    client_for(superuser).post(step_url("approve", grant))
    grant.refresh_from_db()
    assert grant.status == ExportGrant.Status.PENDING


def test_refusal_is_audited_and_leaves_no_power(administrator, exporter, approver, client_for):
    grant = pending(exporter, administrator)

    response = client_for(approver).post(step_url("refuse", grant))

    assert response.status_code == 302
    grant.refresh_from_db()
    assert grant.status == ExportGrant.Status.REFUSED
    assert grant.decided_by == approver
    assert not may_export_personal(exporter)
    assert steps(grant) == ["requested", "refused"]


def test_an_active_grant_can_be_revoked_early(administrator, exporter, approver, client_for):
    grant = approved(exporter, administrator, approver)
    assert may_export_personal(exporter)

    client_for(administrator).post(step_url("revoke", grant))

    grant.refresh_from_db()
    assert grant.status == ExportGrant.Status.REVOKED
    assert grant.ended_by == administrator
    assert not may_export_personal(exporter)
    assert steps(grant) == ["requested", "approved", "revoked"]


def test_a_grantee_who_is_no_longer_an_administrator_cannot_export(
    administrator, exporter, approver
):
    approved(exporter, administrator, approver)
    exporter.role = Role.COORDINATOR
    exporter.save()
    assert not may_export_personal(exporter)


def test_one_open_grant_per_user_and_a_new_one_after_expiry(
    administrator, exporter, approver, client_for
):
    grant = approved(exporter, administrator, approver)

    response = request_grant(client_for(approver), exporter)
    assert response.status_code == 200
    assert shown("This user already has a grant awaiting approval or in force.") in errors_of(
        response
    )
    assert ExportGrant.objects.count() == 1

    age(grant, GRANT_LIFETIME)
    assert request_grant(client_for(approver), exporter).status_code == 302
    assert ExportGrant.objects.filter(status=ExportGrant.Status.PENDING).count() == 1
    # The old grant's expiry was recorded on the way.
    assert steps(grant) == ["requested", "approved", "expired"]


# The list ---------------------------------------------------------------------------------


def test_the_list_shows_pending_and_active_grants_with_who_when_and_expiry(
    administrator, exporter, approver, client_for
):
    active = approved(exporter, administrator, approver)
    other = UserFactory(username="admin-waiting", role=Role.ADMINISTRATOR)
    waiting = pending(other, administrator)
    refused_for = UserFactory(username="admin-refused", role=Role.ADMINISTRATOR)
    pending(refused_for, administrator).refuse(approver)

    response = client_for(approver).get(reverse("admin:reports_exportgrant_changelist"))

    shown = list(response.context["cl"].result_list)
    assert set(shown) == {active, waiting}
    page = response.content.decode()
    assert "admin-waiting" in page and "exporter" in page and "admin-refused" not in page
    assert timezone.localtime(active.expires_at).strftime("%Y") in page
    everything = client_for(approver).get(
        reverse("admin:reports_exportgrant_changelist") + "?state=all"
    )
    assert len(everything.context["cl"].result_list) == 3
    odd = client_for(approver).get(reverse("admin:reports_exportgrant_changelist") + "?state=x")
    assert odd.status_code == 200


def test_the_list_records_an_expiry_it_finds(administrator, exporter, approver, client_for):
    grant = approved(exporter, administrator, approver)
    age(grant, GRANT_LIFETIME)

    response = client_for(approver).get(reverse("admin:reports_exportgrant_changelist"))

    assert list(response.context["cl"].result_list) == []  # no longer pending or active
    assert steps(grant) == ["requested", "approved", "expired"]


# Forged and refused posts: the database stays as it was -------------------------------------


def test_forged_fields_in_a_request_are_ignored(administrator, exporter, approver, client_for):
    tomorrow = (timezone.now() + datetime.timedelta(days=30)).isoformat()
    request_grant(
        client_for(administrator),
        exporter,
        status="approved",
        requested_by=str(approver.pk),
        decided_by=str(approver.pk),
        decided_at=tomorrow,
        expires_at=tomorrow,
        id=str(uuid.uuid4()),
    )

    grant = ExportGrant.objects.get()
    assert grant.status == ExportGrant.Status.PENDING
    assert grant.requested_by == administrator
    assert grant.decided_by is None and grant.expires_at is None
    assert not may_export_personal(exporter)


@pytest.mark.parametrize(
    "grantee",
    ["coordinator", "inactive", "missing", "not-a-number", "reporter"],
)
def test_a_request_for_someone_who_may_not_export_is_refused(
    grantee, administrator, coordinator_a, reporter, client_for
):
    inactive = UserFactory(username="gone", role=Role.ADMINISTRATOR, is_active=False)
    value = {
        "coordinator": str(coordinator_a.pk),
        "inactive": str(inactive.pk),
        "missing": "999999",
        "not-a-number": "x' OR 1=1",
        "reporter": str(reporter.pk),
    }[grantee]

    response = client_for(administrator).post(add_url(), {"grantee": value, "reason": REASON})

    assert response.status_code == 200
    assert "grantee" in response.context["adminform"].form.errors
    assert not ExportGrant.objects.exists()
    assert grant_events() == []


@pytest.mark.parametrize("reason", ["", "   ", "x" * 1001])
def test_a_request_needs_a_reason_of_sensible_length(reason, administrator, exporter, client_for):
    response = request_grant(client_for(administrator), exporter, reason=reason)
    assert response.status_code == 200
    assert "reason" in response.context["adminform"].form.errors
    assert not ExportGrant.objects.exists()


def test_forged_fields_in_an_approval_are_ignored(administrator, exporter, approver, client_for):
    grant = pending(exporter, administrator)
    other = UserFactory(username="someone-else", role=Role.ADMINISTRATOR)

    client_for(approver).post(
        step_url("approve", grant),
        {
            "grantee": str(other.pk),
            "expires_at": "2099-01-01T00:00:00Z",
            "decided_by": str(administrator.pk),
            "status": "approved",
        },
    )

    grant.refresh_from_db()
    assert grant.grantee == exporter
    assert grant.decided_by == approver
    assert grant.expires_at == grant.decided_at + GRANT_LIFETIME
    assert not may_export_personal(other)


@pytest.mark.parametrize("object_id", ["not-a-uuid", str(uuid.uuid4()), "1 OR 1=1"])
@pytest.mark.parametrize("step", ["approve", "refuse", "revoke"])
def test_a_step_on_an_unknown_grant_is_404(step, object_id, approver, client_for):
    assert client_for(approver).post(step_url(step, object_id)).status_code == 404


@pytest.mark.parametrize("state", ["refused", "expired", "revoked", "approved", "past_expiry"])
def test_approving_a_grant_that_is_not_pending_changes_nothing(
    state, administrator, exporter, approver, client_for
):
    third = UserFactory(username="admin-3", role=Role.ADMINISTRATOR)
    grant = pending(exporter, administrator)
    if state == "refused":
        grant.refuse(third)
    else:
        grant.approve(third)
    if state == "expired":
        age(grant, GRANT_LIFETIME)
        ExportGrant.expire_due()
    if state == "revoked":
        grant.revoke(third)
    if state == "past_expiry":  # expired but nobody has looked yet
        age(grant, GRANT_LIFETIME)
    before, events = snapshot(grant), steps()
    before_status = before["status"]

    response = client_for(approver).post(step_url("approve", grant))

    assert response.status_code == 302
    assert messages_of(response) == [
        shown(
            "This grant was already decided, has expired or was revoked: nothing was done. "
            "Reload the page to see where it stands."
        )
    ]
    after = snapshot(grant)
    if state == "past_expiry":
        # Looking at it recorded the expiry; nothing else changed.
        assert after["status"] == ExportGrant.Status.EXPIRED
        assert steps()[len(events) :] == ["expired"]
    else:
        assert after == before
        assert after["status"] == before_status
        assert steps() == events
    assert may_export_personal(exporter) == (state == "approved")


@pytest.mark.parametrize("user", ["coordinator_a", "helpdesk", "reporter"])
def test_other_roles_can_take_no_step(user, roles, administrator, exporter, client_for):
    grant = pending(exporter, administrator)
    before = snapshot(grant)
    client = client_for(roles[user])
    for step in ("approve", "refuse"):
        assert client.post(step_url(step, grant)).status_code in (302, 403)
    assert client.post(add_url(), {"grantee": exporter.pk, "reason": REASON}).status_code in (
        302,
        403,
    )
    assert snapshot(grant) == before
    assert ExportGrant.objects.count() == 1


def test_a_posted_change_form_is_refused(administrator, exporter, approver, client_for):
    grant = pending(exporter, administrator)
    before = snapshot(grant)

    response = client_for(approver).post(
        change_url(grant), {"status": "approved", "grantee": str(approver.pk), "reason": "x"}
    )

    assert response.status_code == 403
    assert snapshot(grant) == before


def test_the_model_refuses_the_same_steps_without_the_admin(administrator, exporter, approver):
    grant = pending(exporter, administrator)
    with pytest.raises(GrantRefused):
        grant.approve(administrator)
    with pytest.raises(GrantRefused):
        grant.approve(exporter)
    coordinator = UserFactory(username="coord", role=Role.COORDINATOR)
    with pytest.raises(GrantRefused):
        grant.approve(coordinator)
    with pytest.raises(GrantRefused):
        ExportGrant.request(coordinator, administrator, REASON)
    with pytest.raises(GrantRefused):
        ExportGrant.request(exporter, approver, REASON)  # one is already pending
    assert steps() == ["requested"]


# The reason stays secret ------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_the_reason_is_never_in_the_raw_database_or_the_audit_trail(tmp_path, client_for):
    administrator = UserFactory(username="admin", role=Role.ADMINISTRATOR)
    exporter = UserFactory(username="exporter", role=Role.ADMINISTRATOR)
    approver = UserFactory(username="admin-2", role=Role.ADMINISTRATOR)
    request_grant(client_for(administrator), exporter)
    grant = ExportGrant.objects.get()
    client_for(approver).post(step_url("approve", grant))
    age(grant, GRANT_LIFETIME)
    ExportGrant.expire_due()

    assert raw_column(ExportGrant, "reason", grant.pk).startswith("v1:")
    assert SECRET.encode() not in whole_database_bytes(tmp_path)
    details = str([event.details for event in AuditEvent.objects.all()])
    assert SECRET not in details
    assert "expired" in details  # control: the events are there
    assert ExportGrant.objects.get().reason == REASON


# Concurrency (PostgreSQL row locks) -------------------------------------------------------


def _at_once(count: int, work: Any) -> list[BaseException | None]:
    start = threading.Barrier(count)
    outcomes: list[BaseException | None] = [None] * count

    def run(index: int) -> None:
        try:
            start.wait()
            work(index)
        except BaseException as error:  # noqa: BLE001 - reported by the main thread
            outcomes[index] = error
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return outcomes


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_expiry_checks_record_the_expiry_once():
    administrator = UserFactory(username="admin", role=Role.ADMINISTRATOR)
    exporter = UserFactory(username="exporter", role=Role.ADMINISTRATOR)
    approver = UserFactory(username="admin-2", role=Role.ADMINISTRATOR)
    grant = approved(exporter, administrator, approver)
    age(grant, GRANT_LIFETIME)

    outcomes = _at_once(6, lambda i: may_export_personal(exporter))

    assert outcomes == [None] * 6
    assert steps(grant) == ["requested", "approved", "expired"]


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_approvers_at_once_approve_once():
    administrator = UserFactory(username="admin", role=Role.ADMINISTRATOR)
    exporter = UserFactory(username="exporter", role=Role.ADMINISTRATOR)
    approvers = [UserFactory(username=f"approver-{i}", role=Role.ADMINISTRATOR) for i in range(4)]
    grant = pending(exporter, administrator)

    outcomes = _at_once(4, lambda i: ExportGrant.objects.get(pk=grant.pk).approve(approvers[i]))

    assert sum(outcome is None for outcome in outcomes) == 1
    assert all(isinstance(o, GrantRefused) for o in outcomes if o is not None)
    assert steps(grant) == ["requested", "approved"]


def test_a_grant_request_sent_twice_is_one_request_and_one_result(
    administrator, exporter, client_for
):
    from registry import once
    from registry.models import UsedFormToken
    from tests.intake.formstate import form_values

    client = client_for(administrator)
    token = form_values(client.get(add_url()).content.decode())[once.FIELD][0]
    sent = {"grantee": str(exporter.pk), "reason": REASON, once.FIELD: token}
    first, second = client.post(add_url(), sent), client.post(add_url(), sent)
    assert first.status_code == second.status_code == 302
    assert first["Location"] == second["Location"]
    assert ExportGrant.objects.count() == 1
    assert UsedFormToken.objects.get().result_url == first["Location"]


def test_a_grant_request_with_a_refused_token_keeps_what_was_typed(
    administrator, exporter, client_for
):
    from registry import once
    from tests.intake.formstate import form_values

    sent = {"grantee": str(exporter.pk), "reason": REASON, once.FIELD: "forged"}
    response = client_for(administrator).post(add_url(), sent, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Nothing was saved" in html
    assert not ExportGrant.objects.exists()
    shown = form_values(html)
    assert shown["reason"] == [REASON] and shown["grantee"] == [str(exporter.pk)]
    assert shown[once.FIELD][0] not in ("", "forged")
