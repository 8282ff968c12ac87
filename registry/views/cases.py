"""The coordinators' workspace: the case list, one case, editing it."""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from registry import access, casework, once, search, timeline
from registry.access import may_work_cases, requires, signed_in
from registry.choices import AuditAction
from registry.forms import (
    DEFAULT_SORT,
    SORTS,
    CaseFilterForm,
    CaseForm,
    CaseNoteForm,
    HandoverRequestForm,
)
from registry.models import AuditEvent, Case, CaseNote, Handover, Registration, User
from registry.views import lists

TIMELINE_PAGE_SIZE = 50


def _get_case_for_user(request: HttpRequest, pk: object) -> Case:
    """The case if this user may see it, else 404 (never 403: existence is not revealed)."""
    return get_object_or_404(
        Case.objects.for_user(request.user).select_related(
            "person", "region", "coordinator", "registration"
        ),
        pk=pk,
    )


# What the case list searches, and how (registry.search): a registration number or its
# beginning, a case code, or a name through blind indexes (nothing is decrypted to search).
SEARCH_KINDS = search.CASE_KINDS
SEARCH_LOOKUPS = search.CASE_LOOKUPS
SCREEN = "case_list"


def filter_cases(
    qs: QuerySet, form: CaseFilterForm, user: User, found: search.Search | None = None
) -> QuerySet:
    """Apply the list's filters, ``found`` and the order to ``qs`` (already scoped through
    for_user); each case carries its flags (CaseQuerySet.with_flags)."""
    data = form.cleaned_data if form.is_valid() else {}
    today = timezone.localdate()
    status = data.get("status") or ""
    if status == "":
        qs = qs.open()
    elif status != "all":
        qs = qs.filter(status=status)
    if data.get("assigned") == "mine":
        qs = qs.filter(coordinator=user)
    elif data.get("assigned") == "unassigned":
        qs = qs.filter(coordinator__isnull=True)
    for name, flag in CaseFilterForm.FLAG_FILTERS.items():
        if data.get(name):
            qs = qs.flagged(flag, today)
    if found is not None:
        if found.kind == search.NAME:
            qs = access.cases_findable_by_name(qs, user)
        qs = search.filter_queryset(qs, found, SEARCH_LOOKUPS)
    order = SORTS[data.get("sort") or DEFAULT_SORT][0]
    ordered = qs.with_flags(today).order_by(*order, "pk") if order else qs.urgent_first(today)
    # A name search puts its best matches first, the list's own order among equals.
    return search.ranked(ordered, found)


def _list_url(form: CaseFilterForm, found: search.Search | None) -> str:
    """The case list's URL with the form's filters and ``found``: never a typed term."""
    pairs = [*form.filter_params(), *(found.params() if found else [])]
    return f"{reverse('registry:case_list')}?{urlencode(pairs)}"


@requires(may_work_cases)
def case_list(request: HttpRequest) -> HttpResponse:
    """The cases this user may work, with filters, search, sorting and the day's reminders.

    Each row shows the person (name, age, gender, nationality), the forms of exploitation,
    the flags and the coordinator: every case here is one the user may see, so its person
    too (``access.people_for_user``). One audit event records the page.

    A GET shows the list; the form posts (``_case_search``), so a typed term never reaches a
    URL.
    """
    if request.method == "POST":
        return _case_search(request)
    # ``q`` in a URL (an old bookmark, a hand-made link) is not a search: only what
    # registry.search carries is read, and the links below are rebuilt without it.
    form = CaseFilterForm(request.GET)
    found = search.from_query(request.GET, SEARCH_KINDS)
    cases = filter_cases(Case.objects.for_user(request.user), form, request.user, found)
    page = lists.read_page(cases, request.GET.get("page"))
    rows = lists.rows_for(page.object_list, None, timezone.localdate(), request.user)
    lists.record_list_view(request.user, SCREEN, rows)
    params = [*form.filter_params(), *(found.params() if found else [])]
    return render(
        request,
        "registry/case_list.html",
        {
            "form": form,
            "page": page,
            "rows": rows,
            "query": urlencode(params),
            "sort_links": lists.sort_links(params, form.cleaned_data.get("sort") or DEFAULT_SORT),
            "search": found,
            "clear_search_url": _list_url(form, None),
            "reminders": casework.reminder_summary(request.user, procedures=False),
        },
    )


def _case_search(request: HttpRequest) -> HttpResponse:
    """The posted list form: record a typed search, then redirect (post/redirect/get).

    With the box left empty, the search already on the list (carried in hidden fields) stays
    and nothing is recorded: only the filters changed.
    """
    form = CaseFilterForm(request.POST)
    form.is_valid()
    if "q" in form.errors:
        messages.error(request, _("The search was not understood: it is too long."))
    found = search.from_term(form.cleaned_data.get("q") or "", SEARCH_KINDS)
    if found is None:
        found = search.from_query(request.POST, SEARCH_KINDS)
    else:
        # The count is the search's reach among the cases this user may see, before the
        # list's other filters (those can be changed afterwards without searching again).
        reach = search.filter_queryset(Case.objects.for_user(request.user), found, SEARCH_LOOKUPS)
        search.record(request.user, found, screen=SCREEN, results=reach.count())
    return redirect(_list_url(form, found))


