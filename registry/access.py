"""Who may see which records: the one place access is decided.

Every model that holds victims' data has a ``for_user(user)`` queryset method that calls the
matching function here; views, the admin, exports and reports go through it. The rules follow
DESIGN.md ("Who uses it"):

- administrators see everything;
- a care coordinator sees the cases now in their own regions, and a person only through such
  a case (or a registration of their region awaiting their action: accepted, and its person
  has no case anywhere yet). After a handover is accepted, the sending region sees nothing
  more of the person: not the case, not the person, not the registrations;
- the help desk sees the cases it coordinates (no coordinator assigned, or a region without an
  active coordinator), the submissions awaiting triage (theirs alone: coordinators never see
  an untriaged submission) and, likewise, registrations of regions without an active
  coordinator awaiting action, and the people of those;
- a reporter sees the registrations they submitted (number and status only, enforced by the
  views) and no person, case or audit event;
- anonymous or inactive users see nothing;
- after a person withdrew consent to care, coordinators and the help desk no longer see the
  person's personal fields (``may_see_personal``); administrators do, until retention erases them.

The registrations a coordinator or the help desk may see are those of the people they may
see, so a person and their registrations always go together. Staff may also see the
confirmation of a registration they saved themselves (``may_open_confirmation``): number,
routing and flags, never the person.

Counting is a separate rule (``registrations_countable_by``): administrators and the help
desk count every registration for the national figures, which hold no record.

Pages ask a second kind of question, of the user alone: may they open this page at all? One
predicate per question, named by what the user may do (``may_register``, ``may_count``, ...),
below the row rules. A view asks it through ``requires(predicate)`` (anonymous visitors go to
the login page, a signed-in user it refuses gets 403); the home page and the navigation show a
link by the same predicate (config/views.py, config/context_processors.py); the admin's
``has_*_permission`` methods ask them too. No view, template or admin asks a role itself.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from functools import wraps
from typing import TYPE_CHECKING, Any

from django.apps import apps
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import HttpRequest, HttpResponse

from registry.choices import (
    COUNTED_STATUSES,
    OPEN_CASE_STATUSES,
    Shelter,
    ShelterType,
    SubmissionStatus,
)

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from registry.models import Case, Person, Registration, User

    Visitor = User | AnonymousUser | None


def _is_anonymous(user: User | None) -> bool:
    return user is None or not user.is_authenticated or not user.is_active


def scope_key(user: User | None) -> tuple[Any, ...]:
    """Everything of ``user`` the row rules below read: two users with the same key get the
    same rows, so a query compiled for one may run for the other (registry/compiled.py).
    A rule that comes to read another attribute of the user must add it here."""
    if _is_anonymous(user):
        return ("anonymous",)
    return (
        user.pk,
        user.is_active,
        user.is_superuser,
        user.role,
        tuple(sorted(user.region_ids)) if user.is_coordinator else (),
    )


def _helpdesk_regions() -> QuerySet:
    from registry.models import Region

    return Region.objects.without_active_coordinator().values("pk")


def cases_for_user(qs: QuerySet, user: User | None) -> QuerySet:
    if _is_anonymous(user):
        return qs.none()
    if user.is_administrator:
        return qs
    if user.is_coordinator:
        return qs.filter(region_id__in=user.region_ids)
    if user.is_helpdesk:
        return qs.filter(Q(coordinator__isnull=True) | Q(region__in=_helpdesk_regions()))
    return qs.none()


def _of_my_regions(user: User) -> Q:
    """The coordinator's regions, or for the help desk the regions without a coordinator."""
    if user.is_coordinator:
        return Q(region_id__in=user.region_ids)
    return Q(region__in=_helpdesk_regions())


def _awaiting_action(user: User) -> Q:
    """Registrations of the user's regions whose person has no case anywhere yet."""
    from registry.models import Case

    any_case = Case.objects.filter(person=OuterRef("person"))
    return _of_my_regions(user) & Q(status__in=COUNTED_STATUSES) & ~Exists(any_case)


def registrations_for_user(qs: QuerySet, user: User | None) -> QuerySet:
    if _is_anonymous(user):
        return qs.none()
    if user.is_administrator:
        return qs
    if user.is_coordinator or user.is_helpdesk:
        from registry.models import Case

        visible_cases = cases_for_user(Case.objects.all(), user).filter(person=OuterRef("person"))
        through_case = Q(status__in=COUNTED_STATUSES) & Exists(visible_cases)
        found = through_case | _awaiting_action(user)
        if user.is_helpdesk:
            found |= Q(status=SubmissionStatus.SUBMITTED)
        return qs.filter(found)
    if user.is_reporter:
        return qs.filter(submitted_by=user)
    return qs.none()


