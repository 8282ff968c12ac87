"""The coordinator's handover journey in a real browser (issue 13, item 5).

Coordinator A hands a case over to region B with a reason; coordinator B reads the case's
profile and the reason on the handover page (never the person's name), accepts, and finds the
case assigned to them with its registration.
"""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from registry import registering
from registry.choices import Role
from registry.models import Case, FormOfExploitation, Handover
from tests.catalogue import english_date
from tests.factories import (
    CaseFactory,
    PersonFactory,
    RegionFactory,
    RegistrationFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db(transaction=True)

REASON = "Moves to a relative in Rotterdam; shelter place found"


def test_coordinator_hands_over_and_the_receiver_decides_with_sight(
    live_server, browser, browser_login, password
):
    region_a = RegionFactory(code="e2e-a", name="Region A")
    region_b = RegionFactory(code="e2e-b", name="Region B")
    UserFactory(username="coord-a", role=Role.COORDINATOR, regions=[region_a])
    coordinator_b = UserFactory(username="coord-b", role=Role.COORDINATOR, regions=[region_b])
    person = PersonFactory(
        family_name="Okonkwo-Eze",
        given_names="Adaeze",
        phone="+31 6 1212 3434",
        nationality="NG",
        date_of_birth=timezone.localdate() - datetime.timedelta(days=25 * 366),
    )
    registration = RegistrationFactory(
        person=person, region=region_a, immediate_danger=True, sector="agriculture"
    )
    registration.exploitation_forms.set(FormOfExploitation.objects.filter(code="labour"))
    case = CaseFactory(
        person=person,
        region=region_a,
        registration=registration,
        shelter_requested="cosm",
        residence_status="reflection_period",
        reflection_start=timezone.localdate() - datetime.timedelta(days=30),
    )

    # Coordinator A asks region B to take the case over.
    sender = browser.new_page(locale="en-GB")
    browser_login(sender, live_server, "coord-a", password)
    sender.goto(f"{live_server.url}/cases/{case.pk}/")
    sender.locator(f"a[href='/cases/{case.pk}/handover/']").click()
    sender.wait_for_url(f"**/cases/{case.pk}/handover/")
    sender.select_option("#id_to_region", str(region_b.pk))
    sender.fill("#id_reason", REASON)
    sender.locator("main form button[type=submit]").click()
    sender.wait_for_url(f"**/cases/{case.pk}/")
    assert sender.locator(".alert-success").is_visible()
    handover = Handover.objects.get(case=case)
    sender.context.close()

    # Coordinator B finds it among the handovers and reads what they need to decide.
    receiver = browser.new_page(locale="en-GB")
    browser_login(receiver, live_server, "coord-b", password)
    receiver.goto(f"{live_server.url}/handovers/")
    receiver.locator(f"a[href='/handovers/{handover.pk}/']").first.click()
    receiver.wait_for_url(f"**/handovers/{handover.pk}/")
    profile = receiver.locator("#case-profile").inner_text()
    band = registering.age_band(person.age_on(timezone.localdate()))
    for shown in (band, "female", "Nigeria", "labour", "agriculture", "immediate danger", "COSM"):
        assert shown.lower() in profile.lower(), shown
    case.refresh_from_db()
    assert english_date(case.reflection_end) in profile
    assert REASON in receiver.locator("#handover-reason").inner_text()
    main = receiver.locator("main").inner_text()
    born = english_date(person.date_of_birth)
    for personal in ("Okonkwo", "Adaeze", "1212 3434", person.date_of_birth.isoformat(), born):
        assert personal not in main
    assert receiver.locator(".alert-emergency").is_visible()

    # B accepts: the case is theirs, with its registration in sight.
    receiver.locator("button[name=decision][value=accept]").click()
    receiver.wait_for_url(f"**/cases/{case.pk}/")
    assert "assigned to you" in receiver.locator(".alert-success").inner_text()
    assert "Okonkwo-Eze" in receiver.locator("#person-data").inner_text()
    assert registration.number in receiver.locator("main").inner_text()
    assert "No registrations you may see" not in receiver.locator("main").inner_text()
    case = Case.objects.get(pk=case.pk)
    assert (case.region_id, case.coordinator_id) == (region_b.pk, coordinator_b.pk)
    receiver.context.close()
