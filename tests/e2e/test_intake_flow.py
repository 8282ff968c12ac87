"""The staff intake flow in a real Chromium: steps, the 112 banner, check, save, number."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from registry.models import Case, Registration


@pytest.mark.django_db(transaction=True)
def test_coordinator_registers_a_victim_through_the_steps(
    page, live_server, browser_login, coordinator_a, region_a, password
):
    browser_login(page, live_server, coordinator_a.username, password)
    page.goto(live_server.url + "/intake/register/")

    # Step 1: the 112 banner appears as soon as immediate danger is ticked.
    banner = page.locator("#emergency-banner")
    expect(banner).to_be_hidden()
    page.check("#id_immediate_danger")
    expect(banner).to_be_visible()
    expect(banner).to_contain_text("112")
    page.select_option("#id_reporter_type", "shelter")
    page.select_option("#id_region", str(region_a.pk))
    expect(page.locator("#id_given_names")).to_be_hidden()  # one step at a time
    page.click("#step-next")

    # Step 2: the person.
    page.fill("#id_given_names", "Elena")
    page.fill("#id_family_name", "Dumitrescu")
    page.fill("#id_date_of_birth", "2001-07-09")
    page.select_option("#id_nationality", "RO")
    page.click("#step-next")

    # Step 3: the exploitation.
    page.check("input[name=exploitation_forms][value=sexual]")
    page.select_option("#id_sector", "window")
    page.click("#step-next")

    # Step 4: minors and residence (nothing to add), step 5: consent.
    page.click("#step-next")
    notice = page.locator("#anonymity-notice")
    expect(notice).to_be_visible()  # a shelter without consent: anonymous
    page.check("#id_consent_registration")
    expect(notice).to_be_hidden()
    page.select_option("#id_consent_signed_by", "victim")
    page.check("#id_consent_care")  # without consent to care no case would open
    page.click("#to-review")

    # Step 6: check before saving; 112 still comes first.
    expect(page.locator("h1")).to_contain_text("6")
    expect(page.locator("#emergency-banner")).to_be_visible()
    expect(page.locator("main")).to_contain_text("Dumitrescu")
    expect(page.locator("#no-matches")).to_be_visible()
    page.click("#save")

    number = page.locator("#registration-number")
    expect(number).to_have_text(re.compile(r"^\d{4}-\d{6}$"))
    registration = Registration.objects.get()
    assert number.inner_text() == registration.number
    assert registration.immediate_danger
    assert registration.person.family_name == "Dumitrescu"
    assert Case.objects.get().coordinator == coordinator_a
    expect(page.locator("#routed-to")).to_contain_text(coordinator_a.username)
