"""Each coordinator's open-case count (registry OpenCaseCount), which routing reads instead of
counting cases, equals the plain ORM count after every way a case is opened, closed,
reopened, taken, assigned or handed over; ``recount_open_cases`` repairs it.

tests/conftest.py checks the same after every test of the suite; these drive each path on
purpose, one after the other, and check after each step."""

from __future__ import annotations

import io
import threading

import pytest
from django.core.management import call_command
from django.db import close_old_connections, connection, transaction
from django.urls import reverse

from intake.routing import pick_coordinator
from registry import casework
from registry.choices import CaseStatus, Role
from registry.models import Case, OpenCaseCount, Person, Registration
from tests.conftest import open_case_counts
from tests.factories import CaseFactory, PersonFactory, UserFactory
from tests.intake.test_import import row, write_csv
from tests.intake.test_mail_outbox import save_staff_registration, submit_and_accept
from tests.registry.test_workspace import _edit_data

pytestmark = pytest.mark.django_db


def assert_counts_right() -> dict[int, int]:
    kept, counted = open_case_counts()
    assert kept == counted
    return kept


def test_every_path_keeps_the_counts_equal_to_the_plain_count(
    client_for,
    staff_data,
    reporter_data,
    reporter,
    helpdesk,
    administrator,
    coordinator_a,
    coordinator_b,
    region_a,
    region_b,
    tmp_path,
):
    a2 = UserFactory(username="coordinator-a2", role=Role.COORDINATOR, regions=[region_a])
    # The staff form's save routes a new case.
    save_staff_registration(client_for(coordinator_a), staff_data())
    assert sum(assert_counts_right().values()) == 1
    # Triage accepts a reporter's submission: a case for the other coordinator (fewest).
    submit_and_accept(client_for, reporter, helpdesk, reporter_data())
    assert assert_counts_right() == {coordinator_a.pk: 1, a2.pk: 1}
    # The import records registrations without opening cases (intake/importing.py): the
    # counts stay as they are.
    call_command("import_registrations", str(write_csv(tmp_path, [row(n) for n in range(4)])))
    assert assert_counts_right() == {coordinator_a.pk: 1, a2.pk: 1}
    # The workspace: close one, reopen it, take an unassigned one.
    case = Case.objects.filter(coordinator=coordinator_a).first()
    client = client_for(coordinator_a)
    client.post(f"/cases/{case.pk}/edit/", _edit_data(case, status="closed", closed_reason="other"))
    assert assert_counts_right() == {a2.pk: 1}
    case.refresh_from_db()
    client.post(f"/cases/{case.pk}/edit/", _edit_data(case, status="reopened", closed_reason=""))
    assert assert_counts_right()[coordinator_a.pk] == 1
    unassigned = CaseFactory(region=region_a, person=PersonFactory())
    client.post(f"/cases/{unassigned.pk}/take/")
    assert assert_counts_right()[coordinator_a.pk] == 2
    # The workspace's edit moves a case to the other coordinator of the region.
    case.refresh_from_db()
    client.post(f"/cases/{case.pk}/edit/", _edit_data(case, coordinator=a2.pk))
    assert assert_counts_right() == {coordinator_a.pk: 1, a2.pk: 2}
    # The admin's action assigns it back.
    response = client_for(administrator).post(
        "/admin/registry/case/",
        {
            "action": "assign_coordinator",
            "index": "0",
            "_selected_action": [str(case.pk)],
            "apply": "1",
            "coordinator": str(coordinator_a.pk),
        },
    )
    assert response.status_code == 302
    assert assert_counts_right() == {coordinator_a.pk: 2, a2.pk: 1}
    # A handover: the case leaves coordinator A for coordinator B, who accepted it (issue 13).
    handover = casework.request_handover(case, region_b, "moves", coordinator_a)
    casework.decide_handover(handover, coordinator_b, accept=True)
    assert assert_counts_right() == {coordinator_a.pk: 1, a2.pk: 1, coordinator_b.pk: 1}
    # Accepted by the help desk's side (an administrator here), it waits unassigned: taken.
    case.refresh_from_db()
    back = casework.request_handover(case, region_a, "moves back", coordinator_b)
    casework.decide_handover(back, UserFactory(role=Role.ADMINISTRATOR), accept=True)
    assert assert_counts_right() == {coordinator_a.pk: 1, a2.pk: 1}
    client_for(coordinator_a).post(f"/cases/{case.pk}/take/")
    assert assert_counts_right() == {coordinator_a.pk: 2, a2.pk: 1}
    assert Registration.objects.count() == 6 and Person.objects.count() >= 6


def test_routing_follows_the_counts(region_a, coordinator_a):
    a2 = UserFactory(username="coordinator-a2", role=Role.COORDINATOR, regions=[region_a])
    CaseFactory(region=region_a, coordinator=coordinator_a)
    assert pick_coordinator(region_a) == a2
    CaseFactory(region=region_a, coordinator=a2)
    CaseFactory(region=region_a, coordinator=a2)
    assert pick_coordinator(region_a) == coordinator_a


