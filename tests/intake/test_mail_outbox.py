"""Mail through the outbox (issue 12): a dead or hung mail server never fails or slows a save.

Real parts only: the test client through the real views and ATOMIC_REQUESTS (these tests run
without a wrapping transaction, so each request commits as in production), Django's SMTP
backend talking to a real SMTP server on a local port (aiosmtpd), a silent socket for a hung
server, a closed port for a dead one, and django-tasks-db's own worker (`db_worker --batch`).
"""

from __future__ import annotations

import datetime
import json
import time

import pytest
from django.core import serializers
from django.core.management import call_command
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from intake.services import register
from registry import registering
from registry.models import OutgoingMail, Registration
from tests.factories import CaseFactory
from tests.intake.conftest import planted
from tests.intake.test_routing import police_values
from tests.outbox import run_db_worker
from tests.smtp import HOST, StalledServer, free_port, smtp_server

URL = "/intake/register/"


def use_smtp(settings, port: int, *, timeout: int = 2) -> None:
    """Django's real SMTP backend against 127.0.0.1:``port``."""
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = HOST
    settings.EMAIL_PORT = port
    settings.EMAIL_TIMEOUT = timeout


def save_staff_registration(client, data):
    """The staff form's save, followed to the page the user lands on."""
    return client.post(URL, {**data, "step": "save", "person_choice": "new"}, follow=True)


def submit_and_accept(client_for, reporter, helpdesk, data):
    """A reporter's submission, then the help desk's acceptance, followed to its page."""
    client_for(reporter).post(reverse("intake:submit"), data)
    submission = Registration.objects.get(status="submitted")
    response = client_for(helpdesk).post(
        reverse("intake:triage_detail", args=[submission.pk]), {"action": "accept"}, follow=True
    )
    return submission, response


def wait_until_retries_are_due() -> None:
    """The worker's back-off (one second in these tests) has passed for every mail."""
    latest = max(m.next_attempt_at for m in OutgoingMail.objects.exclude(next_attempt_at=None))
    while timezone.now() <= latest:
        time.sleep(0.1)


@pytest.fixture
def fast_retries(settings):
    settings.REGISTRY_MAIL_RETRY_SECONDS = 1


@pytest.mark.django_db(transaction=True)
def test_mail_down_saves_confirm_and_every_notification_is_delivered_once_when_back(
    settings,
    fast_retries,
    client_for,
    reporter,
    helpdesk,
    coordinator_a,
    staff_data,
    reporter_data,
):
    port = free_port()  # nothing listens: the mail server is down
    use_smtp(settings, port)

    # (a) A staff registration and a triage acceptance save, and the user sees it confirmed.
    page = save_staff_registration(client_for(helpdesk), staff_data())
    registered = Registration.objects.get()
    assert page.status_code == 200
    assert page.templates[0].name == "intake/registered.html"
    assert registered.number in page.content.decode()

    submission, page = submit_and_accept(client_for, reporter, helpdesk, reporter_data())
    assert page.status_code == 200
    (confirmation,) = [str(m) for m in page.context["messages"]]
    assert submission.number in confirmation and confirmation in page.content.decode()
    submission.refresh_from_db()
    assert submission.status == "accepted"

    # The daily reminders are queued too (an unassigned case, days old).
    CaseFactory(region=coordinator_a.regions.get(), opened_on=datetime.date(2026, 3, 2))
    call_command("send_reminders", "--date", "2026-03-11", stdout=None)

    # The worker runs while the server is still down: each attempt fails, nothing is lost.
    run_db_worker()
    mails = list(OutgoingMail.objects.order_by("created_at"))
    assert len(mails) == 4  # two new cases to coordinator A, reminders to A and the help desk
    assert {m.status for m in mails} == {OutgoingMail.Status.PENDING}
    assert {m.last_error for m in mails} == {"ConnectionRefusedError"}
    assert all(m.attempts >= 1 and m.next_attempt_at for m in mails)

    # (b) The server is back; the worker delivers every notification, once.
    with smtp_server(port) as received:
        wait_until_retries_are_due()
        run_db_worker()
        run_db_worker()  # a second run sends nothing again
        call_command("mail_status", "--retry", stdout=None)  # nor does an operator's retry
        run_db_worker()
    recipients = sorted(to for tos, _raw in received.messages for to in tos)
    assert recipients == sorted([coordinator_a.email] * 3 + [helpdesk.email])
    subjects = sorted(m["Subject"] for m in received.parsed())
    assert sum(registered.number in s for s in subjects) == 1
    assert sum(submission.number in s for s in subjects) == 1
    assert {m.status for m in OutgoingMail.objects.all()} == {OutgoingMail.Status.SENT}


