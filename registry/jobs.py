"""Background jobs: imports, exports, key rotation. Queued by a page (or a command), run by a
worker, followed on the job's page (registry/views/jobs.py) with a progress bar and the result.

The layer is small and generic. An app registers what a kind of job does with
:func:`register` (``intake.jobs``, ``reports.jobs``, imported by their AppConfig.ready), so the
registry runs imports and exports without importing the apps that own them (data flows one
way, docs/architecture.md). :func:`start` writes the :class:`~registry.models.Job` (and its
input file, encrypted) and enqueues :data:`run_job` (django-tasks, database backend, queue
"default") in the caller's transaction, in the manner of ``registry.outbox``. The worker
(``manage.py db_worker``) runs the kind's function with a :class:`Progress` to call as it
goes; what the function returns is the job's summary.

Nothing personal leaves a job: the task's only argument is the job's id and its return value
a status word; the summary holds counts and codes; a failure is recorded as the registry's
own sentence (``JobFailed``) or an error's class name, never its message (a database error
can quote a value), and the task itself always returns, so django-tasks keeps no traceback.
The input file is deleted when the job ends, a result file when it expires
(``REGISTRY_JOB_FILE_HOURS``, ``manage.py abandon_stale_jobs``).
"""

from __future__ import annotations

import base64
import datetime
import logging
import time
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connection, connections, transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext_noop
from django_tasks import task

from registry.models.jobs import Job, JobFile

if TYPE_CHECKING:
    from registry.models import User

logger = logging.getLogger(__name__)

JOB_QUEUE = "default"
# The owner reads these on the job's page (translated there).
WORKER_STOPPED = gettext_noop(
    "The worker stopped while running this job; nothing of it was kept. Try again."
)
NOT_TAKEN = gettext_noop("No worker took this job in time; its file was deleted. Try again.")
UNEXPECTED = gettext_noop("The job stopped on an unexpected error (%(error)s). Try again.")


class JobFailed(Exception):
    """A job that cannot finish, with a sentence for its owner and, for an import, its errors
    by row and column. The sentence and the errors must hold no personal value."""

    def __init__(
        self,
        message: str,
        errors: list[dict[str, Any]] | None = None,
        summary: dict[str, Any] | None = None,
        error: str = "",
    ) -> None:
        self.message, self.errors, self.summary = message, errors or [], summary or {}
        # Put into the sentence's ``%(error)s`` (a name, never a value).
        self.error = error
        super().__init__(message)


class Progress:
    """Called by a job as ``progress(done, total)``; writes it to the job at most once a
    second (and at the end), which is also the worker's sign of life.

    Inside a transaction the job opened itself (an import's one transaction) a write on the
    job's own connection would be seen by nobody before the commit, and its row lock would
    hold up whoever looks at the job. On PostgreSQL the figures go through a second
    connection of their own (autocommit) instead; on SQLite (local runs), where a second
    writer would wait for the first, they wait for the next call outside the transaction.
    """

    def __init__(self, job: Job, interval: float = 1.0) -> None:
        self.job = job
        self.interval = interval
        self._last = 0.0
        self._depth = len(connection.atomic_blocks)
        self._side: Any = None

    def __call__(self, done: int, total: int) -> None:
        total = max(total, 0)
        done = min(max(done, 0), total)
        self.job.done, self.job.total = done, total
        now = time.monotonic()
        if done < total and now - self._last < self.interval:
            return
        if len(connection.atomic_blocks) > self._depth:
            if connection.vendor != "postgresql":
                return
            self._last = now
            self._write_aside(done, total)
            return
        self._last = now
        Job.objects.filter(pk=self.job.pk).update(
            done=done, total=total, heartbeat_at=timezone.now()
        )

    def _write_aside(self, done: int, total: int) -> None:
        if self._side is None:
            self._side = connections.create_connection(DEFAULT_DB_ALIAS)
        table = self._side.ops.quote_name(Job._meta.db_table)
        with self._side.cursor() as cursor:
            cursor.execute(
                f"UPDATE {table} SET done = %s, total = %s, heartbeat_at = %s WHERE id = %s",  # noqa: S608 (the table name from the model; values are parameters)
                [done, total, timezone.now(), self.job.pk],
            )

    def close(self) -> None:
        if self._side is not None:
            self._side.close()
            self._side = None


