"""The reporter journey in Dutch, end to end in Chromium (issue 15, item 4): the demo
reporter fills the form, checks and changes an answer, sends, gets the receipt with the
reference, adds information later; the help desk reads it at triage.

With ``SCREENSHOTS=<dir>`` set, each page is also saved at 1366x768 and 390x844.
"""

from __future__ import annotations

import io
import os
import re
from pathlib import Path

import pytest
from django.core.management import call_command
from django.test import override_settings
from playwright.sync_api import expect

from registry.models import Registration, SubmissionAddition

pytestmark = pytest.mark.django_db(transaction=True)

PASSWORD = "browser-pass-1"


def _screenshot(page, name):
    folder = os.environ.get("SCREENSHOTS")
    if not folder:
        return
    for width, height in ((1366, 768), (390, 844)):
        page.set_viewport_size({"width": width, "height": height})
        page.screenshot(path=str(Path(folder) / f"{name}-{width}.png"), full_page=True)
    page.set_viewport_size({"width": 1366, "height": 768})


def _no_sideways_scroll(page):
    page.set_viewport_size({"width": 390, "height": 844})
    wide = page.evaluate("document.documentElement.scrollWidth > window.innerWidth + 1")
    page.set_viewport_size({"width": 1366, "height": 768})
    assert not wide, f"{page.url} scrolls sideways at 390 px"


@pytest.fixture
def dutch_page(browser):
    """A page whose browser asks for Dutch, as a Dutch reporter's would."""
    from tests.e2e.conftest import TIMEOUT_MS

    context = browser.new_context(locale="nl-NL")
    context.set_default_timeout(TIMEOUT_MS)
    try:
        yield context.new_page()
    finally:
        context.close()


def test_the_demo_reporter_reports_in_dutch_and_the_help_desk_reads_the_addition(
    live_server, dutch_page, browser_login
):
    page = dutch_page
    with override_settings(DEBUG=True):  # seed_demo refuses to run in production
        call_command(
            "seed_demo", "--registrations", "0", "--password", PASSWORD, stdout=io.StringIO()
        )
    browser_login(page, live_server, "reporter", PASSWORD)
    page.goto(live_server.url + "/intake/submit/")
    expect(page.locator("html")).to_have_attribute("lang", "nl")
    expect(page.locator("h1")).to_have_text("Een mogelijk slachtoffer melden")
    # Only what a reporter can know: no region, type of file or residence status.
    for absent in ("#id_region", "#id_file_type", "#id_residence_status"):
        expect(page.locator(absent)).to_have_count(0)

    # A place that is no municipality is refused on the server, in Dutch, nothing lost.
    page.fill("#id_found_in_municipality", "Hoofddorp")
    page.fill("#id_family_name", "Vasilescu")
    page.get_by_role("button", name="Controleer uw antwoorden").click()
    expect(page.locator("#id_found_in_municipality")).to_have_class(re.compile("is-invalid"))
    expect(page.locator("main")).to_contain_text("Dit is geen Nederlandse gemeente uit de lijst")
    expect(page.locator("#id_family_name")).to_have_value("Vasilescu")
    _screenshot(page, "reporter-form-error")
    _no_sideways_scroll(page)

    # The municipality: suggestions while typing (a datalist, no script needed).
    page.fill("#id_found_in_municipality", "Den Haag")
    expect(page.locator("#id_found_in_municipality-list option[value='Den Haag']")).to_have_count(1)
    page.fill("#id_given_names", "Mirela")
    page.fill("#id_family_name", "Vasilescu")
    page.fill("#id_date_of_birth", "1999-05-17")
    page.select_option("#id_gender", "female")
    page.select_option("#id_nationality", "RO")
    page.check("input[name=exploitation_forms][value=labour]")
    page.select_option("#id_sector", "agriculture")
    page.check("#id_consent_registration")
    page.select_option("#id_consent_signed_by", "victim")
    page.check("#id_consent_care")
    _screenshot(page, "reporter-form")
    _no_sideways_scroll(page)
    page.get_by_role("button", name="Controleer uw antwoorden").click()

    # The check page: every answer, the region worked out, nothing sent yet.
    expect(page.locator("h1")).to_have_text("Controleer uw antwoorden voor het versturen")
    expect(page.locator("#answer-region")).to_have_text("Den Haag en Hollands Midden")
    expect(page.locator("#answer-family_name")).to_have_text("Vasilescu")
    assert not Registration.objects.exists()
    _screenshot(page, "reporter-check")
    _no_sideways_scroll(page)

    # Change one answer: back at the form, at that field, with every answer kept.
    page.get_by_role("button", name="Wijzigen: Achternaam").click()
    expect(page.locator("#id_family_name")).to_have_value("Vasilescu")
    expect(page.locator("#id_given_names")).to_have_value("Mirela")
    assert page.url.endswith("#id_family_name")
    page.fill("#id_family_name", "Vasilescu-Ionescu")
    page.get_by_role("button", name="Controleer uw antwoorden").click()
    expect(page.locator("#answer-family_name")).to_have_text("Vasilescu-Ionescu")
    page.get_by_role("button", name="Melding versturen").click()

    # The receipt: the reference, which fields were given, never their values.
    expect(page.locator("h1")).to_have_text("Melding ontvangen")
    number = page.locator("#reference").inner_text()
    assert re.fullmatch(r"\d{4}-\d{6}", number)
    copy = page.locator("#receipt-copy")
    expect(copy).to_contain_text("Den Haag en Hollands Midden")
    expect(copy).to_contain_text("gegeven")
    for value in ("Mirela", "Vasilescu", "1999"):
        assert value not in page.content()
    _screenshot(page, "reporter-receipt")
    _no_sideways_scroll(page)
    registration = Registration.objects.get(number=number)
    assert registration.region.code == "den-haag-hollands-midden"

    # Later: add information by the reference (the receipt's button fills it in).
    page.get_by_role("link", name="Informatie toevoegen").click()
    expect(page.locator("#id_number")).to_have_value(number)
    page.fill("#id_text", "Ze belde terug: ze werkt nu in een kas in het Westland.")
    _screenshot(page, "reporter-add-information")
    _no_sideways_scroll(page)
    page.get_by_role("button", name="Aan de melding toevoegen").click()
    expect(page.locator(".alert-success")).to_contain_text(number)
    expect(page.locator("#receipt-copy")).to_contain_text("Later toegevoegde informatie")
    assert "Westland" not in page.content()  # the reporter cannot read it back
    assert SubmissionAddition.objects.filter(registration=registration).count() == 1
    page.get_by_role("link", name="Mijn meldingen").first.click()
    expect(page.locator("main")).to_contain_text(number)
    _screenshot(page, "reporter-my-reports")
    _no_sideways_scroll(page)

    # The help desk reads it at triage.
    page.context.clear_cookies()
    browser_login(page, live_server, "helpdesk", PASSWORD)
    page.goto(live_server.url + f"/intake/triage/{registration.pk}/")
    expect(page.locator("#additions")).to_contain_text("Westland")
    expect(page.locator("main")).to_contain_text("Aangetroffen in")
    expect(page.locator("#not-asked")).to_be_visible()
    _screenshot(page, "reporter-triage")
