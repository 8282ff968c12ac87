"""The coordinator's journey of issue 13 (items 3 and 4) in a real browser: open the case,
open the person page, correct the phone number, add a note and see it on the timeline."""

from __future__ import annotations

import pytest

from registry.choices import AuditAction, Role
from registry.models import AuditEvent, CaseNote, Person
from tests.factories import (
    CaseFactory,
    PersonFactory,
    RegionFactory,
    RegistrationFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db(transaction=True)


def test_coordinator_corrects_the_phone_and_adds_a_note(live_server, page, browser_login, password):
    region = RegionFactory(code="e2e-person", name="E2E Person Region")
    coordinator = UserFactory(
        username="coord-person",
        first_name="Anna",
        last_name="de Boer",
        role=Role.COORDINATOR,
        regions=[region],
    )
    person = PersonFactory(family_name="Okonkwo-Eze", phone="+31 6 1111 2222")
    case = CaseFactory(
        person=person,
        region=region,
        coordinator=coordinator,
        registration=RegistrationFactory(person=person, region=region),
    )
    page.set_extra_http_headers({"Accept-Language": "en"})
    browser_login(page, live_server, "coord-person", password)

    page.goto(live_server.url + case.get_absolute_url())
    page.locator("#person-page").click()
    page.wait_for_url(f"**/people/{person.pk}/")
    assert "+31 6 1111 2222" in page.locator("#person-contact").inner_text()
    page.locator("#edit-person").click()
    page.wait_for_url(f"**/people/{person.pk}/edit/")
    # The intake's widgets: a date picker and a country select.
    assert page.locator("#id_date_of_birth").get_attribute("type") == "date"
    assert page.locator("select#id_id_document_country").count() == 1
    page.fill("#id_phone", "+31 6 3333 4444")
    page.locator("#person-form button[type=submit]").click()
    page.wait_for_url(f"**/people/{person.pk}/")
    assert page.locator(".alert-success").is_visible()
    assert "+31 6 3333 4444" in page.locator("#person-contact").inner_text()
    assert Person.objects.get(pk=person.pk).phone == "+31 6 3333 4444"

    page.locator("text=Back to the case").click()
    page.wait_for_url(f"**/cases/{case.pk}/")
    page.fill("#id_text", "Called on the new number; visit on Thursday")
    page.locator("#note-form button[type=submit]").click()
    page.wait_for_url(f"**/cases/{case.pk}/#timeline")
    entries = page.locator("#timeline-entries li")
    assert "Anna de Boer wrote" in entries.first.inner_text()
    assert "visit on Thursday" in entries.first.inner_text()
    assert (
        "Anna de Boer corrected the person's details: phone"
        in page.locator("#timeline-entries").inner_text()
    )
    assert CaseNote.objects.get().text == "Called on the new number; visit on Thursday"
    change = AuditEvent.objects.filter(action=AuditAction.CHANGE).latest("id")
    assert change.details == {"fields": ["phone"], "screen": "person_edit"}
