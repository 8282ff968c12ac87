"""Care coordination of a person in a region, and handovers between regions."""

from __future__ import annotations

import calendar
import datetime
import uuid
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import connection, connections, models, transaction
from django.db.models.expressions import RawSQL
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from registry import access
from registry.choices import (
    OPEN_CASE_STATUSES,
    CaseStatus,
    ClosedReason,
    DecidingBody,
    HandoverStatus,
    ResidenceStatus,
    Shelter,
    VictimStatus,
)
from registry.fields import EncryptedCharField, EncryptedQuerySet, EncryptedTextField

if TYPE_CHECKING:
    from registry.models.accounts import User

DUBLIN_REFLECTION_DAYS = 30
REFLECTION_MONTHS = 3


def add_months(day: datetime.date, months: int) -> datetime.date:
    """``day`` plus whole months, clamped to the month's last day (31 Jan + 1 = 28/29 Feb)."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return day.replace(
        year=year, month=month, day=min(day.day, calendar.monthrange(year, month)[1])
    )


def reflection_end(start: datetime.date, dublin: bool) -> datetime.date:
    """End of the reflection period: three months, or 30 days for Dublin cases."""
    if dublin:
        return start + datetime.timedelta(days=DUBLIN_REFLECTION_DAYS)
    return add_months(start, REFLECTION_MONTHS)


# Which status may follow which. Closing needs a reason; a closed case comes back as
# "reopened", never as "new", so the statistics can count repeat care.
TRANSITIONS: dict[str, frozenset[str]] = {
    CaseStatus.NEW: frozenset({CaseStatus.IN_CARE, CaseStatus.CLOSED}),
    CaseStatus.IN_CARE: frozenset({CaseStatus.CLOSED}),
    CaseStatus.CLOSED: frozenset({CaseStatus.REOPENED}),
    CaseStatus.REOPENED: frozenset({CaseStatus.IN_CARE, CaseStatus.CLOSED}),
}
DECIDED_VICTIM_STATUSES = frozenset({VictimStatus.CONFIRMED, VictimStatus.NOT_A_VICTIM})


def allowed_statuses(current: str) -> list[str]:
    """The statuses a case in ``current`` may take next, the current one first."""
    return [current, *sorted(TRANSITIONS.get(current, frozenset()))]


def transition_errors(current: str, new: str, closed_reason: str) -> dict[str, Any]:
    """Why moving from ``current`` to ``new`` (with ``closed_reason``) is not allowed, per field."""
    errors: dict[str, Any] = {}
    if new != current and new not in TRANSITIONS.get(current, frozenset()):
        errors["status"] = _("A case that is %(current)s cannot become %(new)s.") % {
            "current": CaseStatus(current).label,
            "new": CaseStatus(new).label,
        }
    if new == CaseStatus.CLOSED and not closed_reason:
        errors["closed_reason"] = _("Give the reason for closing the case.")
    if new != CaseStatus.CLOSED and closed_reason:
        errors["closed_reason"] = _("A reason for closing only applies to a closed case.")
    return errors


# "No reflection end", sorted after the dates (False before True) on every database, in the
# help desk's list and its index alike.
NO_DEADLINE = models.ExpressionWrapper(
    models.Q(reflection_end__isnull=True), output_field=models.BooleanField()
)


class CaseQuerySet(EncryptedQuerySet):
    def for_user(self, user: User | None) -> CaseQuerySet:
        return access.cases_for_user(self, user)

    def open(self) -> CaseQuerySet:
        return self.filter(status__in=OPEN_CASE_STATUSES)

    def without_nidos_referral(self) -> CaseQuerySet:
        """Cases without a Nidos referral pending or accepted (registry/models/care.py)."""
        from registry.models.care import cases_without_nidos_referral

        return cases_without_nidos_referral(self)

    def open_by_deadline(self) -> CaseQuerySet:
        """The open cases, the soonest reflection end first, cases without one after them,
        then the oldest: the condition and order of case_open_deadline_idx, so the help
        desk's first 100 are read in index order however many cases there are
        (bench/intake.py --capacity).

        The same as ``open()`` ordered so (tested against the plain ORM), with the statuses
        written into the SQL as the index's condition is: SQLite uses a partial index only for
        a condition it can see, and ``status__in`` sends them as parameters (17x slower at
        100,000 persons). The statuses are the code's own constants, never input.
        """
        table = connection.ops.quote_name(self.model._meta.db_table)
        column = connection.ops.quote_name(self.model._meta.get_field("status").column)
        statuses = ", ".join(f"'{status}'" for status in sorted(OPEN_CASE_STATUSES))
        is_open = RawSQL(  # noqa: S611 - constants of the code, no input
            f"{table}.{column} IN ({statuses})", [], output_field=models.BooleanField()
        )
        return self.filter(is_open).order_by(NO_DEADLINE, "reflection_end", "opened_on", "pk")

    # --- the flags of issue 13: each rule once, in flag_rule (end of this module) -----------

    def flagged(self, flag: str, today: datetime.date) -> CaseQuerySet:
        """The cases that carry ``flag`` (a ``Flag``) on ``today``: the list's filter, the
        dashboard's counter and the reminders all ask this."""
        return self.filter(flag_rule(flag, today))

    def flag_counts(self, today: datetime.date) -> dict[str, int]:
        """How many of these cases carry each flag on ``today``, in one query (every flag is
        of open cases: closed ones are not read)."""
        return self.open().aggregate(
            **{flag: models.Count("pk", filter=flag_rule(flag, today)) for flag in Flag.values}
        )

    def with_flags(self, today: datetime.date) -> CaseQuerySet:
        """Each case with its flags (``flag_<name>``, booleans) and ``urgency``: 0 immediate
        danger, 1 a deadline passed, 2 a deadline near, 3 the rest."""
        flags = {
            f"flag_{flag}": models.ExpressionWrapper(
                flag_rule(flag, today), output_field=models.BooleanField()
            )
            for flag in Flag.values
        }
        ranks = [
            models.When(flag_rule(flag, today), then=models.Value(rank))
            for rank, group in enumerate(URGENCY)
            for flag in group
        ]
        urgency = models.Case(
            *ranks, default=models.Value(len(URGENCY)), output_field=models.IntegerField()
        )
        return self.annotate(**flags, urgency=urgency)

    def urgent_first(self, today: datetime.date) -> CaseQuerySet:
        """Immediate danger first, then a deadline passed, then near, then the rest; newest
        first within each: the default order of the case list and the help desk page."""
        return self.with_flags(today).order_by("urgency", "-opened_on", "pk")


