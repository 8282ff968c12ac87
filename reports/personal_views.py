"""The personal export's page (issue 16, item 7; docs/reports.md, "The personal export").

For an administrator holding a personal-export grant in force (``may_export_personal``) with a
second factor of the last 15 minutes. The page says what the file is; the form asks which
registrations, the format and the purpose. Sent, it starts the background job and answers with
the archive's password, once: the password is made here, handed to the job in its encrypted
input file, and shown on this one response (``Cache-Control: no-store``), never stored in clear,
logged or audited. The same form sent twice (its one-time token) starts one export and sends
the second to the job's page, without the password.
"""

from __future__ import annotations

from urllib.parse import urlencode

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from registry import access, once
from registry.access import requires
from registry.second_factor import verified_recently
from reports.archive import new_password
from reports.forms import PersonalExportForm
from reports.jobs import start_personal
from reports.personal import (
    PURPOSE_MAX_LENGTH,
    PURPOSE_MIN_LENGTH,
    archive_lifetime,
    personal_queryset,
)

TEMPLATE = "reports/personal_export.html"


@never_cache
@requires(access.may_export_personal)
def personal_export(request: HttpRequest) -> HttpResponse:
    """The page, and on a valid POST the export started with its password shown once."""
    if not verified_recently(request):
        # Before the form, so nobody fills it in to be sent away after.
        here = reverse("reports:personal_export")
        return redirect(f"{reverse('reverify')}?{urlencode({'next': here})}")
    if request.method not in ("GET", "POST"):
        return HttpResponse(status=405, headers={"Allow": "GET, POST"})
    form = PersonalExportForm(request.POST if request.method == "POST" else None)
    context = {
        "form": form,
        "lifetime_days": archive_lifetime().days,
        "purpose_min": PURPOSE_MIN_LENGTH,
        "purpose_max": PURPOSE_MAX_LENGTH,
    }
    if request.method == "GET":
        return render(request, TEMPLATE, context)
    if form.is_valid():
        registrations = form.filter(personal_queryset(request.user, form.period))
        if not registrations.exists():
            form.add_error(
                None,
                _(
                    "No registration matches these choices, so there is nothing to export. "
                    "Widen the period or clear a filter."
                ),
            )
        else:
            password = new_password()
            started: dict[str, object] = {}

            def save() -> str:
                job = start_personal(
                    request.user,
                    form.cleaned_data["file_format"],
                    registrations,
                    form.audit_filters(),
                    form.cleaned_data["purpose"],
                    password,
                )
                started["job"] = job
                return job.get_absolute_url()

            spent = once.save_once(request, save)
            if spent.refused:
                form.add_error(None, spent.refused)
            elif "job" not in started:
                # Sent a second time: the export was started by the first; its password was
                # shown then and is not shown again.
                return redirect(spent.result_url)
            else:
                job = started["job"]
                shown = {
                    "job": job,
                    "password": password,
                    "expires_on": timezone.now() + archive_lifetime(),
                    "lifetime_days": archive_lifetime().days,
                }
                return render(request, "reports/personal_export_started.html", shown)
    return render(request, TEMPLATE, context, status=400)
