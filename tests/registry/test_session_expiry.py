"""The end of an idle session (issue 15, item 1): the login page says a session has expired,
and only then; "stay signed in" renews the session. The browser side:
tests/e2e/test_session_timeout.py."""

from __future__ import annotations

import datetime

import pytest
from django.contrib.sessions.models import Session
from django.test import Client
from django.utils import timezone

from registry.session_expiry import MARKER_COOKIE
from tests.logins import post_password

pytestmark = pytest.mark.django_db

EXPIRED = "Your session has expired."


def login_page(client: Client, **headers: str) -> str:
    response = client.get("/accounts/login/", HTTP_ACCEPT_LANGUAGE="en", **headers)
    assert response.status_code == 200
    return response.content.decode()


def test_a_first_visit_is_not_told_of_an_expired_session():
    assert EXPIRED not in login_page(Client())


def test_signing_in_marks_the_browser_and_the_marker_names_nothing(reporter, password):
    client = Client()
    response = post_password(client, reporter.username, password)
    assert response.status_code == 302
    assert client.cookies[MARKER_COOKIE].value == "1"
    morsel = client.cookies[MARKER_COOKIE]
    assert morsel["httponly"]
    assert not morsel["max-age"]  # ends with the browser, as the session cookie does


def test_after_the_session_expired_the_login_page_says_so_once(client_for, reporter):
    client = client_for(reporter)
    client.get("/", HTTP_ACCEPT_LANGUAGE="en")  # a page while signed in sets the marker
    assert MARKER_COOKIE in client.cookies
    # The idle timeout passes: the session row is past its expiry date.
    Session.objects.update(expire_date=timezone.now() - datetime.timedelta(seconds=1))
    response = client.get("/intake/submit/", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/?next=")
    page = login_page(client)
    assert EXPIRED in page
    assert 'id="session-expired"' in page
    assert reporter.username not in page
    assert EXPIRED not in login_page(client)  # said once


def test_a_dropped_session_cookie_reads_as_an_expired_session(client_for, reporter):
    client = client_for(reporter)
    client.get("/")
    del client.cookies["sessionid"]
    assert EXPIRED in login_page(client)


def test_logging_out_is_not_an_expired_session(client_for, reporter):
    client = client_for(reporter)
    client.get("/")
    client.post("/accounts/logout/")
    assert EXPIRED not in login_page(client)


def test_a_script_that_fetches_the_login_page_leaves_the_notice_for_the_page(client_for, reporter):
    client = client_for(reporter)
    client.get("/")
    Session.objects.all().delete()
    assert EXPIRED in login_page(client, HTTP_SEC_FETCH_MODE="cors")
    assert EXPIRED in login_page(client, HTTP_SEC_FETCH_MODE="navigate")
    assert EXPIRED not in login_page(client)


def test_the_login_page_says_it_in_dutch(client_for, reporter):
    client = client_for(reporter)
    client.get("/")
    Session.objects.all().delete()
    page = client.get("/accounts/login/", HTTP_ACCEPT_LANGUAGE="nl").content.decode()
    assert 'id="session-expired"' in page
    assert EXPIRED not in page


def test_stay_signed_in_renews_the_session(client_for, coordinator_a, settings):
    client = client_for(coordinator_a)
    client.get("/")
    key = client.cookies["sessionid"].value
    Session.objects.filter(session_key=key).update(
        expire_date=timezone.now() + datetime.timedelta(seconds=30)
    )
    response = client.post("/accounts/session/")
    assert response.status_code == 200
    assert response.json() == {"seconds": settings.SESSION_COOKIE_AGE}
    renewed = Session.objects.get(session_key=key).expire_date
    assert renewed > timezone.now() + datetime.timedelta(seconds=settings.SESSION_COOKIE_AGE - 60)


def test_stay_signed_in_after_expiry_sends_to_log_in(client_for, coordinator_a):
    client = client_for(coordinator_a)
    client.get("/")
    Session.objects.all().delete()
    response = client.post("/accounts/session/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_every_signed_in_page_carries_the_warning(client_for, helpdesk, settings):
    settings.SESSION_COOKIE_AGE = 3600
    settings.SESSION_WARNING_SECONDS = 120
    page = client_for(helpdesk).get("/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert 'role="alertdialog"' in page
    assert 'data-session-seconds="3600"' in page
    assert 'data-warning-seconds="120"' in page
    assert "Stay signed in" in page
    assert 'role="alertdialog"' not in login_page(Client())