def may_open_confirmation(user: User | None, registration: Registration) -> bool:
    """Whether ``user`` may open the confirmation page of ``registration``: one they saved
    themselves, or one they may see (the page shows number, routing and flags, never the
    person). Asked right after every save, so the common answer costs no query."""
    if _is_anonymous(user):
        return False
    if registration.submitted_by_id == user.pk:
        return True
    return (
        registrations_for_user(type(registration).objects.all(), user)
        .filter(pk=registration.pk)
        .exists()
    )


def people_for_user(qs: QuerySet, user: User | None) -> QuerySet:
    if _is_anonymous(user):
        return qs.none()
    if user.is_administrator:
        return qs
    if user.is_coordinator or user.is_helpdesk:
        from registry.models import Case, Registration

        cases = cases_for_user(Case.objects.all(), user).filter(person=OuterRef("pk"))
        # Awaiting action (as _awaiting_action, said of the person: one level of subqueries,
        # which the ORM builds and the database plans faster than the nested form).
        mine = Registration.objects.filter(
            _of_my_regions(user), status__in=COUNTED_STATUSES, person=OuterRef("pk")
        )
        any_case = Case.objects.filter(person=OuterRef("pk"))
        found = Exists(cases) | (Exists(mine) & ~Exists(any_case))
        if user.is_helpdesk:
            submitted = Registration.objects.filter(
                status=SubmissionStatus.SUBMITTED, person=OuterRef("pk")
            )
            found |= Exists(submitted)
        return qs.filter(found)
    return qs.none()


def people_shown(user: User | None, person_ids: Iterable[Any]) -> set[Any]:
    """Which of ``person_ids`` a list may name to ``user``: the people they may see
    (``people_for_user``). A list of cases the user may see needs no asking (a person is seen
    through their case); a list of handovers does, since the sending side and the receiving
    side before accepting see a handover but not its person."""
    from registry.models import Person

    ids = set(person_ids)
    if not ids:
        return set()
    visible = people_for_user(Person.objects.filter(pk__in=ids), user)
    return set(visible.values_list("pk", flat=True))


def handovers_for_user(qs: QuerySet, user: User | None) -> QuerySet:
    """Handovers from or to the user's regions, and the whole history of a case they may see."""
    if _is_anonymous(user):
        return qs.none()
    if user.is_administrator:
        return qs
    from registry.models import Case

    visible_cases = cases_for_user(Case.objects.all(), user).values("pk")
    if user.is_coordinator:
        return qs.filter(
            Q(from_region_id__in=user.region_ids)
            | Q(to_region_id__in=user.region_ids)
            | Q(case__in=visible_cases)
        )
    if user.is_helpdesk:
        regions = _helpdesk_regions()
        return qs.filter(
            Q(from_region__in=regions) | Q(to_region__in=regions) | Q(case__in=visible_cases)
        )
    return qs.none()


def case_notes_for_user(qs: QuerySet, user: User | None) -> QuerySet:
    """The notes of the cases ``user`` may see (``cases_for_user``): a note goes with its case,
    to whoever works it now (after a handover, the receiving region reads the notes)."""
    from registry.models import Case

    return qs.filter(case__in=cases_for_user(Case.objects.all(), user).values("pk"))


def submission_additions_for_user(qs: QuerySet, user: User | None) -> QuerySet:
    """What reporters added to their reports goes with the registration: whoever may see the
    registration (``registrations_for_user``: the reporter who sent it, the help desk while it
    awaits triage, the coordinator of its case) reads it."""
    from registry.models import Registration

    return qs.filter(
        registration__in=registrations_for_user(Registration.objects.all(), user).values("pk")
    )


def care_records_for_user(qs: QuerySet, user: User | None) -> QuerySet:
    """Residence procedures and referrals go with their case, as notes do
    (``case_notes_for_user``): whoever may see the case reads them."""
    from registry.models import Case

    return qs.filter(case__in=cases_for_user(Case.objects.all(), user).values("pk"))


