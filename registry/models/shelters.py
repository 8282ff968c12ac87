"""Shelters, their places, and the placement of a case in one (or on the waiting list).

A place is taken by a placement active today: placed, and not ended before or on today. The
free places of a shelter are its places minus those. A placement into a COSM when every COSM
is full becomes a waiting-list entry (a Placement with status ``waiting`` and no shelter yet),
and the oldest entry is placed when a place frees up (``place_next``). The rules of who may
place where are in registry/access.py; the why is in docs/workspace.md, "Shelters".
"""

from __future__ import annotations

import datetime
import uuid
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Count, F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from registry import access
from registry.choices import (
    SHELTER_PLACED_AS,
    AuditAction,
    PlacementStatus,
    PlacementWarning,
    ResidenceStatus,
    ShelterType,
)
from registry.fields import EncryptedQuerySet, EncryptedTextField
from registry.models.cases import REFLECTION_MONTHS, add_months

if TYPE_CHECKING:
    from registry.models.accounts import User
    from registry.models.cases import Case

ADULT_AGE = 18
# A stay longer than this many months is listed on the overview and reminded once.
LONG_STAY_MONTHS = REFLECTION_MONTHS


class ShelterQuerySet(models.QuerySet):
    def active(self) -> ShelterQuerySet:
        return self.filter(is_active=True)

    def cosm(self) -> ShelterQuerySet:
        return self.filter(shelter_type=ShelterType.COSM)

    def with_occupancy(self, day: datetime.date | None = None) -> ShelterQuerySet:
        """Each shelter with ``occupied`` (placements active on ``day``, default today) and
        ``free`` (places minus occupied)."""
        day = day or timezone.localdate()
        occupied = Count("placements", filter=Placement.active_on_q(day, prefix="placements__"))
        return self.annotate(occupied=occupied).annotate(free=F("places") - F("occupied"))


class Shelter(models.Model):
    """A shelter with a number of places, recorded by administrators in the admin.

    No address: where a COSM is must stay unknown to anyone who does not need it; the
    municipality is enough to place someone away from where they were exploited.
    """

    name = models.CharField(
        _("name"),
        max_length=100,
        unique=True,
        help_text=_("The name staff know the shelter by. Never a street address."),
    )
    shelter_type = models.CharField(
        _("type"), max_length=10, choices=ShelterType.choices, default=ShelterType.COSM
    )
    municipality = models.ForeignKey(
        "registry.Municipality",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("municipality"),
    )
    target_group = models.CharField(
        _("target group"),
        max_length=200,
        blank=True,
        help_text=_("Who the shelter takes in, e.g. women 18+ with children."),
    )
    places = models.PositiveIntegerField(
        _("places"), validators=[MinValueValidator(1)], help_text=_("The number of beds.")
    )
    is_active = models.BooleanField(
        _("active"),
        default=True,
        help_text=_("An inactive shelter keeps its placements but takes no one new."),
    )

    objects = ShelterQuerySet.as_manager()

    class Meta:
        ordering = ["shelter_type", "name"]
        verbose_name = _("shelter")
        verbose_name_plural = _("shelters")
        constraints = [
            models.CheckConstraint(condition=Q(places__gte=1), name="shelter_has_places"),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.municipality})"

    @property
    def is_cosm(self) -> bool:
        return self.shelter_type == ShelterType.COSM


class PlacementQuerySet(EncryptedQuerySet):
    def for_user(self, user: User | None) -> PlacementQuerySet:
        return access.placements_for_user(self, user)

    def active_on(self, day: datetime.date) -> PlacementQuerySet:
        return self.filter(Placement.active_on_q(day))

    def waiting(self) -> PlacementQuerySet:
        """The waiting list, first come first served."""
        return self.filter(status=PlacementStatus.WAITING).order_by("requested_at", "pk")

    def open(self) -> PlacementQuerySet:
        """Placements that still hold or wait for a place (one per case at most)."""
        return self.filter(status__in=OPEN_PLACEMENT_STATUSES)

    def long_stays(self, day: datetime.date) -> list[Placement]:
        """The placements active on ``day`` that began at least three months before it
        (``stay_review_on``), longest first. A few dozen rows at most: filtered in Python so
        the date arithmetic is the one of the reminders."""
        active = self.active_on(day).select_related("shelter", "case__region")
        return sorted(
            (p for p in active.order_by("start_date", "pk") if p.stay_review_on <= day),
            key=lambda p: (p.start_date, str(p.pk)),
        )


OPEN_PLACEMENT_STATUSES = (PlacementStatus.WAITING, PlacementStatus.PLACED)


@dataclass
class Outcome:
    """What :meth:`Placement.place` did: ``placement`` placed, or queued at ``position``."""

    placement: Placement
    position: int = 0

    @property
    def queued(self) -> bool:
        return self.placement.status == PlacementStatus.WAITING


