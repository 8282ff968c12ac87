"""Role users defined once and reused (DESIGN.md, "Who uses it"), and shared fixtures.

Region A has coordinator A; region B has coordinator B; region C has no active coordinator,
so the help desk coordinates it.
"""

from __future__ import annotations

import os

import pytest
from django.db import connection

from registry.choices import ReporterType, Role
from tests.factories import (
    DEFAULT_PASSWORD,
    OrganisationFactory,
    RegionFactory,
    UserFactory,
)


@pytest.fixture(autouse=True)
def _keys_and_caches():
    from registry.crypto import reset_caches

    reset_caches()
    yield
    reset_caches()


@pytest.fixture(autouse=True)
def _key_canary_only_where_asked(request):
    """``migrate`` wrote a key canary under this run's keys into the test database
    (registry/canary.py). Tests that swap the whole keyring (rotation, the leak tests) model a
    database of their own keys, so each database test starts without it; the canary's own
    tests write it (tests/registry/test_key_canary.py)."""
    wanted = ("db", "transactional_db", "live_server")
    if request.node.get_closest_marker("django_db") is None and not any(
        name in request.fixturenames for name in wanted
    ):
        return
    request.getfixturevalue("_django_db_helper")
    from registry.models import KeyCanary

    KeyCanary.objects.all().delete()


@pytest.fixture
def password() -> str:
    return DEFAULT_PASSWORD


@pytest.fixture
def region_a(db):
    return RegionFactory(code="region-a", name="Region A")


@pytest.fixture
def region_b(db):
    return RegionFactory(code="region-b", name="Region B")


@pytest.fixture
def region_c(db):
    """A region without an active coordinator: the help desk coordinates its cases."""
    return RegionFactory(code="region-c", name="Region C")


@pytest.fixture
def municipalities(db):
    """The municipality list of registry/data/municipalities.csv, by code (a transactional
    test's flush empties the table the migration filled)."""
    from registry import municipalities as municipality_list
    from registry.models import Municipality

    municipality_list.load(Municipality)
    return {m.code: m for m in Municipality.objects.all()}


@pytest.fixture
def organisation(db):
    return OrganisationFactory(name="Shelter Noord", reporter_type=ReporterType.SHELTER)


@pytest.fixture
def reporter(organisation):
    return UserFactory(username="reporter", role=Role.REPORTER, organisation=organisation)


@pytest.fixture
def coordinator_a(region_a):
    return UserFactory(username="coordinator-a", role=Role.COORDINATOR, regions=[region_a])


@pytest.fixture
def coordinator_b(region_b):
    return UserFactory(username="coordinator-b", role=Role.COORDINATOR, regions=[region_b])


@pytest.fixture
def helpdesk(db):
    return UserFactory(username="helpdesk", role=Role.HELPDESK)


@pytest.fixture
def administrator(db):
    return UserFactory(username="admin", role=Role.ADMINISTRATOR, is_staff=True)


@pytest.fixture
def roles(reporter, coordinator_a, coordinator_b, helpdesk, administrator, region_c):
    """Every role at once, keyed by name; ``anonymous`` is None."""
    return {
        "anonymous": None,
        "reporter": reporter,
        "coordinator_a": coordinator_a,
        "coordinator_b": coordinator_b,
        "helpdesk": helpdesk,
        "administrator": administrator,
    }


@pytest.fixture
def client_for(client):
    """``client_for(user)``: a test client logged in as ``user`` (or anonymous for None),
    whose POSTs carry a fresh one-time form token as the form page would give (tests/once.py).

    Staff who need a second factor get a session that has verified one; pass
    ``second_factor=False`` for a session that stopped after the password.
    """
    from registry.access import needs_second_factor
    from tests.logins import verify_second_factor
    from tests.once import BrowserClient

    def make(user, *, second_factor: bool = True):
        c = BrowserClient()
        if user is not None:
            c.force_login(user)
            c.user = user
            if second_factor and needs_second_factor(user):
                verify_second_factor(c, user)
        return c

    return make


def is_postgres() -> bool:
    return connection.vendor == "postgresql"


def pytest_collection_modifyitems(config, items):
    skip_pg = pytest.mark.skip(reason="needs PostgreSQL: run with DATABASE_URL=postgres://...")
    on_pg = os.environ.get("DATABASE_URL", "").startswith("postgres")
    for item in items:
        if "postgres" in item.keywords and not on_pg:
            item.add_marker(skip_pg)


@pytest.fixture(autouse=True, scope="session")
def _flush_may_empty_the_audit_trail():
    """A transactional test ends with Django's flush (TRUNCATE on PostgreSQL, DELETE on SQLite),
    which the audit table's append-only triggers refuse, in tests as in production. Between
    tests the guard is lifted for the flush only, as the database owner could, and put back."""
    from django.test import TransactionTestCase

    from tests.audit_guard import guard_lifted

    flush = TransactionTestCase._fixture_teardown

    def flush_past_the_guard(self):
        with guard_lifted():
            flush(self)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(TransactionTestCase, "_fixture_teardown", flush_past_the_guard)
        yield


def open_case_counts() -> tuple[dict[int, int], dict[int, int]]:
    """(kept, counted): each coordinator's open cases as registry OpenCaseCount keeps them,
    and as the plain ORM counts them (coordinators with none left out of both)."""
    from django.db.models import Count

    from registry.models import Case, OpenCaseCount

    kept = dict(
        OpenCaseCount.objects.exclude(open_cases=0).values_list("coordinator_id", "open_cases")
    )
    counted = dict(
        Case.objects.open()
        .filter(coordinator__isnull=False)
        .values("coordinator")
        .annotate(n=Count("pk"))
        .values_list("coordinator", "n")
    )
    return kept, counted


@pytest.fixture(autouse=True)
def _open_case_counts_match_the_cases(request):
    """After every test that wrote to the database, by whatever path it opened, closed,
    reopened, took, assigned or handed over cases (the intake, triage, the workspace, the
    admin, handovers, the import): the counts routing reads equal the plain count."""
    names = set(request.fixturenames)
    # Set up here, so the database is still there when this fixture checks after the test.
    if "transactional_db" in names:
        request.getfixturevalue("transactional_db")
    elif "db" in names:
        request.getfixturevalue("db")
    elif request.node.get_closest_marker("django_db") is None:
        yield
        return
    yield
    if connection.connection is None or connection.needs_rollback:
        return  # a test that ended inside a failed transaction; nothing to read
    kept, counted = open_case_counts()
    assert kept == counted, "open-case counts differ from the cases"