def holds_case(user: User | None, case: Case) -> bool:
    """Whether ``user`` holds ``case`` and so records its procedures and referrals: the
    coordinator assigned to the open case, or the help desk for an open case it coordinates
    (no coordinator, or a region without an active one), as ``case_held_for_person`` says of
    a person. Administrators hold none: they maintain records in the admin."""
    if _is_anonymous(user) or not (user.is_coordinator or user.is_helpdesk) or not case.is_open:
        return False
    cases = cases_for_user(type(case).objects.filter(pk=case.pk), user)
    if user.is_coordinator:
        cases = cases.filter(coordinator=user)
    return cases.exists()


def case_history_for_user(qs: QuerySet, user: User | None, case: Case) -> QuerySet:
    """The audit events that make up ``case``'s timeline, for whoever may see the case.

    The audit trail itself is the administrators' (``audit_events_for_user``); the timeline is
    a narrower reading of it: the events recorded against this one case (its changes, its
    handovers, its notes, the person corrected through it), which hold field names, codes and
    the staff who acted, never a value of the person. ``qs`` is narrowed to the actions the
    caller shows."""
    if not cases_for_user(type(case).objects.filter(pk=case.pk), user).exists():
        return qs.none()
    return qs.filter(case_id=case.pk)


def case_held_for_person(user: User | None, person: Person) -> Case | None:
    """The open case of ``person`` that ``user`` holds, or None.

    A coordinator holds the open cases assigned to them (in their regions); the help desk the
    open cases it coordinates: without a coordinator, or in a region without an active one
    (DESIGN.md, "Who uses it"; ``Case.coordinator``: "empty means the help desk coordinates
    the case"). Administrators hold none: they maintain a person in the admin.
    """
    if _is_anonymous(user) or not (user.is_coordinator or user.is_helpdesk):
        return None
    from registry.models import Case

    cases = cases_for_user(Case.objects.open().filter(person=person), user)
    if user.is_coordinator:
        cases = cases.filter(coordinator=user)
    return cases.order_by("-opened_on", "pk").first()


def may_edit_person(user: User | None, person: Person) -> bool:
    """Whether ``user`` may correct ``person``'s data on the person page: whoever holds an open
    case of the person (``case_held_for_person``) and may see their personal fields
    (``may_see_personal``). Everyone who may see the person reads it."""
    return not _personal_hidden(user, person) and case_held_for_person(user, person) is not None


def may_see_personal(user: User | None, person: Person) -> bool:
    """Whether the personal fields of ``person`` (a person ``user`` may see) are shown.

    After the person withdrew consent to care, coordinators and the help desk no longer see
    them: the care they served has ended. The values are kept for the retention period, then
    erased by the retention command; administrators keep seeing them for that (erasure,
    requests of the person themself). No one sees what an anonymous person never gave."""
    if _is_anonymous(user) or person.is_anonymous or user.is_reporter:
        return False
    return not _personal_hidden(user, person)


def cases_findable_by_name(qs: QuerySet, user: User | None) -> QuerySet:
    """The cases of ``qs`` a name search may find for ``user``: not those whose person
    withdrew consent to care, unless ``user`` still sees their personal fields (an
    administrator). Finding a case by the name would show what the page no longer does."""
    if user is not None and user.is_authenticated and user.is_administrator:
        return qs
    return qs.filter(person__care_consent_withdrawn_on__isnull=True)


def _personal_hidden(user: User, person: Person) -> bool:
    return person.care_consent_withdrawn_on is not None and not user.is_administrator


def shelter_cases_for_user(qs: QuerySet, user: User | None) -> QuerySet:
    """The cases ``user`` may place in a shelter: open cases requesting shelter that they may
    see (``cases_for_user``) and, for the help desk, those of every region: COSM placement
    goes through the help desk alone, nationally (docs/workspace.md, "Shelters"). The
    placement page shows such a case by reference and its statistical facts only, never the
    person's personal fields."""
    requesting = qs.filter(status__in=sorted(OPEN_CASE_STATUSES)).exclude(
        shelter_requested__in=["", Shelter.NONE]
    )
    if _is_anonymous(user):
        return qs.none()
    if user.is_helpdesk:
        return requesting
    return cases_for_user(requesting, user)


def placements_for_user(qs: QuerySet, user: User | None) -> QuerySet:
    """Placements and waiting-list entries: administrators and the help desk all of them (the
    national overview of the shelters); others those of the cases they may see."""
    if _is_anonymous(user):
        return qs.none()
    if user.is_administrator or user.is_helpdesk:
        return qs
    from registry.models import Case

    return qs.filter(case__in=cases_for_user(Case.objects.all(), user).values("pk"))