class ShelterFull(ValidationError):
    """The chosen shelter has no free place (another one has)."""


class Placement(models.Model):
    """A case placed in a shelter, or waiting for a COSM place.

    The reason is free text (a note on why a COSM placement is made despite a warning, or
    about the placement) and is encrypted: people write personal details there.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    case = models.ForeignKey(
        "registry.Case", on_delete=models.PROTECT, related_name="placements", verbose_name=_("case")
    )
    shelter = models.ForeignKey(
        Shelter,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="placements",
        verbose_name=_("shelter"),
        help_text=_("Empty while the case waits for a COSM place."),
    )
    status = models.CharField(
        _("status"), max_length=10, choices=PlacementStatus.choices, default=PlacementStatus.PLACED
    )
    requested_at = models.DateTimeField(_("requested"), default=timezone.now)
    start_date = models.DateField(_("start date"), null=True, blank=True)
    end_date = models.DateField(_("end date"), null=True, blank=True)
    placed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("placed by"),
    )
    ended_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("ended by"),
    )
    # Codes of PlacementWarning that applied when the placement was asked for.
    warnings = models.JSONField(_("warnings"), default=list, blank=True)
    reason = EncryptedTextField(
        _("reason"),
        help_text=_("Why the placement is made despite the warnings. Encrypted."),
        person_key="case.person_id",
    )

    objects = PlacementQuerySet.as_manager()

    class Meta:
        ordering = ["-requested_at"]
        verbose_name = _("placement")
        verbose_name_plural = _("placements")
        default_permissions = ("view",)
        indexes = [
            models.Index(fields=["shelter", "status"], name="placement_shelter_status_idx"),
            models.Index(fields=["status", "requested_at"], name="placement_status_asked_idx"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["case"],
                condition=Q(status__in=OPEN_PLACEMENT_STATUSES),
                name="placement_one_open_per_case",
            ),
            models.CheckConstraint(
                # A waiting entry has no shelter yet; taken off the list, it never had one.
                condition=Q(status__in=[PlacementStatus.WAITING, PlacementStatus.WITHDRAWN])
                | Q(shelter__isnull=False),
                name="placement_has_shelter_unless_waiting",
            ),
            models.CheckConstraint(
                condition=Q(end_date__isnull=True)
                | Q(start_date__isnull=True)
                | Q(end_date__gte=F("start_date")),
                name="placement_ends_after_start",
            ),
        ]

    def __str__(self) -> str:
        return _("Placement of %(case)s") % {"case": self.case}

    def get_absolute_url(self) -> str:
        return reverse("registry:case_shelter", args=[self.case_id])

    @staticmethod
    def active_on_q(day: datetime.date, prefix: str = "") -> Q:
        """Placed, started on or before ``day`` and not ended by it."""
        return Q(**{f"{prefix}status": PlacementStatus.PLACED}) & (
            Q(**{f"{prefix}start_date__lte": day})
            & (Q(**{f"{prefix}end_date__isnull": True}) | Q(**{f"{prefix}end_date__gt": day}))
        )

    @property
    def stay_review_on(self) -> datetime.date:
        """The day the stay reaches three months: the reminder's day."""
        return add_months(self.start_date, LONG_STAY_MONTHS)

    @property
    def is_active(self) -> bool:
        return self.status == PlacementStatus.PLACED

    def get_warnings_display(self) -> list[str]:
        return [str(PlacementWarning(code).label) for code in self.warnings]

    @classmethod
    def place(
        cls,
        case: Case,
        shelter: Shelter,
        user: User,
        *,
        start_date: datetime.date,
        reason: str = "",
    ) -> Outcome:
        """Place ``case`` in ``shelter`` from ``start_date``; for a COSM with every COSM full,
        put it on the waiting list instead. Raises ShelterFull when the shelter is full and
        another of its kind is not (choose that one), ValidationError when a reason is needed.

        The rows of the shelters that decide it are locked first (``SELECT ... FOR UPDATE``,
        in id order, so two placements never deadlock): of two placements into the last place
        at once the second waits, then counts the first and is queued or told it is full.
        SQLite serialises writes anyway.
        """
        warnings = warnings_for(case, start_date) if shelter.is_cosm else []
        if warnings and not reason.strip():
            raise ValidationError({"reason": _("Give the reason for this placement.")})
        candidates = Shelter.objects.active().filter(shelter_type=shelter.shelter_type)
        if not shelter.is_cosm:
            candidates = candidates.filter(pk=shelter.pk)
        locked = list(candidates.select_for_update().order_by("pk").values_list("pk", flat=True))
        if shelter.pk not in locked:
            raise ValidationError({"shelter": _("This shelter takes no one new.")})
        free = dict(
            Shelter.objects.filter(pk__in=locked).with_occupancy().values_list("pk", "free")
        )
        placement = cls(
            case=case,
            placed_by=user,
            warnings=warnings,
            reason=reason.strip(),
        )
        fields = ["shelter", "status", "start_date"]
        if free[shelter.pk] > 0:
            placement.shelter, placement.start_date = shelter, start_date
            placement.status = PlacementStatus.PLACED
        elif shelter.is_cosm and not any(n > 0 for n in free.values()):
            placement.status = PlacementStatus.WAITING
            fields = ["status"]
        else:
            raise ShelterFull(
                _("%(shelter)s has no free place; choose one with free places.")
                % {"shelter": shelter}
            )
        placement.full_clean(exclude=["case", "placed_by"])
        placement.save(force_insert=True)
        if placement.status == PlacementStatus.PLACED:
            _mark_case_placed(case, shelter)
        _audit(AuditAction.CREATE, user, placement, [*fields, *(["reason"] if reason else [])])
        position = 0
        if placement.status == PlacementStatus.WAITING:
            position = (
                Placement.objects.waiting().filter(requested_at__lte=placement.requested_at).count()
            )
        return Outcome(placement, position)

    def end(self, user: User, end_date: datetime.date) -> None:
        """End this placement on ``end_date`` (the place is free from that day)."""
        if self.status != PlacementStatus.PLACED:
            raise ValidationError(_("Only a current placement can be ended."))
        if end_date < self.start_date:
            raise ValidationError({"end_date": _("The end date cannot be before the start date.")})
        self.status, self.end_date, self.ended_by = PlacementStatus.ENDED, end_date, user
        self.save(update_fields=["status", "end_date", "ended_by"])
        _audit(AuditAction.CHANGE, user, self, ["status", "end_date"])

    def withdraw(self, user: User) -> None:
        """Take this entry off the waiting list."""
        if self.status != PlacementStatus.WAITING:
            raise ValidationError(_("Only an entry on the waiting list can be taken off it."))
        self.status = PlacementStatus.WITHDRAWN
        self.save(update_fields=["status"])
        _audit(AuditAction.CHANGE, user, self, ["status"])

    @classmethod
    def place_next(
        cls, shelter: Shelter, user: User, start_date: datetime.date
    ) -> Placement | None:
        """Place the first case of the waiting list in ``shelter`` (a COSM with a free place):
        the help desk's one click when a place frees up. None when nobody waits or the place
        is taken meanwhile. The waiting entry keeps its warnings and reason."""
        if not list(Shelter.objects.active().cosm().filter(pk=shelter.pk).select_for_update()):
            return None
        if (
            Shelter.objects.filter(pk=shelter.pk).with_occupancy().values_list("free", flat=True)[0]
            <= 0
        ):
            return None
        first = cls.objects.waiting().select_for_update().select_related("case").first()
        if first is None:
            return None
        first.shelter, first.start_date = shelter, start_date
        first.status, first.placed_by = PlacementStatus.PLACED, user
        first.save(update_fields=["shelter", "start_date", "status", "placed_by"])
        _mark_case_placed(first.case, shelter)
        _audit(AuditAction.CHANGE, user, first, ["shelter", "status", "start_date"])
        return first


