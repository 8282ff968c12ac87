"""Key rotation as a background job (issue 12, item 2): ``manage.py rotate_keys`` queues it, a
worker runs it, the command follows it; its progress and result show on its page for
administrators; nothing of a value or a key in the job, its task row or the output; one
rotation at a time."""

from __future__ import annotations

import re
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import IntegrityError, transaction
from django.test import override_settings

from registry import keyops
from registry.choices import AuditAction
from registry.crypto import generate_key
from registry.models import AuditEvent, Job
from tests.factories import KeyCanaryFactory
from tests.intake.test_import_job import raw_rows
from tests.jobs import run_jobs
from tests.registry.conftest import plant_everywhere
from tests.registry.test_rotation import stored_key_ids

pytestmark = pytest.mark.django_db

EN = {"HTTP_ACCEPT_LANGUAGE": "en"}


def command(*args: str) -> str:
    out, err = StringIO(), StringIO()
    call_command("rotate_keys", *args, stdout=out, stderr=err)
    return out.getvalue() + err.getvalue()


def queued_job(output: str) -> Job:
    found = re.search(r"/jobs/([0-9a-f-]{36})/", output)
    assert found, output
    return Job.objects.get(pk=found.group(1))


def test_rotate_keys_runs_as_a_job_and_its_page_shows_the_counts(
    key_a, key_b, client_for, administrator, coordinator_a
):
    with override_settings(REGISTRY_ENCRYPTION_KEYS=f"ka:{key_a}"):
        plants = plant_everywhere()
    keyring = f"kb:{key_b},ka:{key_a}"
    with override_settings(REGISTRY_ENCRYPTION_KEYS=keyring):
        rows = keyops.count_rows()
        # The values under the keyring (the persons' are under their data keys: not rotated).
        totals = keyops.check_encryption().totals()
        values = sum(n for key_id, n in totals.items() if key_id in ("ka", "kb"))
        assert totals[keyops.DATA_KEY_ID] > 0
        assert values >= len([p for p in plants if not p.field.person_key])
        queued = command("--no-wait")
        job = queued_job(queued)
        assert "Key rotation queued: http" in queued
        assert job.kind == Job.Kind.ROTATE_KEYS and job.owner is None
        assert job.status == Job.Status.QUEUED
        assert stored_key_ids() == {"ka"}  # nothing rotates before a worker takes it

        assert run_jobs() == 1
        followed = command("--follow", str(job.pk))
    job.refresh_from_db()
    assert job.status == Job.Status.DONE
    assert (job.done, job.total) == (rows, rows)  # the progress, recorded as it went
    assert stored_key_ids() == {"kb"}
    assert job.summary["rewritten"] == values
    assert job.summary["values_before"] == f"ka={values}"
    assert job.summary["values_after"] == f"kb={values}"
    assert f"Re-encrypted {values} value(s)" in followed
    assert "Every value is under the active key kb." in followed
    event = AuditEvent.objects.get(action=AuditAction.ROTATE_KEYS)
    assert event.details["job"] == str(job.pk)

    page = client_for(administrator).get(job.get_absolute_url(), **EN)
    assert page.status_code == 200
    html = page.content.decode()
    assert "Key rotation" in html
    assert f'value="{rows}" max="{rows}"' in html
    assert "Values re-encrypted" in html and f'<dd class="col-sm-8">{values}</dd>' in html
    assert "The file is no longer available" not in html
    assert client_for(coordinator_a).get(job.get_absolute_url()).status_code == 404
    listed = client_for(administrator).get("/jobs/", **EN).content.decode()
    assert job.get_absolute_url() in listed

    # No value, and no key, in the job, its task row, the outputs or the page.
    kept = " ".join(
        [raw_rows("registry_job"), raw_rows("django_tasks_database_dbtaskresult"), queued]
        + [followed, html]
    )
    for secret in [key_a, key_b, *(str(p.value) for p in plants if p.value is not None)]:
        assert secret not in kept


def test_a_second_rotation_while_one_is_queued_or_running_is_refused(key_a, key_b):
    with override_settings(REGISTRY_ENCRYPTION_KEYS=f"kb:{key_b},ka:{key_a}"):
        first = queued_job(command("--no-wait"))
        with pytest.raises(CommandError, match="already queued or running") as refused:
            command("--no-wait")
        assert f"/jobs/{first.pk}/" in str(refused.value)
        Job.objects.filter(pk=first.pk).update(status=Job.Status.RUNNING)
        with pytest.raises(CommandError, match="nothing was started"):
            command()
        assert Job.objects.count() == 1
        Job.objects.filter(pk=first.pk).update(status=Job.Status.DONE)
        # Once it has ended, the next may start.
        assert queued_job(command("--no-wait")) != first


def test_the_database_keeps_a_second_rotation_out_even_past_the_check(key_a, key_b):
    """Two commands at the same moment: the unique constraint decides."""
    with override_settings(REGISTRY_ENCRYPTION_KEYS=f"kb:{key_b},ka:{key_a}"):
        keyops.start_rotation()
        with pytest.raises(IntegrityError), transaction.atomic():
            Job.objects.create(kind=Job.Kind.ROTATE_KEYS, status=Job.Status.QUEUED)


def test_a_failed_rotation_says_on_its_page_what_to_do(key_a, key_b, client_for, administrator):
    with override_settings(REGISTRY_ENCRYPTION_KEYS=f"kz:{generate_key()}"):
        canary = KeyCanaryFactory()
    with override_settings(REGISTRY_ENCRYPTION_KEYS=f"kb:{key_b},ka:{key_a}"):
        job = queued_job(command("--no-wait"))
        run_jobs()
        with pytest.raises(CommandError, match="does not open") as stopped:
            command("--follow", str(job.pk))
    assert str(canary.pk) in str(stopped.value)
    html = client_for(administrator).get(job.get_absolute_url(), **EN).content.decode()
    assert "Rotation stopped at a value that does not open" in html
    assert "runs manage.py rotate_keys again on the server" in html
    assert "Export again" not in html


def test_a_worker_still_on_the_old_keyring_changes_nothing_and_says_so(key_a, key_b):
    """The new key must be in every process's environment first: a worker without it would
    re-seal everything under the old key and report success."""
    with override_settings(REGISTRY_ENCRYPTION_KEYS=f"ka:{key_a}"):
        plant_everywhere()
    with override_settings(REGISTRY_ENCRYPTION_KEYS=f"kb:{key_b},ka:{key_a}"):
        job = queued_job(command("--no-wait"))
    with override_settings(REGISTRY_ENCRYPTION_KEYS=f"ka:{key_a}"):  # the worker's
        run_jobs()
    job.refresh_from_db()
    assert job.status == Job.Status.FAILED
    assert job.failure_error == "worker 'ka', command 'kb'"
    assert stored_key_ids() == {"ka"}
    with (
        override_settings(REGISTRY_ENCRYPTION_KEYS=f"kb:{key_b},ka:{key_a}"),
        pytest.raises(CommandError, match="Restart every worker"),
    ):
        command("--follow", str(job.pk))


def test_following_an_unknown_job_is_a_clear_error():
    with pytest.raises(CommandError, match="no key rotation has the id"):
        command("--follow", "00000000-0000-0000-0000-000000000000")
    with pytest.raises(CommandError, match="job id"):
        command("--follow", "not-a-uuid")
