"""The admin: a staff tool for data maintenance, scoped through ``for_user`` everywhere."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.utils import flatten_fieldsets, unquote
from django.contrib.admin.views.main import ERROR_FLAG, PAGE_VAR, SEARCH_VAR, ChangeList
from django.contrib.auth.admin import GroupAdmin as DjangoGroupAdmin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.forms import AdminPasswordChangeForm
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import router, transaction
from django.db.models import Model, Q, QuerySet
from django.forms import BaseForm
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect, QueryDict
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _
from django_otp import devices_for_user
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_tasks_db.models import DBTaskResult

from registry import access, audit_details, casework, lockout, once, outbox, registering, search
from registry.choices import (
    HTCDS_REFERRAL_REASON,
    HTCDS_REFERRED_ORGANISATION_TYPE,
    AuditAction,
    Role,
)
from registry.forms import CaseForm
from registry.models import (
    AuditEvent,
    Case,
    CaseNote,
    Handover,
    Municipality,
    OutgoingMail,
    Person,
    Referral,
    Region,
    Registration,
    ReminderSent,
    ReportingOrganisation,
    ResidenceProcedure,
    Shelter,
    User,
)
from registry.models.accounts import POWER_FIELDS
from registry.models.people import PERSONAL_FIELDS


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


def choices_for_user(model: type[Model], user: User) -> QuerySet:
    """What a form in the admin may offer ``user`` of ``model``: through ``for_user`` where the
    model has it; the reference lists (codes, regions, organisations, municipalities) whole."""
    queryset = model._default_manager.all()
    return queryset.for_user(user) if hasattr(queryset, "for_user") else queryset


class ScopedFormFieldsMixin:
    """Every foreign-key and many-to-many field of an admin form offers only what the user
    may see. The form field validates against that same queryset, so a forged id is refused
    by the server, not only missing from the page."""

    def formfield_for_foreignkey(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        kwargs.setdefault("queryset", choices_for_user(db_field.related_model, request.user))
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_manytomany(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        kwargs.setdefault("queryset", choices_for_user(db_field.related_model, request.user))
        return super().formfield_for_manytomany(db_field, request, **kwargs)


SENT_BEFORE = _(
    "This form had been sent already: nothing was saved a second time. Here is what the first "
    "sending saved."
)


class SavedOnceAdminMixin:
    """Every add form of the admin is saved once (registry/once.py): a double click or a
    retried POST creates one record and is sent to the first one's result.

    The token is rendered by the project's ``templates/admin/change_form.html`` (every add
    form's template extends it) and spent here, in the transaction that saves. A missing,
    altered, another user's or too old token shows the form again with what was typed, the
    reason and a fresh token. Every project admin has this through ``GatedAdminMixin``; an
    admin action that creates records spends the token itself (``CaseAdmin.hand_over``).
    """

    def changeform_view(
        self,
        request: HttpRequest,
        object_id: str | None = None,
        form_url: str = "",
        extra_context: Any = None,
    ) -> HttpResponse:
        if request.method != "POST" or object_id is not None:
            return super().changeform_view(request, object_id, form_url, extra_context)
        if not self.has_add_permission(request):
            raise PermissionDenied
        with transaction.atomic(using=router.db_for_write(self.model)):
            spent = once.spend(request)
            if spent.first_result:
                messages.info(request, SENT_BEFORE)
                return redirect(spent.first_result)
            request.once_refused = spent.refused
            response = super().changeform_view(request, object_id, form_url, extra_context)
            if spent.used is not None:
                result = getattr(request, "once_result", "")
                if result:
                    spent.done(result)
                else:  # refused by a rule of the form: the same form may be sent again
                    spent.used.delete()
            return response

    def get_form(self, request: HttpRequest, obj: Any = None, change: bool = False, **kwargs: Any):
        form = super().get_form(request, obj, change=change, **kwargs)
        refused = getattr(request, "once_refused", "")
        return _refusing(form, refused) if refused and obj is None else form

    def response_add(self, request: HttpRequest, obj: Any, post_url_continue: Any = None):
        response = super().response_add(request, obj, post_url_continue)
        # A popup's answer is a page, not a redirect: a second POST is sent to the record.
        request.once_result = (
            response["Location"]
            if isinstance(response, HttpResponseRedirect)
            else self._change_url(obj)
        )
        return response

    def _change_url(self, obj: Any) -> str:
        opts = self.model._meta
        return reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[obj.pk])


def _refusing(form_class: type[BaseForm], reason: str) -> type[BaseForm]:
    """``form_class`` with ``reason`` as an error of the whole form: shown again, not saved."""

    def clean(self: BaseForm) -> Any:
        super(refusing, self).clean()
        raise ValidationError(reason)

    refusing = type(form_class.__name__, (form_class,), {"clean": clean})
    return refusing


class GatedAdminMixin(SavedOnceAdminMixin):
    """An admin page's permissions ask one page predicate of registry.access, ``gate``.

    Whoever the gate lets in sees the list and its records, and changes or adds them where
    ``gate_opens_change`` or ``gate_opens_add`` says so; nothing is deleted from the admin
    (records of victims only by the erasure and retention commands; the rest keeps its
    history). A subclass narrows further by calling ``super()``.
    """

    gate: Callable[[User], bool]
    gate_opens_change = False
    gate_opens_add = False

    def has_module_permission(self, request: HttpRequest) -> bool:
        return self.gate(request.user)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self.gate(request.user)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self.gate_opens_change and self.gate(request.user)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return self.gate_opens_add and self.gate(request.user)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class ScopedAdmin(
    PostedSearchMixin,
    NotFoundOutsideScopeMixin,
    ScopedFormFieldsMixin,
    AuditedSaveMixin,
    GatedAdminMixin,
    admin.ModelAdmin,
):
    """Records of victims: every queryset through ``for_user``; never deleted from here.

    Searches find a registration number or a family name (blind index) unless an admin says
    otherwise; never with the term in a URL. Records are created through intake, which
    applies the rules, so none is added here.
    """

    gate = staticmethod(access.may_use_admin)
    gate_opens_change = True
    search_kinds = (search.NUMBER, search.FAMILY_NAME)

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        return self.model.objects.for_user(request.user)


class AdministratorOnlyAdmin(
    PostedSearchMixin, ScopedFormFieldsMixin, AuditedSaveMixin, GatedAdminMixin, admin.ModelAdmin
):
    """Users, regions and organisations: administrators only.

    Their searches are posted like every other, but the term stays in ``q`` (Django's own
    search): these lists hold region and organisation names and staff accounts, nothing
    about a victim, and a search for a user name is easier to share as a link.
    """

    gate = staticmethod(access.may_administer)
    gate_opens_change = True
    gate_opens_add = True


@admin.register(Region)
class RegionAdmin(AdministratorOnlyAdmin):
    list_display = ["name", "code", "is_active"]
    list_filter = ["is_active"]
    search_fields = ["name", "code"]


@admin.register(ReportingOrganisation)
class ReportingOrganisationAdmin(AdministratorOnlyAdmin):
    list_display = ["name", "name_en", "reporter_type", "is_active"]
    list_filter = ["reporter_type", "is_active"]
    search_fields = ["name", "name_en"]


@admin.register(Municipality)
class MunicipalityAdmin(AdministratorOnlyAdmin):
    """The CBS list (registry/data/municipalities.csv); administrators add or deactivate, and
    correct the care-coordination region a reporter's submission from it goes to."""

    list_display = ["name", "code", "region", "is_active"]
    list_filter = ["is_active", "region"]
    search_fields = ["name", "code"]

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        # The code is the primary key that registrations refer to: fixed once created.
        return ["code"] if obj is not None else []