@requires(signed_in)
def case_detail(request: HttpRequest, pk: object) -> HttpResponse:
    """One case with the person's data (an audited view) and their visible registrations,
    and its timeline (notes and history, registry/timeline.py) with the form for a new note."""
    case = _get_case_for_user(request, pk)
    return _case_page(request, case, CaseNoteForm())


def _case_page(request: HttpRequest, case: Case, note_form: CaseNoteForm) -> HttpResponse:
    user = request.user
    registrations = (
        Registration.objects.for_user(user)
        .filter(person_id=case.person_id)
        .select_related("region", "organisation")
        .prefetch_related("exploitation_forms")
        .order_by("-registered_on", "-number")
    )
    other_cases = (
        Case.objects.for_user(user)
        .filter(person_id=case.person_id)
        .exclude(pk=case.pk)
        .select_related("region")
    )
    # Whoever may see the case may see its whole handover history (for_user allows it),
    # including hops between regions that are not theirs: it explains how the case got here.
    handovers = (
        Handover.objects.for_user(request.user)
        .filter(case=case)
        .select_related("from_region", "to_region", "requested_by", "decided_by")
    )
    pending = next((h for h in handovers if h.status == "pending"), None)
    AuditEvent.record(
        AuditAction.VIEW_PERSONAL,
        user=user,
        obj=case.person,
        case=case,
        details={"screen": "case_detail"},
    )
    return render(
        request,
        "registry/case_detail.html",
        {
            "case": case,
            "person": case.person,
            "age": case.person.age_on(timezone.localdate()),
            "registrations": registrations,
            "other_cases": other_cases,
            "handovers": handovers,
            "pending_handover": pending,
            "may_decide": pending is not None and casework.may_decide(pending, user),
            "handover_form": HandoverRequestForm(case=case) if case.is_open else None,
            "may_take": case.may_be_coordinated_by(user) and case.coordinator_id != user.pk,
            "timeline": Paginator(timeline.entries(case, user), TIMELINE_PAGE_SIZE).get_page(
                request.GET.get("page")
            ),
            "note_form": note_form if access.may_work_cases(user) else None,
            "may_edit_person": access.may_edit_person(user, case.person),
        },
        status=400 if note_form.errors else 200,
    )


@requires(signed_in)
def case_edit(request: HttpRequest, pk: object) -> HttpResponse:
    """Edit the case: status workflow, victim status, reflection period, shelter and care."""
    case = _get_case_for_user(request, pk)
    if request.method == "POST":
        form = CaseForm(request.POST, instance=case)
        if form.is_valid():
            case = form.save(commit=False)
            casework.apply_status(case, form.previous_status)
            casework.save_case_change(case, form.changed_data, request.user, "case_edit")
            messages.success(request, _("The case has been saved."))
            return redirect(case)
        messages.error(request, _("The case was not saved: please correct the marked fields."))
    else:
        form = CaseForm(instance=case)
        # The form shows the encrypted notes.
        AuditEvent.record(
            AuditAction.VIEW_PERSONAL,
            user=request.user,
            obj=case,
            case=case,
            details={"screen": "case_edit"},
        )
    return render(request, "registry/case_edit.html", {"case": case, "form": form})


@requires(signed_in)
@require_POST
def case_take(request: HttpRequest, pk: object) -> HttpResponse:
    """A coordinator of the case's region assigns the case to themself."""
    case = _get_case_for_user(request, pk)
    if not case.may_be_coordinated_by(request.user):
        raise PermissionDenied
    if case.coordinator_id != request.user.pk:
        case.coordinator = request.user
        casework.save_case_change(case, ["coordinator"], request.user, "case_take")
    messages.success(request, _("You are now the coordinator of this case."))
    return redirect(case)


@requires(may_work_cases)
@require_POST
def case_note_add(request: HttpRequest, pk: object) -> HttpResponse:
    """Append a note to the case's timeline: whoever may work cases and see this one (its
    coordinator, a colleague of the region, the help desk for its cases). The case comes from
    the URL through ``for_user`` (another region's case: 404); anything else posted besides
    the text is ignored."""
    case = _get_case_for_user(request, pk)
    form = CaseNoteForm(request.POST)
    if form.is_valid():

        def save() -> str:
            CaseNote.write(case, request.user, form.cleaned_data["text"])
            messages.success(request, _("The note has been added to the timeline."))
            return case.get_absolute_url() + "#timeline"

        done = once.saved_or_refused(request, form, save)
        if done:
            return done
    messages.error(request, _("The note was not added: see the message at the note form."))
    return _case_page(request, case, form)
