"""An import never holds the year's number sequence (PostgreSQL row locks, real threads)."""

from __future__ import annotations

import datetime
import threading
import time

import pytest
from django.db import connection

from intake.importing import import_csv
from intake.services import register
from registry import registering
from registry.models import Registration, RegistrationNumberSequence
from tests.intake.test_import import row
from tests.intake.test_import_bad_input import text

ROWS = 700  # two batches: the import waits after the first


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_staff_save_during_a_running_import_commits_at_once(region_a, coordinator_a):
    today = datetime.date.today()
    data = text([row(n, registered_on=today.isoformat()) for n in range(ROWS)])
    first_batch_written, finish_import = threading.Event(), threading.Event()
    failures: list[BaseException] = []

    def progress(done: int, total: int) -> None:
        if done < total:
            first_batch_written.set()
            finish_import.wait(timeout=60)

    def importer() -> None:
        try:
            import_csv(data, actor_name="test", progress=progress)
        except BaseException as error:  # noqa: BLE001 - reported by the main thread
            failures.append(error)
        finally:
            connection.close()

    saved: list[str] = []

    def staff_save() -> None:
        try:
            outcome = registering.check(
                {"registered_on": today, "estimated_age": 30, "reporter_type": "police"}
            ).outcome
            recorded = register(
                coordinator_a,
                {
                    "registered_on": today,
                    "reporter_type": "police",
                    "region": region_a,
                    "family_name": "Staff",
                    "estimated_age": 30,
                },
                outcome,
            )
            saved.append(recorded.registration.number)
        except BaseException as error:  # noqa: BLE001
            failures.append(error)
        finally:
            connection.close()

    importing = threading.Thread(target=importer)
    importing.start()
    assert first_batch_written.wait(timeout=120), failures
    # The import's transaction is open, its first 500 rows written: a staff save of the same
    # year takes its number and commits without waiting for the import.
    started = time.monotonic()
    saving = threading.Thread(target=staff_save)
    saving.start()
    saving.join(timeout=10)
    waited = time.monotonic() - started
    still_waiting = saving.is_alive()
    finish_import.set()
    saving.join()
    importing.join()

    assert failures == []
    assert not still_waiting, "the staff save waited for the import"
    assert waited < 5
    numbers = list(Registration.objects.values_list("number", flat=True))
    assert len(numbers) == ROWS + 1 == len(set(numbers))
    # The import's numbers were reserved first (1..700), the staff save's comes after them.
    assert saved == [f"{today.year}-{ROWS + 1:06d}"]
    assert RegistrationNumberSequence.objects.get(year=today.year).last == ROWS + 1