@admin.register(Shelter)
class ShelterAdmin(AdministratorOnlyAdmin):
    """Shelters and their places (docs/workspace.md, "Shelters"). Placements are made on the
    placement page by the help desk or a coordinator, not here; a shelter with placements is
    deactivated rather than deleted (its placements protect it)."""

    list_display = ["name", "shelter_type", "municipality", "target_group", "places", "is_active"]
    list_filter = ["shelter_type", "is_active"]
    search_fields = ["name", "target_group"]
    list_select_related = ["municipality"]
    autocomplete_fields = ["municipality"]


class PasswordChangeForm(AdminPasswordChangeForm):
    """Django's form, with its help text translated when shown: Django builds it by adding a
    lazy string to an English one when the module is imported, so it came out in the
    language of the import (Dutch on English pages) with an English warning (issue 15)."""

    usable_password_help_text = format_lazy(
        '{}<ul id="id_unusable_warning" class="messagelist"><li class="warning">{}</li></ul>',
        _(
            "Whether the user will be able to authenticate using a password or not. "
            "If disabled, they may still be able to authenticate using other backends, "
            "such as Single Sign-On or LDAP."
        ),
        _("If disabled, the current password for this user will be lost."),
    )


@admin.register(User)
class UserAdmin(AdministratorOnlyAdmin, DjangoUserAdmin):
    """Accounts. Nobody raises their own power here (docs/security.md, "Who may grant what").

    - Only superusers change ``is_superuser``, groups and permissions, and only they give the
      administrator role; for other administrators those fields are read-only (not in the
      form, so a forged POST changes nothing) and the role list has no administrator.
    - Nobody changes their own role, regions, organisation, active flag, superuser flag,
      groups or permissions.
    - An administrator who is not a superuser may only view (not change, nor set the password
      of) another administrator's or a superuser's account.
    - ``save_model`` re-checks all of it against the database; every change of a power field
      is an ``account`` audit event naming the fields, and so is a password set by someone.
    """

    change_password_form = PasswordChangeForm

    list_display = ["username", "email", "role", "organisation", "is_active", "last_login"]
    list_filter = ["role", "is_active", "is_superuser", "regions"]
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
    actions = ["unlock_login", "reset_second_factor"]

    @admin.action(description=_("Unlock the login (after too many failed attempts)"))
    def unlock_login(self, request: HttpRequest, queryset: QuerySet) -> None:
        cleared = sum(lockout.unlock(user, by=request.user) for user in queryset)
        self.message_user(
            request,
            _("%(users)d account(s) unlocked; %(attempts)d failed attempt(s) cleared.")
            % {"users": queryset.count(), "attempts": cleared},
        )

    @admin.action(description=_("Reset the second factor (the user sets up a new one)"))
    def reset_second_factor(self, request: HttpRequest, queryset: QuerySet) -> None:
        done, refused = 0, 0
        for user in queryset:
            if not access.may_reset_second_factor(request.user, user):
                refused += 1
                continue
            for device in devices_for_user(user, confirmed=None):
                device.delete()
            AuditEvent.record(
                AuditAction.SECOND_FACTOR,
                user=request.user,
                obj=user,
                details={"step": "reset", "screen": "admin"},
            )
            done += 1
        self.message_user(
            request,
            _(
                "%(done)d second factor(s) reset: they set up a new one at their next login. "
                "%(refused)d refused (your own, or an administrator's when you are not a "
                "superuser)."
            )
            % {"done": done, "refused": refused},
            messages.SUCCESS if not refused else messages.WARNING,
        )

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        if not super().has_change_permission(request, obj):
            return False
        return obj is None or request.user.may_change_account(obj)

    def get_fieldsets(self, request: HttpRequest, obj: Any = None) -> Any:
        fieldsets = super().get_fieldsets(request, obj)
        if obj is not None and not request.user.may_change_account(obj):
            # A read-only account: no "Reset password" button that only leads to a refusal.
            fieldsets = [
                (name, {**options, "fields": [f for f in options["fields"] if f != "password"]})
                for name, options in fieldsets
            ]
        return fieldsets

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        # Staff status follows the role (User.save), so it is never ticked by hand; the dates
        # are facts the system records.
        locked = {"is_staff", "last_login", "date_joined", *request.user.locked_account_fields(obj)}
        shown = flatten_fieldsets(self.get_fieldsets(request, obj))
        return [*super().get_readonly_fields(request, obj), *(f for f in shown if f in locked)]

    def formfield_for_choice_field(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        if db_field.name == "role":
            kwargs["choices"] = [
                (value, label) for value, label in Role.choices if request.user.may_give_role(value)
            ]
        return super().formfield_for_choice_field(db_field, request, **kwargs)

    def save_model(self, request: HttpRequest, obj: User, form: Any, change: bool) -> None:
        self._refuse_raised_power(request.user, obj, form, change)
        super().save_model(request, obj, form, change)

    def _refuse_raised_power(self, actor: User, obj: User, form: Any, change: bool) -> None:
        """The server's own check, against the database, of what the form already limits."""
        before = User.objects.filter(pk=obj.pk).first() if change else None
        if before is not None and not actor.may_change_account(before):
            raise PermissionDenied
        locked = actor.locked_account_fields(before)
        if set(form.changed_data) & locked:
            raise PermissionDenied
        # The model's values too, not only what the form says it changed.
        for field in ("role", "organisation", "is_active", "is_superuser"):
            if field not in locked:
                continue
            attname = User._meta.get_field(field).attname
            old = getattr(before, attname) if before else User._meta.get_field(field).get_default()
            if getattr(obj, attname) != old:
                raise PermissionDenied
        if (before is None or before.role != obj.role) and not actor.may_give_role(obj.role):
            raise PermissionDenied

    def save_related(self, request: HttpRequest, form: Any, formsets: Any, change: bool) -> None:
        super().save_related(request, form, formsets, change)
        if change:
            fields = sorted(set(form.changed_data) & POWER_FIELDS)
        else:  # a new account: the powers it was given
            fields = sorted(set(form.fields) & POWER_FIELDS)
        if fields:
            AuditEvent.record(
                AuditAction.ACCOUNT,
                user=request.user,
                obj=form.instance,
                details={"fields": fields, "screen": "admin", "new_account": not change},
            )

    def user_change_password(self, request: HttpRequest, id: str, form_url: str = "") -> Any:
        target = self.get_object(request, unquote(id))
        before = target.password if target is not None else None
        response = super().user_change_password(request, id, form_url)
        if target is not None and request.method == "POST":
            target.refresh_from_db(fields=["password"])
            if target.password != before:
                # Setting someone's password is how an account is taken over: on the record.
                AuditEvent.record(
                    AuditAction.ACCOUNT,
                    user=request.user,
                    obj=target,
                    details={"fields": ["password"], "screen": "admin", "new_account": False},
                )
        return response


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


class PersonRecordsInline(admin.TabularInline):
    """A person's registrations or cases on the person's page: read-only, only those the user
    may see (``for_user``), each opening on its own page."""

    extra = 0
    can_delete = False
    show_change_link = True
    related: tuple[str, ...] = ()  # select_related for the columns shown

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        return self.model.objects.for_user(request.user).select_related(*self.related)

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class RegistrationInline(PersonRecordsInline):
    model = Registration
    fields = ["number", "registered_on", "reporter_type", "region", "status"]
    readonly_fields = fields
    related = ("region",)


class CaseInline(PersonRecordsInline):
    model = Case
    fk_name = "person"
    fields = ["region", "coordinator", "status", "reflection_end", "opened_on"]
    readonly_fields = fields
    related = ("region", "coordinator")

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
        (_("Personal data (encrypted)"), {"fields": PERSONAL_FIELDS}),
        (
            _("Statistical data"),
            {"fields": ("gender", "nationality", "country_of_birth", "year_of_birth")},
        ),
        (_("Record"), {"fields": ("is_anonymous", "created_at", "updated_at")}),
    )


