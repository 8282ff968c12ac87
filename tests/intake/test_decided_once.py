"""Decided once: two help desk members deciding one submission at the same moment (PostgreSQL
row locks, real threads, each with its own connection)."""

from __future__ import annotations

import threading

import pytest
from django.db import connection
from django.urls import reverse

from registry.choices import SubmissionStatus
from registry.models import Case, Registration
from tests.factories import UserFactory

PAIRS = 20
AT_ONCE = 5  # pairs per round: ten connections, on a PostgreSQL shared with other work

CONFIRMED = ("accepted and routed", "rejected.")
TOLD = "already decided"


def _outcome(html: str) -> str:
    if TOLD in html:
        return "told"
    if any(text in html for text in CONFIRMED):
        return "confirmed"
    return "other"


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_of_two_simultaneous_decisions_one_is_confirmed_and_the_other_told(
    client_for, reporter, helpdesk, coordinator_a, reporter_data
):
    from registry.choices import Role

    other_desk = UserFactory(username="helpdesk-2", role=Role.HELPDESK)
    submitter = client_for(reporter)
    for _ in range(PAIRS):
        assert submitter.post(reverse("intake:submit"), reporter_data()).status_code == 302
    submissions = list(Registration.objects.values_list("pk", flat=True))
    clients = {"accept": client_for(helpdesk), "reject": client_for(other_desk)}
    outcomes: dict[tuple, str] = {}
    failures: list[BaseException] = []
    lock = threading.Lock()

    def decide(pk, action: str, start: threading.Barrier) -> None:
        try:
            data = {"action": action, "reason": "Not a real report"}
            start.wait()
            response = clients[action].post(
                reverse("intake:triage_detail", args=[pk]),
                data,
                follow=True,
                HTTP_ACCEPT_LANGUAGE="en",
            )
            with lock:
                outcomes[(pk, action)] = (
                    f"{response.status_code}:{_outcome(response.content.decode())}"
                )
        except BaseException as error:  # noqa: BLE001 - reported by the main thread
            with lock:
                failures.append(error)
        finally:
            connection.close()

    for first in range(0, PAIRS, AT_ONCE):
        start = threading.Barrier(2 * AT_ONCE)
        threads = [
            threading.Thread(target=decide, args=(pk, action, start))
            for pk in submissions[first : first + AT_ONCE]
            for action in ("accept", "reject")
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()

    assert failures == []
    for pk in submissions:
        pair = sorted(outcomes[(pk, a)] for a in ("accept", "reject"))
        assert pair == ["200:confirmed", "200:told"], pair
        registration = Registration.objects.get(pk=pk)
        routed = Case.objects.filter(registration=registration).exists() or (
            Case.objects.filter(person=registration.person).exists()
        )
        if registration.status == SubmissionStatus.REJECTED:
            assert not routed
            assert outcomes[(pk, "reject")] == "200:confirmed"
        else:
            assert registration.status == SubmissionStatus.ACCEPTED
            assert routed
            assert outcomes[(pk, "accept")] == "200:confirmed"
