"""The personal export in the admin, through django-import-export, on a proxy of Registration.

django-import-export lets every admin user export unless a permission code is set;
settings.IMPORT_EXPORT_EXPORT_PERMISSION_CODE = "export" closes that for every model admin,
and this admin asks for ``reports.export_personal`` on top. The file is streamed by
reports.personal (CSV as a StreamingHttpResponse), neutralised and audited.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext_lazy as _
from import_export.admin import ExportMixin
from import_export.formats import base_formats
from import_export.forms import ExportForm

from registry import search
from registry.admin import NotFoundOutsideScopeMixin, PostedSearchMixin
from reports.models import PersonalExport
from reports.personal import may_export_personal, personal_response
from reports.resources import PersonalExportResource

# Changelist parameters that may be recorded in the audit trail as they are (codes and
# dates); anything else (a search term could be a name) is recorded by name only.
_RECORDABLE_FILTERS = {
    "registered_on__gte",
    "registered_on__lte",
    "registered_on__day",
    "registered_on__month",
    "registered_on__year",
    "reporter_type__exact",
    "region__id__exact",
    "file_type__exact",
    "status__exact",
}


def admin_filters(request: HttpRequest) -> dict[str, Any]:
    """The changelist filters of an admin export, safe for the audit trail.

    A search is recorded by its kind (registry.search), never its number or blind index.
    """
    found: dict[str, Any] = {}
    searched = search.from_query(request.GET, PersonalExportAdmin.search_kinds)
    if searched is not None:
        found["search"] = searched.kind
    for name, value in request.GET.items():
        if searched is not None and name == searched.parameter:
            continue
        found[name] = value if name in _RECORDABLE_FILTERS else "(given)"
    return found


@admin.register(PersonalExport)
class PersonalExportAdmin(
    PostedSearchMixin, NotFoundOutsideScopeMixin, ExportMixin, admin.ModelAdmin
):
    resource_classes = [PersonalExportResource]
    export_form_class = ExportForm
    list_display = ["number", "registered_on", "reporter_type", "region", "file_type", "status"]
    list_filter = ["registered_on", "reporter_type", "region", "file_type", "status"]
    list_select_related = ["region"]
    search_fields = ["number"]  # shows the search box; the search is search_kinds below
    search_help_text = _("Registration number or exact family name.")
    # The export follows the list's search (django-import-export builds its queryset through
    # this admin's changelist), so an export of a searched list holds the searched rows.
    search_kinds = (search.NUMBER, search.FAMILY_NAME)
    search_lookups = {search.NUMBER: "number", search.FAMILY_NAME: "person__bi_family_name"}
    date_hierarchy = "registered_on"
    show_full_result_count = False

    @property
    def export_formats(self) -> list[type]:
        return [base_formats.CSV, base_formats.XLSX]

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        return PersonalExport.objects.for_user(request.user)

    def has_module_permission(self, request: HttpRequest) -> bool:
        return may_export_personal(request.user) and request.user.is_staff

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self.has_module_permission(request)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_export_permission(self, request: HttpRequest) -> bool:
        return self.has_module_permission(request)

    def get_export_data(self, *args: Any, **kwargs: Any) -> Any:
        # Never the in-memory, unaudited default: every path goes through _do_file_export.
        raise PermissionDenied

    def _do_file_export(
        self, file_format: Any, request: HttpRequest, queryset: QuerySet, export_form: Any = None
    ) -> HttpResponse:
        if not self.has_export_permission(request):
            raise PermissionDenied
        kind = "xlsx" if isinstance(file_format, base_formats.XLSX) else "csv"
        filters = admin_filters(request)
        if export_form is not None and export_form.cleaned_data.get("export_items"):
            filters["selected_rows"] = len(export_form.cleaned_data["export_items"])
        filters["screen"] = "admin"
        return personal_response(request.user, queryset, kind, filters)
