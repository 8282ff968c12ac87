"""Residence procedures and referrals of a case (issue 14), and the page of cases whose
procedures or Nidos referral need attention.

Who may record: whoever holds the case (``access.holds_case``): its coordinator, or the help
desk for a case it coordinates. Everyone who may see the case reads them on the case page.
"""

from __future__ import annotations

from dataclasses import dataclass

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from registry import access, care, once
from registry.access import may_work_cases, requires
from registry.care_forms import ProcedureForm, ReferralForm, ReferralOutcomeForm
from registry.choices import ProcedureKind
from registry.models import Case, Referral, ResidenceProcedure
from registry.views.cases import _get_case_for_user
from registry.views.lists import PAGE_SIZE


def _held_case(request: HttpRequest, pk: object) -> Case:
    """The case if the user may see it (else 404) and holds it (else 403)."""
    case = _get_case_for_user(request, pk)
    if not access.holds_case(request.user, case):
        raise PermissionDenied
    return case


@dataclass(frozen=True)
class _Page:
    """What one care form's page says: its title, its button, the message on success and
    where on the case page to go back to."""

    title: str
    action: str
    saved: str
    anchor: str
    screen: str


def _care_form(
    request: HttpRequest, case: Case, form: forms.ModelForm, page: _Page
) -> HttpResponse:
    """The one flow of every care form: a GET shows it; a valid POST records the instance
    (``record``: save and audit) once, by its token, and goes back to the case; anything else
    shows the form again with what was typed and why it was refused."""
    if request.method == "POST":
        if form.is_valid():

            def save() -> str:
                form.instance.record(request.user, form.changed_data, page.screen)
                messages.success(request, page.saved)
                return case.get_absolute_url() + page.anchor

            done = once.saved_or_refused(request, form, save)
            if done:
                return done
        messages.error(request, _("Nothing was saved: please correct the marked fields."))
    return render(
        request,
        "registry/care_form.html",
        {"case": case, "form": form, "title": page.title, "action": page.action},
        status=400 if form.is_bound and form.errors else 200,
    )


@requires(may_work_cases)
def procedure_edit(request: HttpRequest, pk: object, kind: str) -> HttpResponse:
    """Record or update one residence procedure of the case (one per kind)."""
    if kind not in ProcedureKind.values:
        raise Http404
    case = _held_case(request, pk)
    procedure = ResidenceProcedure.objects.filter(case=case, kind=kind).first()
    if procedure is None:
        procedure = ResidenceProcedure(case=case, kind=kind)
    title = _("%(procedure)s of %(case)s") % {
        "procedure": capfirst(ProcedureKind(kind).label),
        "case": case,
    }
    form = ProcedureForm(request.POST or None, instance=procedure, kind=kind)
    page = _Page(
        title, _("Save"), _("The procedure has been saved."), "#procedures", "procedure_edit"
    )
    return _care_form(request, case, form, page)


@requires(may_work_cases)
def referral_add(request: HttpRequest, pk: object) -> HttpResponse:
    """Refer the case to an organisation; the outcome starts as pending."""
    case = _held_case(request, pk)
    form = ReferralForm(request.POST or None, instance=Referral(case=case))
    page = _Page(
        _("Refer %(case)s") % {"case": case},
        _("Record referral"),
        _("The referral has been recorded."),
        "#referrals",
        "referral_add",
    )
    return _care_form(request, case, form, page)


@requires(may_work_cases)
def referral_outcome(request: HttpRequest, pk: object) -> HttpResponse:
    """Record whether the organisation accepted or refused the referral, and when."""
    referral = get_object_or_404(
        Referral.objects.for_user(request.user).select_related("case"), pk=pk
    )
    case = _held_case(request, referral.case_id)
    form = ReferralOutcomeForm(request.POST or None, instance=referral)
    page = _Page(
        _("Outcome of the referral to %(to)s") % {"to": referral.get_referral_type_display()},
        _("Save"),
        _("The outcome of the referral has been saved."),
        "#referrals",
        "referral_outcome",
    )
    return _care_form(request, case, form, page)


@requires(may_work_cases)
def care_due(request: HttpRequest) -> HttpResponse:
    """The cases behind the dashboard's procedure and Nidos counts, soonest first."""
    kind = request.GET.get("kind", "")
    if kind not in care.ALL_KINDS:
        kind = ""
    found = care.due_cases(request.user, timezone.localdate(), kind)
    page = Paginator(found, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "registry/care_due.html",
        {"page": page, "kind": kind, "kinds": care.FILTERS, "query": f"kind={kind}"},
    )