# Two of the registration admin's fieldsets, which with the registration date are what the
# admin may correct (RegistrationAdminForm).
_EXPLOITATION_FIELDS = (
    "exploitation_forms",
    "sector",
    "exploitation_country",
    "exploitation_municipality",
    "exploitation_start",
    "exploitation_end",
    "scope",
    "means_of_control",
)
_FLAG_FIELDS = (
    "immediate_danger",
    "is_minor",
    "unaccompanied_minor",
    "age_at_registration",
    "file_type",
    "shelter_requested",
)


class RegistrationAdminForm(forms.ModelForm):
    """The admin's registration form applies the rules of a registration record
    (registry.registering), as the intake forms and the import do, to the values it edits
    together with the stored ones."""

    class Meta:
        model = Registration
        # What the admin may correct; the rest is set at intake and in triage (fieldsets below).
        fields = ["registered_on", *_EXPLOITATION_FIELDS, *_FLAG_FIELDS]

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        values = {
            name: getattr(self.instance, name, None) for name in registering.REGISTRATION_FIELDS
        }
        values.update({name: value for name, value in data.items() if name in values})
        for name in registering.CODE_LISTS:
            chosen = data.get(name, getattr(self.instance, name).all() if self.instance.pk else [])
            values[name] = [row.pk for row in chosen]
        for field, message in registering.registration_errors(values).items():
            self.add_error(field if field in self.fields else None, message)
        return data


