"""The personal export: permission, audit trail and streaming (DESIGN.md, "Who uses it").

Only an active administrator holding an approved, unexpired :class:`reports.models.ExportGrant`
may export personal data (two people grant it; it ends 24 hours after approval).
Each export writes two audit events: one when it starts (so even an export cut off by a
crash leaves a trace) and one when it finishes or is aborted, with the user, the filters,
the number of rows and the SHA-256 of the file. Never a value.
"""

from __future__ import annotations

import datetime
import tempfile
from collections.abc import Callable, Iterator
from typing import IO, TYPE_CHECKING, Any

from django.db.models import QuerySet
from django.http import FileResponse, StreamingHttpResponse

from registry.choices import COUNTED_STATUSES, AuditAction
from registry.models import AuditEvent, Registration
from reports.aggregates import Period
from reports.columns import PERSONAL_EXPORT_COLUMNS, personal_rows
from reports.models import ExportGrant
from reports.writers import ExportResult, csv_chunks, write_xlsx

if TYPE_CHECKING:
    from registry.models import User

FORMATS = ("csv", "xlsx")


def may_export_personal(user: User | None) -> bool:
    """An active administrator holding an approved personal-export grant now in force.

    Superusers too: the grant is the only way in, whatever Django's permissions say
    (DESIGN.md; docs/security.md, "Who may grant what"). A grant found past its expiry is
    recorded as expired (audited once) on the way.
    """
    return ExportGrant.holds_active(user)


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


def export_response(
    kind: str,
    file_format: str,
    header: list[str],
    rows: Iterator[list[Any]],
    *,
    user: User,
    filters: dict[str, Any],
    extra: dict[str, Any] | None = None,
) -> StreamingHttpResponse | FileResponse:
    """An export as a download: a CSV streamed, or a workbook (``xlsx``) written to an
    anonymous temporary file (deleted when sent).

    Audited when it starts, and when it has finished or was aborted: for a CSV when the last
    byte has gone out.
    """
    record_export(kind, "started", user=user, file_format=file_format, filters=filters, extra=extra)

    def close(result: ExportResult) -> None:
        stage = "finished" if result.completed else "aborted"
        record_export(
            kind, stage, user=user, file_format=file_format, filters=filters, result=result
        )

    if file_format == "csv":
        response = _streamed_csv(kind, header, rows, close)
    else:
        response = _xlsx_file(kind, header, rows, close)
    response["Cache-Control"] = "no-store"
    return response


def _streamed_csv(
    kind: str, header: list[str], rows: Iterator[list[Any]], close: Callable[[ExportResult], None]
) -> StreamingHttpResponse:
    result = ExportResult()

    def body() -> Iterator[bytes]:
        try:
            yield from csv_chunks(header, rows, result)
        finally:
            close(result)

    response = StreamingHttpResponse(body(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename(kind, "csv")}"'
    return response


def _xlsx_file(
    kind: str, header: list[str], rows: Iterator[list[Any]], close: Callable[[ExportResult], None]
) -> FileResponse:
    target: IO[bytes] = tempfile.TemporaryFile()  # noqa: SIM115 (FileResponse closes it)
    result = ExportResult()
    try:
        result = write_xlsx(target, header, rows, title=kind)
    finally:
        close(result)
    return FileResponse(
        target,
        as_attachment=True,
        filename=filename(kind, "xlsx"),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )


def personal_response(
    user: User, qs: QuerySet, file_format: str, filters: dict[str, Any]
) -> StreamingHttpResponse | FileResponse:
    """The personal export of ``qs`` as a download (the caller has checked the permission)."""
    return export_response(
        "personal",
        file_format,
        PERSONAL_EXPORT_COLUMNS,
        personal_rows(qs),
        user=user,
        filters=filters,
    )
