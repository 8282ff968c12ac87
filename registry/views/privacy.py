"""Retention, erasure and subject access for administrators (issue 17).

- ``/privacy/``: the retention schedule (registry/retention.py) with what is due now, and the
  erasure requests awaiting a second administrator;
- ``/people/<uuid>/erase/``: an administrator asks to erase one person, with a reason;
- ``/privacy/erasure/<uuid>/confirm/`` and ``.../cancel/`` (POST): a second administrator
  confirms (the erasure runs at once: ``registry.erasure.erase_person``), or either cancels;
- ``/people/<uuid>/subject-access/``: a file of everything held about the person
  (registry/subject_access.py), with its own permission and a fresh second factor.

None of these URLs or audit events carries a value of the person: ids, codes and counts.
"""

from __future__ import annotations

from urllib.parse import urlencode

from django import forms
from django.apps import apps
from django.contrib import messages
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from registry import erasure, once, retention
from registry.access import may_administer, may_give_subject_access, requires
from registry.choices import AuditAction
from registry.models import AuditEvent, ErasureRequest, Person
from registry.second_factor import verified_recently
from registry.subject_access import start as start_subject_access


def _get_person_for_user(request: HttpRequest, pk: object) -> Person:
    return get_object_or_404(Person.objects.for_user(request.user), pk=pk)


@requires(may_administer)
def privacy(request: HttpRequest) -> HttpResponse:
    """The retention schedule, what it would erase today, and the erasure requests."""
    outcome = retention.apply(dry_run=True)
    rules = [(rule, outcome.people.get(rule.key, 0)) for rule in retention.RULES]
    return render(
        request,
        "registry/privacy.html",
        {
            "rules": rules,
            "kept": retention.KEPT,
            # What the next run would change, by the models' names, leaving out the nothings.
            "due_rows": [
                (apps.get_model(label)._meta.verbose_name_plural, n)
                for label, n in sorted(outcome.rows.items())
                if n
            ],
            "pending": ErasureRequest.objects.pending().select_related("requested_by"),
            "decided": ErasureRequest.objects.exclude(status=ErasureRequest.Status.PENDING)
            .select_related("requested_by", "decided_by")
            .order_by("-decided_at")[:20],
        },
    )


class ErasureRequestForm(forms.Form):
    reason = forms.ChoiceField(
        label=gettext_lazy("Reason"),
        choices=[("", "---------"), *ErasureRequest.Reason.choices],
        help_text=gettext_lazy(
            "The ground for erasure. It is recorded in the audit trail; write no details of "
            "the person anywhere in the registry."
        ),
    )
    checked = forms.BooleanField(
        label=gettext_lazy(
            "I have checked that this is the person to erase. Erasure cannot be undone."
        ),
    )


@requires(may_administer)
def erasure_request(request: HttpRequest, pk: object) -> HttpResponse:
    """Ask to erase the person: a second administrator confirms on the privacy page."""
    person = _get_person_for_user(request, pk)
    pending = ErasureRequest.objects.pending().filter(person=person).first()
    form = ErasureRequestForm(request.POST or None)
    if request.method == "POST" and pending is None and form.is_valid():

        def save() -> str:
            asked = ErasureRequest.objects.create(
                person=person, reason=form.cleaned_data["reason"], requested_by=request.user
            )
            AuditEvent.record(
                AuditAction.ERASE,
                user=request.user,
                obj=person,
                details={"step": "requested", "reason": asked.reason, "request": str(asked.pk)},
            )
            messages.success(
                request,
                _(
                    "Erasure requested. A second administrator must confirm it on this page; "
                    "until then nothing is erased."
                ),
            )
            return reverse("registry:privacy")

        done = once.saved_or_refused(request, form, save)
        if done:
            return done
    if request.method == "POST" and pending is None:
        messages.error(request, _("Nothing was requested: please correct the marked fields."))
    return render(
        request,
        "registry/erasure_request.html",
        {"person": person, "form": form, "pending": pending},
    )


@requires(may_administer)
@require_POST
def erasure_decide(request: HttpRequest, pk: object, step: str) -> HttpResponse:
    """Confirm (a second administrator: the erasure runs now) or cancel an erasure request."""
    if step not in ("confirm", "cancel"):
        raise Http404
    with transaction.atomic():
        if not once.lock_for_decision(ErasureRequest, pk):
            raise Http404
        asked = ErasureRequest.objects.select_related("person").get(pk=pk)
        if asked.status != ErasureRequest.Status.PENDING:
            messages.info(request, _("This request was decided already; nothing was changed."))
            return redirect("registry:privacy")
        if step == "confirm" and asked.requested_by_id == request.user.pk:
            messages.error(
                request,
                _(
                    "You asked for this erasure yourself: a second administrator must confirm "
                    "it. Nothing was erased."
                ),
            )
            return redirect("registry:privacy")
        asked.status = (
            ErasureRequest.Status.ERASED if step == "confirm" else ErasureRequest.Status.CANCELLED
        )
        asked.decided_by, asked.decided_at = request.user, timezone.now()
        asked.save(update_fields=["status", "decided_by", "decided_at"])
        if step == "confirm":
            erasure.erase_person(
                asked.person, actor=request.user, reason=asked.reason, request_id=asked.pk
            )
            messages.success(
                request,
                _(
                    "Erased: the person's personal data, blind indexes and free text are gone; "
                    "the statistical fields and the audit trail remain."
                ),
            )
        else:
            AuditEvent.record(
                AuditAction.ERASE,
                user=request.user,
                obj=asked.person,
                details={"step": "cancelled", "reason": asked.reason, "request": str(asked.pk)},
            )
            messages.success(request, _("The erasure request was cancelled; nothing was erased."))
    return redirect("registry:privacy")


@requires(may_give_subject_access)
def subject_access(request: HttpRequest, pk: object) -> HttpResponse:
    """Produce the person's subject access file (a background job), after a fresh code."""
    person = _get_person_for_user(request, pk)
    if not verified_recently(request):
        here = reverse("registry:subject_access", args=[person.pk])
        return redirect(f"{reverse('reverify')}?{urlencode({'next': here})}")
    if request.method == "POST":
        job = start_subject_access(request.user, person)
        return redirect(job.get_absolute_url())
    return render(request, "registry/subject_access.html", {"person": person})
