"""The admin's import: its button leads to the import page (a background job)."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from registry.models import Person, Registration
from tests.intake.test_import import row, write_csv
from tests.jobs import run_jobs

pytestmark = pytest.mark.django_db

URL = "/admin/intake/registrationimport/import/"


def test_the_admins_import_sends_to_the_import_page_which_imports_in_the_background(
    client_for, administrator, region_a, tmp_path
):
    client = client_for(administrator)
    # The admin's import button, and a post to it, lead to the upload page: an upload in the
    # admin would hold the request for the whole file.
    assert client.get(URL)["Location"] == "/intake/import/"
    assert client.post(URL)["Location"] == "/intake/import/"
    process = "/admin/intake/registrationimport/process_import/"
    assert client.post(process)["Location"] == "/intake/import/"
    data = write_csv(tmp_path, [row(1), row(2), row(1, registered_on="2024-07-01")]).read_bytes()
    response = client.post(
        "/intake/import/", {"file": SimpleUploadedFile("registrations.csv", data, "text/csv")}
    )
    assert response.status_code == 302
    run_jobs()
    assert Registration.objects.count() == 3
    assert Person.objects.count() == 2  # the third row is linked to the first person


def test_coordinator_may_not_import(client_for, coordinator_a):
    coordinator_a.is_staff = True
    coordinator_a.save()
    assert client_for(coordinator_a).get(URL).status_code == 403
