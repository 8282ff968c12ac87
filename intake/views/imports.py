"""The CSV import page: upload a file, follow its import on the job's page."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.core.files.uploadhandler import MemoryFileUploadHandler
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.csrf import csrf_exempt, csrf_protect
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


class InMemoryUploadHandler(MemoryFileUploadHandler):
    """Keeps the upload in memory whatever its size. Django's default writes an upload larger
    than FILE_UPLOAD_MAX_MEMORY_SIZE to a temporary file, and this one holds names and dates of
    birth in clear; the page caps the size (REGISTRY_IMPORT_MAX_BYTES) before reading it."""

    def handle_raw_input(self, *args: Any, **kwargs: Any) -> None:
        self.activated = True


# Room for the multipart envelope and the CSRF token around the file.
ENVELOPE_BYTES = 64 * 1024


@requires(may_import)
@require_http_methods(["GET", "POST"])
@csrf_exempt  # the upload handler must be set before the CSRF check reads the body: see below
def import_upload(request: HttpRequest) -> HttpResponse:
    """Upload a CSV of registrations; it is imported in the background (a job)."""
    request.upload_handlers = [InMemoryUploadHandler(request)]
    return _import_upload(request)


@csrf_protect
def _import_upload(request: HttpRequest) -> HttpResponse:
    posted = request.method == "POST"
    limit = settings.REGISTRY_IMPORT_MAX_BYTES
    if posted and int(request.META.get("CONTENT_LENGTH") or 0) > limit + ENVELOPE_BYTES:
        # Refused before the body is read.
        form = ImportUploadForm()
        too_large = _("The file is larger than the import takes (up to %(limit)s).") % {
            "limit": filesizeformat(limit)
        }
        return _page(request, form, status=400, error=too_large)
    form = ImportUploadForm(request.POST, request.FILES) if posted else ImportUploadForm()
    if posted and form.is_valid():
        job = start_import(request.user, form.cleaned_data["file"])
        return redirect(job)
    return _page(request, form, status=400 if form.is_bound else 200)


def _page(
    request: HttpRequest, form: ImportUploadForm, status: int, error: str = ""
) -> HttpResponse:
    context = {
        "form": form,
        "columns": COLUMN_NAMES,
        "error": error,
        "max_size": filesizeformat(settings.REGISTRY_IMPORT_MAX_BYTES),
        "max_rows": settings.REGISTRY_IMPORT_MAX_ROWS,
    }
    return render(request, "intake/import_upload.html", context, status=status)
