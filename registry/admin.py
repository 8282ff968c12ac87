"""The admin: a staff tool for data maintenance, scoped through ``for_user`` everywhere."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.db.models import Q, QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from registry.choices import AuditAction
from registry.models import (
    AuditEvent,
    Case,
    Handover,
    Person,
    Region,
    Registration,
    ReportingOrganisation,
    User,
)
from registry.models.people import document_index, family_name_index


def _is_staff_user(request: HttpRequest) -> bool:
    user = request.user
    return bool(user.is_active and user.is_staff and user.is_registry_staff)


def _is_admin_user(request: HttpRequest) -> bool:
    user = request.user
    return bool(user.is_active and user.is_staff and user.is_administrator)


class ScopedAdmin(admin.ModelAdmin):
    """Records of victims: every queryset through ``for_user``; never deleted from here."""

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        return self.model.objects.for_user(request.user)

    def has_module_permission(self, request: HttpRequest) -> bool:
        return _is_staff_user(request)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return _is_staff_user(request)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return _is_staff_user(request)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # records are created through intake, which applies the rules

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False  # only the erasure and retention commands remove records


class AdministratorOnlyAdmin(admin.ModelAdmin):
    """Users, regions and organisations: administrators only."""

    def has_module_permission(self, request: HttpRequest) -> bool:
        return _is_admin_user(request)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return _is_admin_user(request)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return _is_admin_user(request)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return _is_admin_user(request)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Region)
class RegionAdmin(AdministratorOnlyAdmin):
    list_display = ["name", "code", "is_active"]
    list_filter = ["is_active"]
    search_fields = ["name", "code"]


@admin.register(ReportingOrganisation)
class ReportingOrganisationAdmin(AdministratorOnlyAdmin):
    list_display = ["name", "reporter_type", "is_active"]
    list_filter = ["reporter_type", "is_active"]
    search_fields = ["name"]


@admin.register(User)
class UserAdmin(AdministratorOnlyAdmin, DjangoUserAdmin):
    list_display = ["username", "email", "role", "organisation", "is_active", "last_login"]
    list_filter = ["role", "is_active", "regions"]
    list_select_related = ["organisation"]
    filter_horizontal = ["regions", "groups", "user_permissions"]
    fieldsets = (
        *DjangoUserAdmin.fieldsets,
        (_("Registry role"), {"fields": ("role", "regions", "organisation")}),
    )
    add_fieldsets = (
        *DjangoUserAdmin.add_fieldsets,
        (_("Registry role"), {"fields": ("role", "organisation")}),
    )


class AuditedPersonalDataMixin:
    """Opening a change page that shows personal data writes a view event."""

    def change_view(self, request: HttpRequest, object_id: str, *args: Any, **kwargs: Any) -> Any:
        response = super().change_view(request, object_id, *args, **kwargs)
        obj = getattr(response, "context_data", {}).get("original")
        if obj is not None and request.method == "GET":
            AuditEvent.record(
                AuditAction.VIEW_PERSONAL,
                user=request.user,
                obj=obj,
                details={"screen": "admin"},
            )
        return response


class RegistrationInline(admin.TabularInline):
    model = Registration
    fields = ["number", "registered_on", "reporter_type", "region", "status"]
    readonly_fields = fields
    extra = 0
    can_delete = False
    show_change_link = True

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        return Registration.objects.for_user(request.user).select_related("region")

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Person)
class PersonAdmin(AuditedPersonalDataMixin, ScopedAdmin):
    list_display = ["__str__", "gender", "nationality", "year_of_birth", "created_at"]
    list_filter = ["gender", "is_anonymous"]
    search_fields = ["pk"]  # replaced by the blind-index search below
    search_help_text = _("Exact family name or identity document number.")
    inlines = [RegistrationInline]
    readonly_fields = ["year_of_birth", "is_anonymous", "created_at", "updated_at"]
    fieldsets = (
        (
            _("Personal data (encrypted)"),
            {
                "fields": (
                    "given_names",
                    "family_name",
                    "aliases",
                    "date_of_birth",
                    "phone",
                    "email",
                    "address",
                    "id_document_country",
                    "id_document_number",
                    "languages",
                    "notes",
                )
            },
        ),
        (
            _("Statistical data"),
            {"fields": ("gender", "nationality", "country_of_birth", "year_of_birth")},
        ),
        (_("Record"), {"fields": ("is_anonymous", "created_at", "updated_at")}),
    )

    def get_search_results(
        self, request: HttpRequest, queryset: QuerySet, search_term: str
    ) -> tuple[QuerySet, bool]:
        term = search_term.strip()
        if not term:
            return queryset, False
        conditions = Q(pk__in=[])
        if family := family_name_index(term):
            conditions |= Q(bi_family_name=family)
        if document := document_index("", term):
            conditions |= Q(bi_document=document)
        return queryset.filter(conditions), False


@admin.register(Registration)
class RegistrationAdmin(ScopedAdmin):
    list_display = ["number", "registered_on", "reporter_type", "region", "status"]
    list_filter = ["status", "reporter_type", "region", "file_type", "is_minor"]
    list_select_related = ["region"]
    search_fields = ["number"]
    raw_id_fields = ["person", "organisation", "submitted_by"]
    readonly_fields = ["number", "person", "submitted_by", "created_at", "updated_at"]
    date_hierarchy = "registered_on"
    exclude = ["triage_note"]


@admin.register(Case)
class CaseAdmin(AuditedPersonalDataMixin, ScopedAdmin):
    list_display = ["__str__", "region", "coordinator", "status", "reflection_end", "opened_on"]
    list_filter = ["status", "victim_status", "region", "residence_status"]
    list_select_related = ["region", "coordinator"]
    search_fields = ["registration__number"]
    raw_id_fields = ["person", "registration", "coordinator"]
    readonly_fields = ["reflection_end", "created_at", "updated_at"]


@admin.register(Handover)
class HandoverAdmin(ScopedAdmin):
    list_display = ["case", "from_region", "to_region", "status", "requested_at"]
    list_filter = ["status"]
    list_select_related = ["case", "from_region", "to_region"]
    raw_id_fields = ["case", "requested_by", "decided_by"]

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    """Read-only: the trail cannot be changed or deleted from any screen."""

    list_display = ["at", "actor", "action", "object_type", "object_id"]
    list_filter = ["action", "at"]
    search_fields = ["actor", "object_id"]
    date_hierarchy = "at"

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        return AuditEvent.objects.for_user(request.user)

    def has_module_permission(self, request: HttpRequest) -> bool:
        return _is_admin_user(request)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return _is_admin_user(request)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
