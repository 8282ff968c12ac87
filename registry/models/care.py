"""What care coordination arranges for a case: residence procedures and referrals.

Codes and dates only, no free text: nothing here identifies the person, so nothing is
encrypted and the audit trail and the timeline may name the kind, the type and the outcome.
"""

from __future__ import annotations

import datetime
import uuid
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Exists, OuterRef
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from registry import access
from registry.choices import (
    OPEN_CASE_STATUSES,
    STATUSES_OF_KIND,
    AuditAction,
    ProcedureKind,
    ProcedureStatus,
    ReferralOutcome,
    ReferralReason,
    ReferralType,
)
from registry.models.cases import add_months

if TYPE_CHECKING:
    from registry.models.accounts import User
    from registry.models.cases import Case

# Reminders (registry/care.py): a B8 permit 30 days before it expires; continued residence
# once a B8 holder has had the permit three years; a reflection period ending within 7 days
# while the police report is undecided.
B8_EXPIRY_WARNING_DAYS = 30
CONTINUED_RESIDENCE_MONTHS = 36
REPORT_DECISION_WARNING_DAYS = 7

# A police report with one of these statuses is decided (made, not made, or exempt).
DECIDED_REPORT_STATUSES = (
    ProcedureStatus.MADE,
    ProcedureStatus.NOT_MADE,
    ProcedureStatus.EXEMPT_MEDICAL,
    ProcedureStatus.EXEMPT_THREAT,
)
DECIDED_APPLICATION_STATUSES = (
    ProcedureStatus.GRANTED,
    ProcedureStatus.REFUSED,
    ProcedureStatus.ENDED,
)


def _not_in_future(errors: dict[str, Any], field: str, day: datetime.date | None) -> None:
    if day is not None and day > timezone.localdate():
        errors.setdefault(field, _("This date is in the future: give the date it happened."))


def _save_audited(record: models.Model, user: User | None, details: dict[str, Any]) -> None:
    """Save a procedure or referral and append its audit event (created or changed), against
    its case, in the same transaction."""
    from registry.models.audit import AuditEvent

    created = record._state.adding
    record.save()
    action = AuditAction.CREATE if created else AuditAction.CHANGE
    AuditEvent.record(action, user=user, obj=record, case=record.case_id, details=details)


class ResidenceProcedureQuerySet(models.QuerySet):
    def for_user(self, user: User | None) -> ResidenceProcedureQuerySet:
        return access.care_records_for_user(self, user)

    def of_open_cases(self) -> ResidenceProcedureQuerySet:
        return self.filter(case__status__in=OPEN_CASE_STATUSES)

    def b8_granted(self) -> ResidenceProcedureQuerySet:
        return self.filter(kind=ProcedureKind.B8_PERMIT, status=ProcedureStatus.GRANTED)

    def b8_expiring(self, today: datetime.date) -> ResidenceProcedureQuerySet:
        """Granted B8 permits of open cases that expire within 30 days from ``today``."""
        return (
            self.of_open_cases()
            .b8_granted()
            .filter(
                expires_on__gte=today,
                expires_on__lte=today + datetime.timedelta(days=B8_EXPIRY_WARNING_DAYS),
            )
        )

    def b8_three_years(self, today: datetime.date) -> list[ResidenceProcedure]:
        """Granted B8 permits of open cases held three years by ``today`` (counted from the
        application, the day a granted permit takes effect) whose case has no procedure for
        continued residence yet."""
        continued = ResidenceProcedure.objects.filter(
            case=OuterRef("case"), kind=ProcedureKind.CONTINUED_RESIDENCE
        )
        # A first cut in SQL (three years are at least 1095 days), the month arithmetic in
        # Python: 29 February plus three years is 28 February.
        candidates = (
            self.of_open_cases()
            .b8_granted()
            .filter(started_on__lte=today - datetime.timedelta(days=3 * 365))
            .exclude(Exists(continued))
        )
        return [p for p in candidates if p.three_years_on and p.three_years_on <= today]


