"""The retention schedule: how long personal data is kept, per purpose and kind of file
(issue 17, item 1; docs/security.md, "Retention and erasure").

Each :class:`Rule` says which records have outlived their purpose (``expired``), what erasing
them would change (``pending``) and erases them (``apply``). The rules of people call the one
erasure, ``registry.erasure.erase_person``. ``manage.py apply_retention`` runs every rule, once
a day (docs/deployment.md, "Recurring jobs"), and writes one audit event with the counts; the
administrators' page (``registry/views/privacy.py``) shows the schedule and what is due.

The periods are settings (``REGISTRY_RETENTION_DAYS``, config/settings.py), in days. Another
app adds a rule of its own with :func:`register` (intake's drafts, for example: a rule whose
``apply`` deletes the drafts past their time); the page and the command show it with the others.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db import transaction
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from django_tasks import task

from registry import erasure
from registry.choices import OPEN_CASE_STATUSES, AuditAction, SubmissionStatus

if TYPE_CHECKING:
    from registry.models import User

Counts = dict[str, int]
# The actor name of the scheduled run in the audit trail.
ACTOR_NAME = "apply_retention"
# People erased (or counted) per query.
CHUNK = 500


@dataclass(frozen=True)
class Rule:
    """One line of the schedule.

    ``key`` names the rule in settings, counts and the audit event; ``kind`` is the kind of file
    and ``purpose`` why it was kept; ``after`` says from when the period runs; ``erases`` what
    goes. ``expired(cutoff)`` gives the records past their time (a queryset); ``apply`` and
    ``pending`` erase them, or say per model what erasing them would change.
    """

    key: str
    kind: Promise
    purpose: Promise
    after: Promise
    erases: Promise
    default_days: int
    expired: Callable[[datetime.datetime], QuerySet]
    apply: Callable[[QuerySet], Counts] = field(default=lambda qs: erase_people(qs))
    pending: Callable[[QuerySet], Counts] = field(default=lambda qs: erasure.pending(qs))

    @property
    def days(self) -> int:
        return int(
            getattr(settings, "REGISTRY_RETENTION_DAYS", {}).get(self.key, self.default_days)
        )

    def cutoff(self, now: datetime.datetime | None = None) -> datetime.datetime:
        """Records whose period began before this moment have expired."""
        return (now or timezone.now()) - datetime.timedelta(days=self.days)

    @property
    def period(self) -> str:
        """The period in words: years when it is whole years, else days."""
        days = self.days
        if days >= 365 and days % 365 == 0:
            years = days // 365
            return str(_("%(n)d year") if years == 1 else _("%(n)d years")) % {"n": years}
        return str(_("%(n)d day") if days == 1 else _("%(n)d days")) % {"n": days}


def erase_people(people: QuerySet) -> Counts:
    """Erase each of ``people`` through the one erasure; the rows changed per model, summed.
    No audit event per person: the run writes one (``apply``)."""
    total: Counts = {}
    for person in people.only("pk").iterator(chunk_size=500):
        for label, n in erasure.erase_person(person, actor=None, reason="", audit=False).items():
            total[label] = total.get(label, 0) + n
    return total


# --- The rules of people ------------------------------------------------------------------------


def _people() -> QuerySet:
    from registry.models import Person

    return erasure.left_to_erase(Person.objects.all())


def _open_case() -> Exists:
    from registry.models import Case

    return Exists(Case.objects.filter(person=OuterRef("pk"), status__in=OPEN_CASE_STATUSES))


def closed_files(cutoff: datetime.datetime) -> QuerySet:
    """People whose last case closed before ``cutoff`` (and, without a case, whose last
    registration was before it), with no open case and no submission awaiting triage."""
    from registry.models import Case, Registration

    day = cutoff.date()
    recent_case = Case.objects.filter(person=OuterRef("pk")).filter(
        Q(closed_on__gt=day) | Q(closed_on__isnull=True, updated_at__gt=cutoff)
    )
    recent_registration = Registration.objects.filter(person=OuterRef("pk")).filter(
        Q(registered_on__gt=day) | Q(status=SubmissionStatus.SUBMITTED)
    )
    return (
        _people()
        .filter(created_at__lt=cutoff)
        .exclude(_open_case())
        .exclude(Exists(recent_case))
        .exclude(Exists(recent_registration))
    )


def rejected_submissions(cutoff: datetime.datetime) -> QuerySet:
    """People known only from reporters' submissions that triage rejected before ``cutoff``
    (the rejection is the submission's last change), with no case."""
    from registry.models import Case, Registration

    theirs = Registration.objects.filter(person=OuterRef("pk"))
    return (
        _people()
        .filter(created_at__lt=cutoff)
        .filter(Exists(theirs.filter(status=SubmissionStatus.REJECTED)))
        .exclude(Exists(theirs.exclude(status=SubmissionStatus.REJECTED)))
        .exclude(Exists(theirs.filter(updated_at__gt=cutoff)))
        .exclude(Exists(Case.objects.filter(person=OuterRef("pk"))))
    )


def consent_withdrawn(cutoff: datetime.datetime) -> QuerySet:
    """People who withdrew consent to care before ``cutoff`` and have no open case (consent
    given again clears the date)."""
    return _people().filter(care_consent_withdrawn_on__lt=cutoff.date()).exclude(_open_case())


_PERSONAL = _(
    "The personal fields and blind indexes of the person, their name search, and the free text "
    "of their registrations, cases, notes, handovers and placements. Statistical fields stay."
)

RULES: list[Rule] = [
    Rule(
        key="closed",
        kind=_("Personal data of a closed file"),
        purpose=_("care coordination and registration"),
        after=_("after the person's last case closed (without a case: their last registration)"),
        erases=_PERSONAL,
        default_days=5 * 365,
        expired=closed_files,
    ),
    Rule(
        key="rejected",
        kind=_("Rejected submission"),
        purpose=_("triage of a reporter's submission"),
        after=_("after the submission was rejected"),
        erases=_PERSONAL,
        default_days=90,
        expired=rejected_submissions,
    ),
    Rule(
        key="consent_withdrawn",
        kind=_("Personal data after consent to care was withdrawn"),
        purpose=_("care coordination (consent withdrawn; the data is hidden from staff)"),
        after=_("after consent was withdrawn"),
        erases=_PERSONAL,
        default_days=5 * 365,
        expired=consent_withdrawn,
    ),
]


def old_drafts(cutoff: datetime.datetime) -> QuerySet:
    """Drafts of forms last saved before ``cutoff`` (registry/drafts.py; ``prune_drafts``
    deletes them every hour too, and nobody reads one past its day)."""
    from registry.models import FormDraft

    return FormDraft.objects.filter(saved_at__lt=cutoff)


def _draft_days() -> int:
    from registry.models.drafts import DRAFT_HOURS

    return max(1, DRAFT_HOURS // 24)


RULES.append(
    Rule(
        key="drafts",
        kind=_("Draft of a form (intake, report)"),
        purpose=_("nothing typed is lost while a form is filled in"),
        after=_("after the draft was last saved"),
        erases=_("The whole draft (deleted)."),
        default_days=_draft_days(),  # the drafts' own day (registry/models/drafts.py)
        expired=old_drafts,
        apply=lambda drafts: {"registry.formdraft": drafts.delete()[0]},
        pending=lambda drafts: {"registry.formdraft": drafts.count()},
    )
)


def register(rule: Rule) -> Rule:
    """Add ``rule`` to the schedule (another app's kind of file, such as intake's drafts);
    a rule with the key of one already there replaces it."""
    RULES[:] = [r for r in RULES if r.key != rule.key] + [rule]
    return rule


# What is kept on purpose, shown with the schedule: not erased by the command.
KEPT = [
    (
        _("Audit trail"),
        _(
            "Kept: the events hold who did what and when, with field names and counts, never a "
            "value, and their chain proves that none was removed. apply_retention never "
            "deletes one."
        ),
    ),
    (
        _("Statistical fields"),
        _(
            "Kept: gender, nationality, year of birth, the codes and dates of registrations, "
            "cases, procedures and referrals, so the national figures do not change."
        ),
    ),
]


# --- The run ------------------------------------------------------------------------------------


@dataclass
class Outcome:
    """What a run did (or, dry, would do): people per rule and rows per model."""

    people: dict[str, int]
    rows: Counts
    dry_run: bool

    @property
    def changed(self) -> bool:
        return any(self.rows.values())


def due(now: datetime.datetime | None = None) -> dict[str, QuerySet]:
    """The records past their time, per rule (a person may be under two rules; the run takes
    each once, under the first)."""
    now = now or timezone.now()
    return {rule.key: rule.expired(rule.cutoff(now)) for rule in RULES}


def apply(
    *, dry_run: bool = False, now: datetime.datetime | None = None, user: User | None = None
) -> Outcome:
    """Run the schedule: erase what expired (or, ``dry_run``, count it and change nothing), in
    one transaction with one audit event (``erase``, counts only) when anything changed."""
    from registry.models import AuditEvent

    by_rule = due(now)
    people: dict[str, int] = {}
    rows: Counts = dict.fromkeys((target.label for target in erasure.targets()), 0)
    rules = {rule.key: rule for rule in RULES}
    with transaction.atomic():
        taken: set[Any] = set()
        for key, qs in by_rule.items():
            ids = [pk for pk in qs.values_list("pk", flat=True) if (qs.model, pk) not in taken]
            taken.update((qs.model, pk) for pk in ids)
            people[key] = len(ids)
            # In chunks: a first run on an old registry may find many, and a query takes a
            # bounded number of parameters (SQLite).
            for start in range(0, len(ids), CHUNK):
                chosen = qs.model._base_manager.filter(pk__in=ids[start : start + CHUNK])
                counts = rules[key].pending(chosen) if dry_run else rules[key].apply(chosen)
                for label, n in counts.items():
                    rows[label] = rows.get(label, 0) + n
        outcome = Outcome(people=people, rows=rows, dry_run=dry_run)
        if outcome.changed and not dry_run:
            details: dict[str, Any] = {
                "retention": {key: rules[key].days for key in people},
                "people": people,
                "erased": rows,
            }
            AuditEvent.record(AuditAction.ERASE, user=user, actor_name=ACTOR_NAME, details=details)
    return outcome


@task()
def apply_retention(dry_run: bool = False) -> dict[str, Any]:
    """The schedule as a background job (django-tasks, default queue), as the reminders are:
    ``manage.py apply_retention`` runs it in place or, ``--enqueue``, leaves it to a worker.
    Its result holds counts only."""
    outcome = apply(dry_run=dry_run)
    return {"people": outcome.people, "rows": outcome.rows, "dry_run": outcome.dry_run}
