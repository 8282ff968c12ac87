"""The reports app's models: the personal export, its two-person grants, and the statistics tally.

The personal export is allowed only through an :class:`ExportGrant`: one administrator asks
for it for a user, with a reason, another approves, and it ends 24 hours after approval
(docs/security.md, "Who may grant what").

The tally holds the counted registrations per registration day, dimension and raw value, so
the statistics page reads a few hundred thousand small rows instead of scanning every
registration. On PostgreSQL, triggers installed by migration ``0003_statistics_tally_triggers``
keep it in the same transaction as every change to a registration, its forms of exploitation
or its cases: it cannot go stale. See docs/reports.md, "The statistics tally".
"""

from __future__ import annotations

import datetime
import uuid
from typing import Any

from django.conf import settings
from django.db import IntegrityError, models, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from registry import access
from registry.choices import AuditAction
from registry.fields import EncryptedQuerySet, EncryptedTextField
from registry.models import AuditEvent, Registration, User

# How long an approved grant lets its holder export, counted from the approval.
GRANT_LIFETIME = datetime.timedelta(hours=24)


class PersonalExport(Registration):
    """Registrations as the personal export sees them (its admin page; no permission of its own:
    who may export is decided by :class:`ExportGrant`)."""

    class Meta:
        proxy = True
        default_permissions = ()
        verbose_name = _("personal export of registrations")
        verbose_name_plural = _("personal export of registrations")


class TallyRow(models.Model):
    """Counted registrations of one day with one raw value of one dimension.

    ``dimension`` is a raw column (``person_gender``, ``age_at_registration``, ``region_id``,
    ...), ``form``, ``shelter_placed``, ``care_received`` or ``total``; ``value`` is the raw
    value as text. Clear statistical columns only: no personal value is ever stored here.
    """

    day = models.DateField()
    dimension = models.CharField(max_length=32)
    value = models.CharField(max_length=64, blank=True)
    n = models.IntegerField()

    class Meta:
        abstract = True
        default_permissions = ()


class Tally(TallyRow):
    """The compacted tally: one row per day, dimension and value."""

    class Meta(TallyRow.Meta):
        constraints = [
            models.UniqueConstraint(
                fields=["day", "dimension", "value"], name="reports_tally_day_dimension_value"
            )
        ]

    def __str__(self) -> str:
        return f"{self.day} {self.dimension}={self.value}: {self.n}"


class TallyChange(TallyRow):
    """A change to the tally written by a trigger, until ``compact_statistics`` folds it in.

    Triggers append here instead of updating ``Tally`` rows, so concurrent registrations never
    wait for each other on a shared counter (nor deadlock on two of them).
    """

    class Meta(TallyRow.Meta):
        pass

    def __str__(self) -> str:
        return f"{self.day} {self.dimension}={self.value}: {self.n:+d}"


class TalliedRegistration(models.Model):
    """What one counted registration adds to the tally now: its day and its items.

    ``items`` lists ``dimension<US>value`` pairs, sorted, joined by the record separator.
    A trigger compares it with the registration's current items and writes the difference
    to ``TallyChange``; an uncounted registration has no row.
    """

    registration_id = models.UUIDField(primary_key=True)
    day = models.DateField()
    items = models.TextField()

    class Meta:
        default_permissions = ()

    def __str__(self) -> str:
        return str(self.registration_id)


class GrantRefused(Exception):
    """A step of the two-person rule that is not allowed; ``message`` says why, for the user."""

    def __init__(self, message: Any) -> None:
        super().__init__(str(message))
        self.message = message


class ExportGrantQuerySet(EncryptedQuerySet):
    def for_user(self, user: User | None) -> ExportGrantQuerySet:
        """Administrators see every grant (they decide on them); nobody else sees any."""
        return self if access.may_grant_exports(user) else self.none()

    def open(self) -> ExportGrantQuerySet:
        """Awaiting approval, or approved and not yet recorded as ended."""
        return self.filter(status__in=[ExportGrant.Status.PENDING, ExportGrant.Status.APPROVED])

    def active(self, now: datetime.datetime) -> ExportGrantQuerySet:
        return self.filter(status=ExportGrant.Status.APPROVED, expires_at__gt=now)

    def due_to_expire(self, now: datetime.datetime) -> ExportGrantQuerySet:
        return self.filter(status=ExportGrant.Status.APPROVED, expires_at__lte=now)