def warnings_for(case: Case, day: datetime.date) -> list[str]:
    """The reasons a COSM placement of ``case`` on ``day`` needs a reason: COSM takes adult
    foreign victims in their reflection period."""
    person = case.person
    found = []
    age = person.age_on(day)
    if age is not None and age < ADULT_AGE:
        found.append(PlacementWarning.MINOR)
    if str(person.nationality or "") == "NL":
        found.append(PlacementWarning.DUTCH_NATIONAL)
    if case.reflection_start is not None:
        in_reflection = case.reflection_start <= day <= (case.reflection_end or day)
    else:
        # A period recorded as the status but not yet dated counts as running.
        in_reflection = case.residence_status == ResidenceStatus.REFLECTION_PERIOD
    if not in_reflection:
        found.append(PlacementWarning.OUTSIDE_REFLECTION)
    return [str(code) for code in found]


def _mark_case_placed(case: Case, shelter: Shelter) -> None:
    """The case's statistical code follows the placement (Case.shelter_placed)."""
    code = SHELTER_PLACED_AS[ShelterType(shelter.shelter_type)]
    if case.shelter_placed != code:
        type(case).objects.filter(pk=case.pk).update(shelter_placed=code)
        case.shelter_placed = code


def _audit(action: AuditAction, user: User, placement: Placement, fields: list[str]) -> None:
    from registry.models.audit import AuditEvent

    AuditEvent.record(
        action,
        user=user,
        obj=placement,
        case=placement.case_id,
        details={"fields": sorted(set(fields)), "screen": "placement"},
    )
