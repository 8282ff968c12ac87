"""The staff intake flow in a real Chromium: the server's steps, the 112 banner, the error
summary, the check page with its Change buttons, the save; and the same by keyboard alone.

With ``SCREENSHOTS=<dir>`` set, each step, an error state and the check page are saved (in
Dutch) at 1366x768 and 390x844.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from registry.models import Case, Registration

URL = "/intake/register/"


def _screenshot(page, name):
    folder = os.environ.get("SCREENSHOTS")
    if not folder:
        return
    for width, height in ((1366, 768), (390, 844)):
        page.set_viewport_size({"width": width, "height": height})
        page.screenshot(path=str(Path(folder) / f"intake-{name}-{width}.png"), full_page=True)
    page.set_viewport_size({"width": 1366, "height": 768})


def _focused_id(page) -> str:
    return page.evaluate("document.activeElement && document.activeElement.id")


def _dutch(browser):
    context = browser.new_context(locale="nl-NL", viewport={"width": 1366, "height": 768})
    context.set_default_timeout(10_000)
    return context


@pytest.mark.django_db(transaction=True)
def test_coordinator_registers_a_victim_through_the_steps(
    page, live_server, browser_login, coordinator_a, region_a, password
):
    browser_login(page, live_server, coordinator_a.username, password)
    page.goto(live_server.url + URL)

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

    # Step 2: the person; the server shows it and moves the focus to its heading.
    expect(page.locator("#step-2-heading")).to_be_focused()
    expect(banner).to_be_visible()  # still there: the server knows danger was ticked
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
    page.click("#step-next")

    # Step 6: check before saving; 112 still comes first.
    expect(page.locator("#step-6-heading")).to_contain_text("6")
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


@pytest.mark.django_db(transaction=True)
def test_help_desk_completes_an_intake_by_keyboard_alone(
    browser, live_server, browser_login, helpdesk, region_a, coordinator_a, password
):
    """Tab, Shift+Tab, Enter, Space and typed letters only: no click, no fill, no select."""
    context = _dutch(browser)
    page = context.new_page()
    try:
        browser_login(page, live_server, helpdesk.username, password)
        page.goto(live_server.url + URL)
        keys = page.keyboard

        def tab_to(selector: str, backwards: bool = False) -> None:
            target = page.locator(selector)
            for _ in range(150):
                if target.evaluate("e => e === document.activeElement"):
                    return
                keys.press("Shift+Tab" if backwards else "Tab")
            pytest.fail(f"Tab never reached {selector}")

        # Step 1: a select takes typed letters; the step list has no button yet.
        assert page.locator("#step-nav button").count() == 0
        tab_to("#id_reporter_type")
        keys.type("Nationale")  # Nationale Politie: a legal duty
        tab_to("#id_region")
        keys.type("Region A")
        tab_to("#step-next")
        keys.press("Enter")

        # Step 2: the focus is on the new step's heading; Enter in a text field is "Next".
        expect(page.locator("#step-2-heading")).to_be_focused()
        assert page.title().startswith("Stap 2 van 6")
        keys.press("Tab")
        expect(page.locator("#id_given_names")).to_be_focused()
        keys.type("Ioana")
        keys.press("Tab")
        keys.type("Keyboardescu")
        keys.press("Enter")

        # Step 3: Space ticks a box; Space presses "Next".
        expect(page.locator("#step-3-heading")).to_be_focused()
        tab_to("#id_exploitation_forms_1")  # labour
        keys.press("Space")
        tab_to("#step-next")
        keys.press("Space")

        # Step 4: nothing to add.
        expect(page.locator("#step-4-heading")).to_be_focused()
        tab_to("#step-next")
        keys.press("Enter")

        # Step 5: consent to care, then to the check.
        expect(page.locator("#step-5-heading")).to_be_focused()
        tab_to("#id_consent_care")
        keys.press("Space")
        tab_to("#step-next")
        keys.press("Enter")

        # The check page: change the family name by keyboard, and come back.
        expect(page.locator("#step-6-heading")).to_be_focused()
        expect(page.locator("main")).to_contain_text("Keyboardescu")
        tab_to("button[name=change][value=family_name]")
        keys.press("Enter")
        expect(page.locator("#id_family_name")).to_be_focused()
        keys.press("End")
        keys.type("-Popa")
        keys.press("Enter")  # "Return to the check"
        expect(page.locator("#step-6-heading")).to_be_focused()
        expect(page.locator("main")).to_contain_text("Keyboardescu-Popa")

        tab_to("#save")
        keys.press("Enter")
        number = page.locator("#registration-number")
        expect(number).to_have_text(re.compile(r"^\d{4}-\d{6}$"))
        registration = Registration.objects.get()
        assert registration.person.family_name == "Keyboardescu-Popa"
        assert registration.reporter_type == "police"
        assert registration.region == region_a
        assert list(registration.exploitation_forms.values_list("code", flat=True)) == ["labour"]
        assert Case.objects.get().coordinator == coordinator_a
    finally:
        context.close()


@pytest.mark.django_db(transaction=True)
def test_errors_on_step_1_stop_at_step_1_with_a_focused_summary_in_dutch(
    browser, live_server, browser_login, coordinator_a, region_a, password
):
    context = _dutch(browser)
    page = context.new_page()
    try:
        browser_login(page, live_server, coordinator_a.username, password)
        page.goto(live_server.url + URL)
        _screenshot(page, "1")
        # Enter in a text field of step 1 with its required fields empty.
        page.locator("#id_registered_on").focus()
        page.keyboard.press("Enter")

        expect(page).to_have_title(re.compile(r"^Fout: Stap 1 van 6"))
        summary = page.locator("#error-summary")
        expect(summary).to_be_focused()
        expect(summary).to_contain_text("Er is een probleem")
        expect(page.locator("fieldset[data-step='1']")).to_be_visible()
        expect(page.locator("fieldset[data-step='2']")).to_be_hidden()
        links = summary.locator("a")
        expect(links).to_have_count(2)
        _screenshot(page, "1-errors")

        # Each link moves the focus to its field (described by its error message).
        links.nth(0).press("Enter")
        expect(page.locator("#id_reporter_type")).to_be_focused()
        described = page.locator("#id_reporter_type").get_attribute("aria-describedby")
        assert "id_reporter_type_error" in described.split()
        expect(page.locator("#id_reporter_type_error")).to_contain_text("verplicht")
        links.nth(1).click()
        expect(page.locator("#id_region")).to_be_focused()
        assert _focused_id(page) == "id_region"

        # Corrected, the form goes on, and the title loses "Fout:".
        page.select_option("#id_reporter_type", "police")
        page.select_option("#id_region", str(region_a.pk))
        page.click("#step-next")
        expect(page).to_have_title(re.compile(r"^Stap 2 van 6"))
        assert Registration.objects.count() == 0

        page.fill("#id_family_name", "Schermvoorbeeld")
        _screenshot(page, "2")
        page.click("#step-next")
        page.check("#id_exploitation_forms_0")
        page.select_option("#id_sector", "hospitality")  # does not fit sexual exploitation
        page.click("#step-next")
        expect(page).to_have_title(re.compile(r"^Fout: Stap 3 van 6"))
        expect(page.locator("#error-summary")).to_be_focused()
        _screenshot(page, "3-errors")
        page.select_option("#id_sector", "window")
        page.click("#step-next")
        _screenshot(page, "4")
        page.click("#step-next")
        page.check("#id_consent_care")
        _screenshot(page, "5")
        page.click("#step-next")
        expect(page).to_have_title(re.compile(r"^Stap 6 van 6"))
        _screenshot(page, "6-check")
        assert Registration.objects.count() == 0
    finally:
        context.close()


@pytest.mark.django_db(transaction=True)
def test_the_steps_work_without_javascript(
    browser, live_server, browser_login, coordinator_a, region_a, password
):
    """The server shows one step at a time and moves the focus (autofocus): no script needed."""
    context = browser.new_context(locale="nl-NL", java_script_enabled=False)
    context.set_default_timeout(10_000)
    page = context.new_page()
    try:
        browser_login(page, live_server, coordinator_a.username, password)
        page.goto(live_server.url + URL)
        expect(page.locator("fieldset[data-step='2']")).to_be_hidden()
        page.locator("#id_registered_on").focus()
        page.keyboard.press("Enter")
        expect(page).to_have_title(re.compile(r"^Fout: Stap 1 van 6"))
        expect(page.locator("#error-summary")).to_be_focused()
        page.select_option("#id_reporter_type", "police")
        page.select_option("#id_region", str(region_a.pk))
        page.click("#step-next")
        expect(page.locator("#step-2-heading")).to_be_focused()
        page.fill("#id_family_name", "Zonderscript")
        page.locator("#id_family_name").press("Enter")
        expect(page.locator("#step-3-heading")).to_be_focused()
        for _ in range(3):
            page.click("#step-next")
        expect(page).to_have_title(re.compile(r"^Stap 6 van 6"))
        expect(page.locator("main")).to_contain_text("Zonderscript")
        page.click("#save")
        expect(page.locator("#registration-number")).to_have_text(re.compile(r"^\d{4}-\d{6}$"))
        assert Registration.objects.get().person.family_name == "Zonderscript"
    finally:
        context.close()
