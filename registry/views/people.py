"""The person in the workspace: every field of the person, corrected in place by whoever holds
an open case of the person (``access.may_edit_person``)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django_countries.fields import Country

from registry import access, once
from registry.access import requires, signed_in
from registry.choices import AuditAction
from registry.forms import PersonForm
from registry.models import AuditEvent, Case, Person, Registration


def _get_person_for_user(request: HttpRequest, pk: object) -> Person:
    """The person if this user may see them, else 404 (never 403: existence is not revealed)."""
    return get_object_or_404(Person.objects.for_user(request.user), pk=pk)


def _viewed(request: HttpRequest, person: Person, screen: str, case: Case | None = None) -> None:
    AuditEvent.record(
        AuditAction.VIEW_PERSONAL,
        user=request.user,
        obj=person,
        case=case,
        details={"screen": screen},
    )


@requires(signed_in)
def person_detail(request: HttpRequest, pk: object) -> HttpResponse:
    """Every field of the person (an audited view of personal data), their cases and
    registrations as far as the user may see them, and a link to correct them."""
    person = _get_person_for_user(request, pk)
    user = request.user
    held = access.case_held_for_person(user, person)
    _viewed(request, person, "person_detail", held)
    cases = (
        Case.objects.for_user(user).filter(person=person).select_related("region", "coordinator")
    )
    registrations = (
        Registration.objects.for_user(user)
        .filter(person=person)
        .select_related("region")
        .order_by("-registered_on", "-number")
    )
    return render(
        request,
        "registry/person_detail.html",
        {
            "person": person,
            "age": person.age_on(timezone.localdate()),
            "cases": cases,
            "registrations": registrations,
            "held_case": held,
            "may_edit": access.may_edit_person(user, person),
            "document_country_name": Country(person.id_document_country or "").name
            if not person.is_anonymous
            else "",
        },
    )


@requires(signed_in)
def person_edit(request: HttpRequest, pk: object) -> HttpResponse:
    """Correct the person: the intake's fields and rules; an audit event names the fields
    changed, never their values. Only whoever holds an open case of the person (403 for the
    others who may see them; 404 for anyone who may not)."""
    person = _get_person_for_user(request, pk)
    held = access.case_held_for_person(request.user, person)
    if held is None or not access.may_edit_person(request.user, person):
        raise PermissionDenied
    form = PersonForm(request.POST or None, instance=person)
    if request.method == "POST":
        if form.is_valid():

            def save() -> str:
                saved = form.save()
                changed = sorted(form.changed_data)
                if changed:
                    AuditEvent.record(
                        AuditAction.CHANGE,
                        user=request.user,
                        obj=saved,
                        case=held,
                        details={"fields": changed, "screen": "person_edit"},
                    )
                    messages.success(request, _("The person's details have been saved."))
                else:
                    messages.info(request, _("Nothing was changed."))
                return saved.get_absolute_url()

            done = once.saved_or_refused(request, form, save)
            if done:
                return done
        messages.error(request, _("Nothing was saved: please correct the marked fields."))
    else:
        _viewed(request, person, "person_edit", held)
    return render(
        request, "registry/person_edit.html", {"person": person, "form": form, "held_case": held}
    )
