"""Issue 13's coordinator journey in one real browser session, end to end: find a person by a
part of the family name, open the case, correct the phone number on the person page, add a
note, hand the case over; the receiving coordinator reads the profile and the reason, accepts,
and finds the case assigned to them with its registration.

The steps are each shown in more detail by test_search_people.py, test_person_and_timeline.py
and test_handover_journey.py; this one shows they make one journey.
"""

from __future__ import annotations

import pytest

from registry.choices import Role
from registry.models import Case, CaseNote, Handover, Person
from tests.factories import (
    CaseFactory,
    PersonFactory,
    RegionFactory,
    RegistrationFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db(transaction=True)

REASON = "Moves to her sister in region B; a shelter place is found there"
NOTE = "Called on the new number; she agrees to move"


def test_find_correct_note_hand_over_and_accept(live_server, browser, browser_login, password):
    region_a = RegionFactory(code="e2e-journey-a", name="Journey A")
    region_b = RegionFactory(code="e2e-journey-b", name="Journey B")
    coordinator_a = UserFactory(
        username="journey-a",
        first_name="Anna",
        last_name="de Boer",
        role=Role.COORDINATOR,
        regions=[region_a],
    )
    coordinator_b = UserFactory(username="journey-b", role=Role.COORDINATOR, regions=[region_b])
    person = PersonFactory(
        family_name="Okonkwo-Eze", given_names="Adaeze", phone="+31 6 1111 2222", nationality="NG"
    )
    registration = RegistrationFactory(person=person, region=region_a)
    case = CaseFactory(
        person=person, region=region_a, coordinator=coordinator_a, registration=registration
    )
    other = PersonFactory(family_name="Adeyemi", given_names="Bola")
    CaseFactory(
        person=other,
        region=region_a,
        coordinator=coordinator_a,
        registration=RegistrationFactory(person=other, region=region_a),
    )

    page = browser.new_page(locale="en-GB")
    page.set_extra_http_headers({"Accept-Language": "en"})
    browser_login(page, live_server, "journey-a", password)

    # Find her by a part of her family name: the list shows her name; the URL never the term.
    page.goto(live_server.url + "/cases/")
    page.fill("#id_q", "Okonkwo")
    page.locator("#case-filters button[type=submit]").click()
    page.wait_for_url("**/cases/?*")
    assert "okonkwo" not in page.url.lower()
    rows = page.locator("#case-table tbody tr")
    assert rows.count() == 1
    assert "Okonkwo-Eze" in rows.first.inner_text()
    rows.first.locator(f"a[href='/cases/{case.pk}/']").first.click()
    page.wait_for_url(f"**/cases/{case.pk}/")

    # Correct the phone number on the person page.
    page.locator("#person-page").click()
    page.wait_for_url(f"**/people/{person.pk}/")
    page.locator("#edit-person").click()
    page.wait_for_url(f"**/people/{person.pk}/edit/")
    page.fill("#id_phone", "+31 6 3333 4444")
    page.locator("#person-form button[type=submit]").click()
    page.wait_for_url(f"**/people/{person.pk}/")
    assert "+31 6 3333 4444" in page.locator("#person-contact").inner_text()

    # Add a note: it heads the case's timeline, with who wrote it.
    page.goto(live_server.url + case.get_absolute_url())
    page.fill("#id_text", NOTE)
    page.locator("#note-form button[type=submit]").click()
    page.wait_for_url(f"**/cases/{case.pk}/#timeline")
    first = page.locator("#timeline-entries li").first.inner_text()
    assert "Anna de Boer wrote" in first and NOTE in first

    # Hand the case over to region B with a reason.
    page.locator(f"a[href='/cases/{case.pk}/handover/']").click()
    page.wait_for_url(f"**/cases/{case.pk}/handover/")
    page.select_option("#id_to_region", str(region_b.pk))
    page.fill("#id_reason", REASON)
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(f"**/cases/{case.pk}/")
    handover = Handover.objects.get(case=case)
    page.context.close()

    # Coordinator B reads the profile and the reason, never her name, and accepts.
    receiver = browser.new_page(locale="en-GB")
    receiver.set_extra_http_headers({"Accept-Language": "en"})
    browser_login(receiver, live_server, "journey-b", password)
    receiver.goto(f"{live_server.url}/handovers/")
    receiver.locator(f"a[href='/handovers/{handover.pk}/']").first.click()
    receiver.wait_for_url(f"**/handovers/{handover.pk}/")
    assert "Nigeria" in receiver.locator("#case-profile").inner_text()
    assert REASON in receiver.locator("#handover-reason").inner_text()
    before = receiver.locator("main").inner_text()
    for personal in ("Okonkwo", "Adaeze", "3333 4444", NOTE):
        assert personal not in before
    receiver.locator("button[name=decision][value=accept]").click()
    receiver.wait_for_url(f"**/cases/{case.pk}/")
    assert "assigned to you" in receiver.locator(".alert-success").inner_text()
    assert "Okonkwo-Eze" in receiver.locator("#person-data").inner_text()
    assert registration.number in receiver.locator("main").inner_text()

    # B's own list shows the case as theirs.
    receiver.goto(live_server.url + "/cases/")
    assert "Okonkwo-Eze" in receiver.locator("#case-table").inner_text()
    case = Case.objects.get(pk=case.pk)
    assert (case.region_id, case.coordinator_id) == (region_b.pk, coordinator_b.pk)
    assert Person.objects.get(pk=person.pk).phone == "+31 6 3333 4444"
    assert CaseNote.objects.get(case=case).text == NOTE
    receiver.context.close()