@admin.register(Registration)
class RegistrationAdmin(ScopedAdmin):
    form = RegistrationAdminForm
    list_display = ["number", "registered_on", "reporter_type", "region", "status"]
    list_filter = ["status", "reporter_type", "region", "file_type", "is_minor"]
    list_select_related = ["region"]
    search_fields = ["number"]  # shows the search box; the search is ScopedAdmin's kinds
    search_help_text = _("Registration number or exact family name.")
    search_lookups = {search.NUMBER: "number", search.FAMILY_NAME: "person__bi_family_name"}
    # Who reported, with what consent, and the triage decision are set at intake and in
    # triage, where the consent rules apply (an anonymous registration keeps no personal
    # data); the region is where the person was routed. None of it changes here.
    readonly_fields = [
        "number",
        "person",
        "status",
        "reporter_type",
        "organisation",
        "region",
        "consent_registration",
        "consent_care",
        "consent_signed_by",
        # As typed at intake; the case holds the residence status and period worked on.
        "residence_status",
        "reflection_started_on",
        "submitted_by",
        "created_at",
        "updated_at",
    ]
    date_hierarchy = "registered_on"
    fieldsets = (
        (
            _("Registration (set at intake and in triage)"),
            {
                "fields": (
                    "number",
                    "person",
                    "status",
                    "registered_on",
                    "reporter_type",
                    "organisation",
                    "submitted_by",
                    "region",
                    "consent_registration",
                    "consent_signed_by",
                    "consent_care",
                    "residence_status",
                    "reflection_started_on",
                )
            },
        ),
        (_("Exploitation"), {"fields": _EXPLOITATION_FIELDS}),
        (_("Flags, file and shelter"), {"fields": _FLAG_FIELDS}),
        (_("Record"), {"fields": ("created_at", "updated_at")}),
    )


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


