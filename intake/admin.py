"""The CSV import of registrations in the admin, through django-import-export.

The resource hands the whole dataset to intake.importing, so the admin and
``manage.py import_registrations`` apply the very same checks: all or nothing, errors by row
and column, personal fields encrypted, exact matches linked. The import is confirmed in one
step (``skip_import_confirm``): django-import-export would otherwise keep the uploaded file,
with its personal data in clear, in temporary storage between preview and confirmation.
"""

from __future__ import annotations

from typing import Any

import tablib
from django.conf import settings
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.forms import Form
from django.http import HttpRequest
from django.urls import URLPattern, path
from django.utils.formats import number_format
from django.utils.translation import gettext_lazy as _
from import_export import resources
from import_export.admin import ImportMixin
from import_export.fields import Field
from import_export.formats.base_formats import CSV
from import_export.results import Result, RowResult

from intake.importing import ImportFailed, import_rows, read_csv
from intake.models import RegistrationImport
from intake.uploads import upload_too_large
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

    def get_urls(self) -> list[URLPattern]:
        # The import page runs outside the request's transaction (ATOMIC_REQUESTS):
        # intake.importing reserves its numbers in a short transaction of their own first,
        # then writes everything in one.
        info = self.get_model_info()
        own = path(
            "import/",
            transaction.non_atomic_requests(self.admin_site.admin_view(self.import_action)),
            name="{}_{}_import".format(*info),
        )
        return [own, *(p for p in super().get_urls() if p.name != own.name)]

    def create_import_form(self, request: HttpRequest) -> Form:
        form = super().create_import_form(request)
        if request.method == "POST" and upload_too_large(request):
            # The upload stopped at the cap (intake.uploads): say so, not "no file".
            form.full_clean()
            message = _("The file is larger than %(bytes)s bytes; nothing was imported.")
            cap = number_format(settings.REGISTRY_IMPORT_MAX_BYTES, force_grouping=True)
            form.errors["import_file"] = form.error_class([message % {"bytes": cap}])
        return form
