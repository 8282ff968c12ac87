"""Issue 13, item 6: deadlines never missed. Each flag is a flag on the rows, a counter on the
dashboard, a filter of the lists and a reminder, by one rule (CaseQuerySet.flagged)."""

from __future__ import annotations

import datetime
import io

import pytest
from django.core.management import call_command
from django.utils import timezone

from registry.choices import OPEN_CASE_STATUSES, CaseStatus
from registry.models import ReminderSent
from tests.factories import CaseFactory, RegistrationFactory

pytestmark = pytest.mark.django_db

EN = {"HTTP_ACCEPT_LANGUAGE": "en"}


def _listed(response) -> list:
    return [row.case.pk for row in response.context["rows"]]


def test_a_reflection_period_that_ended_in_2024_is_counted_flagged_filtered_and_reminded(
    client_for, coordinator_a, region_a
):
    # The observation: periods ended back to 2024, and the counter said 0.
    ended = CaseFactory(
        region=region_a, coordinator=coordinator_a, reflection_start=datetime.date(2024, 1, 10)
    )
    decided = CaseFactory(
        region=region_a,
        coordinator=coordinator_a,
        reflection_start=datetime.date(2024, 1, 10),
        residence_status="b8_victim",  # what followed is recorded: nothing to do
    )
    client = client_for(coordinator_a)
    assert client.get("/").context["reminders"]["reflection_ended"] == 1
    page = client.get("/cases/", **EN)
    flags = {row.case.pk: row.flags for row in page.context["rows"]}
    assert flags[ended.pk] == ["reflection_ended"] and flags[decided.pk] == []
    assert _listed(client.get("/cases/", {"ended": "on"})) == [ended.pk]
    call_command("send_reminders", stdout=io.StringIO())
    assert ReminderSent.objects.filter(kind="reflection_ended", case=ended).exists()
    assert not ReminderSent.objects.filter(case=decided).exists()


def test_the_only_immediate_danger_case_is_the_first_row_of_the_help_desk_page(
    client_for, helpdesk, region_c
):
    # The observation: 57 cases, the one in immediate danger was row 51.
    today = timezone.localdate()
    danger = None
    for n in range(57):
        registration = RegistrationFactory(region=region_c, immediate_danger=n == 50)
        case = CaseFactory(
            region=region_c,
            registration=registration,
            person=registration.person,
            opened_on=today - datetime.timedelta(days=n),
        )
        if n == 50:
            danger = case
    page = client_for(helpdesk).get("/helpdesk/", **EN)
    assert _listed(page)[0] == danger.pk
    assert page.context["page"].paginator.count == 57
    assert 'data-flag="danger"' in page.text


def test_the_case_list_sorts_urgent_first_by_default(client_for, coordinator_a, region_a):
    today = timezone.localdate()
    plain = CaseFactory(region=region_a, coordinator=coordinator_a, opened_on=today)
    near = CaseFactory(
        region=region_a,
        coordinator=coordinator_a,
        reflection_start=today - datetime.timedelta(days=80),
        opened_on=today - datetime.timedelta(days=80),
    )
    passed = CaseFactory(
        region=region_a, opened_on=today - datetime.timedelta(days=30)
    )  # unassigned for weeks
    registration = RegistrationFactory(region=region_a, immediate_danger=True)
    danger = CaseFactory(
        region=region_a,
        registration=registration,
        person=registration.person,
        coordinator=coordinator_a,
        opened_on=today - datetime.timedelta(days=300),
    )
    assert _listed(client_for(coordinator_a).get("/cases/")) == [
        danger.pk,
        passed.pk,
        near.pk,
        plain.pk,
    ]


def _opened_by(registration, coordinator):
    """A case opened by ``registration``, held by ``coordinator``."""
    return CaseFactory(
        region=registration.region,
        coordinator=coordinator,
        registration=registration,
        person=registration.person,
    )


def test_each_flag_is_a_counter_a_filter_and_a_reminder(client_for, coordinator_a, region_a):
    today = timezone.localdate()
    minor = _opened_by(RegistrationFactory(region=region_a, is_minor=True), coordinator_a)
    danger = _opened_by(RegistrationFactory(region=region_a, immediate_danger=True), coordinator_a)
    unassigned = CaseFactory(region=region_a, opened_on=today - datetime.timedelta(days=10))
    ending = CaseFactory(
        region=region_a,
        coordinator=coordinator_a,
        reflection_start=today - datetime.timedelta(days=80),
    )
    client = client_for(coordinator_a)
    counters = client.get("/", **EN).context["reminders"]
    flags = ("danger", "reflection_ended", "unassigned", "reflection_ending", "minor")
    assert {k: counters[k] for k in flags} == {
        "danger": 1,
        "reflection_ended": 0,
        "unassigned": 1,
        "reflection_ending": 1,
        "minor": 1,
    }
    for name, case in (
        ("urgent", danger),
        ("overdue", unassigned),
        ("reflection", ending),
        ("minor", minor),
    ):
        assert _listed(client.get("/cases/", {name: "on"})) == [case.pk], name
    call_command("send_reminders", stdout=io.StringIO())
    kinds = dict(
        ReminderSent.objects.filter(recipient=coordinator_a).values_list("case_id", "kind")
    )
    assert kinds == {
        danger.pk: "danger",
        unassigned.pk: "unassigned",
        ending.pk: "reflection_ending",
        minor.pk: "minor",
    }


def test_a_minor_with_a_referral_in_force_is_no_longer_flagged(client_for, coordinator_a, region_a):
    """ "Minor, no referral recorded" ends with a referral pending or accepted (issue 14's
    referrals), and comes back when the only referral is refused."""
    from registry.choices import ReferralOutcome, ReferralType
    from registry.models import Referral

    minor = _opened_by(RegistrationFactory(region=region_a, is_minor=True), coordinator_a)
    client = client_for(coordinator_a)
    assert client.get("/", **EN).context["reminders"]["minor"] == 1
    referral = Referral.objects.create(
        case=minor,
        referral_type=ReferralType.MEDICAL,
        reason="medical_care",
        referred_on=timezone.localdate(),
    )
    assert client.get("/", **EN).context["reminders"]["minor"] == 0
    assert _listed(client.get("/cases/", {"minor": "on"})) == []
    referral.outcome, referral.outcome_on = ReferralOutcome.REFUSED, timezone.localdate()
    referral.save()
    assert _listed(client.get("/cases/", {"minor": "on"})) == [minor.pk]


def test_the_help_desk_page_filters_by_flag(client_for, helpdesk, region_c):
    today = timezone.localdate()
    waiting = CaseFactory(region=region_c, opened_on=today - datetime.timedelta(days=10))
    CaseFactory(region=region_c, opened_on=today)
    page = client_for(helpdesk).get("/helpdesk/", {"overdue": "on"})
    assert _listed(page) == [waiting.pk]


def test_open_cases_are_the_cases_not_closed():
    # flag_rule tests "open" as "not closed" (one comparison per case counted).
    assert set(CaseStatus.values) - OPEN_CASE_STATUSES == {CaseStatus.CLOSED}


def test_a_corrected_registration_corrects_its_cases_flags(region_a, coordinator_a):
    registration = RegistrationFactory(region=region_a)
    case = CaseFactory(region=region_a, registration=registration, person=registration.person)
    assert not case.immediate_danger
    registration.immediate_danger = True
    registration.save()
    case.refresh_from_db()
    assert case.immediate_danger
