"""Reporter submissions. A reporter never reads a personal value back, not even their own.

The form, a check page with every answer (each can be changed), then the send; the receipt
shows the reference and a copy of what was sent in which the person's fields say only
whether they were given. Every page after the send renders numbers, dates, statuses and the
report's clear facts; the querysets load no encrypted column (``only``, and ``isnull`` for
"given"), so nothing personal is even decrypted.
"""

from __future__ import annotations

import datetime
from typing import Any

from django import forms
from django.contrib import messages
from django.db.models import ExpressionWrapper, Q
from django.db.models import fields as model_fields
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from intake import drafts, services
from intake.forms import (
    PERSONAL_FORM_FIELDS,
    AddInformationForm,
    ReporterSubmissionForm,
    legal_duty_codes,
)
from intake.views.common import number_searched_list
from registry import once
from registry.access import may_submit, requires
from registry.models import Person, Registration, SubmissionAddition

# What a reporter may see of their own submissions.
REPORTER_COLUMNS = ("id", "number", "registered_on", "status", "immediate_danger", "is_minor")
SORTS = {
    "number": "number",
    "-number": "-number",
    "date": "registered_on",
    "-date": "-registered_on",
}
# The steps of the reporter's form, as its buttons post them.
CHECK, CHANGE, SEND = "check", "change", "send"

GIVEN = gettext_lazy("given")
NOT_GIVEN = gettext_lazy("not given")


def _own_submissions(request: HttpRequest) -> Any:
    return Registration.objects.for_user(request.user).only(*REPORTER_COLUMNS)


def _display(field: forms.Field, value: Any) -> str:
    """An answer as the reporter chose it: a choice's label, yes or no, a date, a name."""
    if isinstance(field, forms.BooleanField):
        return _("Yes") if value else _("No")
    if value in (None, "", [], ()):
        return "—"
    if isinstance(field, forms.MultipleChoiceField):
        labels = dict(field.choices)
        return ", ".join(str(labels.get(v, v)) for v in value)
    if isinstance(field, forms.ChoiceField) and not isinstance(field, forms.ModelChoiceField):
        return str(dict(field.choices).get(value, value))
    if isinstance(value, datetime.date):
        from django.utils.formats import date_format

        return date_format(value)
    return str(value)


def check_rows(form: ReporterSubmissionForm) -> list[dict[str, Any]]:
    """Every answer of a valid form, in the form's order, each with the field to change it;
    after the municipality, the region the registry works out from it."""
    rows = []
    for name, field in form.fields.items():
        value = form.cleaned_data.get(name)
        rows.append(
            {
                "name": name,
                "label": field.label,
                "value": _display(field, value),
                "personal": name in PERSONAL_FORM_FIELDS,
            }
        )
        if name == "found_in_municipality":
            rows.append(
                {
                    "name": "",
                    "label": _("Care-coordination region (worked out from the municipality)"),
                    "value": str(form.cleaned_data.get("region") or "—"),
                    "personal": False,
                }
            )
    return rows


def _form_page(request: HttpRequest, form: ReporterSubmissionForm) -> HttpResponse:
    return render(
        request,
        "intake/submit.html",
        {
            "form": form,
            "organisation": request.user.organisation,
            "legal_duty_codes": legal_duty_codes(),
            "error_links": form.error_links() if form.is_bound else [],
        },
    )


@requires(may_submit)
@require_http_methods(["GET", "POST"])
def submit(request: HttpRequest) -> HttpResponse:
    """The reporter's form, its check page and the send; the submission waits in the help
    desk's triage queue.

    "Check" validates and shows every answer; "Change" shows the form again with the answers
    (the page opens at the field); "Send" validates again (the check page's hidden copy is
    input like any other) and saves once.
    """
    reporter_type = request.user.organisation.reporter_type
    step = request.POST.get("step", CHECK) if request.method == "POST" else ""
    form = ReporterSubmissionForm(request.POST or None, reporter_type=reporter_type)
    if request.method != "POST" or "change" in request.POST:
        # Back from the check page ("Change"): the form with the answers as they were.
        return _form_page(request, form)
    if not form.is_valid():
        return _form_page(request, form)
    if step == SEND:

        def save() -> str:
            drafts.form_saved(request.user, drafts.REPORTER)  # rolled back if the save fails
            registration = services.submit(request.user, form.cleaned_data, form.outcome)
            messages.success(
                request,
                _("Your report has been received under number %(number)s.")
                % {"number": registration.number},
            )
            return reverse("intake:submitted", kwargs={"pk": registration.pk})

        # A double click or a retried POST submits once and shows the first confirmation.
        done = once.saved_or_refused(request, form, save)
        if done:
            return done
        return _form_page(request, form)
    return render(
        request,
        "intake/submit_check.html",
        {"form": form, "rows": check_rows(form), "outcome": form.outcome},
    )


