"""The CSV import page: upload a file, follow its import on the job's page."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from intake.jobs import start_import
from registry.access import may_import, requires
from registry.interchange import COLUMN_NAMES


class ImportUploadForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("CSV file"),
        help_text=gettext_lazy("UTF-8 text with a header row, in the interchange format."),
    )

    def clean_file(self) -> bytes:
        upload = self.cleaned_data["file"]
        limit = settings.REGISTRY_IMPORT_MAX_BYTES
        if upload.size > limit:
            raise forms.ValidationError(
                _("The file is %(size)s; the import takes files up to %(limit)s.")
                % {"size": filesizeformat(upload.size), "limit": filesizeformat(limit)}
            )
        return upload.read()


@requires(may_import)
@require_http_methods(["GET", "POST"])
def import_upload(request: HttpRequest) -> HttpResponse:
    """Upload a CSV of registrations; it is imported in the background (a job)."""
    posted = request.method == "POST"
    form = ImportUploadForm(request.POST, request.FILES) if posted else ImportUploadForm()
    if posted and form.is_valid():
        job = start_import(request.user, form.cleaned_data["file"])
        return redirect(job)
    return render(
        request,
        "intake/import_upload.html",
        {"form": form, "columns": COLUMN_NAMES},
        status=400 if form.is_bound else 200,
    )
