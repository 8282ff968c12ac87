"""Handovers of cases between regions: request, accept or reject, withdraw."""

from __future__ import annotations

import uuid

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from registry import access, casework, once
from registry.access import may_work_cases, requires, signed_in
from registry.choices import HandoverStatus
from registry.forms import HandoverDecisionForm, HandoverRequestForm
from registry.models import Case, Handover, User
from registry.views import lists
from registry.views.cases import _get_case_for_user


def _get_handover_for_user(request: HttpRequest, pk: uuid.UUID) -> Handover:
    return get_object_or_404(
        Handover.objects.for_user(request.user).select_related(
            "case__person",
            "case__registration",
            "from_region",
            "to_region",
            "requested_by",
            "decided_by",
        ),
        pk=pk,
    )


def _detail_page(
    request: HttpRequest, handover: Handover, form: HandoverDecisionForm
) -> HttpResponse:
    """The handover's page. While it waits for a decision, both sides read the case's
    profile (casework.case_profile: nothing that identifies the person); once decided, the
    page is the record of the decision and the profile goes with the case."""
    user = request.user
    pending = handover.status == HandoverStatus.PENDING
    may_decide = casework.may_decide(handover, user)
    return render(
        request,
        "registry/handover_detail.html",
        {
            "handover": handover,
            "form": form,
            "profile": casework.case_profile(handover.case) if pending else None,
            "may_decide": may_decide,
            "accepting_takes_case": may_decide and casework.accepting_takes_case(handover, user),
            "may_withdraw": casework.may_withdraw(handover, user),
            "may_open_case": Case.objects.for_user(user).filter(pk=handover.case_id).exists(),
        },
    )


@requires(signed_in)
def handover_request(request: HttpRequest, pk: object) -> HttpResponse:
    """Ask another region to take over this case."""
    case = _get_case_for_user(request, pk)
    form = HandoverRequestForm(request.POST or None, case=case)
    if request.method == "POST" and form.is_valid():

        def save() -> str:
            casework.request_handover(
                case, form.cleaned_data["to_region"], form.cleaned_data["reason"], request.user
            )
            messages.success(
                request,
                _("Handover to %(region)s requested; the case stays with you until it is accepted.")
                % {"region": form.cleaned_data["to_region"]},
            )
            return case.get_absolute_url()

        done = once.saved_or_refused(request, form, save, errors=(casework.HandoverError,))
        if done:
            return done
    return render(request, "registry/handover_request.html", {"case": case, "form": form})


@requires(may_work_cases)
def handover_list(request: HttpRequest) -> HttpResponse:
    """Handovers waiting for this user's side, and the ones this user's side asked for.

    A row names the person (name, age, gender, nationality, exploitation, owner) only where
    the user may see them (``access.people_shown``): the receiving side before accepting and
    the sending side after see the handover, not the person. One audit event records the page.
    """
    user = request.user
    related = ("case__person", "case__registration", "case__coordinator")
    incoming = casework.handovers_to_decide(user).select_related(*related)
    visible = Handover.objects.for_user(user).select_related(
        "case", "from_region", "to_region", *related
    )
    outgoing = visible.filter(
        status=HandoverStatus.PENDING, case__in=Case.objects.for_user(user).values("pk")
    )
    recent = visible.exclude(status=HandoverStatus.PENDING)[:20]
    tables = [
        list(qs.prefetch_related("case__registration__exploitation_forms"))
        for qs in (incoming, outgoing, recent)
    ]
    handovers = [handover for table in tables for handover in table]
    shown = access.people_shown(user, {handover.case.person_id for handover in handovers})
    today = timezone.localdate()
    rows = [
        list(zip(table, lists.rows_for([h.case for h in table], shown, today, user), strict=True))
        for table in tables
    ]
    lists.record_list_view(user, "handover_list", [row for table in rows for _h, row in table])
    return render(
        request,
        "registry/handover_list.html",
        {"incoming": rows[0], "outgoing": rows[1], "recent": rows[2]},
    )


@requires(signed_in)
def handover_detail(request: HttpRequest, pk: uuid.UUID) -> HttpResponse:
    """What the receiving side needs to decide: regions, reason, dates and the case's profile
    (age band, gender, nationality, exploitation, flags, shelter, deadlines). Nothing that
    identifies the person."""
    return _detail_page(request, _get_handover_for_user(request, pk), HandoverDecisionForm())


@requires(signed_in)
@require_POST
def handover_decide(request: HttpRequest, pk: uuid.UUID) -> HttpResponse:
    handover = _get_handover_for_user(request, pk)
    form = HandoverDecisionForm(request.POST)
    if form.is_valid():
        accept = form.cleaned_data["decision"] == "accept"

        def save() -> str:
            casework.decide_handover(handover, request.user, accept, form.cleaned_data["note"])
            if not accept:
                messages.success(request, _("Handover rejected; the sending region has been told."))
                return reverse("registry:handover_list")
            messages.success(request, _accepted_message(handover, request.user))
            case = handover.case
            if Case.objects.for_user(request.user).filter(pk=case.pk).exists():
                return case.get_absolute_url()
            return reverse("registry:handover_list")

        done = once.saved_or_refused(request, form, save, errors=(casework.HandoverError,))
        if done:
            return done
    return _detail_page(request, handover, form)


def _accepted_message(handover: Handover, user: User) -> str:
    """What accepting did: where the case is now, and whose it is."""
    region = handover.to_region
    if handover.case.coordinator_id == user.pk:
        return _(
            "Handover accepted: the case is now in %(region)s and assigned to you. Its "
            "registrations are below."
        ) % {"region": region}
    return _(
        "Handover accepted: the case is now in %(region)s without a coordinator. A "
        "coordinator of the region takes it on from the case list; until then the help desk "
        "coordinates it."
    ) % {"region": region}


@requires(signed_in)
@require_POST
def handover_withdraw(request: HttpRequest, pk: uuid.UUID) -> HttpResponse:
    handover = _get_handover_for_user(request, pk)
    try:
        casework.withdraw_handover(handover, request.user)
    except casework.HandoverError as error:
        messages.error(request, error.messages[0])
        return redirect(handover)
    messages.success(request, _("The handover request has been withdrawn."))
    return redirect(handover.case)