class CaseAdminForm(CaseForm):
    """The workspace's case form (same choices, same rules on the model) and the opening date.

    Not the person, the opening registration or the region: a case keeps its person and
    registration, and moves to another region only by a handover the other side accepts.
    """

    class Meta(CaseForm.Meta):
        # The former notes box stays correctable here (data maintenance, e.g. removing what
        # should not have been written); the workspace adds notes to the timeline instead.
        fields = [*CaseForm.Meta.fields, "opened_on", "notes"]
        widgets = {}


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


class CaseNoteInline(admin.TabularInline):
    """The case's notes, read-only: notes are append-only (CaseNote refuses a change or a
    deletion) and are added on the case page in the workspace."""

    model = CaseNote
    fields = ["created_at", "author", "text"]
    readonly_fields = fields
    extra = 0
    can_delete = False
    ordering = ["-created_at"]

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        return CaseNote.objects.for_user(request.user).select_related("author")

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        # Whoever may open the case in the admin reads its notes (the case's own gate).
        return access.may_use_admin(request.user)

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class AssignCoordinatorForm(forms.Form):
    coordinator = forms.ModelChoiceField(label=_("Coordinator"), queryset=User.objects.none())

    def __init__(self, *args: Any, cases: list[Case], user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # The active coordinators of the chosen cases' regions whom the user may see.
        regions = {case.region_id for case in cases}
        self.fields["coordinator"].queryset = (
            User.objects.for_user(user)
            .active_coordinators()
            .filter(regions__in=regions)
            .distinct()
            .order_by("username")
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
        "sub3",
    ]
    list_select_related = ["region", "coordinator", "registration"]
    search_fields = ["registration__number"]  # shows the box; the search is ScopedAdmin's
    search_help_text = _("Registration number or exact family name.")
    search_lookups = {
        search.NUMBER: "registration__number",
        search.FAMILY_NAME: "person__bi_family_name",
    }
    readonly_fields = [
        "person",
        "registration",
        "region",
        "reflection_end",
        "closed_on",
        "created_at",
        "updated_at",
    ]
    fieldsets = (
        (
            _("Case (moves to another region only by a handover)"),
            {"fields": ("person", "registration", "region", "opened_on")},
        ),
        (
            _("Casework"),
            {"fields": ("coordinator", "status", "closed_reason", "closed_on")},
        ),
        (
            _("Victim status and reflection period"),
            {
                "fields": (
                    "victim_status",
                    "victim_status_decided_by",
                    "reflection_start",
                    "is_dublin",
                    "reflection_end",
                    "residence_status",
                    "sub3",
                )
            },
        ),
        (
            _("Shelter and care"),
            {
                "fields": (
                    "shelter_requested",
                    "shelter_placed",
                    "care_received",
                    "care_location",
                    "notes",
                )
            },
        ),
        (_("Record"), {"fields": ("created_at", "updated_at")}),
    )
    inlines = [HandoverInline, CaseNoteInline]
    actions = ["assign_coordinator", "hand_over"]

    def save_model(self, request: HttpRequest, obj: Case, form: Any, change: bool) -> None:
        casework.apply_status(obj, form.previous_status)
        casework.save_case_change(obj, list(form.changed_data), request.user, "admin")

    def _chosen_cases(self, request: HttpRequest, queryset: QuerySet) -> QuerySet:
        # The selection is re-read through for_user: a forged id outside scope is dropped.
        return self.get_queryset(request).filter(pk__in=queryset.values("pk"))

    @admin.action(description=_("Assign a coordinator"))
    def assign_coordinator(self, request: HttpRequest, queryset: QuerySet) -> HttpResponse | None:
        cases = list(self._chosen_cases(request, queryset).select_related("region"))
        form = AssignCoordinatorForm(
            request.POST if "apply" in request.POST else None, cases=cases, user=request.user
        )
        if form.is_bound and form.is_valid():
            coordinator = form.cleaned_data["coordinator"]
            assigned, skipped = 0, 0
            for case in cases:
                if case.may_be_coordinated_by(coordinator):
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
            # Handovers are records: the action is saved once, as an add form is.
            spent = once.spend(request)
            if spent.first_result:
                messages.info(request, SENT_BEFORE)
                return redirect(spent.first_result)
            if spent.refused:
                form.add_error(None, spent.refused)
                return self._action_page(
                    request, cases, form, "hand_over", _("Hand over to another region")
                )
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
            # The requested handovers are the result, the first time and if sent again.
            result = reverse("admin:registry_handover_changelist")
            spent.done(result)
            return redirect(result)
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
# django-otp's device admins show every user's TOTP secret and QR code: whoever opens them can
# log in as anyone whose password they know. Second factors are enrolled by their owner only.
admin.site.unregister(TOTPDevice)
admin.site.unregister(StaticDevice)
# django-tasks-db's list of job rows: jobs are followed on the pages that started them, and an
# operator reads the worker's log; the raw rows (arguments, tracebacks) stay out of the admin.
admin.site.unregister(DBTaskResult)


@admin.register(Group)
class GroupAdmin(AdministratorOnlyAdmin, DjangoGroupAdmin):
    """Groups are bundles of permissions: administrators view them, only superusers add or
    change them (otherwise an administrator could widen a group they are in). A change of a
    group's permissions is an ``account`` audit event: it changes the power of its members."""

    def has_add_permission(self, request: HttpRequest) -> bool:
        return super().has_add_permission(request) and request.user.is_superuser

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return super().has_change_permission(request, obj) and request.user.is_superuser

    def save_related(self, request: HttpRequest, form: Any, formsets: Any, change: bool) -> None:
        super().save_related(request, form, formsets, change)
        if "permissions" in form.changed_data:
            AuditEvent.record(
                AuditAction.ACCOUNT,
                user=request.user,
                obj=form.instance,
                details={"fields": ["permissions"], "screen": "admin", "new_account": False},
            )


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


@admin.register(OutgoingMail)
class OutgoingMailAdmin(AdministratorOnlyAdmin):
    """The outbox (registry.outbox): what was sent, what waits, what was given up, and a
    retry. Administrators only; the mails hold staff addresses, numbers and links."""

    list_display = [
        "created_at",
        "kind",
        "recipient",
        "status",
        "attempts",
        "last_error",
        "next_attempt_at",
        "sent_at",
    ]
    list_filter = ["status", "kind", "created_at"]
    actions = ["retry_delivery"]
    readonly_fields = [
        "kind",
        "recipient",
        "subject",
        "body",
        "created_at",
        "status",
        "attempts",
        "last_error",
        "last_attempt_at",
        "next_attempt_at",
        "sent_at",
    ]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    @admin.action(description=_("Retry the delivery now (mail not sent yet)"))
    def retry_delivery(self, request: HttpRequest, queryset: QuerySet) -> None:
        retried = outbox.retry(queryset.exclude(status=OutgoingMail.Status.SENT))
        self.message_user(
            request,
            _("%(count)d e-mail(s) queued for another attempt; mail already sent is left alone.")
            % {"count": retried},
            messages.SUCCESS,
        )


@admin.register(Handover)
class HandoverAdmin(ScopedAdmin):
    list_display = ["case", "from_region", "to_region", "status", "requested_at"]
    list_filter = ["status"]
    list_select_related = ["case", "from_region", "to_region"]
    raw_id_fields = ["case", "requested_by", "decided_by"]

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class CareRecordAdmin(ScopedAdmin):
    """Residence procedures and referrals (issue 14): read in the admin by whoever may see
    their case (``care_records_for_user``); corrected by administrators only, who hold no case
    and so maintain these records here (``access.holds_case``). They are made on the case page
    by whoever holds the case, so none is added here, and none is deleted.

    A correction applies the model's ``clean()`` (the admin's form validates the instance) and
    saves through the record's own ``record()``: the same audit event as the workspace's, with
    field names and codes only, screen ``admin``.
    """

    search_fields = ["case__registration__number"]  # shows the box; the search is ScopedAdmin's
    search_help_text = _("Registration number of the case.")
    search_kinds = (search.NUMBER,)
    search_lookups = {search.NUMBER: "case__registration__number"}
    list_select_related = ["case"]
    # The case is not changed here (a record belongs to the case it was made on).
    readonly_fields = ["case"]

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return super().has_change_permission(request, obj) and access.may_administer(request.user)

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        fields = sorted(form.changed_data)
        if change and not fields:
            return
        obj.record(request.user, fields, "admin")


@admin.register(ResidenceProcedure)
class ResidenceProcedureAdmin(CareRecordAdmin):
    list_display = [
        "case",
        "kind",
        "status",
        "started_on",
        "decided_on",
        "expires_on",
        "updated_at",
    ]
    list_filter = ["kind", "status"]
    fields = ["case", "kind", "status", "started_on", "decided_on", "expires_on", "updated_by"]
    readonly_fields = ["case", "kind", "updated_by"]


@admin.register(Referral)
class ReferralAdmin(CareRecordAdmin):
    list_display = [
        "case",
        "referral_type",
        "reason",
        "referred_on",
        "outcome",
        "outcome_on",
        "htcds_organisation_type",
        "htcds_reason",
    ]
    list_filter = ["referral_type", "outcome", "reason"]
    date_hierarchy = "referred_on"
    fields = [
        "case",
        "referral_type",
        "reason",
        "referred_on",
        "outcome",
        "outcome_on",
        "htcds_organisation_type",
        "htcds_reason",
        "created_by",
        "created_at",
    ]
    readonly_fields = [
        "case",
        "htcds_organisation_type",
        "htcds_reason",
        "created_by",
        "created_at",
    ]

    @admin.display(description=_("HTCDS organisation type"))
    def htcds_organisation_type(self, obj: Referral) -> str:
        return HTCDS_REFERRED_ORGANISATION_TYPE.get(obj.referral_type, "") or "-"

    @admin.display(description=_("HTCDS reason for referral"))
    def htcds_reason(self, obj: Referral) -> str:
        return HTCDS_REFERRAL_REASON.get(obj.reason, "")


def _events_about(queryset: QuerySet, ids: tuple[str, ...]) -> QuerySet:
    """Events about a record, and for a case id also the events recorded under that case."""
    case_ids = [i for i in ids if "-" in i]  # registry.search gives UUIDs in their dashed form
    return queryset.filter(Q(object_id__in=ids) | Q(case_id__in=case_ids))


@admin.register(AuditEvent)
class AuditEventAdmin(PostedSearchMixin, GatedAdminMixin, admin.ModelAdmin):
    """Read-only: the trail cannot be changed or deleted from any screen."""

    gate = staticmethod(access.may_read_audit)

    list_display = ["at", "actor", "action", "record", "object_id"]
    # Codes in words of the reader's language (registry/audit_details.py), not as stored.
    exclude = ["object_type", "details"]
    readonly_fields = ["record", "details_in_words"]
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

    @admin.display(description=_("record"))
    def record(self, event: AuditEvent) -> str:
        return audit_details.record_type(event.object_type)

    @admin.display(description=_("details"))
    def details_in_words(self, event: AuditEvent) -> str:
        shown = audit_details.describe(event, audit_details.region_names())
        return "; ".join(f"{d.label}: {d.value}" for d in shown) or "—"

    def get_object(self, request: HttpRequest, object_id: str, from_field: Any = None) -> Any:
        # Staff who may not read the trail get 403 on every page of it, not a redirect.
        if not access.may_read_audit(request.user):
            raise PermissionDenied
        obj = super().get_object(request, object_id, from_field)
        if obj is None:
            raise Http404
        return obj