class Case(models.Model):
    """The care coordination of one person in one region."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    person = models.ForeignKey(
        "registry.Person", on_delete=models.PROTECT, related_name="cases", verbose_name=_("person")
    )
    registration = models.ForeignKey(
        "registry.Registration",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="cases",
        verbose_name=_("opening registration"),
    )
    # No index of their own for region and coordinator: the composite indexes in Meta begin
    # with them and serve every lookup by either alone, so a second index would only be
    # written on every new or moved case.
    region = models.ForeignKey(
        "registry.Region",
        on_delete=models.PROTECT,
        related_name="cases",
        verbose_name=_("region"),
        db_index=False,
    )
    coordinator = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        db_index=False,
        null=True,
        blank=True,
        related_name="cases",
        verbose_name=_("coordinator"),
        help_text=_("Empty means the help desk coordinates the case."),
    )
    status = models.CharField(
        _("status"), max_length=12, choices=CaseStatus.choices, default=CaseStatus.NEW
    )
    closed_reason = models.CharField(
        _("reason for closing"), max_length=20, choices=ClosedReason.choices, blank=True
    )
    closed_on = models.DateField(_("closed on"), null=True, blank=True)
    victim_status = models.CharField(
        _("victim status"),
        max_length=16,
        choices=VictimStatus.choices,
        default=VictimStatus.POSSIBLE,
    )
    victim_status_decided_by = models.CharField(
        _("victim status decided by"), max_length=16, choices=DecidingBody.choices, blank=True
    )
    reflection_start = models.DateField(_("reflection period start"), null=True, blank=True)
    is_dublin = models.BooleanField(
        _("Dublin case"), default=False, help_text=_("Dublin cases have 30 days of reflection.")
    )
    reflection_end = models.DateField(
        _("reflection period end"), null=True, blank=True, editable=False
    )
    residence_status = models.CharField(
        _("residence status"),
        max_length=24,
        choices=ResidenceStatus.choices,
        default=ResidenceStatus.UNKNOWN,
    )
    shelter_requested = models.CharField(
        _("shelter requested"), max_length=20, choices=Shelter.choices, blank=True
    )
    shelter_placed = models.CharField(
        _("shelter placed"), max_length=20, choices=Shelter.choices, blank=True
    )
    care_received = models.CharField(
        _("care received"), max_length=20, choices=Shelter.choices, blank=True
    )
    # Issue 16: the victim monitor counts these cases apart (docs/data-dictionary.md).
    sub3 = models.BooleanField(
        _("sub 3 case (Art. 273f(1)(3) Sr)"),
        default=False,
        help_text=_(
            "Tick when the case concerns Article 273f, paragraph 1, sub 3 of the Criminal "
            "Code: recruiting, taking along or abducting a person to bring them to make "
            "themselves available for sexual acts for payment in another country. No coercion "
            "needs to be shown for this offence."
        ),
    )
    # Encrypted: people write the shelter or the place where the person stays here.
    care_location = EncryptedCharField(
        _("where care was received"),
        max_length=200,
        help_text=_("The organisation or place where care was received. Encrypted."),
        person_key="person_id",
    )
    notes = EncryptedTextField(_("notes"), person_key="person_id")
    # Copies of the opening registration's urgency flags (Case.save and Registration.save keep
    # them), so the lists sort and count urgent cases from an index of cases alone, without a
    # join per case (bench/workspace.py; CaseQuerySet.with_flags).
    immediate_danger = models.BooleanField(_("immediate danger"), default=False, editable=False)
    minor = models.BooleanField(_("minor"), default=False, editable=False)
    opened_on = models.DateField(_("opened on"), default=datetime.date.today)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = CaseQuerySet.as_manager()

    class Meta:
        ordering = ["-opened_on", "-created_at"]
        verbose_name = _("case")
        verbose_name_plural = _("cases")
        indexes = [
            models.Index(fields=["region", "status"], name="case_region_status_idx"),
            models.Index(fields=["coordinator", "status"], name="case_coordinator_status_idx"),
            models.Index(fields=["reflection_end"], name="case_reflection_end_idx"),
            # The workspace's default list (a region's cases, newest first) reads 50 rows in
            # index order instead of sorting the whole region (bench/workspace.py).
            models.Index(fields=["region", "-opened_on"], name="case_region_opened_idx"),
            # The help desk's list (registry.views.helpdesk, CaseQuerySet.open_by_deadline): open
            # cases, soonest reflection end first, those without one after them, then the
            # oldest. Only open cases, so closed ones piling up over the years are never read:
            # the list stays flat as the registry grows (bench/intake.py --capacity).
            models.Index(
                NO_DEADLINE,
                "reflection_end",
                "opened_on",
                "id",
                condition=models.Q(status__in=sorted(OPEN_CASE_STATUSES)),
                name="case_open_deadline_idx",
            ),
            # The lists' flags, counters and urgent-first order (CaseQuerySet.with_flags,
            # flag_counts): everything they read of a case, so a region's open cases are
            # counted and ranked from the index alone (bench/workspace.py, issue 13).
            models.Index(
                fields=[
                    "region",
                    "status",
                    "immediate_danger",
                    "minor",
                    "reflection_end",
                    "residence_status",
                    "coordinator",
                    "opened_on",
                    "id",
                ],
                name="case_list_flags_idx",
            ),
            # The reminder "new and unassigned for too long": a small index of just those.
            models.Index(
                fields=["region", "opened_on"],
                condition=models.Q(status=CaseStatus.NEW, coordinator__isnull=True),
                name="case_unassigned_new_idx",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(status=CaseStatus.CLOSED) | ~models.Q(closed_reason=""),
                name="case_closed_has_reason",
            ),
        ]

    def __str__(self) -> str:
        return _("Case %(ref)s") % {"ref": str(self.pk).split("-")[0].upper()}

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.reflection_end = (
            reflection_end(self.reflection_start, self.is_dublin) if self.reflection_start else None
        )
        if self.registration_id and (
            self._state.adding or Case.registration.is_cached(self)  # type: ignore[attr-defined]
        ):
            self.immediate_danger = self.registration.immediate_danger
            self.minor = self.registration.is_minor
        super().save(*args, **kwargs)
        update_fields = kwargs.get("update_fields")
        if update_fields is None or {"status", "coordinator", "coordinator_id"} & set(
            update_fields
        ):
            OpenCaseCount.objects.case_moved(self.loaded_open_coordinator, self.open_coordinator_id)
            self._loaded_status = self.status
            self._loaded_coordinator_id = self.coordinator_id

    def get_absolute_url(self) -> str:
        return reverse("registry:case_detail", args=[self.pk])

    def delete(self, *args: Any, **kwargs: Any) -> Any:
        counted_for = self.loaded_open_coordinator
        deleted = super().delete(*args, **kwargs)
        OpenCaseCount.objects.case_moved(counted_for, None)
        return deleted

    @classmethod
    def from_db(cls, db: str, field_names: Any, values: Any) -> Case:
        instance = super().from_db(db, field_names, values)
        instance._loaded_status = instance.__dict__.get("status")
        instance._loaded_coordinator_id = instance.__dict__.get("coordinator_id")
        return instance

    @property
    def open_coordinator_id(self) -> int | None:
        """The coordinator whose open cases this case counts among, now (None: none)."""
        return self.coordinator_id if self.status in OPEN_CASE_STATUSES else None

    @property
    def loaded_open_coordinator(self) -> int | None:
        """The coordinator this case counted for when it was read (a new case: nobody)."""
        if getattr(self, "_loaded_status", None) not in OPEN_CASE_STATUSES:
            return None
        return getattr(self, "_loaded_coordinator_id", None)

    @property
    def previous_status(self) -> str:
        """The status the case had when it was read (a new case starts as new)."""
        return getattr(self, "_loaded_status", None) or CaseStatus.NEW

    def clean(self) -> None:
        """The rules of a case, for every screen that writes one (workspace and admin).

        The status follows the workflow (TRANSITIONS) with a reason to close; the coordinator
        is an active coordinator of the case's region; a decided victim status says who
        decided; a Dublin case has the start of its reflection period; a sub 3 case is one
        of sexual exploitation.
        """
        super().clean()
        errors = transition_errors(self.previous_status, self.status, self.closed_reason or "")
        if self.coordinator_id is not None and self.region_id is not None:
            from registry.models.accounts import User

            if (
                not User.objects.coordinators_of(self.region_id)
                .filter(pk=self.coordinator_id)
                .exists()
            ):
                errors["coordinator"] = _("Choose an active coordinator of the case's region.")
        if self.victim_status in DECIDED_VICTIM_STATUSES and not self.victim_status_decided_by:
            errors["victim_status_decided_by"] = _("Say who decided on the victim status.")
        if self.is_dublin and not self.reflection_start:
            errors["reflection_start"] = _(
                "A Dublin case needs the start of its reflection period."
            )
        if self.sub3 and self.registration_id is not None:
            # Sub 3 is an offence of sexual exploitation (Art. 273f(1)(3) Sr): a case whose
            # registration names forms of exploitation, none of them sexual (or unknown),
            # cannot be one.
            forms = set(self.registration.exploitation_forms.values_list("code", flat=True))
            if forms and not forms & {"sexual", "unknown"}:
                errors["sub3"] = _(
                    "A sub 3 case concerns sexual exploitation, and the registration names "
                    "other forms of exploitation only: correct the forms first, or untick."
                )
        if errors:
            raise ValidationError(errors)

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_CASE_STATUSES

    def may_be_coordinated_by(self, user: User | int) -> bool:
        """Whether ``user`` (a User or its id) is an active coordinator of the case's region."""
        from registry.models.accounts import User

        user_id = getattr(user, "pk", user)
        return User.objects.coordinators_of(self.region_id).filter(pk=user_id).exists()

    @property
    def shown_flags(self) -> list[Flag]:
        """The flags to show: as ``CaseQuerySet.with_flags`` worked them out (the lists); a
        case read without it shows the urgency marks of its opening registration."""
        if hasattr(self, "urgency"):
            return [Flag(flag) for flag in Flag.values if getattr(self, f"flag_{flag}")]
        marks = ((Flag.IMMEDIATE_DANGER, self.immediate_danger), (Flag.MINOR, self.minor))
        return [flag for flag, on in marks if on]


