"""Reporter submissions. A reporter never reads a personal value back, not even their own.

Every page here renders only numbers, dates, statuses and the reporter's own organisation;
the querysets load no encrypted column (``only``), so nothing personal is even decrypted.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from intake import drafts, services
from intake.forms import ReporterSubmissionForm, legal_duty_codes
from intake.views.common import number_searched_list
from registry import once
from registry.access import may_submit, requires
from registry.models import Registration

# What a reporter may see of their own submissions.
REPORTER_COLUMNS = ("id", "number", "registered_on", "status", "immediate_danger", "is_minor")
SORTS = {
    "number": "number",
    "-number": "-number",
    "date": "registered_on",
    "-date": "-registered_on",
}


def _own_submissions(request: HttpRequest) -> Any:
    return Registration.objects.for_user(request.user).only(*REPORTER_COLUMNS)


@requires(may_submit)
@require_http_methods(["GET", "POST"])
def submit(request: HttpRequest) -> HttpResponse:
    """The reporter's form; the submission waits in the help desk's triage queue."""
    reporter_type = request.user.organisation.reporter_type
    form = ReporterSubmissionForm(request.POST or None, reporter_type=reporter_type)
    if request.method == "POST" and form.is_valid():

        def save() -> str:
            drafts.form_saved(request.user, drafts.REPORTER)  # rolled back if the save fails
            registration = services.submit(request.user, form.cleaned_data, form.outcome)
            messages.success(
                request,
                _("Your report has been received under number %(number)s.")
                % {"number": registration.number},
            )
            return reverse("intake:submitted", kwargs={"pk": registration.pk})

        # A double click or a retried POST submits once and shows the first confirmation.
        done = once.saved_or_refused(request, form, save)
        if done:
            return done
    return render(
        request,
        "intake/submit.html",
        {
            "form": form,
            "organisation": request.user.organisation,
            "legal_duty_codes": legal_duty_codes(),
        },
    )


@requires(may_submit)
def submitted(request: HttpRequest, pk: Any) -> HttpResponse:
    """Confirmation of one submission: number, status and what to do now."""
    registration = get_object_or_404(_own_submissions(request), pk=pk)
    return render(request, "intake/submitted.html", {"registration": registration})


@requires(may_submit)
@require_http_methods(["GET", "POST"])
def my_submissions(request: HttpRequest) -> HttpResponse:
    """The reporter's reference numbers and their status, searchable by number."""
    sort = request.GET.get("sort", "-date")
    submissions = _own_submissions(request).order_by(SORTS.get(sort, "-registered_on"), "-number")
    return number_searched_list(
        request,
        submissions,
        screen="my_submissions",
        template="intake/my_submissions.html",
        sort=sort,
    )
