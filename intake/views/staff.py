"""Staff intake: the form in steps, a check page with possible duplicates, the confirmation.

The server shows one step at a time and checks, on every POST, each step before the one a
button goes to (docs/intake.md, "The staff form"). The typed values travel between the steps
in the POST body (the steps not shown are in the page, hidden; the check page carries them as
hidden inputs), never in the session: sessions are stored in the database unencrypted.
"""

from __future__ import annotations

import datetime
import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from intake import drafts, rendering, routing, services
from intake.forms import PERSONAL_FORM_FIELDS, StaffRegistrationForm, legal_duty_codes
from registry import access, once, registering
from registry.access import may_register, requires
from registry.models import Case, FormOfExploitation, Registration

STEP_REVIEW = "review"
STEP_EDIT = "edit"
STEP_SAVE = "save"
CHECK = StaffRegistrationForm.CHECK_STEP
LAST_STEP = CHECK - 1


@dataclass(frozen=True)
class Move:
    """Where a POST of the staff form asks to go, read from the button pressed.

    ``step`` is the pressed button's value: a step ("1" to "5"), "review" (the check page),
    "save", or "edit" (the check page's "Back": the last step). A POST without it (an old
    client, a script) goes to the check, as before the steps were the server's. ``change`` is
    the field whose "Change" button the check page sent, ``change_step`` the step of an "Add
    or change": that step, then back to the check (``back_to_check``, kept by the step's
    page until the check is reached).
    ``reached`` is the furthest step the user has seen, for the step list's buttons only:
    a hint the browser sends back, never trusted, since going anywhere checks every step
    before it.
    """

    target: int
    save: bool = False
    change: str = ""
    back_to_check: bool = False
    reached: int = 1

    @classmethod
    def read(cls, post: Mapping[str, str]) -> Move:
        value = post.get("step", STEP_REVIEW)
        change = post.get("change", "")
        if change not in StaffRegistrationForm.field_steps():
            change = ""
        change_step = STEP_VALUES.get(post.get("change_step", ""), 0)
        if change_step == CHECK:
            change_step = 0
        if change:
            target = StaffRegistrationForm.step_of(change)
        elif change_step:
            target = change_step
        elif value == STEP_EDIT:
            target = LAST_STEP
        elif value in STEP_VALUES:
            target = STEP_VALUES[value]
        else:  # "review", "save", or anything else: the check, which checks everything
            target = CHECK
        reached = STEP_VALUES.get(post.get("reached", ""), 1)
        return cls(
            target=target,
            save=value == STEP_SAVE and not change and not change_step,
            change=change,
            back_to_check=bool(change or change_step) or post.get("back_to_check") == "1",
            reached=reached,
        )


# The values a step button may send ("1" to "6"), ASCII digits only.
STEP_VALUES = {str(n): n for n in range(1, CHECK + 1)}


def step_value(number: int) -> str:
    """The value of the button that goes to step ``number`` (the check: "review")."""
    return STEP_REVIEW if number == CHECK else str(number)


def step_list(shown: int, reached: int, with_errors: list[int]) -> list[dict[str, Any]]:
    """The step list: every step, the one shown current, the ones reached buttons."""
    return [
        {
            **item,
            "value": step_value(item["number"]),
            "current": item["number"] == shown,
            "reachable": item["number"] <= reached,
            "has_errors": item["number"] in with_errors,
        }
        for item in StaffRegistrationForm.step_list()
    ]


def summary(form: StaffRegistrationForm) -> list[dict[str, Any]]:
    """The check page's answers by step: per step its title and, per filled-in field, the
    field's name (for its "Change" button), label, shown value and whether it is personal."""
    steps: dict[int, list[dict[str, Any]]] = {n: [] for n in range(1, CHECK)}
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
        steps[form.step_of(name)].append(
            {
                "name": name,
                "label": bound.label,
                "value": shown,
                "personal": name in PERSONAL_FORM_FIELDS,
            }
        )
    return [
        {"number": n, "title": StaffRegistrationForm.STEP_TITLES[n - 1], "rows": rows}
        for n, rows in steps.items()
    ]