class OpenCaseCountQuerySet(models.QuerySet):
    def case_moved(self, before: int | None, after: int | None) -> None:
        """One open case left coordinator ``before`` and came to ``after`` (ids; None: no
        coordinator, or the case was not open). Case.save() calls it, so every way a case
        is opened, closed, reopened, taken, assigned or handed over keeps the counts."""
        if before == after:
            return
        if before is not None:
            self._shift(before, -1)
        if after is not None:
            self.add(after, 1)

    def add(self, coordinator_id: int, cases: int) -> None:
        """``cases`` more open cases for ``coordinator_id`` (the row made if missing).

        For a way in that creates cases without Case.save() (a bulk insert): call it once per
        coordinator with the number of open cases it gave them."""
        if not self._shift(coordinator_id, cases):
            # Two first cases at once: the second insert waits for the first and is ignored
            # (PostgreSQL's ON CONFLICT DO NOTHING), then both updates count.
            self.bulk_create(
                [OpenCaseCount(coordinator_id=coordinator_id, open_cases=0)],
                ignore_conflicts=True,
            )
            self._shift(coordinator_id, cases)

    def _shift(self, coordinator_id: int, cases: int) -> int:
        """Add ``cases`` (may be negative) to the count of ``coordinator_id``; the rows
        changed (0: no row yet). The ORM's ``filter().update(open_cases=F(...) + cases)``
        as one prepared statement: every saved case runs it, and compiling the ORM's UPDATE
        cost five times the statement (bench/intake.py). tests/conftest.py compares the counts
        with the plain ORM count after every test."""
        db = connections[self.db]
        table = db.ops.quote_name(self.model._meta.db_table)
        with db.cursor() as cursor:
            cursor.execute(
                f"UPDATE {table} SET open_cases = open_cases + %s "  # noqa: S608
                "WHERE coordinator_id = %s",
                [cases, coordinator_id],
            )
            return cursor.rowcount

    def recount(self) -> int:
        """Set every count to the plain count of open cases; the number of counts changed.

        ``manage.py recount_open_cases`` (after a restore, or a write that bypassed
        Case.save()); in one transaction, so routing never sees half of it."""
        actual = dict(
            Case.objects.open()
            .filter(coordinator__isnull=False)
            .values_list("coordinator")
            .annotate(n=models.Count("pk"))
            .values_list("coordinator", "n")
        )
        changed = 0
        with transaction.atomic():
            kept = dict(self.select_for_update().values_list("coordinator_id", "open_cases"))
            for coordinator_id in kept.keys() - actual.keys():
                if kept[coordinator_id] != 0:
                    self.filter(coordinator_id=coordinator_id).update(open_cases=0)
                    changed += 1
            for coordinator_id, count in actual.items():
                if kept.get(coordinator_id) != count:
                    self.update_or_create(
                        coordinator_id=coordinator_id, defaults={"open_cases": count}
                    )
                    changed += 1
        return changed