def may_place_in(user: User | None, shelter_type: str) -> bool:
    """Who places in a shelter of ``shelter_type``: a COSM only the help desk (CoMensha's
    help desk alone places in the categorial shelters: docs/workspace.md, "Shelters");
    another shelter the help desk and care coordinators, who arrange regional shelter for
    their own cases. Administrators record shelters and read the overview; they place no
    one (they hold no case: ``case_held_for_person``)."""
    if _is_anonymous(user):
        return False
    if shelter_type == ShelterType.COSM:
        return user.is_helpdesk
    return user.is_helpdesk or user.is_coordinator


def registrations_countable_by(qs: QuerySet, user: User | None) -> QuerySet:
    """What a user may *count*: every registration if ``may_count(user)``, else none.

    All or nothing, and the reports app relies on it: a count that is not empty by this rule
    is every registration, so the statistics tally may answer for it
    (``reports.aggregates.counts_everything``). Row-level access stays with
    ``registrations_for_user``.
    """
    if not may_count(user):
        return qs.none()
    return qs


def accounts_for_user(qs: QuerySet, user: User | None) -> QuerySet:
    """Accounts a user may see or pick: administrators all; a coordinator themselves and the
    coordinators of their regions (whom a case of theirs may go to); anyone else themselves."""
    if _is_anonymous(user):
        return qs.none()
    if user.is_administrator:
        return qs
    if user.is_coordinator:
        colleagues = qs.model.objects.filter(role=user.role, regions__in=user.region_ids)
        return qs.filter(Q(pk__in=colleagues.values("pk")) | Q(pk=user.pk))
    return qs.filter(pk=user.pk)


def needs_second_factor(user: User | None) -> bool:
    """Whether ``user`` must have verified a second factor before any page (issue 10).

    Everyone who may read personal data: coordinators, the help desk and administrators
    (superusers included). Reporters never read personal data back and log in with a password.
    """
    return not _is_anonymous(user) and (
        user.is_superuser or user.is_administrator or user.is_coordinator or user.is_helpdesk
    )


def jobs_for_user(qs: QuerySet, user: User | None) -> QuerySet:
    """A background job (an import, an export) is its owner's alone, administrators included:
    its page shows what the owner asked, its file what the owner may see. A key rotation,
    started on the server by ``manage.py rotate_keys``, is followed by every administrator
    (DESIGN.md: administrators run the registry); it holds counts and key ids only."""
    if _is_anonymous(user):
        return qs.none()
    if may_administer(user):
        return qs.filter(Q(owner=user) | Q(kind=qs.model.Kind.ROTATE_KEYS))
    return qs.filter(owner=user)


def may_reset_second_factor(user: User | None, target: User) -> bool:
    """An administrator resets someone else's second factor; an administrator's only a superuser.

    With a password reset on top, a reset lets the one who does it log in as the target, so it
    never reaches above the resetter's own power, and never their own account (a stolen
    session must not swap the owner's phone for the thief's).
    """
    if _is_anonymous(user) or not user.is_administrator or target.pk == user.pk:
        return False
    return user.is_superuser or not target.is_administrator


def audit_events_for_user(qs: QuerySet, user: User | None) -> QuerySet:
    if _is_anonymous(user) or not user.is_administrator:
        return qs.none()
    return qs


# --- Pages: what a user may do (DESIGN.md, "Who uses it") -------------------------------------
#
# Each predicate answers one question about the user alone, in one place. The superuser counts
# as an administrator whatever their role (``User.is_administrator``); an inactive account may
# do nothing, like an anonymous visitor.


def signed_in(user: Visitor) -> bool:
    """Anyone signed in: for pages whose records decide what shows.

    Every role sees records only through the row rules above (DESIGN.md, "Who uses it"), so a
    page of one record (a case, a handover) lets every signed-in user ask and answers 404 for
    a record outside their rows: existence is not revealed, not even by a 403.
    """
    return not _is_anonymous(user)


def may_submit(user: Visitor) -> bool:
    """Reporters of an organisation (DESIGN.md, "Who uses it": reporter): submit a
    registration, see the reference number and status of what they submitted. The submission
    comes from their organisation, so an account without one submits nothing."""
    return not _is_anonymous(user) and user.is_reporter and user.organisation_id is not None


def may_register(user: Visitor) -> bool:
    """Care coordinators, the help desk and administrators register victims (DESIGN.md, "Who
    uses it": coordinator "register victims", help desk "for any region", administrator
    "everything above")."""
    return not _is_anonymous(user) and (
        user.is_coordinator or user.is_helpdesk or user.is_administrator
    )


