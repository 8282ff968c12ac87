"""The coordinator finds a person in a real browser by a part of the family name, a given name
and the case code the list shows (issue 13, item 2); the address bar never shows the term.

With ``SCREENSHOTS=<dir>`` set, the result pages are saved there at 1366x768 and 390x844.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from registry.choices import Role
from tests.factories import (
    CaseFactory,
    PersonFactory,
    RegionFactory,
    RegistrationFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db(transaction=True)


def _case(region, family_name, given_names):
    person = PersonFactory(family_name=family_name, given_names=given_names)
    registration = RegistrationFactory(person=person, region=region)
    return CaseFactory(person=person, region=region, registration=registration)


def _search(page, term, *, a_name=True):
    page.fill("#id_q", term)
    page.locator("#case-filters button[type=submit]").click()
    page.wait_for_url("**/cases/?*")
    if a_name:  # a case code is not personal: the URL carries it (?code=)
        assert term.lower() not in page.url.lower()


def _screenshot(page, name):
    folder = os.environ.get("SCREENSHOTS")
    if not folder:
        return
    for width, height in ((1366, 768), (390, 844)):
        page.set_viewport_size({"width": width, "height": height})
        page.screenshot(path=str(Path(folder) / f"{name}-{width}.png"), full_page=True)
    page.set_viewport_size({"width": 1366, "height": 768})


def test_coordinator_finds_a_person_by_part_of_the_name_a_given_name_and_the_case_code(
    live_server, page, browser_login, password
):
    region = RegionFactory(code="e2e-search", name="E2E Search")
    UserFactory(username="coord-search", role=Role.COORDINATOR, regions=[region])
    wanted = _case(region, "Okonkwo-Eze", "Ada Chinwe")
    exact = _case(region, "Okonkwo", "Folake")
    _case(region, "Adeyemi", "Bola")

    browser_login(page, live_server, "coord-search", password)
    page.goto(live_server.url + "/cases/?status=all")
    assert page.locator("#case-table tbody tr").count() == 3

    _search(page, "Okonkwo")
    rows = page.locator("#case-table tbody tr")
    assert rows.count() == 2
    # The exact family name first, then the part.
    assert str(exact.pk).split("-")[0].upper() in rows.nth(0).inner_text()
    assert str(wanted.pk).split("-")[0].upper() in rows.nth(1).inner_text()
    assert page.input_value("#id_q") == ""
    _screenshot(page, "case-list-search-part")

    _search(page, "Chinwe")
    assert page.locator("#case-table tbody tr").count() == 1

    code = str(wanted.pk).split("-")[0].upper()
    _search(page, code, a_name=False)
    assert page.locator("#search-summary").get_attribute("data-count") == "1"
    page.locator("#case-table tbody tr a").first.click()
    page.wait_for_url(f"**/cases/{wanted.pk}/")
