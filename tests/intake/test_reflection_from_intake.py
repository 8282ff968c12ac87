"""Reflection period from intake (issue 14, item 2).

Residence status "reflection period" at intake or triage starts the case's period on the
registration date or on a date typed on the form; the reporter's residence status survives
triage; the reminder comes 14 days before the period ends, not a day earlier.
"""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from registry import reminders
from registry.models import Case, Registration
from registry.models.cases import reflection_end
from registry.models.reminders import ReminderSent

pytestmark = pytest.mark.django_db

EN = {"HTTP_ACCEPT_LANGUAGE": "en"}
REGISTER = "/intake/register/"


def staff_save(client, data):
    return client.post(REGISTER, {**data, "step": "save", "person_choice": "new"}, **EN)


def _days_ago(days: int) -> str:
    return (timezone.localdate() - datetime.timedelta(days=days)).isoformat()


def test_reflection_period_at_intake_starts_on_the_registration_date(
    client_for, coordinator_a, staff_data
):
    registered = _days_ago(3)
    staff_save(
        client_for(coordinator_a),
        staff_data(registered_on=registered, residence_status="reflection_period"),
    )
    case = Case.objects.get()
    start = datetime.date.fromisoformat(registered)
    assert case.residence_status == "reflection_period"
    assert case.reflection_start == start
    assert case.reflection_end == reflection_end(start, dublin=False)


def test_a_typed_start_of_the_reflection_period_is_kept(client_for, coordinator_a, staff_data):
    staff_save(
        client_for(coordinator_a),
        staff_data(residence_status="reflection_period", reflection_started_on=_days_ago(20)),
    )
    case = Case.objects.get()
    assert case.reflection_start == datetime.date.fromisoformat(_days_ago(20))
    assert Registration.objects.get().reflection_started_on == case.reflection_start


def test_without_reflection_period_the_case_has_no_period(client_for, coordinator_a, staff_data):
    staff_save(client_for(coordinator_a), staff_data(residence_status="no_status"))
    case = Case.objects.get()
    assert case.reflection_start is None and case.reflection_end is None


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"reflection_started_on": "2999-01-01"}, "cannot start in the future"),
        ({"reflection_started_on": _days_ago(400)}, "more than a year before"),
        (
            {"residence_status": "no_status", "reflection_started_on": _days_ago(5)},
            "only applies with residence status",
        ),
        ({"reflection_started_on": "31-02-2026"}, "Enter a valid date"),
    ],
)
def test_a_bad_start_is_refused_with_a_clear_message_and_nothing_typed_is_lost(
    client_for, coordinator_a, staff_data, overrides, message
):
    data = staff_data(**{"residence_status": "reflection_period", **overrides})
    response = client_for(coordinator_a).post(REGISTER, {**data, "step": "review"}, **EN)
    html = response.content.decode()
    assert response.status_code == 200 and message in html
    assert data["family_name"] in html  # what was typed is still there
    assert not Registration.objects.exists()


def test_a_reporter_is_not_asked_the_residence_status_and_the_case_starts_unknown(
    client_for, reporter, helpdesk, coordinator_a, reporter_data
):
    """An occasional reporter cannot know the residence status: a typed one is ignored, the
    submission records "unknown" and the case takes it at triage, for the help desk and the
    coordinator to complete (issue 15)."""
    typed = _days_ago(10)
    response = client_for(reporter).post(
        reverse("intake:submit"),
        reporter_data(residence_status="reflection_period", reflection_started_on=typed),
    )
    assert response.status_code == 302
    registration = Registration.objects.get()
    assert registration.residence_status == "unknown"
    assert registration.reflection_started_on is None
    client_for(helpdesk).post(
        reverse("intake:triage_detail", args=[registration.pk]), {"action": "accept"}
    )
    case = Case.objects.get()
    assert case.residence_status == "unknown" and case.reflection_start is None


def test_the_reflection_reminder_comes_on_the_right_day(client_for, coordinator_a, staff_data):
    registered = datetime.date.fromisoformat(_days_ago(1))
    staff_save(
        client_for(coordinator_a),
        staff_data(registered_on=registered.isoformat(), residence_status="reflection_period"),
    )
    case = Case.objects.get()
    end = reflection_end(registered, dublin=False)
    first_day = end - datetime.timedelta(days=14)
    assert reminders.due_reminders(coordinator_a, first_day - datetime.timedelta(days=1)) == []
    due = reminders.due_reminders(coordinator_a, first_day)
    assert [(kind, c.pk, day) for kind, c, day in due] == [
        (ReminderSent.Kind.REFLECTION_ENDING, case.pk, end)
    ]
    reminders.send_reminders.call(first_day.isoformat())
    reminders.send_reminders.call(first_day.isoformat())
    assert ReminderSent.objects.filter(case=case).count() == 1
