"""Background jobs the users start (imports, exports), their progress and their files.

A :class:`Job` is what a user sees of a piece of long work: its kind, its owner, where it
stands (queued, running, done, failed), how far it got (``done`` of ``total``), a summary of
what it did and, for an import, its errors by row and column. None of these ever holds a
personal value: counts, codes, row numbers and column names only. The files a job reads or
writes (an uploaded CSV, an export) are :class:`JobFile` rows, their content encrypted with
the registry's field encryption (and so re-encrypted by ``rotate_keys``); an input file is
deleted when the job ends, a result file when it expires. registry/jobs.py runs them.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from registry.fields import EncryptedQuerySet, EncryptedTextField

# The words of the summaries' counts (reports.jobs, intake.jobs) on the job's page.
SUMMARY_LABELS = {
    "rows": _("rows"),
    "registrations_created": _("registrations created"),
    "persons_created": _("persons created"),
    "persons_linked": _("rows linked to a person already registered"),
    "care_not_recorded": _(
        "rows with care columns, checked but not recorded (an import opens no case)"
    ),
    "k": _("k (smallest group)"),
    "rows_in": _("registrations in the period"),
    "rows_out": _("rows in the file"),
    "unchanged": _("rows unchanged"),
    "nationality_generalised": _("rows with nationality generalised to world region"),
    "region_dropped": _("rows also without region"),
    "suppressed": _("rows left out"),
    "generalisation": _("generalisation chosen (level per quasi-identifier)"),
    "information_loss_percent": _("information lost (%)"),
    "cells_generalised_percent": _("quasi-identifier cells not as recorded (%)"),
    "care_cells_withheld": _("care cells withheld (a value every row of its group shares)"),
    # Key rotation (registry.keyops.run_rotation): key ids and counts, never a key.
    "active_key": _("active key (id)"),
    "values_before": _("values per key id before"),
    "values_after": _("values per key id after"),
    "rewritten": _("values re-encrypted"),
    "batches": _("batches written"),
    "changed_during_run": _("values saved by the application during the run (left as saved)"),
    "remaining": _("values still under an old key"),
    # Subject access (registry.subject_access): records in the file.
    "registrations": _("registrations"),
    "cases": _("cases"),
    "audit_events": _("audit events"),
}


class JobQuerySet(models.QuerySet["Job"]):
    def for_user(self, user: object) -> JobQuerySet:
        """The jobs ``user`` may see: their own (registry.access.jobs_for_user)."""
        from registry.access import jobs_for_user

        return jobs_for_user(self, user)

    def unfinished(self) -> JobQuerySet:
        return self.filter(status__in=[Job.Status.QUEUED, Job.Status.RUNNING])

    def stale(self, now: object = None) -> JobQuerySet:
        """Running jobs whose worker has not reported for ``REGISTRY_JOB_STALE_SECONDS``: the
        worker died (or was killed) with the job in hand."""
        now = now or timezone.now()
        limit = now - timezone.timedelta(seconds=settings.REGISTRY_JOB_STALE_SECONDS)
        return self.filter(status=Job.Status.RUNNING, heartbeat_at__lt=limit)

    def recent(self) -> JobQuerySet:
        return self.order_by("-created_at")


class Job(models.Model):
    """One piece of background work started by one user."""

    class Kind(models.TextChoices):
        IMPORT = "import", _("import of registrations")
        EXPORT_PERSONAL = "export_personal", _("personal export")
        EXPORT_ANONYMISED = "export_anonymised", _("anonymised dataset")
        EXPORT_STATISTICS = "export_statistics", _("statistics tables")
        EXPORT_REFERRALS = "export_referrals", _("referrals in HTCDS terms")
        ROTATE_KEYS = "rotate_keys", _("key rotation")
        SUBJECT_ACCESS = "subject_access", _("subject access file")

    class Status(models.TextChoices):
        QUEUED = "queued", _("waiting for a worker")
        RUNNING = "running", _("running")
        DONE = "done", _("done")
        FAILED = "failed", _("failed")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    kind = models.CharField(_("kind"), max_length=30, choices=Kind.choices)
    # None for a job an operator started on the server (``manage.py rotate_keys``).
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="jobs",
        verbose_name=_("started by"),
        null=True,
        blank=True,
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.QUEUED
    )
    done = models.PositiveIntegerField(_("done"), default=0)
    total = models.PositiveIntegerField(_("total"), default=0)
    # What the job was asked: formats, dates, codes (never a search term or a value).
    params = models.JSONField(_("parameters"), default=dict, blank=True)
    # What it did: counts and codes only.
    summary = models.JSONField(_("summary"), default=dict, blank=True)
    # An import's errors: [{"row": 3, "column": "gender", "message": "..."}], never a value.
    errors = models.JSONField(_("errors"), default=list, blank=True)
    # Why it failed, for the owner: a sentence of the registry's own (its English, translated
    # when shown), and for an unexpected error its class name, never its message.
    failure = models.CharField(_("failure"), max_length=200, blank=True)
    failure_error = models.CharField(max_length=100, blank=True, editable=False)
    created_at = models.DateTimeField(_("started"), auto_now_add=True)
    started_at = models.DateTimeField(_("running since"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    # The worker touches this while it works; a running job that stops touching it is stale.
    heartbeat_at = models.DateTimeField(null=True, blank=True, editable=False)
    # django-tasks' result id (django_tasks_db.DBTaskResult), for an operator.
    task_result_id = models.CharField(max_length=64, blank=True, editable=False)

    objects = JobQuerySet.as_manager()

    class Meta:
        verbose_name = _("background job")
        verbose_name_plural = _("background jobs")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["owner", "-created_at"], name="job_owner_recent")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(done__lte=models.F("total")) | models.Q(total=0),
                name="job_done_within_total",
            ),
            # Two rotations at once would each re-encrypt what the other just wrote.
            models.UniqueConstraint(
                fields=["kind"],
                condition=models.Q(kind="rotate_keys", status__in=["queued", "running"]),
                name="job_one_key_rotation_at_a_time",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.get_status_display()})"

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("registry:job_detail", args=[self.pk])

    @property
    def finished(self) -> bool:
        return self.status in (self.Status.DONE, self.Status.FAILED)

    @property
    def percent(self) -> int:
        return int(100 * self.done / self.total) if self.total else 0

    @property
    def failure_text(self) -> str:
        """The failure in the reader's language."""
        text = gettext(self.failure)
        return text % {"error": self.failure_error} if "%(error)s" in text else text

    @property
    def summary_items(self) -> list[tuple[str, object]]:
        """The summary as (label, value), each count under its words (SUMMARY_LABELS)."""
        return [
            (SUMMARY_LABELS.get(name, str(name).replace("_", " ")), value)
            for name, value in self.summary.items()
            if not isinstance(value, dict | list)  # details for the command, not the page
        ]

    def result_file(self) -> JobFile | None:
        """The downloadable result while it lasts."""
        return JobFile.objects.results().filter(job=self).defer("content").first()


