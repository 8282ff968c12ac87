"""Issue 14 in a real browser: a coordinator records a B8 application and its decision, with
an expiry in 20 days, and sees the reminder on the case's dashboard."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from registry.choices import Role
from registry.models import ResidenceProcedure
from tests.catalogue import english_date
from tests.factories import (
    CaseFactory,
    PersonFactory,
    RegionFactory,
    RegistrationFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db(transaction=True)


def test_coordinator_records_a_b8_decision_and_sees_the_expiry_reminder(
    live_server, page, browser_login, password
):
    region = RegionFactory(code="e2e-b8", name="E2E B8 Region")
    coordinator = UserFactory(username="coord-b8", role=Role.COORDINATOR, regions=[region])
    person = PersonFactory()
    case = CaseFactory(
        person=person,
        region=region,
        coordinator=coordinator,
        registration=RegistrationFactory(person=person, region=region),
    )
    today = timezone.localdate()
    applied = today - datetime.timedelta(days=200)
    decided = today - datetime.timedelta(days=10)
    expires = today + datetime.timedelta(days=20)
    page.set_extra_http_headers({"Accept-Language": "en"})
    browser_login(page, live_server, "coord-b8", password)

    page.goto(live_server.url + case.get_absolute_url())
    row = page.locator('#procedure-table tr[data-kind="b8_permit"]')
    row.locator("a").click()
    page.wait_for_url(f"**/cases/{case.pk}/procedures/b8_permit/")
    page.select_option("#id_status", "applied")
    page.fill("#id_started_on", applied.isoformat())
    page.locator("#care-form button[type=submit]").click()
    page.wait_for_url(f"**/cases/{case.pk}/#procedures")
    assert "applied, awaiting decision" in row.inner_text()

    row.locator("a").click()
    page.select_option("#id_status", "granted")
    page.fill("#id_decided_on", decided.isoformat())
    page.fill("#id_expires_on", expires.isoformat())
    page.locator("#care-form button[type=submit]").click()
    page.wait_for_url(f"**/cases/{case.pk}/#procedures")
    assert page.locator(".alert-success").is_visible()
    assert english_date(expires) in row.inner_text()
    procedure = ResidenceProcedure.objects.get(case=case)
    assert (procedure.status, procedure.expires_on) == ("granted", expires)

    page.goto(live_server.url + "/")
    card = page.locator("#care-reminders")
    assert "B8 permits expire within 30 days" in card.inner_text()
    card.locator("a").first.click()
    page.wait_for_url("**/care/due/?kind=b8_expiring")
    assert str(case.pk).split("-")[0].upper() in page.locator("#care-due").inner_text()
    assert english_date(expires) in page.locator("#care-due").inner_text()
