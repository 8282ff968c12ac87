"""The help desk reads the victim monitor's 2015-2019 table in a browser (issue 16 item 2)."""

from __future__ import annotations

import io
import os

import pytest
from django.core.management import call_command

from tests.reports.test_disclosure import monitor_file

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_help_desk_chooses_a_run_of_years_and_sees_the_headlines(
    live_server, page, browser_login, password, helpdesk, region_a, tmp_path
):
    path = tmp_path / "monitor.csv"
    monitor_file(path)
    call_command("import_registrations", str(path), stdout=io.StringIO())
    browser_login(page, live_server, helpdesk.username, password)
    page.goto(live_server.url + "/statistics/?year=2015&rows=gender&cols=age_monitor")
    page.select_option("#id_until", "2019")
    with page.expect_navigation():
        page.locator("main form[method=get] button[type=submit]").click()
    assert "until=2019" in page.url
    female = page.locator('#table-gender tr[data-value="female"] td').first.inner_text()
    male = page.locator('#table-gender tr[data-value="male"] td').first.inner_text()
    unknown = page.locator('#table-gender tr[data-value="unknown"] td').first.inner_text()
    assert abs(int(female) - 687) <= 4 and abs(int(male) - 643) <= 4 and unknown == "x"
    if os.environ.get("SCREENSHOTS"):
        page.locator("#section-gender").screenshot(path=os.environ["SCREENSHOTS"] + "/gender.png")
        page.screenshot(path=os.environ["SCREENSHOTS"] + "/statistics.png")
