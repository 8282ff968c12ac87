"""Once, under concurrency (PostgreSQL): jobs for one mail at the same moment send it once, and
reminder runs at the same moment queue each reminder once."""

from __future__ import annotations

import datetime
import threading
from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection

from registry import outbox
from registry.models import OutgoingMail, ReminderSent
from registry.reminders import send_reminders
from tests.factories import CaseFactory
from tests.smtp import HOST, free_port, smtp_server

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

THREADS = 6


def at_once(work: Callable[[], Any]) -> list[Any]:
    """``work`` in THREADS threads released together, each on its own connection."""
    start = threading.Barrier(THREADS)
    results: list[Any] = []
    lock = threading.Lock()

    def run() -> None:
        try:
            start.wait()
            result = work()
        except BaseException as error:  # noqa: BLE001 - reported by the main thread
            result = error
        finally:
            connection.close()
        with lock:
            results.append(result)

    threads = [threading.Thread(target=run) for _ in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


def test_jobs_for_one_mail_at_the_same_moment_send_it_once(settings, coordinator_a):
    port = free_port()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = HOST, port, 5
    mail = outbox.queue_mail(
        OutgoingMail.Kind.NEW_CASE, coordinator_a.email, "New registration", "A link"
    )
    with smtp_server(port) as received:
        results = at_once(lambda: outbox.deliver_mail.call(str(mail.pk)))
    assert results.count("sent") == 1, results
    assert set(results) <= {"sent", "held", "already sent"}, results
    assert len(received.messages) == 1
    mail.refresh_from_db()
    assert mail.status == OutgoingMail.Status.SENT and mail.attempts == 1


def test_reminder_runs_at_the_same_moment_queue_each_reminder_once(
    region_a, coordinator_a, helpdesk
):
    CaseFactory(region=region_a, opened_on=datetime.date(2026, 3, 2))  # unassigned for days
    results = at_once(lambda: send_reminders.call("2026-03-11"))
    assert not [r for r in results if isinstance(r, BaseException)], results
    assert sum(r["mails"] for r in results) == 2
    assert sorted(OutgoingMail.objects.values_list("recipient", flat=True)) == [
        coordinator_a.email,
        helpdesk.email,
    ]
    assert ReminderSent.objects.count() == 2