class OpenCaseCount(models.Model):
    """How many open cases a coordinator has: routing gives a new case to the coordinator of
    the region with the fewest (intake.routing.pick_coordinator) without counting the cases
    on every save, which grew with the registry (docs/PERFORMANCE.md, "Issue 12: capacity").

    Kept by Case.save() (``case_moved``); ``manage.py recount_open_cases`` repairs it.
    """

    coordinator = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="open_case_count",
        verbose_name=_("coordinator"),
    )
    open_cases = models.IntegerField(_("open cases"), default=0)

    objects = OpenCaseCountQuerySet.as_manager()

    class Meta:
        verbose_name = _("open case count")
        verbose_name_plural = _("open case counts")

    def __str__(self) -> str:
        return f"{self.coordinator_id}: {self.open_cases}"


class HandoverQuerySet(EncryptedQuerySet):
    def for_user(self, user: User | None) -> HandoverQuerySet:
        return access.handovers_for_user(self, user)


class Handover(models.Model):
    """A request to move a case to another region, accepted or rejected by the receiving side.

    The reason and the decision note are free text that people fill with personal details
    despite the help text, so they are encrypted; hence the UUID primary key (known before
    the first save, unguessable in URLs).
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    case = models.ForeignKey(
        Case, on_delete=models.PROTECT, related_name="handovers", verbose_name=_("case")
    )
    from_region = models.ForeignKey(
        "registry.Region", on_delete=models.PROTECT, related_name="+", verbose_name=_("from")
    )
    to_region = models.ForeignKey(
        "registry.Region", on_delete=models.PROTECT, related_name="+", verbose_name=_("to")
    )
    status = models.CharField(
        _("status"), max_length=10, choices=HandoverStatus.choices, default=HandoverStatus.PENDING
    )
    reason = EncryptedCharField(
        _("reason"),
        max_length=300,
        help_text=_("Why the case moves. Encrypted; still, no names or other personal data."),
        person_key="case.person_id",
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    requested_at = models.DateTimeField(_("requested"), auto_now_add=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    decision_note = EncryptedCharField(
        _("decision note"), max_length=300, person_key="case.person_id"
    )

    objects = HandoverQuerySet.as_manager()

    class Meta:
        ordering = ["-requested_at"]
        verbose_name = _("handover")
        verbose_name_plural = _("handovers")
        constraints = [
            models.UniqueConstraint(
                fields=["case"],
                condition=models.Q(status=HandoverStatus.PENDING),
                name="handover_one_pending_per_case",
            ),
            models.CheckConstraint(
                condition=~models.Q(from_region=models.F("to_region")),
                name="handover_changes_region",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.from_region} → {self.to_region} ({self.get_status_display()})"

    def get_absolute_url(self) -> str:
        return reverse("registry:handover_detail", args=[self.pk])


# --- Flags: what needs a coordinator's attention (issue 13, item 6) ----------------------------

REFLECTION_WARNING_DAYS = 14
UNASSIGNED_WORKING_DAYS = 2

# A reflection period that ended still needs a decision while the residence status says
# nothing came after it: still "reflection period", or unknown. Any other status (a permit,
# asylum, no lawful residence, not applicable) records what followed, and clears the flag.
UNDECIDED_RESIDENCE = (ResidenceStatus.REFLECTION_PERIOD, ResidenceStatus.UNKNOWN)


class Flag(models.TextChoices):
    """What makes an open case need attention. Each rule is ``flag_rule``."""

    IMMEDIATE_DANGER = "danger", _("immediate danger")
    REFLECTION_ENDED = "reflection_ended", _("reflection period ended")
    UNASSIGNED = "unassigned", _("unassigned for more than two working days")
    REFLECTION_ENDING = "reflection_ending", _("reflection period ends within 14 days")
    MINOR = "minor", _("minor, no referral recorded")


# The urgency rank of the lists' default order: danger, a deadline passed, a deadline near.
URGENCY = (
    (Flag.IMMEDIATE_DANGER,),
    (Flag.REFLECTION_ENDED, Flag.UNASSIGNED),
    (Flag.REFLECTION_ENDING,),
)


def subtract_working_days(day: datetime.date, count: int) -> datetime.date:
    """``day`` minus ``count`` working days (Monday to Friday; holidays count as working)."""
    while count > 0:
        day -= datetime.timedelta(days=1)
        if day.weekday() < 5:
            count -= 1
    return day


def flag_rule(flag: str, today: datetime.date) -> models.Q:
    """The condition of ``flag`` on ``today``: the one place each rule is written."""
    # Open is "not closed" (OPEN_CASE_STATUSES is every other status, as a test checks): one
    # comparison per case, where SQLite evaluated an IN list for each flag of each case.
    is_open = ~models.Q(status=CaseStatus.CLOSED)
    if flag == Flag.IMMEDIATE_DANGER:
        return is_open & models.Q(immediate_danger=True)
    if flag == Flag.REFLECTION_ENDED:
        return is_open & models.Q(
            reflection_end__lt=today, residence_status__in=UNDECIDED_RESIDENCE
        )
    if flag == Flag.UNASSIGNED:
        cutoff = subtract_working_days(today, UNASSIGNED_WORKING_DAYS)
        return models.Q(status=CaseStatus.NEW, coordinator__isnull=True, opened_on__lt=cutoff)
    if flag == Flag.REFLECTION_ENDING:
        soon = today + datetime.timedelta(days=REFLECTION_WARNING_DAYS)
        return is_open & models.Q(reflection_end__gte=today, reflection_end__lte=soon)
    if flag == Flag.MINOR:
        # An open case of a minor (the opening registration's flag) with no referral in force
        # (pending or accepted, of any kind: Nidos for an unaccompanied minor, which intake
        # makes itself, or another); a refused referral leaves the need open.
        from registry.models.care import Referral

        referred = Referral.objects.in_force().filter(case=models.OuterRef("pk"))
        return is_open & models.Q(minor=True) & ~models.Exists(referred)
    raise ValueError(f"unknown flag {flag!r}")
