"""Statistics for administrators and the help desk, their downloads and the anonymised dataset.

Everything here is computed by database aggregates over clear fields (reports.aggregates) and
published through disclosure control (reports.suppression: counts rounded to base 5, counts
below k shown as x). Only an administrator may ask
for the exact counts, shown marked as not for publication; downloads are always suppressed.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.formats import number_format
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from registry.access import (
    may_count,
    may_read_exact_counts,
    may_read_monitor,
    may_see_data_quality,
    requires,
)
from reports import charts, monitor_render
from reports.aggregates import counted_registrations
from reports.anonymise import MAX_SUPPRESSED, plan_for
from reports.care_disclosure import anonymised_header
from reports.forms import bound_form
from reports.jobs import (
    nothing_in_anonymised,
    nothing_in_statistics,
    start_anonymised,
    start_referrals,
    start_statistics,
)
from reports.monitor import build_monitor, monitor_period
from reports.periods import (
    FREE_DATES_REFUSED,
    NOT_ENDED,
    PeriodRefused,
    default_period,
    year_choices,
)
from reports.quality import DROP_FLAG_PERCENT, build_data_quality
from reports.referrals import REFERRAL_COLUMNS
from reports.suppression import SUPPRESSED, rounding_base, small_cell_k
from reports.tables import build_statistics

DOWNLOAD_FORMATS = ("csv", "xlsx")


def _valid_form(request: HttpRequest, *, free_dates: bool = False) -> Any:
    """The period and crossing asked for. Without ``free_dates`` (every page and download that
    publishes) only a calendar year, half-year or quarter that has ended is accepted: free dates
    or a period in progress are a 400 naming what to choose (reports.periods)."""
    form = bound_form(request.GET, free_dates=free_dates)
    if not form.is_valid():
        return form, False
    return form, True


def _download_form(request: HttpRequest, file_format: str, page: str) -> tuple[Any, Any]:
    """The form of a download (``statistics_download`` and the like) and, when the period is
    refused, its page again with the errors (a 400) to send instead. A format that is not
    offered is a 404."""
    if file_format not in DOWNLOAD_FORMATS:
        raise Http404
    form, valid = _valid_form(request)
    return form, None if valid else _not_downloaded(request, page, form)


def _not_downloaded(request: HttpRequest, page: str, form: Any, nothing: Any = None) -> Any:
    """The page of a download again, as a 400: with the form's errors, or what says there is
    nothing in the period to download."""
    context = {"form": form}
    if nothing:
        context["nothing_to_download"] = nothing
    return render(request, page, context, status=400)


@require_GET
@requires(may_count)
def statistics(request: HttpRequest) -> HttpResponse:
    """The statistics page: headline figures, year on year, a crossing and every breakdown."""
    may_read_exact = may_read_exact_counts(request.user)
    exact = request.GET.get("exact") == "1" and may_read_exact
    form, valid = _valid_form(request, free_dates=exact)
    context: dict[str, Any] = {
        "form": form,
        "exact": exact,
        "may_read_exact": may_read_exact,
        "k": small_cell_k(),
        "base": rounding_base(),
        "slack": rounding_base() - 1,
        "reach": small_cell_k() + rounding_base() - 1,
        "mark": SUPPRESSED,
    }
    if valid:
        stats = build_statistics(request.user, form.period, cross=form.cross)
        context.update(
            stats=stats,
            query=urlencode(form.query()),
            breakdown_charts=[(table, charts.breakdown_chart(table)) for table in stats.breakdowns],
            years_chart=charts.years_chart(stats.years, _("Registrations per year")),
            cross_chart=charts.cross_chart(stats.cross) if stats.cross else "",
            nothing_to_download=nothing_in_statistics(request.user, form.period),
        )
    return render(request, "reports/statistics.html", context, status=200 if valid else 400)


@requires(may_count)
@require_POST
def statistics_download(request: HttpRequest, file_format: str) -> HttpResponse:
    """The statistics tables, suppressed, as CSV (dimension,value,count,percent) or XLSX: a
    background job; its page offers the file."""
    form, refused = _download_form(request, file_format, "reports/statistics.html")
    if refused:
        return refused
    nothing = nothing_in_statistics(request.user, form.period)
    if nothing:
        return _not_downloaded(request, "reports/statistics.html", form, nothing)
    return redirect(start_statistics(request.user, file_format, form.period, form.cross))


def _percent(share: float) -> str:
    return number_format(round(100 * share, 1), 1)


@require_GET
@requires(may_count)
def anonymised(request: HttpRequest) -> HttpResponse:
    """What the anonymised dataset of the period will hold: the generalisation chosen for
    this release, the rows kept and suppressed, and the information lost."""
    form, valid = _valid_form(request)
    context: dict[str, Any] = {
        "form": form,
        "k": small_cell_k(),
        "max_suppressed": _percent(MAX_SUPPRESSED),
    }
    if valid:
        qs = counted_registrations(request.user, form.period)
        layout = form.cleaned_data["layout"]
        plan = plan_for(qs, small_cell_k(), form.cleaned_data["age_bands"], layout)
        context.update(
            summary=plan.summary,
            layout=layout,
            kept_percent=_percent(plan.summary.kept_share),
            loss_percent=_percent(plan.summary.loss),
            cells_percent=_percent(plan.summary.cells_generalised),
            nothing_to_download=nothing_in_anonymised(plan.summary),
            query=urlencode(form.query()),
            columns=anonymised_header(layout),
            referral_columns=REFERRAL_COLUMNS,
        )
    return render(request, "reports/anonymised.html", context, status=200 if valid else 400)


@requires(may_count)
@require_POST
def anonymised_download(request: HttpRequest, file_format: str) -> HttpResponse:
    """The k-anonymous dataset of the period as CSV or XLSX: a background job, audited as
    the file is written (reports.jobs); its page offers the file."""
    form, refused = _download_form(request, file_format, "reports/anonymised.html")
    if refused:
        return refused
    qs = counted_registrations(request.user, form.period)
    age_bands, layout = form.cleaned_data["age_bands"], form.cleaned_data["layout"]
    summary = plan_for(qs, small_cell_k(), age_bands, layout).summary
    nothing = nothing_in_anonymised(summary) if summary else None
    if nothing:
        return _not_downloaded(request, "reports/anonymised.html", form, nothing)
    job = start_anonymised(request.user, file_format, form.period, age_bands, layout)
    return redirect(job)


@requires(may_count)
@require_POST
def referrals_download(request: HttpRequest, file_format: str) -> HttpResponse:
    """The referrals of the period in HTCDS terms, one row per referral without anything of the
    case or the person (reports.referrals), as CSV or XLSX: a background job, audited as the
    file is written; its page offers the file."""
    form, refused = _download_form(request, file_format, "reports/anonymised.html")
    if refused:
        return refused
    return redirect(start_referrals(request.user, file_format, form.period))


@require_GET
@requires(may_see_data_quality)
def data_quality(request: HttpRequest) -> HttpResponse:
    """Per published period: the share of unknown or blank statistical fields per reporter
    type and region, and the monthly registrations per reporter type against a year before,
    flagging drops of more than 30% (reports.quality). Rounded and marked as the statistics
    page, no record, no download."""
    form, valid = _valid_form(request)
    k = small_cell_k()
    context: dict[str, Any] = {
        "form": form,
        "k": k,
        "mark": SUPPRESSED,
        "base": rounding_base(),
        "slack": rounding_base() - 1,
        "reach": k + rounding_base() - 1,
        "period_only": True,
        "drop_percent": int(DROP_FLAG_PERCENT),
    }
    if valid:
        context["quality"] = build_data_quality(request.user, form.cleaned_data["published"], k)
    return render(request, "reports/data_quality.html", context, status=200 if valid else 400)


def _monitor_year(request: HttpRequest) -> tuple[str, int | None, str]:
    """(the year asked for as typed, the year if it may be published, else the error shown).

    Without ``year`` the last calendar year that has ended; free dates, a part of a year, a
    year in progress, a year to come or anything but a year is refused in the user's
    language (reports.periods)."""
    text = request.GET.get("year", str(default_period().year)).strip()
    if request.GET.get("start") or request.GET.get("end"):
        return text, None, str(FREE_DATES_REFUSED)
    if request.GET.get("part"):
        return text, None, _("The monitor covers a whole calendar year: choose a year only.")
    try:
        return text, monitor_period(text).year, ""
    except PeriodRefused:
        if text.isdigit() and len(text) == 4 and int(text) >= default_period().year + 1:
            return text, None, str(NOT_ENDED % {"period": text})
        return (
            text,
            None,
            _("Choose a calendar year that has ended, as %(year)s.")
            % {"year": default_period().year},
        )


@require_GET
@requires(may_read_monitor)
def monitor(request: HttpRequest) -> HttpResponse:
    """The victim monitor of a calendar year that has ended: every table of the monitor with
    its chart and the year before, published as the statistics are (reports.monitor)."""
    chosen, year, error = _monitor_year(request)
    years = [value for value, _label in year_choices() if int(value) <= default_period().year]
    context: dict[str, Any] = {"chosen": chosen, "years": years, "error": error}
    if year is None:
        return render(request, "reports/monitor.html", context, status=400)
    report = build_monitor(request.user, year)
    context.update(monitor_render.context(report))
    return render(request, "reports/monitor.html", context)


@require_GET
@requires(may_read_monitor)
def monitor_pdf(request: HttpRequest) -> HttpResponse:
    """The monitor of the year as a printable PDF in the user's language, made on the spot and
    audited as a download (reports.monitor_render.record_generation)."""
    chosen, year, error = _monitor_year(request)
    if year is None:
        context = {"chosen": chosen, "years": [], "error": error}
        return render(request, "reports/monitor.html", context, status=400)
    report = build_monitor(request.user, year)
    data = monitor_render.render_pdf(report)
    monitor_render.record_generation(report, "pdf", data, get_language() or "", request.user)
    response = HttpResponse(data, content_type=monitor_render.CONTENT_TYPES["pdf"])
    name = f"victim-monitor-{year}-{get_language() or 'en'}.pdf"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
