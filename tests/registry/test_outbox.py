"""The outbox's delivery rules and what an operator sees: back-off, giving up, retry, once.

The mail server is real (aiosmtpd on a local port, or that port closed); the jobs run through
django-tasks-db's worker code (tests.outbox). The whole down-then-back story through the
intake's pages is tests/intake/test_mail_outbox.py.
"""

from __future__ import annotations

import datetime
import io

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from django_tasks_db.models import DBTaskResult

from registry import outbox
from registry.models import OutgoingMail
from tests.outbox import run_ready_jobs
from tests.smtp import HOST, free_port, smtp_server

pytestmark = pytest.mark.django_db


@pytest.fixture
def mail_port(settings) -> int:
    """Django's SMTP backend pointed at a local port where nothing listens yet."""
    port = free_port()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = HOST, port, 2
    return port


def queue(recipient: str = "coordinator-a@example.org") -> OutgoingMail:
    return outbox.queue_mail(OutgoingMail.Kind.NEW_CASE, recipient, "New registration", "A link")


def mail_status(*args: str) -> str:
    out = io.StringIO()
    call_command("mail_status", *args, stdout=out)
    return out.getvalue()


def results() -> list[str]:
    return [j.return_value for j in DBTaskResult.objects.order_by("finished_at") if j.finished_at]


def test_the_wait_between_attempts_doubles_up_to_its_ceiling(settings):
    settings.REGISTRY_MAIL_RETRY_SECONDS = 60
    settings.REGISTRY_MAIL_RETRY_MAX_SECONDS = 3600
    waits = [outbox.retry_delay(n).total_seconds() for n in range(1, 10)]
    assert waits == [60, 120, 240, 480, 960, 1920, 3600, 3600, 3600]


def test_a_failed_attempt_is_recorded_and_the_next_one_scheduled(settings, mail_port):
    settings.REGISTRY_MAIL_RETRY_SECONDS = 60
    mail = queue()
    assert run_ready_jobs() == 1  # the retry is not due yet, so the worker stops there
    mail.refresh_from_db()
    assert mail.status == OutgoingMail.Status.PENDING
    assert (mail.attempts, mail.last_error, mail.sent_at) == (1, "ConnectionRefusedError", None)
    assert mail.next_attempt_at - mail.last_attempt_at >= datetime.timedelta(seconds=60)
    scheduled = DBTaskResult.objects.get(status="READY")
    assert scheduled.run_after == mail.next_attempt_at
    assert scheduled.args_kwargs == {"args": [str(mail.pk)], "kwargs": {}}
    assert results() == ["retrying"]


def test_after_the_last_attempt_the_mail_waits_for_an_operator(settings, mail_port):
    settings.REGISTRY_MAIL_MAX_ATTEMPTS = 1
    mail = queue()
    run_ready_jobs()
    mail.refresh_from_db()
    assert mail.status == OutgoingMail.Status.FAILED and mail.next_attempt_at is None
    assert not DBTaskResult.objects.filter(status="READY").exists()  # nothing scheduled

    with pytest.raises(CommandError, match="given up") as refused:
        mail_status()
    assert refused.value.returncode == 1  # for monitoring

    with smtp_server(mail_port) as received:
        out = mail_status("--retry", str(mail.pk))
        assert "Queued 1 mail(s) for another attempt now." in out
        assert "1 pending" in out
        run_ready_jobs()
    assert [to for to, _raw in received.messages] == [[mail.recipient]]
    mail.refresh_from_db()
    assert mail.status == OutgoingMail.Status.SENT and mail.attempts == 1
    assert mail_status().startswith("0 pending, 1 sent, 0 failed")


def test_mail_status_lists_each_undelivered_mail_with_what_an_operator_needs(mail_port):
    waiting, failing = queue("helpdesk@example.org"), queue()
    DBTaskResult.objects.filter(args_kwargs__args=[str(waiting.pk)]).delete()  # no worker yet
    run_ready_jobs()
    out = mail_status()
    assert out.splitlines()[0] == "2 pending, 0 sent, 0 failed"
    (failing_line,) = [line for line in out.splitlines() if str(failing.pk) in line]
    assert "coordinator-a@example.org" in failing_line
    assert "attempts 1" in failing_line and "ConnectionRefusedError" in failing_line
    assert "next attempt" in failing_line
    (waiting_line,) = [line for line in out.splitlines() if str(waiting.pk) in line]
    assert "attempts 0" in waiting_line


def test_retry_of_an_unknown_or_malformed_id_is_a_clear_error(mail_port):
    queue()
    with pytest.raises(CommandError, match="Not an undelivered mail"):
        mail_status("--retry", "00000000-0000-0000-0000-000000000000")
    with pytest.raises(CommandError, match="ids that mail_status lists"):
        mail_status("--retry", "not-an-id")