class ExportGrant(models.Model):
    """Permission for one administrator to use the personal export, granted by two people.

    One administrator requests it for a user (possibly themself) with a reason; another
    administrator, neither the requester nor the grantee, approves or refuses it. An approved
    grant lets the grantee export for ``GRANT_LIFETIME`` after the approval. Every step is an
    ``export_grant`` audit event with a ``step`` detail and ids only (never the reason).
    Status changes are conditional updates, so two people acting at once cannot both win.
    """

    class Status(models.TextChoices):
        PENDING = "pending", _("awaiting approval")
        APPROVED = "approved", _("approved")
        REFUSED = "refused", _("refused")
        EXPIRED = "expired", _("expired")
        REVOKED = "revoked", _("revoked")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    grantee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="export_grants",
        verbose_name=_("granted to"),
        help_text=_("The administrator who may export personal data once this is approved."),
    )
    # Required by the request form and ExportGrant.check_request (encrypted fields are blank=True
    # by construction).
    reason = EncryptedTextField(
        _("reason"),
        help_text=_(
            "What the export is for (for example the reference of a court order). Stored "
            "encrypted; shown to administrators only."
        ),
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("requested by"),
    )
    requested_at = models.DateTimeField(_("requested"), default=timezone.now)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("approved or refused by"),
    )
    decided_at = models.DateTimeField(_("approved or refused"), null=True, blank=True)
    expires_at = models.DateTimeField(_("expires"), null=True, blank=True)
    ended_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("revoked by"),
    )
    ended_at = models.DateTimeField(_("ended"), null=True, blank=True)

    objects = ExportGrantQuerySet.as_manager()

    class Meta:
        ordering = ["-requested_at"]
        default_permissions = ()
        verbose_name = _("personal-export grant")
        verbose_name_plural = _("personal-export grants")
        constraints = [
            # One request or grant at a time per person: a second approval cannot stack up.
            models.UniqueConstraint(
                fields=["grantee"],
                condition=Q(status__in=["pending", "approved"]),
                name="reports_exportgrant_one_open_per_grantee",
            ),
            models.CheckConstraint(
                condition=Q(status="pending") | Q(decided_by__isnull=False),
                name="reports_exportgrant_decided_has_decider",
            ),
        ]
        indexes = [models.Index(fields=["status", "expires_at"], name="reports_grant_due_idx")]

    def __str__(self) -> str:
        return f"{self.grantee} ({self.get_status_display()})"

    def is_active(self, now: datetime.datetime | None = None) -> bool:
        """Approved and not past its expiry (whether or not the expiry is recorded yet)."""
        now = now or timezone.now()
        return (
            self.status == self.Status.APPROVED
            and self.expires_at is not None
            and self.expires_at > now
        )

    # The steps ---------------------------------------------------------------------------

    @classmethod
    def request(
        cls,
        grantee: User,
        requested_by: User,
        reason: str,
        now: datetime.datetime | None = None,
    ) -> ExportGrant:
        """Ask for a grant for ``grantee`` (``requested_by`` may be the grantee); someone else
        must approve it."""
        grant = cls(grantee=grantee, reason=reason)
        grant.submit(requested_by, now)
        return grant

    @classmethod
    def check_request(cls, grantee: Any, requested_by: Any, reason: str) -> None:
        """Raise :class:`GrantRefused` if this request may not be made now."""
        if not access.may_grant_exports(requested_by):
            raise GrantRefused(_("Only an active administrator may request a grant."))
        if not access.may_grant_exports(grantee):
            raise GrantRefused(_("A grant can only be given to an active administrator."))
        if not (reason or "").strip():
            raise GrantRefused(_("Give the reason for the export."))
        # An approved grant past its expiry must not block a new request: record it first.
        cls.expire_due(grantee=grantee)
        if cls.objects.open().filter(grantee=grantee).exists():
            raise GrantRefused(_("This user already has a grant awaiting approval or in force."))

    def submit(self, requested_by: User, now: datetime.datetime | None = None) -> None:
        """Save this new request (grantee and reason set) as made by ``requested_by``."""
        type(self).check_request(self.grantee, requested_by, self.reason)
        self.requested_by = requested_by
        self.requested_at = now or timezone.now()
        self.reason = self.reason.strip()
        self.status = self.Status.PENDING
        try:
            with transaction.atomic():
                self.save(force_insert=True)
                self._record("requested", requested_by)
        except IntegrityError:  # a request for the same user saved a moment before this one
            raise GrantRefused(
                _("This user already has a grant awaiting approval or in force.")
            ) from None

    def approve(self, by: User, now: datetime.datetime | None = None) -> None:
        """Approve a pending request: the grantee may export until 24 hours from now."""
        now = now or timezone.now()
        if not access.may_grant_exports(by):
            raise GrantRefused(_("Only an active administrator may approve a grant."))
        if by.pk == self.requested_by_id:
            raise GrantRefused(
                _("You requested this grant: another administrator must approve it.")
            )
        if by.pk == self.grantee_id:
            raise GrantRefused(_("This grant is for you: another administrator must approve it."))
        if not access.may_grant_exports(User.objects.filter(pk=self.grantee_id).first()):
            raise GrantRefused(_("The grantee is no longer an active administrator."))
        self._step(
            "approved",
            by,
            [self.Status.PENDING],
            status=self.Status.APPROVED,
            decided_by=by,
            decided_at=now,
            expires_at=now + GRANT_LIFETIME,
        )

    def refuse(self, by: User, now: datetime.datetime | None = None) -> None:
        """Refuse a pending request (any administrator, the requester too: it only takes away)."""
        now = now or timezone.now()
        if not access.may_grant_exports(by):
            raise GrantRefused(_("Only an active administrator may refuse a grant."))
        self._step(
            "refused",
            by,
            [self.Status.PENDING],
            status=self.Status.REFUSED,
            decided_by=by,
            decided_at=now,
        )

    def revoke(self, by: User, now: datetime.datetime | None = None) -> None:
        """End an approved grant before its expiry (any administrator, the grantee too)."""
        now = now or timezone.now()
        if not access.may_grant_exports(by):
            raise GrantRefused(_("Only an active administrator may revoke a grant."))
        type(self).expire_due(now, grantee=self.grantee_id)
        self._step(
            "revoked",
            by,
            [self.Status.APPROVED],
            status=self.Status.REVOKED,
            ended_by=by,
            ended_at=now,
        )

    @classmethod
    def expire_due(cls, now: datetime.datetime | None = None, grantee: Any = None) -> int:
        """Record every approved grant past its expiry as expired, each audited exactly once.

        Called wherever a grant is looked at (the export check, the grants list, a new
        request) and by ``manage.py expire_export_grants``, so the expiry is in the trail even
        when nobody uses the grant again. Safe to run twice and concurrently: only the call
        whose conditional update changes the row writes the event.
        """
        now = now or timezone.now()
        due = cls.objects.due_to_expire(now)
        if grantee is not None:
            due = due.filter(grantee=grantee)
        expired = 0
        for grant in due.only("pk", "grantee", "requested_by"):
            with transaction.atomic():
                changed = cls.objects.filter(
                    pk=grant.pk, status=cls.Status.APPROVED, expires_at__lte=now
                ).update(status=cls.Status.EXPIRED, ended_at=now)
                if changed:
                    grant._record("expired", None)
                    expired += 1
        return expired

    @classmethod
    def holds_active(cls, user: User | None, now: datetime.datetime | None = None) -> bool:
        """Whether ``user`` holds an approved grant in force now (expired ones are recorded)."""
        if not access.may_grant_exports(user):
            return False
        now = now or timezone.now()
        cls.expire_due(now, grantee=user)
        return cls.objects.active(now).filter(grantee=user).exists()

    # Helpers -----------------------------------------------------------------------------

    def _step(self, step: str, by: User, allowed: list[str], **changes: Any) -> None:
        with transaction.atomic():
            # Conditional: a grant refused, expired or decided meanwhile is not changed.
            changed = type(self).objects.filter(pk=self.pk, status__in=allowed).update(**changes)
            if not changed:
                raise GrantRefused(
                    _(
                        "This grant was already decided, has expired or was revoked: nothing "
                        "was done. Reload the page to see where it stands."
                    )
                )
            for name, value in changes.items():
                setattr(self, name, value)
            self._record(step, by)

    def _record(self, step: str, by: User | None) -> AuditEvent:
        # Ids and codes only: never the reason, which people may fill with names.
        return AuditEvent.record(
            AuditAction.EXPORT_GRANT,
            user=by,
            actor_name="" if by is not None else "system (expiry)",
            obj=self,
            details={
                "step": step,
                "grantee": self.grantee_id,
                "requested_by": self.requested_by_id,
            },
        )
