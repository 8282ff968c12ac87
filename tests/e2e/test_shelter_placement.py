"""The help desk places a person in a COSM (issue 14, item 5) in a real browser: from the
shelter overview to the case's placement page, past the warning for a Dutch national with a
reason, and back on the overview with one place fewer.

With ``SHELTER_SCREENSHOTS=<dir>`` set, the pages are also saved as screenshots at 1366x768
and 390x844 (docs/workspace.md, "Shelters")."""

from __future__ import annotations

import datetime
import os
from pathlib import Path

import pytest

from registry.choices import PlacementStatus, ResidenceStatus, Role
from registry.models import Placement
from tests.factories import (
    CaseFactory,
    PersonFactory,
    PlacementFactory,
    RegionFactory,
    ShelterFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db(transaction=True)

SIZES = ((1366, 768), (390, 844))


def _shoot(page, name: str, section: str = "") -> None:
    """Save the page (or the window scrolled to ``section``) at each size, when asked."""
    folder = os.environ.get("SHELTER_SCREENSHOTS")
    if not folder:
        return
    for width, height in SIZES:
        page.set_viewport_size({"width": width, "height": height})
        if section:
            page.locator(section).scroll_into_view_if_needed()
        path = str(Path(folder) / f"{name}-{width}x{height}.png")
        page.screenshot(path=path, full_page=not section)
    page.set_viewport_size({"width": 1366, "height": 768})


def test_the_help_desk_places_a_person_in_a_cosm(live_server, page, browser_login, password):
    region = RegionFactory(code="e2e-shelter", name="E2E Shelter Region")
    UserFactory(username="desk-shelter", role=Role.HELPDESK)
    cosm = ShelterFactory(name="COSM Oost", places=2, target_group="adult women")
    ShelterFactory(name="COSM West", places=1)
    PlacementFactory(
        case=CaseFactory(region=region, shelter_requested="cosm"),
        shelter=cosm,
        start_date=datetime.date.today() - datetime.timedelta(days=100),
    )
    person = PersonFactory(nationality="NL")
    case = CaseFactory(
        person=person,
        region=region,
        shelter_requested="cosm",
        residence_status=ResidenceStatus.REFLECTION_PERIOD,
        reflection_start=datetime.date.today(),
    )
    page.set_extra_http_headers({"Accept-Language": "en"})
    browser_login(page, live_server, "desk-shelter", password)

    page.locator("nav >> text=Shelters").click()
    page.wait_for_url("**/shelters/")
    assert "COSM Oost" in page.locator("#occupancy").inner_text()
    _shoot(page, "shelter-overview")
    page.locator(f"#requesting a[href$='/cases/{case.pk}/shelter/']").click()
    page.wait_for_url(f"**/cases/{case.pk}/shelter/")
    page.select_option("#id_shelter", str(cosm.pk))
    page.locator("#placement-form button[type=submit]").click()
    # A Dutch national in a COSM: the form comes back with the warning and asks for a reason.
    assert "the person is a Dutch national" in page.locator("#placement-warnings").inner_text()
    assert page.locator("#id_shelter").input_value() == str(cosm.pk)
    _shoot(page, "shelter-placement-form")
    page.fill("#id_reason", "No other shelter can take her tonight")
    page.locator("#placement-form button[type=submit]").click()
    page.wait_for_url(f"**/cases/{case.pk}/shelter/")
    assert page.locator(".alert-success").is_visible()
    assert "COSM Oost" in page.locator("#current-placement").inner_text()
    placement = Placement.objects.get(case=case)
    assert placement.status == PlacementStatus.PLACED and placement.shelter == cosm
    assert placement.warnings == ["dutch_national"]

    page.goto(live_server.url + "/shelters/")
    row = page.locator(f"#occupancy tr[data-shelter='{cosm.pk}']")
    assert row.locator(".occupied").inner_text() == "2"
    assert "full" in row.locator(".free").inner_text()
    assert "COSM Oost" in page.locator("#long-stays").inner_text()
    _shoot(page, "shelter-overview-after")

    # The case page (region without a coordinator: the help desk's own case) shows the section.
    page.goto(live_server.url + case.get_absolute_url())
    assert "Placed in COSM Oost" in page.locator("#shelter-section").inner_text()
    _shoot(page, "case-shelter-section", section="#shelter")
