"""What the daily reminder command has sent, so running it twice sends nothing twice."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _


class ReminderSent(models.Model):
    """One reminder of one kind about one case to one recipient, for one deadline."""

    class Kind(models.TextChoices):
        REFLECTION_ENDING = "reflection_ending", _("reflection period ends soon")
        UNASSIGNED = "unassigned", _("new case unassigned")
        REFLECTION_ENDED = "reflection_ended", _("reflection period ended")
        IMMEDIATE_DANGER = "danger", _("immediate danger")
        MINOR = "minor", _("minor, no referral recorded")
        SHELTER_STAY = "shelter_stay", _("three months in a shelter")
        # Issue 14: residence procedures (registry/care.py)
        B8_EXPIRING = "b8_expiring", _("B8 permit expires within 30 days")
        B8_THREE_YEARS = "b8_three_years", _("B8 permit held three years")
        REFLECTION_NO_REPORT = (
            "reflection_no_report",
            _("reflection period ending, police report undecided"),
        )

    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    case = models.ForeignKey(
        "registry.Case", on_delete=models.CASCADE, related_name="+", verbose_name=_("case")
    )
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("recipient"),
    )
    # The deadline the reminder was about (the reflection end, the day the case opened, the
    # B8 permit's expiry or third anniversary):
    # when the deadline moves, a new reminder is due.
    due = models.DateField(_("deadline"))
    sent_at = models.DateTimeField(_("sent"), auto_now_add=True)

    class Meta:
        verbose_name = _("reminder sent")
        verbose_name_plural = _("reminders sent")
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "case", "recipient", "due"], name="reminder_sent_once"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {date_format(self.due)}"