def test_two_jobs_for_one_mail_send_it_once(mail_port):
    mail = queue()
    outbox.deliver_mail.enqueue(str(mail.pk))  # e.g. an operator's retry beside the first job
    with smtp_server(mail_port) as received:
        assert run_ready_jobs() == 2
        mail_status("--retry")  # a retry of everything undelivered: nothing is
        assert run_ready_jobs() == 0
    assert len(received.messages) == 1
    assert sorted(results()) == ["already sent", "sent"]


def test_a_mail_another_worker_is_sending_is_left_to_it_and_looked_at_after_its_hold(
    mail_port,
):
    mail = queue()
    held_until = mail.created_at + datetime.timedelta(minutes=5)
    OutgoingMail.objects.filter(pk=mail.pk).update(claimed_until=held_until)
    with smtp_server(mail_port) as received:
        run_ready_jobs()
        assert received.messages == []
        assert results() == ["held"]
        later = DBTaskResult.objects.get(status="READY")
        assert later.run_after == held_until
        # That worker died mid-send: once its hold is over, the later job takes the mail.
        OutgoingMail.objects.filter(pk=mail.pk).update(claimed_until=mail.created_at)
        assert outbox.deliver_mail.call(str(mail.pk)) == "sent"
    assert len(received.messages) == 1


def test_administrators_see_the_outbox_and_retry_from_the_admin(
    settings, mail_port, client_for, administrator, coordinator_a
):
    settings.REGISTRY_MAIL_MAX_ATTEMPTS = 1
    mail = queue()
    run_ready_jobs()
    url = reverse("admin:registry_outgoingmail_changelist")
    client = client_for(administrator)
    page = client.get(url + "?status__exact=failed").content.decode()
    assert mail.recipient in page and "ConnectionRefusedError" in page
    assert client_for(coordinator_a).get(url).status_code == 403
    with smtp_server(mail_port) as received:
        response = client.post(
            url,
            {"action": "retry_delivery", "_selected_action": [str(mail.pk)]},
            follow=True,
            headers={"accept-language": "en"},
        )
        assert "1 e-mail(s) queued for another attempt" in response.content.decode()
        run_ready_jobs()
    assert len(received.messages) == 1
    mail.refresh_from_db()
    assert mail.status == OutgoingMail.Status.SENT


def test_mail_status_tells_the_monitor_when_no_worker_is_sending(mail_port):
    mail = queue()
    assert "waiting for a worker" in mail_status()  # just queued: fine
    an_hour_ago = mail.created_at - datetime.timedelta(hours=1)
    OutgoingMail.objects.filter(pk=mail.pk).update(created_at=an_hour_ago)
    with pytest.raises(CommandError, match="is a worker running") as alarm:
        mail_status()
    assert alarm.value.returncode == 1
    assert mail_status("--max-wait", "90")  # a patient monitor is not alarmed yet


def test_mail_status_names_a_mail_whose_worker_stopped_while_sending(mail_port):
    """The worker claimed it, then died: no attempt is scheduled once its hold is over."""
    mail = queue()
    OutgoingMail.objects.filter(pk=mail.pk).update(
        attempts=1, claimed_until=mail.created_at, last_attempt_at=mail.created_at
    )
    DBTaskResult.objects.all().delete()  # its job died with the worker
    with pytest.raises(CommandError, match="no attempt scheduled"):
        mail_status()
    with smtp_server(mail_port) as received:
        mail_status("--retry")
        run_ready_jobs()
    assert len(received.messages) == 1


def _rows(mail: OutgoingMail) -> tuple[dict, dict]:
    """The mail's row and its job's row as stored, without what differs by nature (ids,
    times), the job's argument checked to name the mail."""
    stored = OutgoingMail.objects.filter(pk=mail.pk).values().get()
    (job,) = DBTaskResult.objects.filter(args_kwargs__args=[str(mail.pk)]).values()
    for key in ("id", "created_at"):
        stored.pop(key)
    for key in ("id", "enqueued_at", "run_after", "args_kwargs"):
        job.pop(key)
    return stored, job


def test_a_queued_mail_and_its_job_are_the_rows_the_plain_orm_writes(django_assert_num_queries):
    """queue_mail writes the mail and its job in one statement on PostgreSQL (a WITH in front of
    django-tasks' own INSERT), two elsewhere: the same rows as creating the mail and enqueueing
    its job one after the other, and the job sends it."""
    from django.db import connection

    statements = 1 if connection.vendor == "postgresql" else 2
    with django_assert_num_queries(statements):
        queued = outbox.queue_mail("new_case", "coordinator@example.org", "New 2026-1", "Body")
    plain = OutgoingMail.objects.create(
        kind="new_case", recipient="coordinator@example.org", subject="New 2026-1", body="Body"
    )
    outbox.deliver_mail.enqueue(str(plain.pk))
    assert _rows(queued) == _rows(plain)
    assert queued.created_at is not None
    assert OutgoingMail.objects.get(pk=queued.pk).created_at == queued.created_at
