"""The admin's import: its button leads to the import page (a background job)."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from registry.interchange import COLUMN_NAMES
from registry.models import Person, Registration
from tests.intake.test_import import row, write_csv
from tests.jobs import run_jobs

pytestmark = pytest.mark.django_db

URL = "/admin/intake/registrationimport/import/"
PAGE = "/intake/import/"


def upload(client, path):
    """Upload ``path`` on the import page, run the job, and return the page that shows it."""
    data = path.read_bytes()
    response = client.post(
        PAGE,
        {"file": SimpleUploadedFile("registrations.csv", data, "text/csv")},
        HTTP_ACCEPT_LANGUAGE="en",
    )
    if response.status_code != 302:
        return response
    run_jobs()
    return client.get(response["Location"], HTTP_ACCEPT_LANGUAGE="en")


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


def test_upload_over_the_byte_cap_is_refused_with_a_clear_message(
    client_for, administrator, region_a, tmp_path, settings
):
    settings.REGISTRY_IMPORT_MAX_BYTES = 2_000
    path = write_csv(tmp_path, [row(n, family_name="Qwzxyfamilia") for n in range(40)])
    assert path.stat().st_size > 2 * 2_000
    response = upload(client_for(administrator), path)
    html = response.content.decode()
    assert response.status_code == 400
    assert "the import takes files up to 2" in html
    assert "Qwzxyfamilia" not in html
    assert Registration.objects.count() == 0


def test_admin_upload_handler_keeps_no_more_than_the_cap(rf, settings):
    # The handler stops the upload at the cap: the file is dropped, not read into memory.
    from django.core.files.uploadhandler import StopUpload

    from intake.uploads import CappedUploadHandler, upload_too_large

    settings.REGISTRY_IMPORT_MAX_BYTES = 1_000
    request = rf.post("/")
    handler = CappedUploadHandler(request)
    handler.new_file("import_file", "a.csv", "text/csv", None)
    kept = [handler.receive_data_chunk(b"x" * 600, 0)]
    with pytest.raises(StopUpload):
        handler.receive_data_chunk(b"x" * 600, 600)
    assert sum(map(len, kept)) == 600
    assert upload_too_large(request)


def test_admin_upload_over_the_row_cap_is_refused(
    client_for, administrator, region_a, tmp_path, settings
):
    settings.REGISTRY_IMPORT_MAX_ROWS = 3
    response = upload(client_for(administrator), write_csv(tmp_path, [row(n) for n in range(4)]))
    html = response.content.decode()
    assert "more than 3 rows" in html
    assert Registration.objects.count() == 0


def test_admin_import_names_the_line_after_a_quoted_line_break_and_cells_beyond_the_header(
    client_for, administrator, region_a, tmp_path
):
    path = write_csv(tmp_path, [row(1, given_names="Ann\nMarie"), row(2)])
    path.write_text(path.read_text().rstrip("\r\n") + ",Qwzxyextra\r\n")
    html = upload(client_for(administrator), path).content.decode()
    # The job's page names the row and the column by position (the line is in the command's
    # message); never the cell's value.
    beyond = f"#{len(COLUMN_NAMES) + 1}"
    assert beyond in html and "a cell beyond the header" in html
    assert "Qwzxyextra" not in html
    assert Registration.objects.count() == 0
