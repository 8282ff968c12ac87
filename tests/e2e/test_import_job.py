"""An administrator imports a CSV in a real browser: upload, the job's page waiting with its
progress bar, following the job by itself (no reload) until the worker has run the import,
then the result."""

from __future__ import annotations

import pytest

from registry.models import Job, Registration
from tests.intake.test_import import row, write_csv
from tests.jobs import run_jobs

pytestmark = pytest.mark.django_db(transaction=True)


def test_upload_then_progress_then_result(
    live_server, page, browser_login, password, administrator, region_a, tmp_path
):
    path = write_csv(tmp_path, [row(n) for n in range(1, 6)])
    browser_login(page, live_server, administrator.username, password)
    page.goto(live_server.url + "/intake/import/")
    page.set_input_files("#id_file", str(path))
    with page.expect_navigation():
        page.locator("main form button[type=submit]").click()
    job = Job.objects.get()
    assert page.url == f"{live_server.url}/jobs/{job.pk}/"
    # Waiting for a worker: a progress bar with its words for screen readers.
    assert page.locator("progress#job-progress").count() == 1
    assert "waiting for a worker" in page.locator("#job-progress-text").inner_text().lower()
    assert page.locator("[role=status]").count() == 1

    assert run_jobs() == 1  # the worker runs the import

    # The page follows the job by itself (no click, no reload) and shows the result.
    page.evaluate("window.notReloaded = true")
    page.locator("#job-summary").wait_for()
    assert page.evaluate("window.notReloaded") is True
    assert page.locator("#job-state").get_attribute("data-finished") == "true"
    assert page.locator("progress#job-progress").get_attribute("value") == "5"
    assert "5 of 5" in page.locator("#job-progress-text").inner_text()
    assert "Registrations created" in page.locator("#job-summary").inner_text()
    assert Registration.objects.count() == 5
    assert "Given1" not in page.content()
