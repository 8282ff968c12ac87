"""The drafts of the intake's forms: kept as the user types, given back when the form opens.

A form switches drafts on with one attribute naming its endpoint here,
``data-draft="{% url 'intake:register_draft' %}"`` (static/js/drafts.js does the rest): the
script posts the form's fields, debounced, with the form's own CSRF token, and asks for the
draft when the page opens (after a language switch, a new login, in a new tab). What is kept,
for whom and for how long is registry/drafts.py; this module says which fields of which form a
draft may hold, and who may keep one. The endpoints take no id: a draft is found by its owner
(the signed-in user) and the form, so nobody can name another user's draft.
"""

from __future__ import annotations

import datetime

from django.http import HttpRequest, JsonResponse
from django.middleware.csrf import get_token
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from intake.forms import ReporterSubmissionForm, StaffRegistrationForm
from registry import drafts
from registry.access import may_register, may_submit, requires
from registry.carried import Statement
from registry.models import FormDraft, User

STAFF = FormDraft.Form.STAFF_INTAKE
REPORTER = FormDraft.Form.REPORTER

# The fields a draft of each form may hold: the form's own (not the CSRF or one-time tokens,
# not the step the page was at).
DRAFT_FIELDS = {
    STAFF: tuple(StaffRegistrationForm.base_fields),
    REPORTER: tuple(
        n for n in ReporterSubmissionForm.base_fields if n not in ReporterSubmissionForm.STAFF_ONLY
    ),
}


def form_saved(user: User, form: str) -> None:
    """The form was saved (a registration, a report): its draft is no longer needed."""
    drafts.discard(user, form)


def saved_statement(user: User, form: str) -> Statement:
    """:func:`form_saved` as one statement, for the save that runs it with its one-time
    token's claim (registry/once.py, ``with_claim``)."""
    return drafts.discard_statement(user, form)


def _when(moment: datetime.datetime) -> str:
    local = timezone.localtime(moment)
    if local.date() == timezone.localdate():
        return formats.time_format(local, "H:i")
    return formats.date_format(local, "j F, H:i")


def _texts() -> dict[str, str]:
    """The sentences the script shows, in the page's language."""
    return {
        "discard": _("Start with an empty form"),
        "discarded": _("The draft has been deleted; the form is empty."),
        "saving_failed": _(
            "What you typed could not be kept as a draft just now; it is still in the form."
        ),
        "session_ended": _(
            "Your session has ended, so what you type now cannot be kept. Log in again: what was "
            "kept before comes back in the form."
        ),
        "log_in": _("Log in again"),
    }


def _draft(request: HttpRequest, form: str) -> JsonResponse:
    user = request.user
    if request.method == "POST":
        if request.POST.get("draft_action") == "discard":
            drafts.discard(user, form)
            return JsonResponse({"saved": False})
        try:
            values = drafts.typed_values(dict(request.POST.lists()), DRAFT_FIELDS[form])
            draft = drafts.save(user, form, values)
        except drafts.DraftRefused:
            return JsonResponse(
                {"error": _("This draft is larger than the form allows; it was not kept.")},
                status=400,
            )
        if draft is None:
            return JsonResponse({"saved": False})
        return JsonResponse(
            {
                "saved": True,
                "status": _("Draft kept at %(time)s.") % {"time": _when(draft.saved_at)},
            }
        )
    found = drafts.load(user, form)
    # The CSRF token too: a page whose token changed (a login in another tab) takes it up.
    answer = {
        "fields": DRAFT_FIELDS[form],
        "texts": _texts(),
        "values": {},
        "csrf": get_token(request),
    }
    if found is not None:
        values, draft = found
        answer["values"] = values
        answer["restored"] = _(
            "What you typed before (kept at %(time)s) is back in the form. Check it before you "
            "go on."
        ) % {"time": _when(draft.saved_at)}
    return JsonResponse(answer)


@requires(may_register)
@require_http_methods(["GET", "POST"])
def register_draft(request: HttpRequest) -> JsonResponse:
    """The signed-in user's draft of the staff intake: GET reads it, POST keeps or deletes it."""
    return _draft(request, STAFF)


@requires(may_submit)
@require_http_methods(["GET", "POST"])
def submit_draft(request: HttpRequest) -> JsonResponse:
    """The signed-in reporter's draft of the reporter's form."""
    return _draft(request, REPORTER)
