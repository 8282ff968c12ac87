"""A year whose six-digit registration numbers are all taken refuses a save with a page that
says so and that nothing was saved, never a server error (config/errors.py)."""

from __future__ import annotations

import pytest

from registry.models import Case, Person, Registration, RegistrationNumberSequence
from tests.intake.conftest import planted

pytestmark = pytest.mark.django_db

URL = "/intake/register/"


@pytest.fixture
def browser(client_for, coordinator_a):
    client = client_for(coordinator_a)
    client.raise_request_exception = False
    return client


def test_a_save_in_a_year_without_numbers_left_says_so_and_saves_nothing(
    browser, staff_data, caplog
):
    family = planted("Family")
    data = {**staff_data(family_name=family), "step": "save", "person_choice": "new"}
    year = int(data["registered_on"][:4])
    RegistrationNumberSequence.objects.create(year=year, last=RegistrationNumberSequence.MAX)

    with caplog.at_level("DEBUG"):
        response = browser.post(URL, data, HTTP_ACCEPT_LANGUAGE="en")

    assert response.status_code == 503
    html = response.content.decode()
    assert 'class="navbar-brand"' in html
    assert "Nothing was saved" in html
    assert f"No registration numbers are left for {year}" in html
    assert "administrator" in html
    # Sending it again would not help, so the page does not say to retry.
    assert "Retry-After" not in response
    for value in (family, data["phone"]):
        assert value not in html and value not in caplog.text
    assert Registration.objects.count() == Person.objects.count() == Case.objects.count() == 0
    assert RegistrationNumberSequence.objects.get(year=year).last == RegistrationNumberSequence.MAX

    # A new year's numbers (or an administrator's fix) and the same form saves.
    RegistrationNumberSequence.objects.filter(year=year).update(last=0)
    assert browser.post(URL, data).status_code == 302
    assert Registration.objects.get().number == f"{year}-000001"


def test_the_page_is_in_dutch_for_a_dutch_browser(browser, staff_data):
    data = {**staff_data(), "step": "save", "person_choice": "new"}
    RegistrationNumberSequence.objects.create(
        year=int(data["registered_on"][:4]), last=RegistrationNumberSequence.MAX
    )
    response = browser.post(URL, data, HTTP_ACCEPT_LANGUAGE="nl")
    assert response.status_code == 503
    assert 'lang="nl"' in response.content.decode()
    assert "Er is niets opgeslagen" in response.content.decode()