def may_work_cases(user: Visitor) -> bool:
    """Care coordinators, the help desk and administrators work cases (DESIGN.md, "Who uses
    it"): the case list, handovers, reminders. Which cases: ``cases_for_user``."""
    return not _is_anonymous(user) and (
        user.is_coordinator or user.is_helpdesk or user.is_administrator
    )


def may_triage(user: Visitor) -> bool:
    """The help desk and administrators triage reporter submissions (DESIGN.md, "Who uses
    it": help desk)."""
    return not _is_anonymous(user) and (user.is_helpdesk or user.is_administrator)


def may_coordinate_remotely(user: Visitor) -> bool:
    """The help desk and administrators: the help desk's page, which coordinates the cases of
    regions without an active coordinator and shows the load per region (DESIGN.md, "Who uses
    it": help desk)."""
    return not _is_anonymous(user) and (user.is_helpdesk or user.is_administrator)


def may_count(user: Visitor) -> bool:
    """Administrators and the help desk: statistics and the anonymised dataset, counting every
    registration (DESIGN.md, "Who uses it": administrator "statistics"; the national figures
    are the help desk's task too). Counting exposes no record: aggregates of clear columns,
    small cells suppressed. What is counted: ``registrations_countable_by``."""
    return not _is_anonymous(user) and (user.is_administrator or user.is_helpdesk)


def may_see_data_quality(user: Visitor) -> bool:
    """The help desk and administrators: the data quality page (issue 16), the share of unknown
    or blank statistical fields per reporter type and region and the drops in monthly
    registrations, for whoever asks the reporting organisations to fill them in. Aggregates of
    clear columns with small cells suppressed, no record (reports/quality.py)."""
    return not _is_anonymous(user) and (user.is_helpdesk or user.is_administrator)


def may_read_monitor(user: Visitor) -> bool:
    """The help desk and administrators: the victim monitor's yearly report (issue 16), the
    tables the National Rapporteur and CoMensha publish, from the same published (suppressed)
    figures as the statistics. Coordinators and reporters count nothing, so they read it not."""
    return may_count(user)


def may_read_exact_counts(user: Visitor) -> bool:
    """Administrators: the exact counts behind suppressed cells, marked as not for publication
    (DESIGN.md, "Who uses it": administrator "statistics"; the help desk publishes only
    suppressed figures)."""
    return not _is_anonymous(user) and user.is_administrator


def may_read_audit(user: Visitor) -> bool:
    """Administrators read the audit trail (DESIGN.md, "Who uses it": administrator; "Domain":
    AuditEvent). Which events: ``audit_events_for_user``."""
    return not _is_anonymous(user) and user.is_administrator


def may_use_admin(user: Visitor) -> bool:
    """Care coordinators and administrators: the admin, a staff tool whose lists go through
    the row rules (DESIGN.md, "Who uses it"). The help desk and reporters work in the
    workspace only. Django's admin site asks ``is_staff`` too; it follows the role
    (``User.save``)."""
    return (
        not _is_anonymous(user) and user.is_staff and (user.is_coordinator or user.is_administrator)
    )


def may_administer(user: Visitor) -> bool:
    """Administrators: users, regions, organisations and the other reference lists in the
    admin (DESIGN.md, "Who uses it": administrator "users, regions, organisations"). Who may
    change whose account is ``User.may_change_account`` and its neighbours."""
    return not _is_anonymous(user) and user.is_administrator


def may_import(user: Visitor) -> bool:
    """Administrators: the CSV import of registrations in the admin (DESIGN.md, "Who uses
    it": administrator "everything above", in bulk)."""
    return not _is_anonymous(user) and user.is_administrator


def may_grant_exports(user: Visitor) -> bool:
    """Administrators request, approve, refuse and revoke personal-export grants, and only
    they may hold one (DESIGN.md, "Who uses it": administrator "the personal export only with
    an explicit permission"; docs/security.md, "Who may grant what"). The export itself needs
    an approved grant in force on top (:func:`may_export_personal`)."""
    return not _is_anonymous(user) and user.is_administrator