class JobFileQuerySet(EncryptedQuerySet):
    def expired(self, now: object = None) -> JobFileQuerySet:
        return self.filter(expires_at__lte=now or timezone.now())

    def inputs(self) -> JobFileQuerySet:
        return self.filter(purpose=JobFile.Purpose.INPUT)

    def results(self) -> JobFileQuerySet:
        """Result files (exports) still within their time."""
        return self.filter(purpose=JobFile.Purpose.RESULT, expires_at__gt=timezone.now())


class JobFile(models.Model):
    """A file a job reads (an uploaded CSV) or makes (an export), encrypted at rest.

    The content is compressed, then sealed by the registry's field encryption (AES-256-GCM,
    bound to this row): a copy of the database, or of its backups, shows no value of it.
    """

    class Purpose(models.TextChoices):
        INPUT = "input", _("input")
        RESULT = "result", _("result")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    job = models.ForeignKey(Job, on_delete=models.CASCADE, related_name="files")
    purpose = models.CharField(max_length=10, choices=Purpose.choices)
    name = models.CharField(_("file name"), max_length=100)
    content_type = models.CharField(max_length=100)
    size = models.PositiveBigIntegerField(_("size"), default=0)
    # base64 of the zlib-compressed bytes, encrypted (registry.jobs.store_file / read_file).
    content = EncryptedTextField()
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField(_("kept until"))

    objects = JobFileQuerySet.as_manager()

    class Meta:
        verbose_name = _("job file")
        verbose_name_plural = _("job files")
        constraints = [
            models.UniqueConstraint(fields=["job", "purpose"], name="job_file_one_per_purpose"),
        ]

    def __str__(self) -> str:
        return self.name
