"""The monitor report as HTML (the page and the printable document) and as PDF (WeasyPrint).

The printable document is a template of its own with a small print stylesheet (A4, no
Bootstrap, no script, no external file): WeasyPrint lays it out from the string alone, and the
charts are the same inline SVG as on the page. Generating a file (the PDF from the page, any
file from ``manage.py monitor_report``) leaves an EXPORT audit event with the year, the format
and the file's SHA-256, as the statistics downloads do (reports.personal.record_export).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from reports import charts
from reports.monitor import MonitorReport, MonitorTable
from reports.personal import record_export
from reports.suppression import SUPPRESSED, rounding_base
from reports.tables import Breakdown, Row, YearRow
from reports.writers import ExportResult

if TYPE_CHECKING:
    from registry.models import User

FORMATS = ("html", "pdf")
CONTENT_TYPES = {"html": "text/html; charset=utf-8", "pdf": "application/pdf"}


def _chart(table: MonitorTable) -> SafeString:
    """The year's bars of ``table``, named by the table's title (reports.charts)."""
    shown = Breakdown(
        table.key,
        table.title,
        [Row(row.value, row.label, row.cell) for row in table.rows],
        table.total,
    )
    return charts.breakdown_chart(shown, str(table.title))


def _form_chart(label: str, rows: list[Any], total: Any) -> SafeString:
    title = _("Sectors within %(form)s") % {"form": label}
    shown = Breakdown("sector", title, [Row(r.value, r.label, r.cell) for r in rows], total)
    return charts.breakdown_chart(shown, title)


def context(report: MonitorReport) -> dict[str, Any]:
    """What the templates show: the report, each table with its chart, the headline chart,
    and the figures of the statistics page's sentence on disclosure control (the same one)."""
    years: list[YearRow] = report.headline
    base = rounding_base()
    return {
        "report": report,
        "mark": SUPPRESSED,
        "k": report.k,
        "base": base,
        "slack": base - 1,
        "reach": report.k + base - 1,
        "tables": [(table, _chart(table)) for table in report.tables],
        "form_sectors": [
            (form, _form_chart(form.label, form.rows, form.total)) for form in report.form_sectors
        ],
        "years_chart": charts.years_chart(years, _("Registered possible victims per year")),
        "generated_on": timezone.localdate(),
    }


def render_document(report: MonitorReport) -> str:
    """The printable HTML document (also the PDF's source), in the active language."""
    return render_to_string("reports/monitor_document.html", context(report))


def render_pdf(report: MonitorReport) -> bytes:
    from weasyprint import HTML

    return HTML(string=render_document(report)).write_pdf()


def generate(report: MonitorReport, file_format: str) -> bytes:
    if file_format == "pdf":
        return render_pdf(report)
    return render_document(report).encode("utf-8")


def record_generation(
    report: MonitorReport, file_format: str, data: bytes, language: str, user: User | None = None
) -> None:
    """The EXPORT audit event of a generated monitor file: year, format, language, SHA-256."""
    result = ExportResult()
    result.update(data)
    result.rows = len(report.tables) + len(report.form_sectors)
    result.completed = True
    record_export(
        "monitor",
        "finished",
        user=user,
        actor_name="" if user else "manage.py monitor_report",
        file_format=file_format,
        filters={"year": str(report.year), "language": language},
        result=result,
    )
