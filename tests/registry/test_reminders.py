"""Reminders: on the dashboard and by e-mail, once, without personal data."""

from __future__ import annotations

import datetime
import io

import pytest
from django.core import mail
from django.core.management import CommandError, call_command
from django_tasks_db.models import DBTaskResult

from registry import casework
from registry.models import OutgoingMail, ReminderSent
from tests.factories import CaseFactory
from tests.outbox import run_ready_jobs
from tests.registry.conftest import PLANTED

pytestmark = pytest.mark.django_db

D = datetime.date
WEDNESDAY = D(2026, 3, 11)


def _run(*args: str) -> str:
    out = io.StringIO()
    call_command("send_reminders", *args, stdout=out)
    return out.getvalue()


@pytest.mark.parametrize(
    ("opened", "overdue"),
    [
        (D(2026, 3, 6), True),  # Friday: Mon, Tue, Wed have passed
        (D(2026, 3, 9), False),  # Monday: two working days, not more
        (D(2026, 3, 8), True),  # Sunday counts as before Monday
        (D(2026, 3, 10), False),
    ],
)
def test_unassigned_for_more_than_two_working_days(region_a, opened, overdue):
    case = CaseFactory(region=region_a, opened_on=opened)
    qs = casework.unassigned_too_long(type(case).objects.all(), WEDNESDAY)
    assert (case in qs) is overdue


def test_reflection_ending_within_14_days_of_open_cases_only(region_a):
    start = WEDNESDAY - datetime.timedelta(days=30 - 14)  # Dublin: ends in exactly 14 days
    soon = CaseFactory(region=region_a, reflection_start=start, is_dublin=True)
    later = CaseFactory(
        region=region_a, reflection_start=start + datetime.timedelta(days=1), is_dublin=True
    )
    closed = CaseFactory(
        region=region_a,
        reflection_start=start,
        is_dublin=True,
        status="closed",
        closed_reason="other",
    )
    past = CaseFactory(region=region_a, reflection_start=D(2025, 1, 1))
    found = set(casework.reflection_ending_soon(type(soon).objects.all(), WEDNESDAY))
    assert found == {soon}
    assert not {later, closed, past} & found


@pytest.fixture
def due_cases(casework_world, region_a, coordinator_a):
    case = casework_world.case_a
    case.reflection_start = WEDNESDAY - datetime.timedelta(days=80)
    case.save()
    waiting = CaseFactory(region=region_a, opened_on=D(2026, 3, 2))
    return case, waiting


def test_send_reminders_mails_each_reminder_once_without_personal_data(
    due_cases, coordinator_a, coordinator_b, helpdesk
):
    case, waiting = due_cases
    first = _run("--date", WEDNESDAY.isoformat())
    # Three for coordinator A (the reflection period, the unassigned case, and case A's
    # immediate danger), one for the help desk.
    assert "Queued 2 e-mail(s) with 4 reminder(s)" in first
    assert mail.outbox == []  # queued: the mail worker sends them
    assert run_ready_jobs() == 2
    recipients = sorted(m.to[0] for m in mail.outbox)
    # Coordinator A: both cases; the help desk: the unassigned one; coordinator B: nothing.
    assert recipients == ["coordinator-a@example.org", "helpdesk@example.org"]
    mine = next(m for m in mail.outbox if m.to == ["coordinator-a@example.org"])
    assert str(case.pk) in mine.body and str(waiting.pk) in mine.body
    for message in mail.outbox:
        text = message.subject + message.body
        for value in PLANTED.values():
            assert value not in text
    second = _run("--date", WEDNESDAY.isoformat())
    assert "Queued 0 e-mail(s)" in second and "4 reminder(s) had been sent before" in second
    assert run_ready_jobs() == 0
    assert len(mail.outbox) == 2
    assert ReminderSent.objects.count() == 4


def test_a_moved_deadline_is_reminded_again(due_cases):
    case, _waiting = due_cases
    _run("--date", WEDNESDAY.isoformat())
    case.reflection_start += datetime.timedelta(days=3)
    case.save()
    assert "with 1 reminder(s)" in _run("--date", WEDNESDAY.isoformat())


def test_dry_run_sends_and_records_nothing(due_cases):
    assert "Would queue 2 e-mail(s)" in _run("--date", WEDNESDAY.isoformat(), "--dry-run")
    assert run_ready_jobs() == 0
    assert mail.outbox == [] and ReminderSent.objects.count() == 0
    assert not OutgoingMail.objects.exists()


def test_a_bad_date_is_a_clear_error():
    with pytest.raises(CommandError, match="YYYY-MM-DD"):
        _run("--date", "11-03-2026")


def test_dashboard_shows_the_counts(casework_world, client_for, coordinator_a, region_a):
    CaseFactory(region=region_a, opened_on=D(2020, 1, 6))
    casework_world.case_a.reflection_start = datetime.date.today() - datetime.timedelta(days=85)
    casework_world.case_a.save()
    flags = {
        "reflection_ending": 1,
        "unassigned": 1,
        "handovers": 0,
        # case_a: immediate danger (tests/registry/conftest.py).
        "danger": 1,
        "reflection_ended": 0,
        "minor": 0,
    }
    # The home page adds issue 14's procedure reminders: the reflection period ends within
    # 7 days and no police report decision is recorded. The case list shows the flags only.
    assert client_for(coordinator_a).get("/").context["reminders"] == {
        **flags,
        "b8_expiring": 0,
        "b8_three_years": 0,
        "reflection_no_report": 1,
        "nidos_pending": 0,
    }
    assert client_for(coordinator_a).get("/cases/").context["reminders"] == flags


def test_send_reminders_can_leave_the_job_to_a_worker(due_cases):
    out = _run("--date", WEDNESDAY.isoformat(), "--enqueue")
    assert out.startswith("Enqueued the reminders job ")
    assert not OutgoingMail.objects.exists()  # nothing until a worker runs the job
    assert run_ready_jobs(queue="default") == 1
    job = DBTaskResult.objects.get(queue_name="default")
    assert job.args_kwargs == {"args": [WEDNESDAY.isoformat(), False], "kwargs": {}}
    assert job.return_value == {"mails": 2, "reminders": 4, "already": 0, "no_address": 0}
    assert run_ready_jobs() == 2
    assert sorted(m.to[0] for m in mail.outbox) == [
        "coordinator-a@example.org",
        "helpdesk@example.org",
    ]