def _form_page(
    request: HttpRequest,
    form: StaffRegistrationForm,
    *,
    step: int = 1,
    reached: int = 1,
    back_to_check: bool = False,
    focus: str = "",
) -> HttpResponse:
    with_errors = form.steps_with_errors() if form.is_bound else []
    error_links = form.error_links(step) if form.is_bound else []
    # With errors the summary takes the focus; else the step's heading or a changed field.
    form.show_step(step, focus="" if error_links else focus)
    reached = max(reached, step)
    if back_to_check:
        next_value, next_label = STEP_REVIEW, _("Return to the check")
    elif step == LAST_STEP:
        next_value, next_label = STEP_REVIEW, _("Check before saving")
    else:
        next_value, next_label = step_value(step + 1), _("Next")
    return render(
        request,
        "intake/register.html",
        {
            "form": form,
            "form_html": rendering.kept_form_html(form),
            "legal_duty_codes": legal_duty_codes(),
            "step": step,
            "step_title": form.step_title(step),
            "steps": step_list(step, reached, with_errors),
            "reached": reached,
            "back_to_check": back_to_check,
            "error_links": error_links,
            "next_value": next_value,
            "next_label": next_label,
            "back_value": step_value(step - 1) if step > 1 else "",
        },
    )


def _review_page(
    request: HttpRequest,
    form: StaffRegistrationForm,
    matches: list,
    choice_error: str = "",
    once_error: str = "",
) -> HttpResponse:
    error_links = []
    if choice_error:
        anchor = f"choice-{matches[0].person.pk}" if matches else "choice-new"
        error_links.append({"anchor": anchor, "label": "", "message": choice_error})
    if once_error:
        error_links.append({"anchor": "save", "label": "", "message": once_error})
    return render(
        request,
        "intake/review.html",
        {
            "form": form,
            "outcome": form.outcome,
            "answers": summary(form),
            "matches": matches,
            "choice_error": choice_error,
            "once_error": once_error,
            "error_links": error_links,
            "step_title": form.step_title(CHECK),
            "steps": step_list(CHECK, CHECK, []),
            "reached": CHECK,
            "chosen": request.POST.get("person_choice", ""),
        },
    )


@requires(may_register)
@require_http_methods(["GET", "POST"])
def register(request: HttpRequest) -> HttpResponse:
    """Staff intake: the steps 1-5 one at a time, each "Next" checked on the server; the
    check with duplicates (6); save; confirmation.

    Every POST carries the whole form and is validated whole (the save's validation,
    ``registering.check`` through the form); a move to step N keeps the errors of the steps
    before N and stops at the first step that has any. So no step is passed unchecked,
    whatever the browser sends.
    """
    if request.method == "GET":
        return _form_page(request, StaffRegistrationForm())
    form = StaffRegistrationForm(request.POST)
    move = Move.read(request.POST)
    form.is_valid()
    if move.target < CHECK:
        form.forget_errors_from(move.target)
    failing = form.steps_with_errors()
    if failing:
        return _form_page(
            request,
            form,
            step=min(failing[0], LAST_STEP),
            reached=move.reached,
            back_to_check=move.back_to_check,
        )
    if move.target < CHECK:
        return _form_page(
            request,
            form,
            step=move.target,
            reached=move.reached,
            back_to_check=move.back_to_check,
            focus=move.change or "heading",
        )
    # Worked out once: the same indexes find the matches and are stored on a new person.
    indexes = services.typed_indexes(form.cleaned_data, form.outcome)
    matches = services.possible_matches(request.user, indexes)
    if not move.save:
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

    # The registration's id is chosen now, so the one-time token is spent with its result
    # already named (one statement fewer on every save than naming it afterwards).
    registration_id = uuid.uuid4()
    result_url = reverse("intake:registered", kwargs={"pk": registration_id})

    def save() -> str:
        saved = services.register(
            request.user,
            form.cleaned_data,
            form.outcome,
            link_to=link_to,
            matches_shown=len(matches),
            indexes=indexes,
            registration_id=registration_id,
        )
        messages.success(
            request,
            _("Registration %(number)s has been saved.") % {"number": saved.registration.number},
        )
        return result_url

    # A double click or a retried POST saves once and shows the first save's confirmation.
    # The draft is deleted by the token's claim (in its statement on PostgreSQL): first, so
    # the row locks the save takes last are not held any longer for it, and only when this
    # POST saves; a save that fails rolls the deletion back with it.
    spent = once.save_once(
        request,
        save,
        result_url=result_url,
        with_claim=[drafts.saved_statement(request.user, drafts.STAFF)],
    )
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