def test_recount_repairs_counts_after_a_write_around_case_save(region_a, coordinator_a):
    a2 = UserFactory(username="coordinator-a2", role=Role.COORDINATOR, regions=[region_a])
    for _ in range(3):
        CaseFactory(region=region_a, coordinator=coordinator_a)
    CaseFactory(region=region_a, coordinator=a2)
    # A bulk update skips Case.save(): the counts now say A has 3 open cases; it has none.
    Case.objects.filter(coordinator=coordinator_a).update(
        status=CaseStatus.CLOSED, closed_reason="other"
    )
    kept, counted = open_case_counts()
    assert kept != counted
    assert pick_coordinator(region_a) == a2  # routed on the stale count
    out = io.StringIO()
    call_command("recount_open_cases", stdout=out)
    assert out.getvalue() == "1 open-case count(s) corrected.\n"
    assert_counts_right()
    assert pick_coordinator(region_a) == coordinator_a
    out = io.StringIO()
    call_command("recount_open_cases", stdout=out)
    assert out.getvalue() == "0 open-case count(s) corrected.\n"


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_saves_keep_the_counts_on_postgresql(region_a, coordinator_a):
    """Twenty cases opened and closed at the same moment by ten threads, including each
    coordinator's first case (the row is made then): no count lost."""
    a2 = UserFactory(username="coordinator-a2", role=Role.COORDINATOR, regions=[region_a])
    people = [PersonFactory() for _ in range(20)]
    closing = [CaseFactory(region=region_a, coordinator=coordinator_a) for _ in range(5)]
    OpenCaseCount.objects.filter(coordinator=a2).delete()  # its first case comes concurrently
    start = threading.Barrier(10)
    errors: list[BaseException] = []

    def work(worker: int) -> None:
        try:
            start.wait()
            for n in range(worker, 20, 10):
                with transaction.atomic():
                    Case.objects.create(
                        person=people[n],
                        region=region_a,
                        coordinator=a2 if n % 2 else coordinator_a,
                    )
                    if n < 5:
                        case = Case.objects.get(pk=closing[n].pk)
                        case.status, case.closed_reason = CaseStatus.CLOSED, "other"
                        case.save()
        except BaseException as error:  # noqa: BLE001 - reported below
            errors.append(error)
        finally:
            close_old_connections()
            connection.close()

    threads = [threading.Thread(target=work, args=(w,)) for w in range(10)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert assert_counts_right() == {coordinator_a.pk: 10, a2.pk: 10}


def test_triage_accept_page_is_reached(client_for, reporter, helpdesk, reporter_data, region_a):
    # The acceptance above is the triage page's own POST (not a shortcut around it).
    _submission, response = submit_and_accept(client_for, reporter, helpdesk, reporter_data())
    assert response.status_code == 200
    assert response.redirect_chain and reverse("intake:triage") in response.redirect_chain[-1][0]


def test_help_desk_order_is_the_plain_orders_answer(region_a, region_c):
    """CaseQuerySet.open_by_deadline (written to match its index) against the order as the
    help desk reads it: soonest reflection end, empty ends last, then the oldest."""
    import datetime

    from django.db.models import F

    day = datetime.date(2026, 1, 1)
    for n in range(30):
        start = day + datetime.timedelta(days=n % 7) if n % 3 else None
        CaseFactory(
            region=region_c if n % 2 else region_a,
            opened_on=day - datetime.timedelta(days=n % 5),
            reflection_start=start,
            status=CaseStatus.CLOSED if n % 4 == 0 else CaseStatus.NEW,
            closed_reason="other" if n % 4 == 0 else "",
        )
    plain = Case.objects.filter(status__in=["new", "in_care", "reopened"]).order_by(
        F("reflection_end").asc(nulls_last=True), "opened_on", "pk"
    )
    assert list(Case.objects.open_by_deadline()) == list(plain)
    assert list(Case.objects.open_by_deadline()[:10]) == list(plain[:10])
    # Joined with the registration (which has a status of its own), as the help desk reads it.
    joined = Case.objects.select_related("registration").open_by_deadline()
    assert list(joined.filter(region=region_c)) == list(plain.filter(region=region_c))


def test_a_save_of_other_fields_and_a_deleted_case_keep_the_counts(region_a, coordinator_a):
    case = CaseFactory(region=region_a, coordinator=coordinator_a)
    other = CaseFactory(region=region_a, coordinator=coordinator_a)
    case.status, case.closed_reason = CaseStatus.CLOSED, "other"
    case.save(update_fields=["notes"])  # the status is not written, so still open
    assert assert_counts_right() == {coordinator_a.pk: 2}
    case.save(update_fields=["status", "closed_reason"])
    assert assert_counts_right() == {coordinator_a.pk: 1}
    Case.objects.get(pk=other.pk).delete()
    assert assert_counts_right() == {}
