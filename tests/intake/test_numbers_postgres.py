"""Registration numbers stay unique under concurrent writers (PostgreSQL row locks)."""

from __future__ import annotations

import datetime
import re
import threading

import pytest
from django.db import connection

from intake.services import register
from registry import registering
from registry.models import Registration, RegistrationNumberSequence
from reports import tally
from reports.models import Tally, TallyChange

WRITERS = 8
PER_WRITER = 50


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_eight_concurrent_writers_get_400_distinct_numbers(region_a, coordinator_a):
    today = datetime.date.today()
    outcome = registering.check(
        {
            "registered_on": today,
            "estimated_age": 30,
            "residence_status": "unknown",
            "reporter_type": "police",
            "consent_registration": False,
        }
    ).outcome
    start = threading.Barrier(WRITERS)
    numbers: list[str] = []
    failures: list[BaseException] = []
    lock = threading.Lock()

    def writer(index: int) -> None:
        # Each thread has its own database connection (Django's connections are per thread).
        try:
            start.wait()
            for n in range(PER_WRITER):
                data = {
                    "registered_on": today,
                    "reporter_type": "police",
                    "region": region_a,
                    "family_name": f"Writer{index}",
                    "given_names": f"Person{n}",
                    "estimated_age": 30,
                }
                saved = register(coordinator_a, data, outcome)
                with lock:
                    numbers.append(saved.registration.number)
        except BaseException as error:  # noqa: BLE001 - reported by the main thread
            with lock:
                failures.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=writer, args=(i,)) for i in range(WRITERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert failures == []
    total = WRITERS * PER_WRITER
    assert len(numbers) == total
    assert len(set(numbers)) == total
    assert all(re.fullmatch(rf"{today.year}-\d{{6}}", n) for n in numbers)
    assert Registration.objects.count() == total
    assert set(Registration.objects.values_list("number", flat=True)) == set(numbers)
    # None lost: the sequence handed out exactly 1..400, without gaps.
    assert RegistrationNumberSequence.objects.get(year=today.year).last == total
    assert sorted(numbers)[-1] == f"{today.year}-{total:06d}"
    # The statistics tally's triggers kept up with every concurrent writer (no lost count).
    assert tally.differences() == []
    assert Tally.objects.count() + TallyChange.objects.count() > 0
