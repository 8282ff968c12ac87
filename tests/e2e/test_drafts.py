"""Nothing typed is lost (issue 15, item 1), in a real Chromium: the staff intake's draft
survives a language switch, a dropped session cookie (log in again) and a new or closed tab;
the reporter's form keeps one too. The server side: tests/intake/test_drafts.py."""

from __future__ import annotations

import os
import re
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import expect

from registry.models import FormDraft
from tests.intake.conftest import planted
from tests.logins import current_code, device_for

pytestmark = pytest.mark.django_db(transaction=True)

REGISTER = "/intake/register/"


def _screenshot(page, name):
    folder = os.environ.get("SCREENSHOTS")
    if folder:
        page.screenshot(path=str(Path(folder) / f"{name}.png"), full_page=True)


def _type_the_person(page, region, given, family):
    page.select_option("#id_reporter_type", "shelter")
    page.select_option("#id_region", str(region.pk))
    page.click("#step-next")
    page.fill("#id_given_names", given)
    page.fill("#id_family_name", family)
    page.fill("#id_date_of_birth", "2001-07-09")


def _kept(page):
    expect(page.locator("#draft-status")).to_have_text(re.compile(r"\d\d:\d\d"))


def _restored(page, given, family):
    expect(page.locator("#draft-notice")).to_be_visible()
    expect(page.locator("#id_given_names")).to_have_value(given)
    expect(page.locator("#id_family_name")).to_have_value(family)
    expect(page.locator("#id_date_of_birth")).to_have_value("2001-07-09")
    expect(page.locator("#id_reporter_type")).to_have_value("shelter")


def test_the_draft_survives_a_language_switch(
    page, live_server, browser_login, coordinator_a, region_a, password
):
    browser_login(page, live_server, coordinator_a.username, password)
    page.goto(live_server.url + REGISTER)
    given, family = planted("Given"), planted("Family")
    _type_the_person(page, region_a, given, family)
    other = "en" if page.locator("html").get_attribute("lang") == "nl" else "nl"
    # At once, without waiting for the autosave: the switch itself keeps what was typed.
    with page.expect_navigation():
        page.locator(f"button[name=language][value={other}]").click()
    expect(page.locator("html")).to_have_attribute("lang", other)
    assert urlsplit(page.url).path == REGISTER
    _restored(page, given, family)
    _screenshot(page, "intake-draft-restored")
    # The values went in the body of a POST, never into a URL.
    assert family not in page.url


def test_the_draft_survives_a_dropped_session_cookie(
    page, live_server, browser_login, coordinator_a, region_a, password
):
    browser_login(page, live_server, coordinator_a.username, password)
    page.goto(live_server.url + REGISTER)
    given, family = planted("Given"), planted("Family")
    _type_the_person(page, region_a, given, family)
    _kept(page)
    page.context.clear_cookies(name="sessionid")
    page.reload()
    assert urlsplit(page.url).path == "/accounts/login/"
    expect(page.locator("#session-expired")).to_be_visible()
    assert family not in page.content()
    # Log in again, as the user would: name and password, then the code.
    page.fill("#id_auth-username", coordinator_a.username)
    page.fill("#id_auth-password", password)
    with page.expect_navigation():
        page.locator("main form button[type=submit]").first.click()
    device = device_for(coordinator_a)
    # The first login used this half-minute's code; the user would wait for the next one.
    TOTPDevice.objects.filter(pk=device.pk).update(last_t=-1)
    page.fill("#id_token-otp_token", current_code(device))
    with page.expect_navigation():
        page.locator("main form button[type=submit]").first.click()
    assert urlsplit(page.url).path == REGISTER
    _restored(page, given, family)
    # The home page offers it too, for a login that did not come back to the form.
    page.goto(live_server.url + "/")
    expect(page.locator("#draft-waiting-staff_intake")).to_be_visible()
    assert family not in page.content()
    _screenshot(page, "home-draft-waiting")


def test_the_draft_survives_a_new_tab_and_a_closed_one(
    page, live_server, browser_login, helpdesk, region_a, password
):
    browser_login(page, live_server, helpdesk.username, password)
    page.goto(live_server.url + REGISTER)
    given, family = planted("Given"), planted("Family")
    _type_the_person(page, region_a, given, family)
    _kept(page)

    second = page.context.new_page()
    second.goto(live_server.url + REGISTER)
    _restored(second, given, family)

    # Typed and the tab closed at once: the last keystrokes still arrive.
    second.click("#step-next")
    second.fill("#id_languages", "Romanian")
    second.close(run_before_unload=True)
    third = page.context.new_page()
    third.goto(live_server.url + REGISTER)
    _restored(third, given, family)
    expect(third.locator("#id_languages")).to_have_value("Romanian")


def test_start_empty_deletes_the_draft(
    page, live_server, browser_login, coordinator_a, region_a, password
):
    browser_login(page, live_server, coordinator_a.username, password)
    page.goto(live_server.url + REGISTER)
    _type_the_person(page, region_a, planted("Given"), planted("Family"))
    _kept(page)
    # Back to the form afresh (a reload would send the last step's POST again).
    page.goto(live_server.url + REGISTER)
    expect(page.locator("#id_family_name")).not_to_have_value("")
    page.click("#draft-discard")
    expect(page.locator("#draft-notice")).to_have_class(re.compile("alert-secondary"))
    expect(page.locator("#id_family_name")).to_have_value("")
    assert not FormDraft.objects.exists()


def test_the_reporters_form_keeps_a_draft_until_it_is_sent(
    page, live_server, browser_login, reporter, region_a, password
):
    browser_login(page, live_server, reporter.username, password)
    page.goto(live_server.url + "/intake/submit/")
    family = planted("Family")
    page.fill("#id_family_name", family)
    _kept(page)
    second = page.context.new_page()
    second.goto(live_server.url + "/intake/submit/")
    expect(second.locator("#id_family_name")).to_have_value(family)
    assert FormDraft.objects.get().form == FormDraft.Form.REPORTER
