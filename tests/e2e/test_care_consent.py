"""Consent to care in a real browser (issue 14, item 1): a registration without consent has
no case; the coordinator records consent on the person page and lands on the routed case; then
records the withdrawal, and the person's name is no longer shown."""

from __future__ import annotations

import pytest

from registry.choices import CaseStatus, ClosedReason, Role
from registry.models import Case
from tests.factories import PersonFactory, RegionFactory, RegistrationFactory, UserFactory

pytestmark = pytest.mark.django_db(transaction=True)


def test_coordinator_records_consent_then_its_withdrawal(
    live_server, page, browser_login, password
):
    region = RegionFactory(code="e2e-consent", name="E2E Consent Region")
    UserFactory(username="coord-consent", role=Role.COORDINATOR, regions=[region])
    person = PersonFactory(family_name="Vasquez-Oyelaran")
    registration = RegistrationFactory(
        person=person, region=region, consent_care=False, residence_status="reflection_period"
    )
    page.set_extra_http_headers({"Accept-Language": "en"})
    browser_login(page, live_server, "coord-consent", password)

    page.goto(live_server.url + person.get_absolute_url())
    assert "no consent to care" in page.locator("main").inner_text()
    page.locator(".care-consent-link").first.click()
    page.wait_for_url(f"**/intake/registrations/{registration.pk}/consent/")
    page.locator("input[name=consent][value=given]").check()
    page.locator("main form button[type=submit]").click()
    case = Case.objects.get()
    page.wait_for_url(f"**/cases/{case.pk}/")
    assert page.locator(".alert-success").is_visible()
    assert "Vasquez-Oyelaran" in page.locator("#person-data").inner_text()
    assert case.reflection_start == registration.registered_on

    page.goto(live_server.url + f"/intake/registrations/{registration.pk}/consent/")
    page.locator("input[name=consent][value=withdrawn]").check()
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(f"**/cases/{case.pk}/")
    assert page.locator("#consent-withdrawn").is_visible()
    assert "consent to care withdrawn" in page.locator("#case-data").inner_text()
    assert "Vasquez-Oyelaran" not in page.content()
    page.goto(live_server.url + person.get_absolute_url())
    assert page.locator("#consent-withdrawn").is_visible()
    assert "Vasquez-Oyelaran" not in page.content()
    case.refresh_from_db()
    assert (case.status, case.closed_reason) == (CaseStatus.CLOSED, ClosedReason.CONSENT_WITHDRAWN)