class ResidenceProcedure(models.Model):
    """One procedure of one kind on one case (a police report, the B8 permit, ...): its status
    and dates, changed in place as it goes on; every change is audited (field names)."""

    case = models.ForeignKey(
        "registry.Case",
        on_delete=models.PROTECT,
        related_name="procedures",
        verbose_name=_("case"),
    )
    kind = models.CharField(_("procedure"), max_length=24, choices=ProcedureKind.choices)
    status = models.CharField(_("status"), max_length=16, choices=ProcedureStatus.choices)
    started_on = models.DateField(
        _("applied on"),
        null=True,
        blank=True,
        help_text=_("The date of the application or request."),
    )
    decided_on = models.DateField(
        _("decided on"),
        null=True,
        blank=True,
        help_text=_(
            "The date of the decision; for a police report, the day it was made or the "
            "person decided, or the exemption was given."
        ),
    )
    expires_on = models.DateField(
        _("valid until"),
        null=True,
        blank=True,
        help_text=_("Only for a granted permit or allowance: the last day it is valid."),
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = ResidenceProcedureQuerySet.as_manager()

    class Meta:
        ordering = ["case", "kind"]
        verbose_name = _("residence procedure")
        verbose_name_plural = _("residence procedures")
        constraints = [
            models.UniqueConstraint(fields=["case", "kind"], name="procedure_one_per_kind"),
            models.CheckConstraint(
                condition=models.Q(decided_on__isnull=True)
                | models.Q(started_on__isnull=True)
                | models.Q(decided_on__gte=models.F("started_on")),
                name="procedure_decided_after_applied",
            ),
            models.CheckConstraint(
                condition=models.Q(expires_on__isnull=True)
                | models.Q(status=ProcedureStatus.GRANTED),
                name="procedure_expiry_only_granted",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.get_status_display()}"

    def get_absolute_url(self) -> str:
        return self.case.get_absolute_url() + "#procedures"

    @property
    def three_years_on(self) -> datetime.date | None:
        """For a granted B8 permit: the day its holder may apply for continued residence."""
        if self.kind != ProcedureKind.B8_PERMIT or self.started_on is None:
            return None
        return add_months(self.started_on, CONTINUED_RESIDENCE_MONTHS)

    def clean(self) -> None:
        """The rules of a procedure, each with the field it concerns.

        The status belongs to the kind; a police report's decision has its date; an
        application has its date, a decision its own date not before it, an expiry only on a
        granted permit (and a granted B8 permit always has one), after the decision; no date
        of what happened lies in the future.
        """
        super().clean()
        errors: dict[str, Any] = {}
        allowed = STATUSES_OF_KIND.get(self.kind, ())
        if self.status not in allowed:
            errors["status"] = _("A %(kind)s can be: %(allowed)s.") % {
                "kind": ProcedureKind(self.kind).label if self.kind in ProcedureKind else "?",
                "allowed": ", ".join(str(status.label) for status in allowed),
            }
        if self.kind == ProcedureKind.POLICE_REPORT:
            if self.status in DECIDED_REPORT_STATUSES and not self.decided_on:
                errors["decided_on"] = _(
                    "Give the date the report was made, or the person decided, or the "
                    "exemption was given."
                )
            if self.status == ProcedureStatus.CONSIDERING and self.decided_on:
                errors["decided_on"] = _("A date of decision only applies once it is decided.")
        else:
            if not self.started_on:
                errors["started_on"] = _("Give the date of the application.")
            if self.status in DECIDED_APPLICATION_STATUSES and not self.decided_on:
                errors["decided_on"] = _("Give the date of the decision.")
            if self.status == ProcedureStatus.APPLIED and self.decided_on:
                errors["decided_on"] = _(
                    "A date of decision only applies once the application is decided."
                )
        if self.started_on and self.decided_on and self.decided_on < self.started_on:
            errors["decided_on"] = _("The decision cannot come before the application.")
        if self.expires_on and self.status != ProcedureStatus.GRANTED:
            errors["expires_on"] = _(
                "An expiry date only applies to a granted permit or allowance."
            )
        elif (
            self.kind == ProcedureKind.B8_PERMIT
            and self.status == ProcedureStatus.GRANTED
            and not self.expires_on
        ):
            errors["expires_on"] = _("Give the date the B8 permit expires.")
        elif self.expires_on and self.decided_on and self.expires_on <= self.decided_on:
            errors["expires_on"] = _("A permit expires after the day it was granted.")
        _not_in_future(errors, "started_on", self.started_on)
        _not_in_future(errors, "decided_on", self.decided_on)
        if errors:
            raise ValidationError(errors)

    def record(self, user: User, fields: list[str], screen: str) -> None:
        """Save the procedure and audit it: field names and the kind, never a date."""
        self.updated_by = user
        _save_audited(
            self, user, {"fields": sorted(fields), "procedure": self.kind, "screen": screen}
        )


class ReferralQuerySet(models.QuerySet):
    def for_user(self, user: User | None) -> ReferralQuerySet:
        return access.care_records_for_user(self, user)

    def pending(self) -> ReferralQuerySet:
        return self.filter(outcome=ReferralOutcome.PENDING)

    def nidos(self) -> ReferralQuerySet:
        return self.filter(referral_type=ReferralType.NIDOS)

    def in_force(self) -> ReferralQuerySet:
        """Referrals pending or accepted: a refused one leaves the need open."""
        return self.exclude(outcome=ReferralOutcome.REFUSED)

    def nidos_awaiting_outcome(self) -> ReferralQuerySet:
        """Pending Nidos referrals of open cases: on the dashboard until decided."""
        return self.nidos().pending().filter(case__status__in=OPEN_CASE_STATUSES)

    def in_period(self, start: datetime.date | None, end: datetime.date | None) -> ReferralQuerySet:
        qs = self
        if start:
            qs = qs.filter(referred_on__gte=start)
        if end:
            qs = qs.filter(referred_on__lte=end)
        return qs


class Referral(models.Model):
    """A case referred to an organisation (Nidos, the police, a shelter, ...) on a date, for a
    reason, with its outcome when known."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    case = models.ForeignKey(
        "registry.Case",
        on_delete=models.PROTECT,
        related_name="referrals",
        verbose_name=_("case"),
    )
    referral_type = models.CharField(_("referred to"), max_length=12, choices=ReferralType.choices)
    reason = models.CharField(
        _("reason"),
        max_length=16,
        choices=ReferralReason.choices,
        help_text=_("Why the case is referred (a code: write details in a note)."),
    )
    referred_on = models.DateField(_("referred on"), default=datetime.date.today)
    outcome = models.CharField(
        _("outcome"),
        max_length=10,
        choices=ReferralOutcome.choices,
        default=ReferralOutcome.PENDING,
    )
    outcome_on = models.DateField(
        _("outcome on"),
        null=True,
        blank=True,
        help_text=_("The day the organisation accepted or refused."),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    created_at = models.DateTimeField(_("recorded"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = ReferralQuerySet.as_manager()

    class Meta:
        ordering = ["-referred_on", "-created_at"]
        verbose_name = _("referral")
        verbose_name_plural = _("referrals")
        indexes = [
            models.Index(fields=["case", "referral_type"], name="referral_case_type_idx"),
            models.Index(fields=["referred_on"], name="referral_referred_on_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(outcome=ReferralOutcome.PENDING, outcome_on__isnull=True)
                | (~models.Q(outcome=ReferralOutcome.PENDING) & models.Q(outcome_on__isnull=False)),
                name="referral_outcome_has_date",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_referral_type_display()} ({self.get_outcome_display()})"

    def get_absolute_url(self) -> str:
        return self.case.get_absolute_url() + "#referrals"

    def clean(self) -> None:
        """A decided outcome has its date, not before the referral; pending has none; neither
        date lies in the future."""
        super().clean()
        errors: dict[str, Any] = {}
        if self.outcome == ReferralOutcome.PENDING:
            if self.outcome_on:
                errors["outcome_on"] = _("A pending referral has no date of outcome yet.")
        elif not self.outcome_on:
            errors["outcome_on"] = _("Give the date the organisation accepted or refused.")
        elif self.referred_on and self.outcome_on < self.referred_on:
            errors["outcome_on"] = _("The outcome cannot come before the referral.")
        _not_in_future(errors, "referred_on", self.referred_on)
        _not_in_future(errors, "outcome_on", self.outcome_on)
        if errors:
            raise ValidationError(errors)

    def record(self, user: User | None, fields: list[str], screen: str) -> None:
        """Save the referral and audit it: field names, the type and the outcome codes, never
        a date."""
        if self._state.adding:
            self.created_by = user
        details = {
            "fields": sorted(fields),
            "referral_type": self.referral_type,
            "outcome": self.outcome,
            "screen": screen,
        }
        _save_audited(self, user, details)

    @classmethod
    def nidos_for_intake(cls, case: Case, user: User | None, on: datetime.date) -> Referral | None:
        """The pending Nidos referral of a case whose intake flags the Nidos route (an
        unaccompanied minor without lawful residence), made unless the case has one in force
        already (a repeat registration joining the case)."""
        if cls.objects.filter(case=case).nidos().in_force().exists():
            return None
        referral = cls(
            case=case,
            referral_type=ReferralType.NIDOS,
            reason=ReferralReason.GUARDIANSHIP,
            referred_on=on,
        )
        referral.record(user, ["referral_type", "reason", "referred_on"], "intake")
        return referral


def cases_without_nidos_referral(qs: models.QuerySet) -> models.QuerySet:
    """``qs`` (cases) narrowed to those without a Nidos referral in force (pending or
    accepted): ``CaseQuerySet.without_nidos_referral``."""
    in_force = Referral.objects.nidos().in_force().filter(case=OuterRef("pk"))
    return qs.exclude(Exists(in_force))
