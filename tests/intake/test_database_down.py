"""A database that cannot be reached is answered with 503 in the site's layout, saying nothing
was saved and to try again (config/errors.py). No mocks: the requests really meet a closed
port, or on PostgreSQL a connection terminated by the server in the middle of the request."""

from __future__ import annotations

import contextlib
import socket
import threading
import time

import pytest
from django.db import connection, connections
from django.db.utils import load_backend

from registry.models import Person, Registration
from tests.intake.conftest import planted

pytestmark = pytest.mark.django_db

URL = "/intake/register/"


def _unused_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]  # closed again on leaving: nobody listens there


@contextlib.contextmanager
def database_at_a_closed_port():
    """The default database alias, for the requests inside, is a PostgreSQL server at a port
    where nothing listens (a second connection object; the test's own is put back after)."""
    real = connections["default"]
    settings = {
        **real.settings_dict,
        "ENGINE": "django.db.backends.postgresql",
        "NAME": "registry",
        "USER": "postgres",
        "PASSWORD": "",
        "HOST": "127.0.0.1",
        "PORT": str(_unused_port()),
        "OPTIONS": {"connect_timeout": 3},
    }
    down = load_backend(settings["ENGINE"]).DatabaseWrapper(settings, "default")
    connections["default"] = down
    try:
        yield
    finally:
        down.close()
        connections["default"] = real


def _assert_unavailable_page(response, *, typed: list[str] = ()) -> None:
    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    html = response.content.decode()
    # The site's layout: the base template's navigation bar and stylesheet.
    assert 'class="navbar-brand"' in html and "bootstrap.min.css" in html
    assert "Nothing was saved" in html and "try again" in html
    for value in typed:
        assert value not in html


@pytest.fixture
def browser(client_for, coordinator_a):
    client = client_for(coordinator_a)
    # As a browser: the response is what matters, not the exception behind it.
    client.raise_request_exception = False
    return client


def test_a_page_with_the_database_refusing_connections_is_a_503(browser):
    with database_at_a_closed_port():
        response = browser.get(URL, HTTP_ACCEPT_LANGUAGE="en")
    _assert_unavailable_page(response)


def test_a_save_with_the_database_refusing_connections_is_a_503_and_saves_nothing(
    browser, staff_data, caplog
):
    family = planted("Family")
    data = {**staff_data(family_name=family), "step": "save", "person_choice": "new"}
    with database_at_a_closed_port(), caplog.at_level("DEBUG"):
        response = browser.post(URL, data, HTTP_ACCEPT_LANGUAGE="en")
    _assert_unavailable_page(response, typed=[family, data["phone"]])
    # Logged as the server error it is, without anything typed.
    assert caplog.records
    logged = caplog.text + "".join(str(r.exc_info) for r in caplog.records)
    assert family not in logged and data["phone"] not in logged
    assert Registration.objects.count() == Person.objects.count() == 0
    # The database back: the same form, sent again, saves.
    assert browser.post(URL, data).status_code == 302
    assert Registration.objects.count() == 1


def test_the_page_is_in_dutch_for_a_dutch_browser(browser):
    with database_at_a_closed_port():
        response = browser.get(URL, HTTP_ACCEPT_LANGUAGE="nl")
    assert response.status_code == 503
    assert 'lang="nl"' in response.content.decode()


def test_other_errors_stay_a_plain_500(rf):
    from config.errors import server_error

    try:
        raise ValueError("not the database")
    except ValueError:
        response = server_error(rf.get("/"))
    assert response.status_code == 500


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_connection_terminated_during_the_save_is_a_503_and_saves_nothing(
    browser, staff_data, region_a
):
    """Another session holds the registration number's row lock; while the save waits on it,
    that session terminates the save's connection (pg_terminate_backend), as a restart or a
    failover would."""
    import psycopg

    from registry.models import RegistrationNumberSequence

    today = RegistrationNumberSequence.objects.create(
        year=int(staff_data()["registered_on"][:4]), last=0
    ).year
    family = planted("Family")
    data = {**staff_data(family_name=family), "step": "save", "person_choice": "new"}
    params = connection.get_connection_params()
    params.pop("cursor_factory", None)
    params.pop("context", None)
    terminated: list[int] = []

    def hold_the_number_and_terminate() -> None:
        with psycopg.connect(**params) as other:
            other.execute(
                "SELECT last FROM registry_registrationnumbersequence WHERE year = %s FOR UPDATE",
                [today],
            )
            deadline = time.monotonic() + 20
            while time.monotonic() < deadline and not terminated:
                rows = other.execute(
                    "SELECT pid FROM pg_stat_activity WHERE pg_backend_pid() = ANY("
                    "pg_blocking_pids(pid))"
                ).fetchall()
                for (pid,) in rows:
                    other.execute("SELECT pg_terminate_backend(%s)", [pid])
                    terminated.append(pid)
                time.sleep(0.05)
            other.rollback()

    helper = threading.Thread(target=hold_the_number_and_terminate)
    helper.start()
    try:
        response = browser.post(URL, data, HTTP_ACCEPT_LANGUAGE="en")
    finally:
        helper.join()
    assert terminated, "the save never waited on the number"
    _assert_unavailable_page(response, typed=[family, data["phone"]])
    connection.close()
    assert Registration.objects.count() == Person.objects.count() == 0
    assert browser.post(URL, data).status_code == 302
    assert Registration.objects.count() == 1