Runner = Callable[[Job, Progress], dict[str, Any]]
DownloadGate = Callable[[HttpRequest], bool]


Lifetime = Callable[[], datetime.timedelta]


@dataclass(frozen=True)
class Kind:
    run: Runner
    # Who may download the result besides being its owner (a personal export: a grant now).
    may_download: DownloadGate | None = None
    # How long the result file is kept, when not REGISTRY_JOB_FILE_HOURS (the personal
    # export's 7 days, a retention rule's period). A download after it is 410 Gone.
    result_lifetime: Lifetime | None = None


KINDS: dict[str, Kind] = {}


def register(
    kind: str,
    may_download: DownloadGate | None = None,
    result_lifetime: Lifetime | None = None,
) -> Callable[[Runner], Runner]:
    """Declare what a job of ``kind`` (a ``Job.Kind``) does: ``run(job, progress)`` returns the
    summary (counts and codes), raises :class:`JobFailed` to fail with a sentence."""

    def decorator(run: Runner) -> Runner:
        KINDS[kind] = Kind(run=run, may_download=may_download, result_lifetime=result_lifetime)
        return run

    return decorator


def start(
    kind: str,
    owner: User | None,
    params: dict[str, Any] | None = None,
    input_file: tuple[str, str, bytes] | None = None,
) -> Job:
    """Write the job (and its input file, encrypted) and queue it, in the caller's transaction.

    ``params`` are what the job is asked: formats, dates, codes, never a value someone typed
    into a search. ``input_file`` is (name, content type, bytes). ``owner`` is None for a job
    an operator starts on the server (key rotation).
    """
    if kind not in KINDS:
        raise ValueError(f"no job kind {kind!r} is registered")
    with transaction.atomic():
        job = Job.objects.create(kind=kind, owner=owner, params=params or {})
        if input_file is not None:
            name, content_type, data = input_file
            store_file(job, JobFile.Purpose.INPUT, name, content_type, data)
        result = run_job.enqueue(str(job.pk))
        job.task_result_id = str(result.id)
        job.save(update_fields=["task_result_id"])
    return job


@task(queue_name=JOB_QUEUE)
def run_job(job_id: str) -> str:
    """Run one queued job: "done", "failed", or "not queued" (run already, or abandoned)."""
    now = timezone.now()
    claimed = Job.objects.filter(pk=job_id, status=Job.Status.QUEUED).update(
        status=Job.Status.RUNNING, started_at=now, heartbeat_at=now
    )
    if not claimed:
        return "not queued"
    job = Job.objects.get(pk=job_id)
    progress = Progress(job)
    try:
        summary = KINDS[job.kind].run(job, progress)
    except JobFailed as failed:
        _finish(job, Job.Status.FAILED, failed.summary, failed.message, failed.errors, failed.error)
        return "failed"
    except Exception as error:  # noqa: BLE001 - the owner is told; the class name is kept
        name = type(error).__name__
        # The class name only: an exception's message can quote a value.
        logger.warning("Job %s (%s) failed: %s", job.pk, job.kind, name)
        _finish(job, Job.Status.FAILED, {}, UNEXPECTED, [], error=name)
        return "failed"
    except BaseException:
        # The worker is being stopped: the job is failed, not left running.
        _finish(job, Job.Status.FAILED, {}, WORKER_STOPPED, [])
        raise
    finally:
        progress.close()
    _finish(job, Job.Status.DONE, summary, "", [])
    return "done"


