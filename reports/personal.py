"""The personal export: permission and audit trail (DESIGN.md, "Who uses it").

Only an active administrator holding an approved, unexpired :class:`reports.models.ExportGrant`
may export personal data (two people grant it; it ends 24 hours after approval).
Each export writes two audit events: one when it starts (so even an export cut off by a
crash leaves a trace) and one when it finishes or is aborted, with the user, the filters,
the number of rows and the SHA-256 of the file. Never a value. The exports of the pages are
written by a background job (reports/jobs.py), those of the command in place.
"""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING, Any

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from registry import retention
from registry.choices import COUNTED_STATUSES, AuditAction
from registry.models import AuditEvent, Job, JobFile, Registration
from reports.aggregates import Period
from reports.writers import ExportResult

if TYPE_CHECKING:
    from registry.models import User

FORMATS = ("csv", "xlsx")
# The purpose the administrator gives on the export's page, recorded in the audit events.
PURPOSE_MIN_LENGTH = 20
PURPOSE_MAX_LENGTH = 500


def personal_queryset(user: User | None, period: Period | None = None) -> QuerySet:
    """Registrations to export: those ``user`` may see (all for the command line without one)."""
    qs = Registration.objects.all() if user is None else Registration.objects.for_user(user)
    qs = qs.filter(status__in=COUNTED_STATUSES)
    if period and period.start:
        qs = qs.filter(registered_on__gte=period.start)
    if period and period.end:
        qs = qs.filter(registered_on__lte=period.end)
    return qs


def record_export(
    kind: str,
    stage: str,
    *,
    user: User | None = None,
    actor_name: str = "",
    file_format: str,
    filters: dict[str, Any],
    result: ExportResult | None = None,
    extra: dict[str, Any] | None = None,
) -> AuditEvent:
    """An EXPORT audit event. ``filters`` must hold parameter names and codes, never values."""
    details: dict[str, Any] = {
        "export": kind,
        "stage": stage,
        "format": file_format,
        "filters": filters,
    }
    if result is not None:
        details["rows"] = result.rows
        details["sha256"] = result.sha256
    details.update(extra or {})
    return AuditEvent.record(AuditAction.EXPORT, user=user, actor_name=actor_name, details=details)


def filename(kind: str, file_format: str) -> str:
    return f"registrations-{kind}-{datetime.date.today():%Y%m%d}.{file_format}"


# The archive's retention: kept 7 days from when it was written, then deleted -----------------


def expired_archives(cutoff: datetime.datetime) -> QuerySet:
    """The personal exports' files written before ``cutoff`` (``apply_retention`` deletes them;
    ``abandon_stale_jobs`` deletes them too once past their ``expires_at``, the same moment)."""
    return JobFile.objects.filter(
        job__kind=Job.Kind.EXPORT_PERSONAL,
        purpose=JobFile.Purpose.RESULT,
        created_at__lt=cutoff,
    )


ARCHIVE_RULE = retention.register(
    retention.Rule(
        key="personal_exports",
        kind=_("Personal export (encrypted archive)"),
        purpose=_("handing identities over to a recipient the administrator named"),
        after=_("after the archive was written"),
        erases=_("The whole archive (deleted); a download after it is refused as gone."),
        default_days=7,
        expired=expired_archives,
        apply=lambda files: {"registry.jobfile": files.delete()[0]},
        pending=lambda files: {"registry.jobfile": files.count()},
    )
)


def archive_lifetime() -> datetime.timedelta:
    """How long a personal export's archive can be downloaded: the retention rule's days."""
    return datetime.timedelta(days=ARCHIVE_RULE.days)
