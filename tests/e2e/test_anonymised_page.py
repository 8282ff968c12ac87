"""The anonymised dataset's page in a real browser: the generalisation chosen for the release
and the CTDC layout's choice, looked at in a screenshot (var/screenshots/anonymised-*.png)."""

from __future__ import annotations

import datetime
from pathlib import Path

import pytest
from django.conf import settings

from registry.choices import Gender
from tests.factories import PersonFactory, RegionFactory, RegistrationFactory

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_page_shows_the_generalisation_chosen_and_offers_the_ctdc_layout(
    live_server, page, browser_login, password, administrator
):
    amsterdam = RegionFactory(code="amsterdam", name="Amsterdam")
    rotterdam = RegionFactory(code="rotterdam", name="Rotterdam")
    for i in range(24):
        RegistrationFactory(
            person=PersonFactory(gender=Gender.FEMALE, nationality="RO" if i % 2 else "BG"),
            registered_on=datetime.date(2025, 4, 1 + i),
            region=amsterdam if i % 3 else rotterdam,
            age_at_registration=20 + i % 3,
            exploitation_country="NL",
        )
    browser_login(page, live_server, administrator.username, password)
    page.set_viewport_size({"width": 1366, "height": 900})
    page.goto(f"{live_server.url}/statistics/anonymised/?year=2025")
    table = page.locator("#generalisation")
    assert table.is_visible()
    assert "nationality" in table.inner_text()
    assert page.locator("#summary").inner_text().count("%") >= 2
    assert page.locator("select[name=layout] option").count() == 2
    shots = Path(settings.BASE_DIR) / "var" / "screenshots"
    shots.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(shots / "anonymised-nl.png"), full_page=True)
    page.select_option("select[name=layout]", "ctdc")
    with page.expect_navigation():
        page.locator("main form button[type=submit]").first.click()
    assert "meansOfControlDebtBondage" in page.content()
    page.screenshot(path=str(shots / "anonymised-ctdc-nl.png"), full_page=True)
    # The CTDC column list and the generalisation table fit a phone.
    page.set_viewport_size({"width": 390, "height": 844})
    assert page.evaluate("() => document.documentElement.scrollWidth") <= 390
    page.screenshot(path=str(shots / "anonymised-ctdc-390.png"), full_page=True)
