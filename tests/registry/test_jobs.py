"""The background jobs layer: a dead worker's job fails with "try again", files expire, a
failing job says so with nothing personal, an export file is encrypted at rest, the real
worker (``db_worker --batch``) runs jobs, and the commands draw their progress as counts."""

from __future__ import annotations

import datetime
import io
import logging

import pytest
from django.core.management import call_command
from django.db import connection
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from registry import jobs
from registry.keyops import rotate_keys
from registry.models import Job, JobFile
from registry.terminal import progress_bar
from tests.factories import PersonFactory, RegistrationFactory
from tests.jobs import export_via_job, run_jobs, run_worker

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english(settings):
    """The assertions read the English sentences (their Dutch is in the catalogue)."""
    settings.LANGUAGE_CODE = "en"


PLANTED = "Zyxwvutsrq-Planted"


def _table(model) -> str:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT * FROM {connection.ops.quote_name(model._meta.db_table)}")  # noqa: S608
        return repr(cursor.fetchall())


@pytest.fixture
def failing_kind():
    """A job kind that fails the way a bug would, with a personal value in its message."""

    def run(job, progress):
        progress(1, 4)
        raise ValueError(f"duplicate key value {PLANTED}")

    jobs.KINDS["test_failing"] = jobs.Kind(run=run)
    yield "test_failing"
    del jobs.KINDS["test_failing"]


def test_a_job_whose_worker_died_is_shown_failed_with_try_again(client_for, administrator):
    job = Job.objects.create(kind=Job.Kind.IMPORT, owner=administrator, status=Job.Status.RUNNING)
    long_ago = timezone.now() - datetime.timedelta(hours=1)
    Job.objects.filter(pk=job.pk).update(heartbeat_at=long_ago, started_at=long_ago)
    client = client_for(administrator)
    page = client.get(job.get_absolute_url())
    html = page.content.decode()
    assert "Try again" in html
    assert 'data-finished="true"' in html and "job_progress.js" not in html  # no polling on
    job.refresh_from_db()
    assert job.status == Job.Status.FAILED


def test_abandon_stale_jobs_fails_dead_jobs_and_deletes_expired_files(administrator):
    dead = Job.objects.create(kind=Job.Kind.IMPORT, owner=administrator, status=Job.Status.RUNNING)
    alive = Job.objects.create(kind=Job.Kind.IMPORT, owner=administrator, status=Job.Status.RUNNING)
    Job.objects.filter(pk=dead.pk).update(heartbeat_at=timezone.now() - datetime.timedelta(hours=1))
    Job.objects.filter(pk=alive.pk).update(heartbeat_at=timezone.now())
    done = Job.objects.create(kind=Job.Kind.EXPORT_ANONYMISED, owner=administrator, status="done")
    old = jobs.store_file(done, JobFile.Purpose.RESULT, "old.csv", "text/csv", b"a,b\n")
    JobFile.objects.filter(pk=old.pk).update(expires_at=timezone.now() - datetime.timedelta(1))
    out = io.StringIO()
    call_command("abandon_stale_jobs", stdout=out)
    assert out.getvalue().strip() == "1 stale job(s) marked failed; 1 expired file(s) deleted."
    assert Job.objects.get(pk=dead.pk).status == Job.Status.FAILED
    assert Job.objects.get(pk=alive.pk).status == Job.Status.RUNNING
    assert not JobFile.objects.exists()
    call_command("abandon_stale_jobs", stdout=out)  # safe to run twice


def test_a_failing_job_says_so_and_keeps_no_value_of_its_error(
    failing_kind, client_for, administrator, caplog
):
    caplog.set_level(logging.DEBUG)
    job = jobs.start(failing_kind, administrator)
    run_jobs()
    job.refresh_from_db()
    assert job.status == Job.Status.FAILED
    assert job.failure_text == "The job stopped on an unexpected error (ValueError). Try again."
    task = DBTaskResult.objects.get()
    assert task.return_value == "failed" and task.traceback == ""
    html = client_for(administrator).get(job.get_absolute_url()).content.decode()
    assert "unexpected error (ValueError)" in html
    for where in (_table(Job), _table(DBTaskResult), html, caplog.text):
        assert PLANTED not in where


def test_a_personal_export_file_is_encrypted_at_rest_and_expires(
    client_for, administrator, settings
):
    from registry.models import Registration
    from reports.jobs import start_personal

    RegistrationFactory(person=PersonFactory(family_name=PLANTED))
    job = start_personal(
        administrator,
        "csv",
        Registration.objects.all(),
        {"screen": "page"},
        "A purpose of twenty characters",
        "AAAA-BBBB-CCCC-DDDD-EEEE-FFFF",
    )
    # The grant is checked when the worker starts: without one the job fails, no file.
    run_jobs()
    job.refresh_from_db()
    assert job.status == Job.Status.FAILED
    assert "no longer hold a personal-export grant" in job.failure
    assert not JobFile.objects.exists()


