"""The personal export in a real browser: the warning, the purpose refused when missing, the
password shown once, the archive downloaded and opened with it."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from registry.models import Job
from tests.factories import PersonFactory, RegistrationFactory, grant_personal_export
from tests.jobs import run_jobs
from tests.reports.personal_exports import PURPOSE, open_archive

pytestmark = pytest.mark.django_db(transaction=True)

# Set to a folder to keep the screenshots (to look at the pages).
SHOTS = os.environ.get("E2E_SCREENSHOTS", "")


def _shot(page, name: str) -> None:
    if SHOTS:
        Path(SHOTS).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(SHOTS) / f"{name}.png"), full_page=True)


def test_warning_purpose_password_once_and_the_archive_opens(
    live_server, page, browser_login, password, administrator, region_a, tmp_path
):
    RegistrationFactory(person=PersonFactory(family_name="Browserplanted"), region=region_a)
    grant_personal_export(administrator)
    browser_login(page, live_server, administrator.username, password)
    page.goto(live_server.url + "/statistics/personal/")
    assert page.locator("#identity-warning").is_visible()
    _shot(page, "personal-export")

    with page.expect_navigation():
        page.locator("#start-personal-export").click()
    assert page.locator("#form-errors").is_visible()
    assert page.locator("#id_purpose").get_attribute("aria-invalid") == "true" or (
        page.locator("#id_purpose.is-invalid").count() == 1
    )
    _shot(page, "personal-export-errors")

    page.fill("#id_purpose", PURPOSE)
    with page.expect_navigation():
        page.locator("#start-personal-export").click()
    shown = page.locator("#archive-password").inner_text().strip()
    assert len(shown) == 29
    _shot(page, "personal-export-password")

    assert run_jobs() == 1
    with page.expect_navigation():
        page.locator("#to-job").click()
    page.locator("#job-download").wait_for()
    assert shown not in page.content()
    _shot(page, "personal-export-job")
    with page.expect_download() as info:
        page.locator("#job-download").click()
    target = tmp_path / "archive.zip"
    info.value.save_as(target)
    name, content = open_archive(target.read_bytes(), shown)
    assert name.endswith(".csv") and b"Browserplanted" in content
    assert Job.objects.get().status == Job.Status.DONE
