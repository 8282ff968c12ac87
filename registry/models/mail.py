"""The outbox: each e-mail the registry sends, written in the transaction that caused it.

The row is the notification; delivery is a background job (registry.outbox). Its delivery
state (attempts, the class of the last error, when it was sent) is what an operator reads in
``manage.py mail_status`` and in the admin. A mail holds a staff address, a registration
number, a case reference and a link: never a victim's name or any other personal value.
"""

from __future__ import annotations

import uuid

from django.db import models
from django.utils.translation import gettext_lazy as _


class OutgoingMailQuerySet(models.QuerySet["OutgoingMail"]):
    def undelivered(self) -> OutgoingMailQuerySet:
        """Mail not sent yet: waiting for an attempt, or given up after the last one."""
        return self.exclude(status=OutgoingMail.Status.SENT)


class OutgoingMail(models.Model):
    """One e-mail to one recipient, and how its delivery went."""

    class Kind(models.TextChoices):
        NEW_CASE = "new_case", _("new case for a coordinator")
        REMINDERS = "reminders", _("daily reminders")

    class Status(models.TextChoices):
        PENDING = "pending", _("waiting to be sent")
        SENT = "sent", _("sent")
        FAILED = "failed", _("given up: retry by hand")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    recipient = models.EmailField(_("recipient"))
    subject = models.CharField(_("subject"), max_length=200)
    body = models.TextField(_("text"))
    created_at = models.DateTimeField(_("queued at"), auto_now_add=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    attempts = models.PositiveIntegerField(
        _("attempts"), default=0, help_text=_("Since it was queued or last retried by hand.")
    )
    # The exception's class name only: a mail server's reply can quote what it was sent.
    last_error = models.CharField(_("last error"), max_length=100, blank=True)
    last_attempt_at = models.DateTimeField(_("last attempt"), null=True, blank=True)
    next_attempt_at = models.DateTimeField(_("next attempt"), null=True, blank=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    # A worker holds a mail while it talks to the mail server; another worker leaves it alone
    # until then (registry.outbox.deliver_mail).
    claimed_until = models.DateTimeField(null=True, blank=True, editable=False)

    objects = OutgoingMailQuerySet.as_manager()

    class Meta:
        verbose_name = _("outgoing e-mail")
        verbose_name_plural = _("outgoing e-mail")
        ordering = ["-created_at"]
        indexes = [
            # mail_status and the admin list the undelivered: a few rows among many sent.
            models.Index(
                fields=["created_at"],
                name="outgoing_mail_undelivered",
                condition=~models.Q(status="sent"),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} → {self.recipient} ({self.get_status_display()})"
