"""Staff intake: the form in steps, a summary with possible duplicates, the confirmation.

The typed values travel between the steps in the POST body (hidden inputs on the summary
page), never in the session: sessions are stored in the database unencrypted.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from intake import rendering, routing, services
from intake.forms import PERSONAL_FORM_FIELDS, StaffRegistrationForm, legal_duty_codes
from registry import access, once, registering
from registry.access import may_register, requires
from registry.models import Case, FormOfExploitation, Registration

STEP_REVIEW = "review"
STEP_EDIT = "edit"
STEP_SAVE = "save"


def summary(form: StaffRegistrationForm) -> list[dict[str, Any]]:
    """(label, shown value, personal?) per filled-in field, for the check before saving."""
    rows = []
    for name, field in form.fields.items():
        value = form.cleaned_data.get(name)
        if value in (None, "", [], False):
            continue
        bound = form[name]
        if hasattr(field, "choices") and not hasattr(field, "queryset"):
            labels = dict(field.choices)
            values = value if isinstance(value, list) else [value]
            shown = ", ".join(str(labels.get(v, v)) for v in values)
        elif value is True:
            shown = _("yes")
        elif isinstance(value, datetime.date):
            shown = date_format(value)  # the one date format of the language (docs/i18n.md)
        else:
            shown = str(value)
        rows.append(
            {"label": bound.label, "value": shown, "personal": name in PERSONAL_FORM_FIELDS}
        )
    return rows


def _form_page(request: HttpRequest, form: StaffRegistrationForm) -> HttpResponse:
    return render(
        request,
        "intake/register.html",
        {
            "form": form,
            "form_html": rendering.kept_form_html(form),
            "legal_duty_codes": legal_duty_codes(),
        },
    )


def _review_page(
    request: HttpRequest,
    form: StaffRegistrationForm,
    matches: list,
    choice_error: str = "",
    once_error: str = "",
) -> HttpResponse:
    return render(
        request,
        "intake/review.html",
        {
            "form": form,
            "outcome": form.outcome,
            "rows": summary(form),
            "matches": matches,
            "choice_error": choice_error,
            "once_error": once_error,
            "chosen": request.POST.get("person_choice", ""),
        },
    )


@requires(may_register)
@require_http_methods(["GET", "POST"])
def register(request: HttpRequest) -> HttpResponse:
    """Staff intake: form (steps 1-5), check with duplicates (6), save, confirmation."""
    if request.method == "GET":
        return _form_page(request, StaffRegistrationForm())
    form = StaffRegistrationForm(request.POST)
    step = request.POST.get("step", STEP_REVIEW)
    if not form.is_valid() or step == STEP_EDIT:
        return _form_page(request, form)
    # Worked out once: the same indexes find the matches and are stored on a new person.
    indexes = services.typed_indexes(form.cleaned_data, form.outcome)
    matches = services.possible_matches(request.user, indexes)
    if step != STEP_SAVE:
        return _review_page(request, form, matches)

    choice = request.POST.get("person_choice", "")
    link_to = None
    if matches:
        by_pk = {str(m.person.pk): m.person for m in matches}
        if choice != services.NEW_PERSON and choice not in by_pk:
            return _review_page(
                request,
                form,
                matches,
                _("Choose one of the possible matches, or confirm that this is a new person."),
            )
        link_to = by_pk.get(choice)

    def save() -> str:
        saved = services.register(
            request.user,
            form.cleaned_data,
            form.outcome,
            link_to=link_to,
            matches_shown=len(matches),
            indexes=indexes,
        )
        messages.success(
            request,
            _("Registration %(number)s has been saved.") % {"number": saved.registration.number},
        )
        return reverse("intake:registered", kwargs={"pk": saved.registration.pk})

    # A double click or a retried POST saves once and shows the first save's confirmation.
    spent = once.save_once(request, save)
    if spent.refused:
        return _review_page(request, form, matches, once_error=spent.refused)
    return redirect(spent.result_url)


@requires(may_register)
def registered(request: HttpRequest, pk: Any) -> HttpResponse:
    """The confirmation after saving: number, urgency, who received the case and what the
    user can do next. No personal value.

    A case the user may not open (saved into a region whose coordinator holds it) gets no
    link, which would be a 404: the page says which region and whom it went to instead.
    """
    registration = get_object_or_404(Registration.objects.select_related("region", "person"), pk=pk)
    if not access.may_open_confirmation(request.user, registration):
        raise Http404
    case = registration.cases.select_related("coordinator", "region").first()
    if case is None:
        # A repeat registration joins the person's open case of the region.
        case = (
            registration.person.cases.filter(region=registration.region)
            .select_related("coordinator", "region")
            .first()
        )
    # Guardianship does not wait for consent to care: without a case, the residence status
    # typed at intake decides.
    nidos = registering.needs_nidos(
        registration.is_minor,
        registration.unaccompanied_minor,
        case.residence_status if case is not None else registration.residence_status,
    )
    opened = case is not None and case.registration_id == registration.pk
    return render(
        request,
        "intake/registered.html",
        {
            "registration": registration,
            "case": case,
            "case_opened": opened,
            "coordinator_notified": opened and routing.is_notified(case),
            "nidos": nidos,
            "anonymous": registration.person.is_anonymous,
            "may_open_case": case is not None
            and Case.objects.for_user(request.user).filter(pk=case.pk).exists(),
            "exploitation_forms": [
                FormOfExploitation.Code(c).label
                for c in registration.exploitation_forms.values_list("code", flat=True)
            ],
        },
    )