def _finish(
    job: Job,
    status: str,
    summary: dict[str, Any],
    failure: str,
    errors: list[dict[str, Any]],
    error: str = "",
) -> None:
    done = job.total if status == Job.Status.DONE else min(job.done, job.total)
    with transaction.atomic():
        JobFile.objects.inputs().filter(job=job).delete()
        if status == Job.Status.FAILED:
            JobFile.objects.filter(job=job).delete()
        Job.objects.filter(pk=job.pk).update(
            status=status,
            summary=summary,
            failure=failure[:200],
            failure_error=error[:100],
            errors=errors,
            done=done,
            total=job.total,
            finished_at=timezone.now(),
            heartbeat_at=timezone.now(),
        )


# Files -----------------------------------------------------------------------------------------


def file_lifetime() -> datetime.timedelta:
    return datetime.timedelta(hours=settings.REGISTRY_JOB_FILE_HOURS)


def result_lifetime(kind: str) -> datetime.timedelta:
    """How long a result file of ``kind`` is kept: its kind's own lifetime, or the default."""
    found = KINDS.get(kind)
    if found is not None and found.result_lifetime is not None:
        return found.result_lifetime()
    return file_lifetime()


def expires_gone(job: Job) -> bool:
    """Whether a download of ``job``'s result after its time is 410 Gone (its kind keeps the
    file for a period of its own, which the user was told), rather than 404."""
    found = KINDS.get(job.kind)
    return job.status == Job.Status.DONE and found is not None and found.result_lifetime is not None


def store_file(job: Job, purpose: str, name: str, content_type: str, data: bytes) -> JobFile:
    """Keep a job's file, compressed and encrypted, until it expires (or the job ends, for an
    input)."""
    lifetime = result_lifetime(job.kind) if purpose == JobFile.Purpose.RESULT else file_lifetime()
    content = base64.b64encode(zlib.compress(data, 6)).decode("ascii")
    return JobFile.objects.create(
        job=job,
        purpose=purpose,
        name=name[:100],
        content_type=content_type,
        size=len(data),
        content=content,
        expires_at=timezone.now() + lifetime,
    )


def read_file(job_file: JobFile) -> bytes:
    return zlib.decompress(base64.b64decode(job_file.content))


def input_of(job: Job) -> bytes:
    return read_file(JobFile.objects.inputs().get(job=job))


def may_download(request: HttpRequest, job: Job) -> bool:
    """The owner (the caller found the job through ``Job.objects.for_user``), and whatever
    the job's kind asks on top."""
    kind = KINDS.get(job.kind)
    return kind is not None and (kind.may_download is None or kind.may_download(request))


# Housekeeping ----------------------------------------------------------------------------------


def abandon_stale(now: datetime.datetime | None = None) -> int:
    """Mark failed every running job whose worker stopped reporting, and every job still
    queued when its files expire (no worker takes its queue); returns how many."""
    now = now or timezone.now()
    not_taken = Job.objects.filter(
        status=Job.Status.QUEUED, created_at__lt=now - file_lifetime()
    ).update(status=Job.Status.FAILED, failure=NOT_TAKEN, finished_at=now)
    count = not_taken
    for job in Job.objects.stale(now):
        # Conditional: a worker that reported in the meantime keeps its job.
        updated = (
            Job.objects.stale(now)
            .filter(pk=job.pk)
            .update(status=Job.Status.FAILED, failure=WORKER_STOPPED, finished_at=timezone.now())
        )
        if updated:
            JobFile.objects.filter(job=job).delete()
            count += updated
    return count


def delete_expired_files(now: datetime.datetime | None = None) -> int:
    """Delete the result files past their time, and the input files of jobs that ended."""
    deleted, _by_model = JobFile.objects.expired(now).delete()
    ended = (
        JobFile.objects.inputs()
        .filter(job__status__in=[Job.Status.DONE, Job.Status.FAILED])
        .delete()[0]
    )
    return deleted + ended