def may_export_personal(user: Visitor) -> bool:
    """An active administrator holding an approved personal-export grant now in force: the
    personal export's page, its downloads and the command (reports/personal_views.py).

    Superusers too: the grant is the only way in, whatever Django's permissions say
    (DESIGN.md; docs/security.md, "Who may grant what"). A grant found past its expiry is
    recorded as expired (audited once) on the way. The grant is the reports app's model,
    looked up by name: the core does not import the apps built on it."""
    if not may_grant_exports(user):
        return False
    return apps.get_model("reports", "ExportGrant").holds_active(user)


def may_give_subject_access(user: Visitor) -> bool:
    """Administrators holding the Django permission ``registry.subject_access``: a file of
    everything held about one person (GDPR art. 15; registry/subject_access.py). Granted to
    nobody by default, superusers included: it must be given to the account or a group of
    it explicitly (the admin's user page). The page and the download ask for a second factor
    of the last 15 minutes on top, as the personal export does."""
    if _is_anonymous(user) or not user.is_administrator:
        return False
    from django.contrib.auth.models import Permission

    return Permission.objects.filter(
        Q(user=user) | Q(group__user=user),
        codename="subject_access",
        content_type__app_label="registry",
    ).exists()


def may_place_in_shelter(user: Visitor) -> bool:
    """The help desk and care coordinators: the placement page of a case requesting shelter
    (which shelters each may choose: ``may_place_in``; which cases:
    ``shelter_cases_for_user``)."""
    return not _is_anonymous(user) and (user.is_helpdesk or user.is_coordinator)


def may_oversee_shelters(user: Visitor) -> bool:
    """The help desk and administrators: the weekly overview of the shelters' occupancy, the
    waiting list and the long stays (docs/workspace.md, "Shelters")."""
    return not _is_anonymous(user) and (user.is_helpdesk or user.is_administrator)


Predicate = Callable[["Visitor"], bool]

# The page predicates by the name templates use (``may.count``, config/context_processors.py).
PAGE_PREDICATES: dict[str, Predicate] = {
    predicate.__name__.removeprefix("may_"): predicate
    for predicate in (
        signed_in,
        may_submit,
        may_register,
        may_work_cases,
        may_triage,
        may_coordinate_remotely,
        may_count,
        may_read_monitor,
        may_read_exact_counts,
        may_see_data_quality,
        may_read_audit,
        may_use_admin,
        may_administer,
        may_import,
        may_grant_exports,
        may_export_personal,
        may_give_subject_access,
        may_place_in_shelter,
        may_oversee_shelters,
    )
}


class PageAnswers:
    """The page predicates answered for one user, each asked at most once: ``answers[may_count]``
    in code, ``may.count`` in a template (config/context_processors.py)."""

    def __init__(self, user: Visitor) -> None:
        self.user = user
        self._answers: dict[Predicate, bool] = {}

    def __getitem__(self, key: str | Predicate) -> bool:
        # An unknown name is a KeyError, which a template shows as nothing (a link left out):
        # the navigation's test sees it (tests/config/test_home.py).
        predicate = PAGE_PREDICATES[key] if isinstance(key, str) else key
        if predicate not in self._answers:
            self._answers[predicate] = predicate(self.user)
        return self._answers[predicate]


def answers_for(request: HttpRequest) -> PageAnswers:
    """What the request's user may do, each predicate asked at most once per request: the
    page's gate, the navigation and the page's own links share the answers. A login or logout
    during the request (a new ``request.user``) starts afresh."""
    found = getattr(request, "_page_answers", None)
    if found is None or found.user is not request.user:
        found = PageAnswers(request.user)
        request._page_answers = found  # type: ignore[attr-defined]
    return found


View = Callable[..., HttpResponse]


def requires(predicate: Predicate) -> Callable[[View], View]:
    """The one gate of a page, in the manner of Django's ``user_passes_test``.

    An anonymous visitor is sent to the login page and back, as ``login_required`` does; a
    signed-in user for whom ``predicate`` is false gets 403 (``PermissionDenied``). The gated
    view names its predicate (``gate_of``), so a test can walk every URL for it.
    """

    def decorator(view: View) -> View:
        @wraps(view)
        def gated(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if not answers_for(request)[predicate]:
                raise PermissionDenied
            return view(request, *args, **kwargs)

        guarded = login_required(gated)
        guarded.access_gate = predicate  # type: ignore[attr-defined]
        return guarded

    return decorator


def gate_of(view: Callable[..., Any]) -> Predicate | None:
    """The predicate ``requires`` put in front of ``view`` (through any outer decorator that
    keeps the view's attributes, as ``functools.wraps`` does), or None."""
    return getattr(view, "access_gate", None)
