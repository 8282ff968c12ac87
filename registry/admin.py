"""The admin: a staff tool for data maintenance, scoped through ``for_user`` everywhere."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.views.main import ERROR_FLAG, PAGE_VAR, SEARCH_VAR, ChangeList
from django.contrib.auth.admin import GroupAdmin as DjangoGroupAdmin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect, QueryDict
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from registry import casework, search
from registry.choices import AuditAction, CaseStatus, Role
from registry.models import (
    AuditEvent,
    Case,
    Handover,
    Person,
    Region,
    Registration,
    ReminderSent,
    ReportingOrganisation,
    User,
)


def _is_staff_user(request: HttpRequest) -> bool:
    user = request.user
    return bool(user.is_active and user.is_staff and user.is_registry_staff)


def _is_admin_user(request: HttpRequest) -> bool:
    user = request.user
    return bool(user.is_active and user.is_staff and user.is_administrator)


class AuditedSaveMixin:
    """Every add or change through the admin leaves an audit event with field names only."""

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        super().save_model(request, obj, form, change)
        fields = sorted(form.changed_data)
        if change and not fields:
            return
        AuditEvent.record(
            AuditAction.CHANGE if change else AuditAction.CREATE,
            user=request.user,
            obj=obj,
            details={"fields": fields, "screen": "admin"},
        )


class NotFoundOutsideScopeMixin:
    """Django's admin redirects to the index with "... does not exist" for an object outside
    the queryset; the workspace answers 404, and so does the admin (same rule everywhere)."""

    def get_object(self, request: HttpRequest, object_id: str, from_field: Any = None) -> Any:
        obj = super().get_object(request, object_id, from_field)
        if obj is None:
            raise Http404
        return obj


class PostedSearchChangeList(ChangeList):
    """The changelist of a ``PostedSearchMixin`` admin.

    The search a URL carries (registry.search: a number, a blind index, a record id, an
    account) is not a filter of Django's: it is left out of the lookups and applied by the
    admin's ``get_search_results``, and kept in the links of filters, sorting and pages.
    """

    posts_search = True

    def get_filters_params(self, params: Any = None) -> dict[str, Any]:
        lookup_params = super().get_filters_params(params)
        if self.model_admin.searches_privately:
            for name in search.PARAMETERS.values():
                lookup_params.pop(name, None)
        return lookup_params

    def get_queryset(self, request: HttpRequest, exclude_parameters: Any = None) -> QuerySet:
        admin = self.model_admin
        self.posted_search = (
            search.from_query(request.GET, admin.search_kinds) if admin.searches_privately else None
        )
        # The template leaves these out of its hidden fields: a new search replaces the old.
        self.search_parameters = sorted(set(search.PARAMETERS.values()) - {SEARCH_VAR})
        self.clear_search_qs = self.get_query_string(remove=self.search_parameters)
        return super().get_queryset(request, exclude_parameters)


# Posted fields of the search form that are not parameters of the list.
_NOT_CARRIED = {"csrfmiddlewaretoken", "_search", SEARCH_VAR, PAGE_VAR, ERROR_FLAG}


class PostedSearchMixin:
    """The changelist search is posted and answered with a redirect (post/redirect/get).

    templates/admin/search_form.html posts the term (with the list's other parameters as
    hidden fields and the marker ``_search``); ``changelist_view`` works out what the term is
    (registry.search), records the search, and redirects to the list with the number or the
    blind index only. Action forms post to the changelist too and carry no marker, so they go
    on to Django as before.

    ``search_kinds`` are the kinds of term the list searches and ``search_lookups`` how each
    finds its records. The default, ``(search.TEXT,)``, is Django's own search with the term
    in ``q``: only for lists whose records hold nothing about victims.
    """

    search_kinds: tuple[str, ...] = (search.TEXT,)
    search_lookups: dict[str, search.Filter] = {}

    @property
    def searches_privately(self) -> bool:
        return search.TEXT not in self.search_kinds

    def get_changelist(self, request: HttpRequest, **kwargs: Any) -> type[ChangeList]:
        return PostedSearchChangeList

    def changelist_view(self, request: HttpRequest, extra_context: Any = None) -> HttpResponse:
        if request.method == "POST" and "_search" in request.POST:
            return self._posted_search(request)
        if self.searches_privately and SEARCH_VAR in request.GET:
            # A term in the URL (an old bookmark, a hand-made link) is not searched for, and
            # is not carried on into the list's links.
            if not self.has_view_or_change_permission(request):
                raise PermissionDenied
            query = request.GET.copy()
            del query[SEARCH_VAR]
            return HttpResponseRedirect(f"{request.path}?{query.urlencode()}")
        return super().changelist_view(request, extra_context)

    def get_search_results(
        self, request: HttpRequest, queryset: QuerySet, search_term: str
    ) -> tuple[QuerySet, bool]:
        if not self.searches_privately:
            return super().get_search_results(request, queryset, search_term)
        if search_term:
            # The changelist never passes a term (changelist_view redirects ?q= away); any
            # other caller (an autocomplete widget) has it from a URL, so it finds nothing.
            return queryset.none(), False
        found = search.from_query(request.GET, self.search_kinds)
        if found is None:
            return queryset, False
        return search.filter_queryset(queryset, found, self.search_lookups), False

    def _posted_search(self, request: HttpRequest) -> HttpResponse:
        if not self.has_view_or_change_permission(request):
            raise PermissionDenied
        params = QueryDict(mutable=True)
        for name, values in request.POST.lists():
            if name not in _NOT_CARRIED and name not in search.PARAMETERS.values():
                params.setlist(name, values)
        found = search.from_term(request.POST.get(SEARCH_VAR, ""), self.search_kinds)
        if found is not None:
            queryset = self.get_queryset(request)
            lookup = self.search_lookups.get(found.kind)
            if len(found.values) > 1 and isinstance(lookup, str):
                found = found.narrowed(queryset, lookup)
            if self.searches_privately:
                results = search.filter_queryset(queryset, found, self.search_lookups).count()
            else:
                matched, duplicates = super().get_search_results(request, queryset, found.values[0])
                results = (matched.distinct() if duplicates else matched).count()
            # The count is the search's reach among the records this user may see here,
            # before the list's filters (those change without searching again).
            search.record(
                request.user, found, screen=f"admin:{self.opts.label_lower}", results=results
            )
            for name, value in found.params():
                params.appendlist(name, value)
        return HttpResponseRedirect(f"{request.path}?{params.urlencode()}")


class ScopedAdmin(PostedSearchMixin, NotFoundOutsideScopeMixin, AuditedSaveMixin, admin.ModelAdmin):
    """Records of victims: every queryset through ``for_user``; never deleted from here.

    Searches find a registration number or a family name (blind index) unless an admin says
    otherwise; never with the term in a URL.
    """

    search_kinds = (search.NUMBER, search.FAMILY_NAME)

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


class AdministratorOnlyAdmin(PostedSearchMixin, AuditedSaveMixin, admin.ModelAdmin):
    """Users, regions and organisations: administrators only.

    Their searches are posted like every other, but the term stays in ``q`` (Django's own
    search): these lists hold region and organisation names and staff accounts, nothing
    about a victim, and a search for a user name is easier to share as a link.
    """

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


class CaseInline(admin.TabularInline):
    model = Case
    fk_name = "person"
    fields = ["region", "coordinator", "status", "reflection_end", "opened_on"]
    readonly_fields = fields
    extra = 0
    can_delete = False
    show_change_link = True

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        return Case.objects.for_user(request.user).select_related("region", "coordinator")

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Person)
class PersonAdmin(AuditedPersonalDataMixin, ScopedAdmin):
    list_display = ["__str__", "gender", "nationality", "year_of_birth", "created_at"]
    list_filter = ["gender", "is_anonymous"]
    search_fields = ["pk"]  # shows the search box; the search is search_kinds below
    search_help_text = _(
        "Exact family name, or identity document number (optionally after its country: "
        "RO AB123456)."
    )
    search_kinds = (search.FAMILY_NAME, search.DOCUMENT)
    search_lookups = {search.FAMILY_NAME: "bi_family_name", search.DOCUMENT: "bi_document"}
    inlines = [RegistrationInline, CaseInline]
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


@admin.register(Registration)
class RegistrationAdmin(ScopedAdmin):
    list_display = ["number", "registered_on", "reporter_type", "region", "status"]
    list_filter = ["status", "reporter_type", "region", "file_type", "is_minor"]
    list_select_related = ["region"]
    search_fields = ["number"]  # shows the search box; the search is ScopedAdmin's kinds
    search_help_text = _("Registration number or exact family name.")
    search_lookups = {search.NUMBER: "number", search.FAMILY_NAME: "person__bi_family_name"}
    raw_id_fields = ["person", "organisation", "submitted_by"]
    readonly_fields = ["number", "person", "submitted_by", "created_at", "updated_at"]
    date_hierarchy = "registered_on"
    exclude = ["triage_note"]


class UnassignedFilter(admin.SimpleListFilter):
    title = _("coordinator")
    parameter_name = "assigned"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, Any]]:
        return [("no", _("unassigned (help desk)")), ("yes", _("assigned"))]

    def queryset(self, request: HttpRequest, queryset: QuerySet) -> QuerySet:
        if self.value() == "no":
            return queryset.filter(coordinator__isnull=True)
        if self.value() == "yes":
            return queryset.filter(coordinator__isnull=False)
        return queryset


class ReflectionEndingFilter(admin.SimpleListFilter):
    title = _("reflection period")
    parameter_name = "reflection"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, Any]]:
        return [("soon", _("ends within 14 days"))]

    def queryset(self, request: HttpRequest, queryset: QuerySet) -> QuerySet:
        if self.value() == "soon":
            return casework.reflection_ending_soon(queryset, timezone.localdate())
        return queryset


class CaseAdminForm(forms.ModelForm):
    """The admin applies the same workflow rules as the workspace."""

    class Meta:
        model = Case
        fields = [
            "person",
            "registration",
            "region",
            "coordinator",
            "status",
            "closed_reason",
            "victim_status",
            "victim_status_decided_by",
            "reflection_start",
            "is_dublin",
            "residence_status",
            "shelter_requested",
            "shelter_placed",
            "care_received",
            "care_location",
            "notes",
            "opened_on",
        ]

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        previous = self.instance.status if self.instance.pk else CaseStatus.NEW
        if data.get("status"):
            for field, message in casework.transition_errors(
                previous, data["status"], data.get("closed_reason") or ""
            ).items():
                self.add_error(field, message)
        coordinator, region = data.get("coordinator"), data.get("region")
        if (
            coordinator is not None
            and region is not None
            and not casework.assignable_coordinators(region).filter(pk=coordinator.pk).exists()
        ):
            self.add_error("coordinator", _("Choose an active coordinator of the case's region."))
        return data


class HandoverInline(admin.TabularInline):
    model = Handover
    fk_name = "case"
    fields = ["requested_at", "from_region", "to_region", "status", "reason", "decided_at"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class AssignCoordinatorForm(forms.Form):
    coordinator = forms.ModelChoiceField(
        label=_("Coordinator"), queryset=User.objects.filter(role=Role.COORDINATOR, is_active=True)
    )


class HandOverForm(forms.Form):
    to_region = forms.ModelChoiceField(label=_("To region"), queryset=Region.objects.active())
    reason = forms.CharField(
        label=_("Reason"),
        max_length=300,
        required=False,
        help_text=_("Why the cases move. No personal data."),
    )


@admin.register(Case)
class CaseAdmin(AuditedPersonalDataMixin, ScopedAdmin):
    form = CaseAdminForm
    list_display = [
        "__str__",
        "registration",
        "region",
        "coordinator",
        "status",
        "reflection_end",
        "opened_on",
    ]
    list_filter = [
        "status",
        UnassignedFilter,
        ReflectionEndingFilter,
        "victim_status",
        "region",
        "residence_status",
        "registration__is_minor",
        "registration__immediate_danger",
    ]
    list_select_related = ["region", "coordinator", "registration"]
    search_fields = ["registration__number"]  # shows the box; the search is ScopedAdmin's
    search_help_text = _("Registration number or exact family name.")
    search_lookups = {
        search.NUMBER: "registration__number",
        search.FAMILY_NAME: "person__bi_family_name",
    }
    raw_id_fields = ["person", "registration"]
    readonly_fields = ["reflection_end", "closed_on", "created_at", "updated_at"]
    inlines = [HandoverInline]
    actions = ["assign_coordinator", "hand_over"]

    def save_model(self, request: HttpRequest, obj: Case, form: Any, change: bool) -> None:
        previous = form.initial.get("status", obj.status) if change else CaseStatus.NEW
        casework.apply_status(obj, previous)
        casework.save_case_change(obj, list(form.changed_data), request.user, "admin")

    def _chosen_cases(self, request: HttpRequest, queryset: QuerySet) -> QuerySet:
        # The selection is re-read through for_user: a forged id outside scope is dropped.
        return self.get_queryset(request).filter(pk__in=queryset.values("pk"))

    @admin.action(description=_("Assign a coordinator"))
    def assign_coordinator(self, request: HttpRequest, queryset: QuerySet) -> HttpResponse | None:
        cases = list(self._chosen_cases(request, queryset).select_related("region"))
        form = AssignCoordinatorForm(request.POST if "apply" in request.POST else None)
        if form.is_bound and form.is_valid():
            coordinator = form.cleaned_data["coordinator"]
            assigned, skipped = 0, 0
            for case in cases:
                if casework.assignable_coordinators(case.region).filter(pk=coordinator.pk).exists():
                    case.coordinator = coordinator
                    casework.save_case_change(case, ["coordinator"], request.user, "admin_action")
                    assigned += 1
                else:
                    skipped += 1
            self.message_user(
                request,
                _(
                    "%(assigned)d case(s) assigned; %(skipped)d skipped (the coordinator does not "
                    "work in their region)."
                )
                % {"assigned": assigned, "skipped": skipped},
                messages.SUCCESS if not skipped else messages.WARNING,
            )
            return None
        return self._action_page(
            request, cases, form, "assign_coordinator", _("Assign a coordinator")
        )

    @admin.action(description=_("Hand over to another region"))
    def hand_over(self, request: HttpRequest, queryset: QuerySet) -> HttpResponse | None:
        cases = list(self._chosen_cases(request, queryset).select_related("region"))
        form = HandOverForm(request.POST if "apply" in request.POST else None)
        if form.is_bound and form.is_valid():
            requested, refused = 0, []
            for case in cases:
                try:
                    casework.request_handover(
                        case,
                        form.cleaned_data["to_region"],
                        form.cleaned_data["reason"],
                        request.user,
                    )
                    requested += 1
                except casework.HandoverError as error:
                    refused.append(f"{case}: {error.messages[0]}")
            self.message_user(request, _("%(count)d handover(s) requested.") % {"count": requested})
            for line in refused:
                self.message_user(request, line, messages.WARNING)
            return None
        return self._action_page(
            request, cases, form, "hand_over", _("Hand over to another region")
        )

    def _action_page(
        self, request: HttpRequest, cases: list[Case], form: forms.Form, action: str, title: Any
    ) -> HttpResponse:
        return TemplateResponse(
            request,
            "registry/admin/case_action.html",
            {
                **self.admin_site.each_context(request),
                "title": title,
                "opts": self.model._meta,
                "cases": cases,
                "form": form,
                "action": action,
                "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
            },
        )


admin.site.unregister(Group)


@admin.register(Group)
class GroupAdmin(AdministratorOnlyAdmin, DjangoGroupAdmin):
    """Groups carry extra permissions (e.g. the personal export): administrators only."""


@admin.register(ReminderSent)
class ReminderSentAdmin(AdministratorOnlyAdmin):
    """What send_reminders has sent (kind, case reference, recipient, deadline)."""

    list_display = ["sent_at", "kind", "case", "recipient", "due"]
    list_filter = ["kind", "sent_at"]
    list_select_related = ["case", "recipient"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Handover)
class HandoverAdmin(ScopedAdmin):
    list_display = ["case", "from_region", "to_region", "status", "requested_at"]
    list_filter = ["status"]
    list_select_related = ["case", "from_region", "to_region"]
    raw_id_fields = ["case", "requested_by", "decided_by"]

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


def _events_about(queryset: QuerySet, ids: tuple[str, ...]) -> QuerySet:
    """Events about a record, and for a case id also the events recorded under that case."""
    case_ids = [i for i in ids if "-" in i]  # registry.search gives UUIDs in their dashed form
    return queryset.filter(Q(object_id__in=ids) | Q(case_id__in=case_ids))


@admin.register(AuditEvent)
class AuditEventAdmin(PostedSearchMixin, admin.ModelAdmin):
    """Read-only: the trail cannot be changed or deleted from any screen."""

    list_display = ["at", "actor", "action", "object_type", "object_id"]
    list_filter = ["action", "at"]
    search_fields = ["actor", "object_id"]  # shows the search box; the search is below
    search_help_text = _("A record id or a user name, exactly.")
    # A mistyped search could be a victim's name, so only a record id or the name of an
    # existing account goes into the URL.
    search_kinds = (search.RECORD, search.ACCOUNT)
    search_lookups = {search.RECORD: _events_about, search.ACCOUNT: "actor"}
    date_hierarchy = "at"

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        return AuditEvent.objects.for_user(request.user)

    def get_object(self, request: HttpRequest, object_id: str, from_field: Any = None) -> Any:
        # Staff who may not read the trail get 403 on every page of it, not a redirect.
        if not _is_admin_user(request):
            raise PermissionDenied
        obj = super().get_object(request, object_id, from_field)
        if obj is None:
            raise Http404
        return obj

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
