"""The registrations list of the CSV import in the admin; the import itself is a page.

The admin's import button (and django-import-export's confirmation URL) lead to the import
page (intake/views/imports.py), which stores the file encrypted and imports it as a
background job (intake/jobs.py): an upload in the admin would hold the request, and the
number sequence, for the whole file. The resource below hands a dataset to
intake.importing, so that django-import-export's machinery, were it reached, would apply the
very same checks: all or nothing, errors by row and column, personal fields encrypted.
"""

from __future__ import annotations

from typing import Any

import tablib
from django.contrib import admin
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.decorators import method_decorator
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST
from import_export import resources
from import_export.admin import ImportMixin
from import_export.fields import Field
from import_export.formats.base_formats import CSV
from import_export.results import Result, RowResult

from intake.importing import ImportFailed, import_rows, read_csv
from intake.models import RegistrationImport
from registry import access, search
from registry.admin import ScopedAdmin
from registry.interchange import COLUMN_NAMES, PERSONAL_COLUMNS

SHOWN_COLUMNS = [c for c in COLUMN_NAMES if c not in PERSONAL_COLUMNS]


class InterchangeCSV(CSV):
    """Hands the uploaded bytes on unparsed: intake.importing reads them itself (as for the
    command), so the header, the cells beyond it and the line of each row are checked the
    same way; tablib would drop or rename them."""

    def create_dataset(self, in_stream: bytes | str) -> tablib.Dataset:
        dataset = tablib.Dataset()
        dataset.raw_csv = in_stream
        return dataset


class RegistrationImportResource(resources.ModelResource):
    """Imports the interchange CSV through intake.importing (never row by row)."""

    class Meta:
        model = RegistrationImport
        fields = ("number",)
        name = "Interchange CSV (VOCABULARY.md)"

    def get_user_visible_fields(self) -> list[Any]:
        # Shown on the import page as the columns the file may have.
        return [Field(column_name=name) for name in COLUMN_NAMES]

    def get_import_headers(self) -> list[str]:
        return list(COLUMN_NAMES)

    def import_data(self, dataset: Any, dry_run: bool = False, **kwargs: Any) -> Result:
        result = self.get_result_class()()
        result.diff_headers = ["registration_number", *SHOWN_COLUMNS[1:]]
        try:
            headers, rows = read_csv(dataset.raw_csv)
        except ImportFailed as failure:
            for error in failure.errors:
                result.append_invalid_row(
                    error.row, {}, ValidationError({error.column: [f"{error}"]})
                )
            return result
        result.total_rows = len(rows)
        user = kwargs.get("user")
        try:
            imported = import_rows(
                headers,
                rows,
                user=user,
                source="admin",
                dry_run=dry_run,
            )
        except ImportFailed as failure:
            for error in failure.errors:
                values = rows[error.row - 1] if 0 < error.row <= len(rows) else {}
                result.append_invalid_row(
                    error.row,
                    {k: ("" if k in PERSONAL_COLUMNS else v) for k, v in values.items()},
                    ValidationError({error.column: [f"{error}"]}),
                )
            return result
        for number, row in zip(imported.numbers, rows, strict=False):
            row_result = RowResult()
            row_result.import_type = RowResult.IMPORT_TYPE_NEW
            row_result.object_repr = number
            row_result.diff = [number, *(row.get(c, "") for c in SHOWN_COLUMNS[1:])]
            result.increment_row_result_total(row_result)
            result.append_row_result(row_result)
        return result


@admin.register(RegistrationImport)
class RegistrationImportAdmin(ImportMixin, ScopedAdmin):
    """Administrators import registrations here; the list shows what they may see."""

    resource_classes = [RegistrationImportResource]
    formats = [InterchangeCSV]
    skip_import_confirm = True
    list_display = ["number", "registered_on", "reporter_type", "region", "status"]
    list_filter = ["status", "reporter_type", "region"]
    list_select_related = ["region"]
    search_fields = ["number"]  # shows the search box; the search is ScopedAdmin's kinds
    search_help_text = _("Registration number or exact family name.")
    search_lookups = {search.NUMBER: "number", search.FAMILY_NAME: "person__bi_family_name"}
    fields = ["number", "registered_on", "reporter_type", "region", "status"]
    readonly_fields = fields

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        return RegistrationImport.objects.for_user(request.user)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_import_permission(self, request: HttpRequest) -> bool:
        return access.may_import(request.user)

    def import_action(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        # The import runs as a background job from its own page (intake/views/imports.py):
        # an upload in the admin would hold the request (and the number sequence) for the
        # whole file.
        if not self.has_import_permission(request):
            raise PermissionDenied
        return redirect("intake:import_upload")

    @method_decorator(require_POST)
    def process_import(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        # django-import-export's confirmation step: no file ever waits for it here.
        return self.import_action(request)
