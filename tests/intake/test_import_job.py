"""The CSV import as a background job: upload page, encrypted file, progress and result on the
job's page, errors by row and column, nothing personal in the job, the task row or the logs."""

from __future__ import annotations

import logging

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django_tasks_db.models import DBTaskResult

from registry.models import AuditEvent, Job, JobFile, Registration
from tests.intake.test_import import row, write_csv
from tests.jobs import run_jobs

pytestmark = pytest.mark.django_db

URL = "/intake/import/"
PLANTED = ("Given1", "Family00001", "DOC000001", "1961-02-11")


@pytest.fixture
def client_for(client_for):
    """The project's ``client_for`` with a browser that asks for English pages: the
    assertions read the English sentences (the Dutch ones are in the catalogue)."""

    def make(user, **kwargs):
        made = client_for(user, **kwargs)
        made.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
        return made

    return make


def upload(client, data: bytes, name: str = "Family00001 list.csv"):
    return client.post(URL, {"file": SimpleUploadedFile(name, data, "text/csv")})


def raw_rows(table: str) -> str:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")  # noqa: S608
        return repr(cursor.fetchall())


def test_upload_queues_a_job_and_its_page_shows_the_result(
    client_for, administrator, region_a, tmp_path, caplog
):
    caplog.set_level(logging.DEBUG)
    client = client_for(administrator)
    data = write_csv(tmp_path, [row(1), row(2), row(1, registered_on="2024-07-01")]).read_bytes()
    response = upload(client, data)
    job = Job.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/jobs/{job.pk}/"
    assert Registration.objects.count() == 0  # nothing in the request: the worker imports

    queued = client.get(response["Location"])
    assert queued.status_code == 200
    assert 'data-finished="false"' in queued.content.decode()
    assert "Waiting for a worker" in queued.content.decode()
    # The file waits encrypted: no value of it in the database in clear.
    stored = raw_rows("registry_jobfile")
    assert all(value not in stored for value in PLANTED)

    assert run_jobs() == 1
    job.refresh_from_db()
    assert job.status == Job.Status.DONE
    assert (job.done, job.total) == (3, 3)
    assert job.summary["registrations_created"] == 3
    assert Registration.objects.count() == 3
    assert not JobFile.objects.exists()  # the input is deleted when the job ends
    assert AuditEvent.objects.filter(details__source="page").count() == 1

    page = client.get(response["Location"])
    html = page.content.decode()
    assert "job_progress.js" not in html
    assert 'value="3" max="3"' in html
    assert "Registrations created" in html
    for where in (
        raw_rows("registry_job"),
        raw_rows(DBTaskResult._meta.db_table),
        html,
        caplog.text,
    ):
        assert all(value not in where for value in PLANTED), where[:500]


def test_a_file_with_errors_fails_the_job_naming_row_and_column(
    client_for, administrator, region_a, tmp_path
):
    client = client_for(administrator)
    data = write_csv(tmp_path, [row(1), row(2, gender="x"), row(3)]).read_bytes()
    response = upload(client, data)
    run_jobs()
    job = Job.objects.get()
    assert job.status == Job.Status.FAILED
    assert Registration.objects.count() == 0
    html = client.get(response["Location"]).content.decode()
    assert "The file has errors; nothing was imported." in html
    assert "<td>2</td><td>3</td><td>gender</td>" in html
    assert "Given2" not in html and "Given2" not in raw_rows("registry_job")
    assert not JobFile.objects.exists()


def test_a_dutch_users_import_job_shows_the_row_errors_in_dutch(
    client_for, administrator, region_a, tmp_path
):
    """The worker writes the errors in the language the owner uploaded in (the tests' own
    language here is English), naming row and column and never a cell's value."""
    client = client_for(administrator)
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "nl"
    bad = [
        row(1),
        row(2, gender="x"),
        row(3, date_of_birth="", age_at_registration=""),
        row(4, registered_on="01-05-2024"),
        row(5, region="Family00005"),
    ]
    response = upload(client, write_csv(tmp_path, bad).read_bytes())
    run_jobs()
    job = Job.objects.get()
    assert job.status == Job.Status.FAILED
    html = client.get(response["Location"]).content.decode()
    assert "Het bestand bevat fouten; er is niets geïmporteerd." in html
    assert "<td>2</td><td>3</td><td>gender</td><td>onbekende code; verwacht een van " in html
    assert (
        "<td>3</td><td>4</td><td>age_at_registration</td>"
        "<td>verplicht als date_of_birth leeg is</td>" in html
    )
    assert (
        "<td>4</td><td>5</td><td>registered_on</td><td>verwacht een datum als JJJJ-MM-DD</td>"
        in html
    )
    assert "<td>5</td><td>6</td><td>region</td><td>onbekende regiocode</td>" in html
    for value in ("Given2", "Family00005", "01-05-2024"):
        assert value not in html and value not in raw_rows("registry_job")
    # The same file uploaded by an English reader reads in English.
    english = client_for(administrator)
    again = upload(english, write_csv(tmp_path, bad).read_bytes())
    run_jobs()
    page = english.get(again["Location"]).content.decode()
    assert "<td>5</td><td>6</td><td>region</td><td>unknown region code</td>" in page


