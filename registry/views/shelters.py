"""Shelter placement: a case's placement page, ending a placement, the waiting list and the
weekly overview (docs/workspace.md, "Shelters"). The rules are in registry/access.py and on
the Placement model; these views copy a valid form onto them."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Exists, OuterRef
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from registry import access, once
from registry.access import may_oversee_shelters, may_place_in_shelter, requires
from registry.choices import PlacementStatus, ShelterType
from registry.models import Case, Placement, Shelter
from registry.shelter_forms import EndPlacementForm, PlacementForm


def _get_shelter_case(request: HttpRequest, pk: object) -> Case:
    """A case requesting shelter that this user may place, else 404."""
    qs = access.shelter_cases_for_user(Case.objects.all(), request.user)
    return get_object_or_404(qs.select_related("person", "region"), pk=pk)


def _get_placement(request: HttpRequest, pk: object) -> Placement:
    """A placement this user may see and change (by its shelter's type), else 404."""
    placement = get_object_or_404(
        Placement.objects.for_user(request.user).select_related("shelter", "case"), pk=pk
    )
    kind = placement.shelter.shelter_type if placement.shelter else ShelterType.COSM
    if not access.may_place_in(request.user, kind):
        raise Http404
    return placement


def shelters_with_occupancy() -> list[Shelter]:
    return list(Shelter.objects.active().select_related("municipality").with_occupancy())


@requires(may_place_in_shelter)
def case_shelter(request: HttpRequest, pk: object) -> HttpResponse:
    """The placement page of a case requesting shelter: free places per shelter, the case's
    placement or waiting-list entry, and the form to place it."""
    case = _get_shelter_case(request, pk)
    current = Placement.objects.open().filter(case=case).select_related("shelter").first()
    form = None
    if current is None:
        data = request.POST if request.method == "POST" else None
        form = PlacementForm(data, case=case, user=request.user)
        if request.method == "POST" and form.is_valid():
            done = once.saved_or_refused(
                request, form, lambda: _place(request, case, form), errors=(ValidationError,)
            )
            if done:
                return done
    elif request.method == "POST":
        messages.error(request, _("This case already has a placement or waits for one."))
        return redirect("registry:case_shelter", pk=case.pk)
    return _shelter_page(request, case, current, form)


def _place(request: HttpRequest, case: Case, form: PlacementForm) -> str:
    # Two users placing the same case at once: the second waits here, then finds the first.
    once.lock_for_decision(Case, case.pk)
    if Placement.objects.open().filter(case=case).exists():
        raise ValidationError(_("This case already has a placement or waits for one."))
    data = form.cleaned_data
    outcome = Placement.place(
        case, data["shelter"], request.user, start_date=data["start_date"], reason=data["reason"]
    )
    if outcome.queued:
        messages.warning(
            request,
            _("Every COSM is full: the case is on the waiting list, number %(n)d.")
            % {"n": outcome.position},
        )
    else:
        messages.success(
            request, _("Placed in %(shelter)s.") % {"shelter": outcome.placement.shelter}
        )
    return reverse("registry:case_shelter", args=[case.pk])


def _shelter_page(
    request: HttpRequest,
    case: Case,
    current: Placement | None,
    form: PlacementForm | None,
    end_form: EndPlacementForm | None = None,
) -> HttpResponse:
    today = timezone.localdate()
    position = 0
    if current is not None and current.status == PlacementStatus.WAITING:
        position = (
            Placement.objects.waiting().filter(requested_at__lte=current.requested_at).count()
        )
    may_change = current is not None and access.may_place_in(
        request.user, current.shelter.shelter_type if current.shelter else ShelterType.COSM
    )
    bad = (form is not None and form.errors) or (end_form is not None and end_form.errors)
    return render(
        request,
        "registry/case_shelter.html",
        {
            "case": case,
            "age": case.person.age_on(today),
            "current": current,
            "position": position,
            "may_change": may_change,
            "form": form,
            "warnings": form.warnings if form is not None else [],
            "end_form": end_form or EndPlacementForm(initial={"end_date": today}),
            "shelters": shelters_with_occupancy(),
            "history": Placement.objects.filter(case=case)
            .exclude(status__in=[PlacementStatus.WAITING, PlacementStatus.PLACED])
            .select_related("shelter"),
        },
        status=400 if bad else 200,
    )


@require_POST
@requires(may_place_in_shelter)
def placement_end(request: HttpRequest, pk: object) -> HttpResponse:
    """End a placement: the place is free from the end date. Ending a COSM placement while
    cases wait sends the help desk to the overview, where one click places the first."""
    placement = _get_placement(request, pk)
    form = EndPlacementForm(request.POST)
    if form.is_valid():

        def save() -> str:
            placement.end(request.user, form.cleaned_data["end_date"])
            messages.success(request, _("The placement has ended; the place is free."))
            if placement.shelter.is_cosm and Placement.objects.waiting().exists():
                messages.info(
                    request,
                    _("Cases are waiting for a COSM place: place the first from the overview."),
                )
                return reverse("registry:shelter_overview")
            return reverse("registry:case_shelter", args=[placement.case_id])

        done = once.saved_or_refused(request, form, save, errors=(ValidationError,))
        if done:
            return done
    messages.error(request, _("The placement was not ended: see the message at the form."))
    case = placement.case
    if not access.shelter_cases_for_user(Case.objects.filter(pk=case.pk), request.user).exists():
        return redirect("registry:shelter_overview")
    current = Placement.objects.open().filter(case=case).select_related("shelter").first()
    return _shelter_page(request, case, current, None, end_form=form)


@require_POST
@requires(may_place_in_shelter)
def placement_withdraw(request: HttpRequest, pk: object) -> HttpResponse:
    """Take a case off the waiting list (it found another place, or needs none now)."""
    placement = get_object_or_404(
        Placement.objects.for_user(request.user).filter(status=PlacementStatus.WAITING), pk=pk
    )
    if not access.may_place_in(request.user, ShelterType.COSM):
        raise Http404
    form = forms.Form()

    def save() -> str:
        placement.withdraw(request.user)
        messages.success(request, _("The case is off the waiting list."))
        return reverse("registry:shelter_overview")

    done = once.saved_or_refused(request, form, save, errors=(ValidationError,))
    if done:
        return done
    messages.error(request, form.non_field_errors()[0] if form.non_field_errors() else "")
    return redirect("registry:shelter_overview")


@require_POST
@requires(may_oversee_shelters)
def shelter_place_next(request: HttpRequest, pk: int) -> HttpResponse:
    """The help desk's one click: place the first case of the waiting list in this COSM."""
    if not access.may_place_in(request.user, ShelterType.COSM):
        raise Http404
    shelter = get_object_or_404(Shelter.objects.active().cosm(), pk=pk)
    form = forms.Form()

    def save() -> str:
        placed = Placement.place_next(shelter, request.user, timezone.localdate())
        if placed is None:
            messages.warning(request, _("Nobody was placed: no free place or nobody waiting."))
        else:
            messages.success(
                request,
                _("%(case)s is placed in %(shelter)s.") % {"case": placed.case, "shelter": shelter},
            )
        return reverse("registry:shelter_overview")

    done = once.saved_or_refused(request, form, save)
    if done:
        return done
    messages.error(request, form.non_field_errors()[0])
    return redirect("registry:shelter_overview")


@requires(may_oversee_shelters)
def shelter_overview(request: HttpRequest) -> HttpResponse:
    """The weekly overview: occupancy per shelter, the waiting list in date order, the stays
    beyond three months, and the cases requesting shelter with no placement yet."""
    today = timezone.localdate()
    shelters = shelters_with_occupancy()
    placements = Placement.objects.for_user(request.user)
    open_placement = Placement.objects.open().filter(case=OuterRef("pk"))
    requesting = (
        access.shelter_cases_for_user(Case.objects.all(), request.user)
        .filter(~Exists(open_placement))
        .select_related("region")
        .order_by("opened_on", "pk")
    )
    cosm = [s for s in shelters if s.is_cosm]
    return render(
        request,
        "registry/shelter_overview.html",
        {
            "today": today,
            "week": today.isocalendar(),
            "shelters": shelters,
            "totals": {
                "places": sum(s.places for s in shelters),
                "occupied": sum(s.occupied for s in shelters),
                "free": sum(max(s.free, 0) for s in shelters),
            },
            "cosm_free": [s for s in cosm if s.free > 0],
            "waiting": placements.waiting().select_related("case__region"),
            "long_stays": placements.long_stays(today),
            "requesting": requesting[:100],
            "may_place_cosm": access.may_place_in(request.user, ShelterType.COSM),
        },
    )
