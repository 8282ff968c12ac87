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
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from registry.access import may_count, may_read_exact_counts, requires
from reports import charts
from reports.aggregates import counted_registrations
from reports.anonymise import plan_for
from reports.columns import ANONYMISED_COLUMNS
from reports.forms import bound_form
from reports.jobs import (
    nothing_in_anonymised,
    nothing_in_statistics,
    start_anonymised,
    start_referrals,
    start_statistics,
)
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
    if file_format not in DOWNLOAD_FORMATS:
        raise Http404
    form, valid = _valid_form(request)
    if not valid:
        return render(request, "reports/statistics.html", {"form": form}, status=400)
    nothing = nothing_in_statistics(request.user, form.period)
    if nothing:
        context = {"form": form, "nothing_to_download": nothing}
        return render(request, "reports/statistics.html", context, status=400)
    return redirect(start_statistics(request.user, file_format, form.period, form.cross))


@require_GET
@requires(may_count)
def anonymised(request: HttpRequest) -> HttpResponse:
    """What the anonymised dataset of the period will hold: rows generalised or suppressed."""
    form, valid = _valid_form(request)
    context: dict[str, Any] = {"form": form, "k": small_cell_k()}
    if valid:
        qs = counted_registrations(request.user, form.period)
        plan = plan_for(qs, small_cell_k(), form.cleaned_data["age_bands"])
        context.update(
            summary=plan.summary,
            nothing_to_download=nothing_in_anonymised(plan.summary),
            query=urlencode(form.query()),
            columns=ANONYMISED_COLUMNS,
            referral_columns=REFERRAL_COLUMNS,
        )
    return render(request, "reports/anonymised.html", context, status=200 if valid else 400)


@requires(may_count)
@require_POST
def anonymised_download(request: HttpRequest, file_format: str) -> HttpResponse:
    """The k-anonymous dataset of the period as CSV or XLSX: a background job, audited as
    the file is written (reports.jobs); its page offers the file."""
    if file_format not in DOWNLOAD_FORMATS:
        raise Http404
    form, valid = _valid_form(request)
    if not valid:
        return render(request, "reports/anonymised.html", {"form": form}, status=400)
    qs = counted_registrations(request.user, form.period)
    summary = plan_for(qs, small_cell_k(), form.cleaned_data["age_bands"]).summary
    nothing = nothing_in_anonymised(summary) if summary else None
    if nothing:
        context = {"form": form, "nothing_to_download": nothing}
        return render(request, "reports/anonymised.html", context, status=400)
    job = start_anonymised(request.user, file_format, form.period, form.cleaned_data["age_bands"])
    return redirect(job)


@requires(may_count)
@require_POST
def referrals_download(request: HttpRequest, file_format: str) -> HttpResponse:
    """The referrals of the period in HTCDS terms, one row per referral without anything of the
    case or the person (reports.referrals), as CSV or XLSX: a background job, audited as the
    file is written; its page offers the file."""
    if file_format not in DOWNLOAD_FORMATS:
        raise Http404
    form, valid = _valid_form(request)
    if not valid:
        return render(request, "reports/anonymised.html", {"form": form}, status=400)
    return redirect(start_referrals(request.user, file_format, form.period))