def test_another_user_gets_404_for_the_job_and_its_list_shows_nothing(
    client_for, administrator, helpdesk, region_a, tmp_path
):
    response = upload(client_for(administrator), write_csv(tmp_path, [row(1)]).read_bytes())
    other = client_for(helpdesk)
    assert other.get(response["Location"]).status_code == 404
    assert other.get(response["Location"] + "download/").status_code == 404
    assert "import of registrations" not in other.get("/jobs/").content.decode().lower()


def test_an_oversized_file_is_refused_with_a_clear_message(client_for, administrator, settings):
    settings.REGISTRY_IMPORT_MAX_BYTES = 100
    response = upload(client_for(administrator), b"x" * 101)
    assert response.status_code == 400
    assert "the import takes files up to 100" in response.content.decode()
    assert not Job.objects.exists()


def test_only_who_may_import_opens_the_upload_page(client_for, coordinator_a, helpdesk):
    assert client_for(coordinator_a).get(URL).status_code == 403
    assert client_for(helpdesk).post(URL).status_code == 403


def test_the_task_row_holds_only_the_job_id(client_for, administrator, region_a, tmp_path):
    upload(client_for(administrator), write_csv(tmp_path, [row(1)]).read_bytes())
    task = DBTaskResult.objects.get()
    assert task.args_kwargs == {"args": [str(Job.objects.get().pk)], "kwargs": {}}
    run_jobs()
    task.refresh_from_db()
    assert task.return_value == "done"


def test_a_file_without_its_header_row_keeps_no_name_in_the_job(
    client_for, administrator, region_a, tmp_path
):
    """The first row is read as the header: its cells (names, dates of birth) would be the
    "unknown columns" of the errors."""
    path = write_csv(tmp_path, [row(1), row(2)])
    headerless = b"\n".join(path.read_bytes().splitlines()[1:]) + b"\n"
    client = client_for(administrator)
    response = upload(client, headerless)
    run_jobs()
    job = Job.objects.get()
    assert job.status == Job.Status.FAILED
    html = client.get(response["Location"]).content.decode()
    assert "the first row is not the header of the interchange format" in html
    for where in (raw_rows("registry_job"), html):
        assert "Given1" not in where and "Family00001" not in where


def test_a_post_without_a_file_is_a_form_error_not_a_job(client_for, administrator):
    response = client_for(administrator).post(URL, {})
    assert response.status_code == 400
    assert "is-invalid" in response.content.decode()
    assert not Job.objects.exists()


def test_a_file_that_is_not_utf8_fails_its_job_with_a_clear_error(
    client_for, administrator, region_a
):
    client = client_for(administrator)
    response = upload(client, "registered_on,région\n".encode("latin-1"))
    run_jobs()
    html = client.get(response["Location"]).content.decode()
    assert Job.objects.get().status == Job.Status.FAILED
    assert "the file is not UTF-8 text" in html


def test_an_upload_never_touches_the_disk_in_clear(
    client_for, administrator, region_a, tmp_path, settings
):
    """Django writes an upload larger than FILE_UPLOAD_MAX_MEMORY_SIZE to a temporary file; the
    import page keeps it in memory (capped) until it is stored encrypted. A temporary folder
    that does not exist shows it: writing there would fail."""
    settings.FILE_UPLOAD_MAX_MEMORY_SIZE = 10
    settings.FILE_UPLOAD_TEMP_DIR = str(tmp_path / "no-such-folder")
    data = write_csv(tmp_path, [row(1), row(2)]).read_bytes()
    response = upload(client_for(administrator), data)
    assert response.status_code == 302
    run_jobs()
    assert Registration.objects.count() == 2


def test_a_body_far_over_the_cap_is_refused_before_it_is_read(client_for, administrator, settings):
    settings.REGISTRY_IMPORT_MAX_BYTES = 1000
    response = upload(client_for(administrator), b"x" * 200_000)
    assert response.status_code == 400
    assert "larger than the import takes (up to 1000" in response.content.decode()
    assert not Job.objects.exists()


def test_the_upload_still_needs_its_csrf_token(administrator, region_a, tmp_path, client_for):
    from django.test import Client

    client = client_for(administrator)
    strict = Client(enforce_csrf_checks=True)
    strict.cookies = client.cookies
    data = write_csv(tmp_path, [row(1)]).read_bytes()
    assert upload(strict, data).status_code == 403
    assert not Job.objects.exists()
    page = strict.get(URL).content.decode()
    token = page.split('name="csrfmiddlewaretoken" value="')[1].split('"')[0]
    response = strict.post(
        URL,
        {
            "file": SimpleUploadedFile("x.csv", data, "text/csv"),
            "csrfmiddlewaretoken": token,
        },
    )
    assert response.status_code == 302


def test_an_import_whose_owner_lost_the_right_to_import_imports_nothing(
    client_for, administrator, region_a, tmp_path
):
    from registry.choices import Role

    upload(client_for(administrator), write_csv(tmp_path, [row(1)]).read_bytes())
    administrator.role = Role.HELPDESK
    administrator.save()
    run_jobs()
    job = Job.objects.get()
    assert job.status == Job.Status.FAILED
    assert job.failure_text == "You may no longer import registrations; nothing was imported."
    assert Registration.objects.count() == 0
    assert not JobFile.objects.exists()
