"""The help desk's triage queue of reporter submissions: accept, merge, reject."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from intake import services
from intake.forms import TriageForm
from intake.views.common import number_searched_list
from registry import once
from registry.access import may_triage, requires
from registry.choices import AuditAction, SubmissionStatus
from registry.models import AuditEvent, Registration, SubmissionAddition

# The decisions as the triage audit event names them (intake.services), as a user reads them.
DECISIONS = {
    "accepted": gettext_lazy("accepted"),
    "merged": gettext_lazy("merged"),
    "rejected": gettext_lazy("rejected"),
}
SORTS = {"date": "registered_on", "-date": "-registered_on", "number": "number"}


def _get_submission_for_user(request: HttpRequest, pk: Any) -> Registration:
    queryset = (
        Registration.objects.for_user(request.user)
        .filter(status=SubmissionStatus.SUBMITTED)
        .select_related("region", "organisation", "person", "submitted_by", "found_in_municipality")
    )
    return get_object_or_404(queryset, pk=pk)


def _already_decided(request: HttpRequest, pk: Any) -> HttpResponse | None:
    """Told, on the queue, that another decision came first (locked: see registry.once)."""
    once.lock_for_decision(Registration, pk)
    earlier = AuditEvent.objects.filter(action=AuditAction.TRIAGE, object_id=str(pk)).first()
    if earlier is None:
        return None
    messages.warning(
        request,
        _("This submission was already decided (%(decision)s) by %(user)s; nothing was changed.")
        % {"decision": DECISIONS.get(earlier.details.get("decision"), "?"), "user": earlier.actor},
    )
    return redirect("intake:triage")


@requires(may_triage)
@require_http_methods(["GET", "POST"])
def triage(request: HttpRequest) -> HttpResponse:
    """Submissions awaiting triage; urgent ones (immediate danger, minors) first."""
    sort = request.GET.get("sort", "date")
    queue = (
        Registration.objects.for_user(request.user)
        .awaiting_triage()
        .select_related("region", "organisation")
        .order_by("-immediate_danger", "-is_minor", SORTS.get(sort, "registered_on"), "number")
    )
    return number_searched_list(
        request, queue, screen="triage", template="intake/triage_list.html", sort=sort
    )


@requires(may_triage)
@require_http_methods(["GET", "POST"])
def triage_detail(request: HttpRequest, pk: Any) -> HttpResponse:
    """One submission with its possible duplicates and the decision form."""
    if request.method == "POST" and (told := _already_decided(request, pk)):
        return told
    registration = _get_submission_for_user(request, pk)
    matches = services.submission_matches(request.user, registration)
    choices = [(str(m.person.pk), m.person.reference) for m in matches]
    form = TriageForm(request.POST or None, match_choices=choices)
    if request.method == "POST" and form.is_valid():

        def save() -> str:
            action = form.cleaned_data["action"]
            if action == TriageForm.Action.ACCEPT:
                case = services.accept(request.user, registration)
                text = _("Submission %(number)s accepted and routed.")
            elif action == TriageForm.Action.MERGE:
                target = next(
                    m.person for m in matches if str(m.person.pk) == form.cleaned_data["merge_with"]
                )
                case = services.merge(request.user, registration, target)
                text = _("Submission %(number)s merged with person %(ref)s and routed.")
            else:
                services.reject(request.user, registration, form.cleaned_data["reason"])
                case, text = None, _("Submission %(number)s rejected.")
            if case is None and action != TriageForm.Action.REJECT:
                text = _(
                    "Submission %(number)s accepted and counted. No case was opened and nobody "
                    "was notified: the person did not consent to care."
                )
            messages.success(
                request,
                text % {"number": registration.number, "ref": registration.person.reference},
            )
            return reverse("intake:triage")

        done = once.saved_or_refused(request, form, save)
        if done:
            return done
    if request.method == "GET":
        # The help desk reads the submitted personal data here: that is a view to audit.
        AuditEvent.record(
            AuditAction.VIEW_PERSONAL,
            user=request.user,
            obj=registration.person,
            details={"screen": "triage", "registration": registration.number},
        )
    return render(
        request,
        "intake/triage_detail.html",
        {
            "registration": registration,
            "person": registration.person,
            "matches": matches,
            "form": form,
            "exploitation_forms": registration.exploitation_forms.all(),
            # What the reporter added after sending (by its reference), oldest first.
            "additions": SubmissionAddition.objects.for_user(request.user)
            .filter(registration=registration)
            .select_related("author"),
        },
    )
