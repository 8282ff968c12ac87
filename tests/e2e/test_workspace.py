"""A coordinator's morning in a real browser: log in, search, filter, open a case, edit it."""

from __future__ import annotations

import pytest

from registry.choices import Role
from registry.models import AuditEvent, Case
from tests.factories import (
    CaseFactory,
    PersonFactory,
    RegionFactory,
    RegistrationFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db(transaction=True)


def test_coordinator_filters_opens_and_edits_a_case(live_server, page, browser_login, password):
    region = RegionFactory(code="e2e-region", name="E2E Region")
    coordinator = UserFactory(username="coord-e2e", role=Role.COORDINATOR, regions=[region])
    urgent_person = PersonFactory(family_name="Brouwersgracht")
    urgent = CaseFactory(
        person=urgent_person,
        region=region,
        registration=RegistrationFactory(
            person=urgent_person, region=region, immediate_danger=True
        ),
    )
    for _ in range(3):
        person = PersonFactory()
        CaseFactory(
            person=person,
            region=region,
            registration=RegistrationFactory(person=person, region=region),
        )

    browser_login(page, live_server, "coord-e2e", password)
    page.goto(live_server.url + "/cases/")
    assert page.locator("#case-table tbody tr").count() == 4
    # The name is posted; the address bar (and so history and access logs) never shows it.
    page.fill("#id_q", "Brouwersgracht")
    page.locator("#case-filters button[type=submit]").click()
    page.wait_for_url("**/cases/?*name=*")
    assert "brouwersgracht" not in page.url.lower()
    assert page.locator("#case-table tbody tr").count() == 1
    assert page.locator("#search-summary").get_attribute("data-count") == "1"
    assert page.input_value("#id_q") == ""
    page.locator("#search-summary a").click()
    page.wait_for_url(lambda url: "name=" not in url)
    assert page.locator("#case-table tbody tr").count() == 4
    page.check("#id_urgent")
    page.locator("#case-filters button[type=submit]").click()
    page.wait_for_url("**/cases/?*urgent=on*")
    rows = page.locator("#case-table tbody tr")
    assert rows.count() == 1
    rows.first.locator("a").first.click()
    page.wait_for_url(f"**/cases/{urgent.pk}/")
    assert "Brouwersgracht" in page.locator("#person-data").inner_text()
    assert page.locator(".alert-emergency").is_visible()

    page.locator(f"a[href='/cases/{urgent.pk}/edit/']").click()
    page.select_option("#id_coordinator", str(coordinator.pk))
    page.select_option("#id_status", "in_care")
    page.fill("#id_reflection_start", "2026-01-31")
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(f"**/cases/{urgent.pk}/")
    assert page.locator(".alert-success").is_visible()
    case_text = page.locator("#case-data").inner_text()
    assert "30 April 2026" in case_text  # the English date format (docs/i18n.md)

    urgent = Case.objects.get(pk=urgent.pk)
    assert (urgent.status, urgent.coordinator_id) == ("in_care", coordinator.pk)
    change = AuditEvent.objects.filter(action="change").latest("id")
    assert change.details["fields"] == ["coordinator", "reflection_start", "status"]