@pytest.mark.django_db(transaction=True)
def test_a_hung_mail_server_is_not_touched_by_a_save(
    settings, client_for, reporter, helpdesk, coordinator_a, staff_data, reporter_data
):
    """(c) The save opens no SMTP connection at all; the worker's attempt is bounded."""
    with StalledServer() as hung:
        use_smtp(settings, hung.port, timeout=1)
        page = save_staff_registration(client_for(helpdesk), staff_data())
        assert page.status_code == 200
        assert page.templates[0].name == "intake/registered.html"
        _submission, page = submit_and_accept(client_for, reporter, helpdesk, reporter_data())
        assert page.status_code == 200
        assert hung.connections() == 0
        assert OutgoingMail.objects.count() == 2

        # The worker meets the hung server and gives up on this attempt after EMAIL_TIMEOUT.
        run_db_worker("--max-tasks", "1")
        assert hung.connections() == 1
    tried = OutgoingMail.objects.exclude(attempts=0).get()
    assert tried.status == OutgoingMail.Status.PENDING
    assert tried.last_error == "SMTPServerDisconnected (TimeoutError)"


@pytest.mark.django_db(transaction=True)
def test_a_save_that_rolls_back_sends_nothing(settings, region_a, coordinator_a):
    """(d) The outbox row and its job are written in the save's transaction, or not at all."""
    outcome = registering.check(
        {
            "registered_on": timezone.localdate(),
            "estimated_age": 30,
            "residence_status": "unknown",
            "reporter_type": "police",
            "consent_registration": False,
        }
    ).outcome
    data = police_values(region_a)
    port = free_port()
    use_smtp(settings, port)
    with pytest.raises(RuntimeError), transaction.atomic():
        register(coordinator_a, data, outcome)
        assert OutgoingMail.objects.count() == 1  # queued inside the transaction...
        raise RuntimeError("simulated failure after the save")
    assert OutgoingMail.objects.count() == 0  # ...and gone with it
    assert not DBTaskResult.objects.exists()
    with smtp_server(port) as received:
        run_db_worker()
    assert received.messages == []
    assert Registration.objects.count() == 0


def _stored_text() -> str:
    """Every outbox row and every job row (arguments, results, errors), as stored."""
    rows = [*OutgoingMail.objects.all(), *DBTaskResult.objects.all()]
    return serializers.serialize("json", rows) + json.dumps(
        [[j.args_kwargs, j.return_value, j.traceback] for j in DBTaskResult.objects.all()]
    )


@pytest.mark.django_db(transaction=True)
def test_planted_personal_values_are_in_no_mail_job_or_outbox_row(
    settings, fast_retries, client_for, reporter, helpdesk, coordinator_a, staff_data, reporter_data
):
    """(e) Names, dates of birth, documents, phones, e-mail addresses, free text: nowhere."""
    staff_values = {
        "given_names": planted("Given"),
        "family_name": planted("Family"),
        "aliases": planted("Alias"),
        "phone": planted("+3161"),
        "email": f"{planted('victim')}@example.org",
        "address": planted("Street"),
        "id_document_number": planted("DOC"),
        "languages": planted("Lang"),
        "date_of_birth": "1987-06-05",
    }
    reporter_values = {
        "given_names": planted("Given"),
        "family_name": planted("Family"),
        "phone": planted("+3162"),
        "languages": planted("Lang"),
        "date_of_birth": "1986-07-08",
    }
    port = free_port()
    use_smtp(settings, port)
    save_staff_registration(client_for(helpdesk), staff_data(**staff_values))
    submit_and_accept(client_for, reporter, helpdesk, reporter_data(**reporter_values))
    run_db_worker()  # a failed attempt each: errors are stored too
    with smtp_server(port) as received:
        wait_until_retries_are_due()
        run_db_worker()
    assert len(received.messages) == 2
    planted_values = [
        *staff_values.values(),
        *reporter_values.values(),
        "05-06-1987",
        "05/06/1987",
        "08-07-1986",
    ]
    places = {"mail": received.raw_text(), "outbox and job rows": _stored_text()}
    for where, text in places.items():
        for value in planted_values:
            assert value not in text, f"{value!r} found in {where}"