def test_an_export_file_is_stored_encrypted_and_downloaded_whole(
    client_for, administrator, settings
):
    settings.REGISTRY_SMALL_CELL_K = 1
    # In the last year that has ended: the period a download without one publishes.
    last_year = timezone.localdate().year - 1
    RegistrationFactory.create_batch(3, registered_on=timezone.localdate().replace(last_year, 6, 1))
    client = client_for(administrator)
    download = export_via_job(client, "/statistics/anonymised/download.csv")
    assert download.status_code == 200
    assert download.content.startswith(b"registration_year,")
    stored = JobFile.objects.get()
    assert stored.size == len(download.content)
    raw = _table(JobFile)
    assert "registration_year" not in raw and stored.content[:20] not in raw
    job = Job.objects.get()
    assert (job.done, job.total, job.summary["rows"]) == (3, 3, 3)
    # After its time the file is gone, and so is the link.
    JobFile.objects.update(expires_at=timezone.now())
    assert client.get(f"/jobs/{job.pk}/download/").status_code == 404
    assert "no longer available" in client.get(f"/jobs/{job.pk}/").content.decode()


@pytest.mark.django_db(transaction=True)
def test_the_real_worker_runs_a_queued_export(administrator, settings):
    settings.REGISTRY_SMALL_CELL_K = 1
    RegistrationFactory.create_batch(2)
    from reports.aggregates import Period
    from reports.jobs import start_statistics

    job = start_statistics(administrator, "csv", Period(), ("gender", "age_monitor"))
    run_worker()
    job.refresh_from_db()
    assert job.status == Job.Status.DONE, job.failure
    assert job.result_file().name == "statistics-all-all.csv"


def test_progress_bar_shows_counts_only():
    stream = io.StringIO()
    with progress_bar("rotate_keys", stream=stream) as progress:
        progress(0, 200)
        progress(150, 200)
        progress(200, 200)
    assert "200/200" in stream.getvalue()


def test_rotation_reports_its_progress_as_rows_read_of_all_rows(db):
    RegistrationFactory.create_batch(3)
    seen = []
    rotate_keys(batch_size=2, progress=lambda done, total: seen.append((done, total)))
    assert seen[-1][0] == seen[-1][1] > 0
    assert [done for done, _total in seen] == sorted(done for done, _total in seen)


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_progress_inside_a_jobs_own_transaction_is_seen_at_once_on_postgresql(administrator):
    """An import saves its rows in one transaction; the page still sees how far it got."""
    from django.db import connections, transaction

    seen = []

    def run(job, progress):
        with transaction.atomic():
            progress(3, 10)
            onlooker = connections.create_connection("default")
            try:
                with onlooker.cursor() as cursor:
                    cursor.execute("SELECT done, total FROM registry_job WHERE id = %s", [job.pk])
                    seen.append(cursor.fetchone())
            finally:
                onlooker.close()
        return {}

    jobs.KINDS["test_in_transaction"] = jobs.Kind(run=run)
    try:
        jobs.start("test_in_transaction", administrator)
        run_jobs()
    finally:
        del jobs.KINDS["test_in_transaction"]
    assert seen == [(3, 10)]


def test_a_running_job_shows_how_far_it_got_and_reloads_itself(client_for, administrator):
    job = Job.objects.create(
        kind=Job.Kind.IMPORT,
        owner=administrator,
        status=Job.Status.RUNNING,
        done=3,
        total=10,
        heartbeat_at=timezone.now(),
    )
    response = client_for(administrator).get(job.get_absolute_url())
    html = response.content.decode()
    assert 'data-finished="false" data-refresh="2"' in html and "js/job_progress.js" in html
    assert '<progress class="w-100" id="job-progress" value="3" max="10">30%</progress>' in html
    assert "3 of 10 done (30%)" in html


def test_a_job_no_worker_took_in_time_fails_and_its_upload_is_deleted(administrator):
    from intake.jobs import start_import

    job = start_import(administrator, b"family_name\nZyxwvutsrq\n")
    Job.objects.filter(pk=job.pk).update(created_at=timezone.now() - datetime.timedelta(days=2))
    JobFile.objects.update(expires_at=timezone.now() - datetime.timedelta(days=1))
    call_command("abandon_stale_jobs", stdout=io.StringIO())
    job.refresh_from_db()
    assert job.status == Job.Status.FAILED and "No worker took this job" in job.failure
    assert not JobFile.objects.exists()
    run_jobs()  # the task, when a worker finally comes, leaves it alone
    job.refresh_from_db()
    assert job.status == Job.Status.FAILED
