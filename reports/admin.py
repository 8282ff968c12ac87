"""The personal export's list in the admin, and the two-person grants that open it.

The list of registrations (a proxy of Registration) is for grant holders; its export button
(django-import-export) leads to the export's own page (reports/personal_views.py), which asks
the purpose and writes the encrypted archive: the admin writes no file itself.
django-import-export lets every admin user export unless a permission code is set;
settings.IMPORT_EXPORT_EXPORT_PERMISSION_CODE = "export" closes that for every model admin,
and this admin asks for an approved grant on top (``access.may_export_personal``).

The grants admin is where one administrator requests a grant and another approves or refuses
it (docs/security.md, "Who may grant what"). Its pages show; the steps are POSTs to their own
URLs that re-check everything on the model (``ExportGrant.approve`` and the others).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseNotAllowed, HttpResponseRedirect
from django.urls import URLPattern, path, reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from import_export.admin import ExportMixin
from import_export.formats import base_formats
from import_export.forms import ExportForm

from registry import access, search
from registry.admin import GatedAdminMixin, NotFoundOutsideScopeMixin, PostedSearchMixin
from reports.forms import ExportGrantRequestForm
from reports.models import ExportGrant, GrantRefused, PersonalExport
from reports.resources import PersonalExportResource

if TYPE_CHECKING:
    from registry.models import User


def _may_export_in_admin(user: User) -> bool:
    # The grant on top of the admin, and only for those who may use the admin at all.
    return access.may_use_admin(user) and access.may_export_personal(user)


@admin.register(PersonalExport)
class PersonalExportAdmin(
    PostedSearchMixin, NotFoundOutsideScopeMixin, ExportMixin, GatedAdminMixin, admin.ModelAdmin
):
    gate = staticmethod(_may_export_in_admin)
    resource_classes = [PersonalExportResource]
    export_form_class = ExportForm
    list_display = ["number", "registered_on", "reporter_type", "region", "file_type", "status"]
    list_filter = ["registered_on", "reporter_type", "region", "file_type", "status"]
    list_select_related = ["region"]
    search_fields = ["number"]  # shows the search box; the search is search_kinds below
    search_help_text = _("Registration number or exact family name.")
    # The search finds a registration by number or by exact family name (blind index).
    search_kinds = (search.NUMBER, search.FAMILY_NAME)
    search_lookups = {search.NUMBER: "number", search.FAMILY_NAME: "person__bi_family_name"}
    date_hierarchy = "registered_on"
    show_full_result_count = False

    @property
    def export_formats(self) -> list[type]:
        return [base_formats.CSV, base_formats.XLSX]

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        return PersonalExport.objects.for_user(request.user)

    def has_export_permission(self, request: HttpRequest) -> bool:
        return self.has_module_permission(request)

    def get_export_data(self, *args: Any, **kwargs: Any) -> Any:
        # Never the in-memory, unaudited default: every path goes through _do_file_export.
        raise PermissionDenied

    def export_action(self, request: HttpRequest) -> HttpResponse:
        # The export has a page of its own (reports/personal_views.py): the warning, the
        # purpose, the encrypted archive. The admin's export button leads there.
        if not self.has_export_permission(request):
            raise PermissionDenied
        return HttpResponseRedirect(reverse("reports:personal_export"))

    def _do_file_export(
        self, file_format: Any, request: HttpRequest, queryset: QuerySet, export_form: Any = None
    ) -> HttpResponse:
        # The changelist's export action too: never a file without the page's purpose.
        if not self.has_export_permission(request):
            raise PermissionDenied
        return HttpResponseRedirect(reverse("reports:personal_export"))


class GrantStateFilter(admin.SimpleListFilter):
    """Pending and in-force grants first: the list opens on what needs a decision or is live."""

    title = _("status")
    parameter_name = "state"
    DEFAULT = "open"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, Any]]:
        return [
            ("open", _("awaiting approval or in force")),
            ("pending", _("awaiting approval")),
            ("active", _("in force")),
            ("ended", _("refused, expired or revoked")),
            ("all", _("all")),
        ]

    def choices(self, changelist: Any) -> Any:
        current = self.value() or self.DEFAULT
        for lookup, title in self.lookup_choices:
            yield {
                "selected": current == lookup,
                "query_string": changelist.get_query_string({self.parameter_name: lookup}),
                "display": title,
            }

    def queryset(self, request: HttpRequest, queryset: QuerySet) -> QuerySet:
        value, now = self.value(), timezone.now()
        if value == "all":
            return queryset
        if value == "pending":
            return queryset.filter(status=ExportGrant.Status.PENDING)
        if value == "active":
            return queryset.active(now)
        if value == "ended":
            return queryset.exclude(status__in=[ExportGrant.Status.PENDING])
        # "open", the default, and anything unknown (a hand-edited URL shows the safe default).
        return queryset.open()


# The steps a POST can take on a grant (the URL suffix and the ExportGrant method of the same
# name), with the message shown when it is done.
GRANT_STEPS: dict[str, Any] = {
    "approve": _("Approved: the grantee may export personal data for 24 hours."),
    "refuse": _("Refused."),
    "revoke": _("Revoked: the grantee can no longer export personal data."),
}


@admin.register(ExportGrant)
class ExportGrantAdmin(NotFoundOutsideScopeMixin, GatedAdminMixin, admin.ModelAdmin):
    """Request, approve, refuse and revoke personal-export grants (administrators only).

    A grant is requested here (added); it changes only through its steps (the buttons below
    the page), never through the form, and is never deleted: the history of who granted what
    stays.
    """

    gate = staticmethod(access.may_grant_exports)
    gate_opens_add = True
    form = ExportGrantRequestForm
    change_form_template = "reports/admin/exportgrant_change_form.html"
    list_display = [
        "grantee",
        "status",
        "requested_by",
        "requested_at",
        "decided_by",
        "expires_at",
    ]
    list_filter = [GrantStateFilter]
    list_select_related = ["grantee", "requested_by", "decided_by"]
    readonly_fields = [
        "grantee",
        "reason",
        "status",
        "requested_by",
        "requested_at",
        "decided_by",
        "decided_at",
        "expires_at",
        "ended_by",
        "ended_at",
    ]

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        return ExportGrant.objects.for_user(request.user)

    def get_object(self, request: HttpRequest, object_id: str, from_field: Any = None) -> Any:
        # Staff who are not administrators get 403 on every page of a grant, not a 404.
        if not self.has_view_permission(request):
            raise PermissionDenied
        return super().get_object(request, object_id, from_field)

    def get_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        return ["grantee", "reason"] if obj is None else list(self.readonly_fields)

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        return [] if obj is None else list(self.readonly_fields)

    def get_form(self, request: HttpRequest, obj: Any = None, change: bool = False, **kwargs: Any):
        form = super().get_form(request, obj, change=change, **kwargs)
        # modelform_factory made a fresh class for this request: safe to bind the requester.
        form.requester = request.user
        return form

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        try:
            obj.submit(request.user)
        except GrantRefused as refused:  # only when a twin request won the race after clean()
            raise PermissionDenied(str(refused.message)) from None

    def add_view(self, request: HttpRequest, form_url: str = "", extra_context: Any = None):
        # Sent twice, a request is made once (registry.admin.SavedOnceAdminMixin).
        extra_context = {"title": _("Request a personal-export grant"), **(extra_context or {})}
        return super().add_view(request, form_url, extra_context)

    def changelist_view(self, request: HttpRequest, extra_context: Any = None):
        if self.has_view_permission(request):
            ExportGrant.expire_due()  # the list shows (and the trail records) every end
        return super().changelist_view(request, extra_context)

    def change_view(
        self, request: HttpRequest, object_id: str, form_url: str = "", extra_context: Any = None
    ):
        grant = self.get_object(request, unquote(object_id))  # 403 or 404 first
        ExportGrant.expire_due()
        grant.refresh_from_db()
        extra_context = {**(extra_context or {}), **self._decision_context(request, grant)}
        return super().change_view(request, object_id, form_url, extra_context)

    def _decision_context(self, request: HttpRequest, grant: ExportGrant) -> dict[str, Any]:
        """The buttons this user may press on this grant, and why others are missing."""
        user, steps, notes = request.user, [], []

        def url(step: str) -> str:
            return reverse(f"admin:reports_exportgrant_{step}", args=[grant.pk])

        if grant.status == ExportGrant.Status.PENDING:
            if user.pk == grant.requested_by_id:
                notes.append(_("You requested this grant: another administrator must approve it."))
            elif user.pk == grant.grantee_id:
                notes.append(_("This grant is for you: another administrator must approve it."))
            else:
                steps.append({"url": url("approve"), "label": _("Approve"), "default": True})
            steps.append({"url": url("refuse"), "label": _("Refuse"), "default": False})
        elif grant.is_active():
            steps.append({"url": url("revoke"), "label": _("Revoke now"), "default": False})
        return {"grant_steps": steps, "grant_notes": notes}

    def get_urls(self) -> list[URLPattern]:
        steps = [
            path(
                f"<path:object_id>/{step}/",
                self.admin_site.admin_view(getattr(self, f"{step}_view")),
                name=f"reports_exportgrant_{step}",
            )
            for step in GRANT_STEPS
        ]
        return steps + super().get_urls()

    def approve_view(self, request: HttpRequest, object_id: str) -> HttpResponse:
        return self._step_view(request, object_id, "approve")

    def refuse_view(self, request: HttpRequest, object_id: str) -> HttpResponse:
        return self._step_view(request, object_id, "refuse")

    def revoke_view(self, request: HttpRequest, object_id: str) -> HttpResponse:
        return self._step_view(request, object_id, "revoke")

    def _step_view(self, request: HttpRequest, object_id: str, step: str) -> HttpResponse:
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        grant = self.get_object(request, unquote(object_id))  # 403, or 404 for an unknown id
        ExportGrant.expire_due()  # a grant past its expiry is recorded as such, not approved
        grant.refresh_from_db()
        # Only the URL's grant and the logged-in user count: any posted field is ignored.
        try:
            getattr(grant, step)(request.user)
        except GrantRefused as refused:
            self.message_user(request, refused.message, messages.ERROR)
        else:
            self.message_user(request, GRANT_STEPS[step], messages.SUCCESS)
        return HttpResponseRedirect(reverse("admin:reports_exportgrant_change", args=[grant.pk]))