def receipt_copy(registration: Registration) -> dict[str, Any]:
    """A copy of what was sent: the report's facts with their values, the person's fields
    only as given or not (read as ``IS NULL`` in the database, never decrypted)."""
    person_fields = ("given_names", "family_name", "date_of_birth", "languages", "phone")
    row = (
        Person.objects.filter(pk=registration.person_id)
        .values(
            "is_anonymous",
            **{f"given_{n}": _is_given(n) for n in (*person_fields, "email", "year_of_birth")},
        )
        .get()
    )
    given = {name.removeprefix("given_"): bool(value) for name, value in row.items()}

    def person_row(label: Any, is_given: bool) -> dict[str, Any]:
        return {"label": label, "value": GIVEN if is_given else NOT_GIVEN, "given": is_given}

    def fact(label: Any, value: Any) -> dict[str, Any]:
        return {"label": label, "value": value if value not in (None, "") else "—"}

    facts = [
        fact(_("Is the person in immediate danger?"), _yes_no(registration.immediate_danger)),
        fact(
            _("Municipality where the person was found"),
            registration.found_in_municipality.name if registration.found_in_municipality else "",
        ),
        fact(_("Care-coordination region"), registration.region.name),
        fact(_("Forms of exploitation"), ", ".join(_forms_of(registration))),
        fact(_("Sector"), registration.get_sector_display()),
        fact(
            _("Country of exploitation"),
            registration.exploitation_country.name if registration.exploitation_country else "",
        ),
        fact(
            _("Municipality of exploitation"),
            registration.exploitation_municipality.name
            if registration.exploitation_municipality
            else "",
        ),
        fact(_("Written consent to registration"), _yes_no(registration.consent_registration)),
        fact(_("Consent to care coordination"), _yes_no(registration.consent_care)),
    ]
    person = [
        person_row(_("Given names"), given["given_names"]),
        person_row(_("Family name"), given["family_name"]),
        person_row(_("Date of birth or age"), given["date_of_birth"] or given["year_of_birth"]),
        person_row(_("Gender"), registration.person_gender not in ("", "unknown")),
        person_row(_("Nationality"), bool(registration.person_nationality)),
        person_row(_("Languages"), given["languages"]),
        person_row(_("Phone"), given["phone"]),
        person_row(_("E-mail"), given["email"]),
        person_row(_("Unaccompanied minor"), registration.unaccompanied_minor),
    ]
    return {"facts": facts, "person": person, "anonymous": given["is_anonymous"]}


def _is_given(name: str) -> Any:
    return ExpressionWrapper(Q(**{f"{name}__isnull": False}), model_fields.BooleanField())


def _yes_no(value: bool) -> str:
    return _("Yes") if value else _("No")


def _forms_of(registration: Registration) -> list[str]:
    return [str(f) for f in registration.exploitation_forms.all()]


@requires(may_submit)
def submitted(request: HttpRequest, pk: Any) -> HttpResponse:
    """The receipt of one submission: reference, status, what to do now, and a printable
    copy of what was sent without the person's values."""
    registration = get_object_or_404(
        Registration.objects.for_user(request.user)
        .select_related("region", "found_in_municipality", "exploitation_municipality")
        .defer("triage_note"),
        pk=pk,
    )
    copy = receipt_copy(registration)
    additions = SubmissionAddition.objects.filter(registration=registration).only(
        "id", "created_at", "registration_id"
    )
    return render(
        request,
        "intake/submitted.html",
        {"registration": registration, "copy": copy, "additions": additions},
    )


@requires(may_submit)
@require_http_methods(["GET", "POST"])
def add_information(request: HttpRequest) -> HttpResponse:
    """Information added to one of the reporter's own reports, found by its reference
    number. Another reporter's number is refused as one that does not exist."""
    initial = {"number": request.GET.get("number", "")[:20]}
    form = AddInformationForm(request.POST or None, initial=initial, user=request.user)
    if request.method == "POST" and form.is_valid():
        registration = form.cleaned_data["registration"]

        def save() -> str:
            SubmissionAddition.add(registration, request.user, form.cleaned_data["text"])
            messages.success(
                request,
                _(
                    "Your information was added to report %(number)s. The help desk reads "
                    "it with the report."
                )
                % {"number": registration.number},
            )
            return reverse("intake:submitted", kwargs={"pk": registration.pk})

        done = once.saved_or_refused(request, form, save)
        if done:
            return done
    return render(request, "intake/add_information.html", {"form": form})


@requires(may_submit)
@require_http_methods(["GET", "POST"])
def my_submissions(request: HttpRequest) -> HttpResponse:
    """The reporter's reference numbers and their status, searchable by number."""
    sort = request.GET.get("sort", "-date")
    submissions = _own_submissions(request).order_by(SORTS.get(sort, "-registered_on"), "-number")
    return number_searched_list(
        request,
        submissions,
        screen="my_submissions",
        template="intake/my_submissions.html",
        sort=sort,
    )
