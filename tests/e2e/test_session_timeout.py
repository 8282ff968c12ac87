"""The idle timeout, said before and after (issue 15, item 1), in a real Chromium: the warning
opens before the session ends, "Stay signed in" keeps it, and without it the page goes to the
login page, which says the session has expired. Short sessions stand in for the hour.

With ``SCREENSHOTS=<dir>`` set, the warning and the login page are saved there."""

from __future__ import annotations

import os
import re
import time
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.contrib.sessions.models import Session
from playwright.sync_api import expect

pytestmark = pytest.mark.django_db(transaction=True)


def _screenshot(page, name):
    folder = os.environ.get("SCREENSHOTS")
    if folder:
        page.screenshot(path=str(Path(folder) / f"{name}.png"))


def _expiry(page):
    key = next(c["value"] for c in page.context.cookies() if c["name"] == "sessionid")
    return Session.objects.get(session_key=key).expire_date


def test_the_warning_opens_before_the_timeout_and_stay_signed_in_keeps_the_session(
    page, live_server, browser_login, helpdesk, password, settings
):
    browser_login(page, live_server, helpdesk.username, password)
    settings.SESSION_COOKIE_AGE = 20
    settings.SESSION_WARNING_SECONDS = 15
    # In Dutch, the site's default language (the other test reads the English page).
    page.context.add_cookies([{"name": "django_language", "value": "nl", "url": live_server.url}])
    page.goto(live_server.url + "/")
    loaded = time.monotonic()
    first_expiry = _expiry(page)
    dialog = page.get_by_role("alertdialog")
    expect(dialog).to_be_hidden()
    expect(dialog).to_be_visible(timeout=15_000)  # 5 seconds after the page, here
    expect(dialog).to_have_attribute("aria-modal", "true")
    expect(page.locator("#session-timeout-title")).to_have_text("U wordt straks uitgelogd")
    stay = page.locator("#session-stay")
    expect(stay).to_be_focused()
    _screenshot(page, "session-timeout-warning")
    page.keyboard.press("Enter")  # the focused button, by keyboard
    expect(dialog).to_be_hidden()
    assert _expiry(page) > first_expiry
    # Past the end the session would have had without the click: still signed in.
    time.sleep(max(0.0, 21 - (time.monotonic() - loaded)))
    page.goto(live_server.url + "/")
    assert urlsplit(page.url).path == "/"
    expect(page.locator("#session-expired")).to_have_count(0)
    expect(page.locator("html")).to_have_attribute("lang", "nl")


def test_without_an_answer_the_page_goes_to_the_login_page_which_says_the_session_expired(
    page, live_server, browser_login, reporter, password, settings
):
    browser_login(page, live_server, reporter.username, password)
    settings.SESSION_COOKIE_AGE = 8
    settings.SESSION_WARNING_SECONDS = 4
    page.goto(live_server.url + "/intake/submit/")
    expect(page.get_by_role("alertdialog")).to_be_visible(timeout=15_000)
    # Nobody answers: when the time is up the page reloads onto the login page.
    page.wait_for_url(re.compile(r"/accounts/login/\?next="), timeout=30_000)
    notice = page.locator("#session-expired")
    expect(notice).to_be_visible()
    english = page.locator("html").get_attribute("lang") == "en"
    expect(notice).to_contain_text("expired" if english else "verlopen")
    assert urlsplit(page.url).query == "next=/intake/submit/"
    _screenshot(page, "session-expired-login")
    # Said once: the next visit of the login page is an ordinary one.
    page.reload()
    expect(page.locator("#session-expired")).to_have_count(0)
