"""Consent to care recorded after the registration was saved (DESIGN.md, "Consent and
minors": care coordination needs its own consent). Given, it opens and routes the case;
withdrawn, it closes the person's cases. The rules are the registry's (registry.casework)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from intake import services
from intake.forms import CareConsentForm
from registry import casework, once
from registry.access import may_register, requires
from registry.choices import COUNTED_STATUSES, CareConsent
from registry.models import Case, Person, Registration


def _get_registration_for_user(request: HttpRequest, pk: Any) -> Registration:
    """A registration ``request.user`` may see, accepted or merged (a submission awaiting
    triage is decided there); 404 otherwise, so another region's registration is not revealed."""
    return get_object_or_404(
        Registration.objects.for_user(request.user)
        .filter(status__in=COUNTED_STATUSES)
        .select_related("region", "person"),
        pk=pk,
    )


def _after(request: HttpRequest, registration: Registration, case: Case | None) -> str:
    """The case if the user may open it, else the person, else this page again."""
    user = request.user
    if case is not None and Case.objects.for_user(user).filter(pk=case.pk).exists():
        return case.get_absolute_url()
    if Person.objects.for_user(user).filter(pk=registration.person_id).exists():
        return registration.person.get_absolute_url()
    return reverse("intake:care_consent", args=[registration.pk])


@requires(may_register)
@require_http_methods(["GET", "POST"])
def care_consent(request: HttpRequest, pk: Any) -> HttpResponse:
    """Record that the person of ``pk`` gave or withdrew consent to care."""
    registration = _get_registration_for_user(request, pk)
    form = CareConsentForm(request.POST or None)
    if request.method == "POST":
        if form.is_valid():

            def save() -> str:
                user = request.user
                if form.cleaned_data["consent"] == CareConsent.GIVEN:
                    case, opened = services.give_care_consent(user, registration)
                    if opened:
                        text = _("Consent to care recorded: a case was opened and routed.")
                    else:
                        text = _("Consent to care recorded; the person's open case continues.")
                else:
                    closed = casework.withdraw_care_consent(registration, user)
                    case = closed[0] if closed else None
                    text = _(
                        "Withdrawal of consent recorded: %(count)d open case(s) closed and the "
                        "personal data hidden from the coordinator."
                    ) % {"count": len(closed)}
                messages.success(request, text)
                return _after(request, registration, case)

            done = once.saved_or_refused(request, form, save)
            if done:
                return done
        messages.error(request, _("Nothing was saved: please correct the marked fields."))
    open_cases = Case.objects.open().filter(person_id=registration.person_id).count()
    return render(
        request,
        "intake/care_consent.html",
        {"registration": registration, "form": form, "open_cases": open_cases},
    )
