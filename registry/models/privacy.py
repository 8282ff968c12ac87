"""Erasure on request: one administrator asks, a second confirms (issue 17, item 2).

An :class:`ErasureRequest` names a person and a reason (a code, never free text: the reason is
copied into the audit trail, which holds no values). It stays pending until a second
administrator confirms it (then ``registry.erasure.erase_person`` runs at once, the same
erasure as the retention schedule's) or either administrator cancels it. The database refuses
a request decided by the administrator who made it, and a second pending request for the same
person.

The Django permission ``registry.subject_access`` (a subject access file, GDPR art. 15) is
declared here too: it is granted to nobody by default (``access.may_give_subject_access``).
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ErasureRequestQuerySet(models.QuerySet["ErasureRequest"]):
    def pending(self) -> ErasureRequestQuerySet:
        return self.filter(status=ErasureRequest.Status.PENDING)


class ErasureRequest(models.Model):
    """A request to erase one person's personal data, awaiting a second administrator."""

    class Reason(models.TextChoices):
        # GDPR art. 17(1): the grounds an erasure on request rests on.
        SUBJECT_REQUEST = "subject_request", _("the person asked for erasure (GDPR art. 17)")
        CONSENT_WITHDRAWN = (
            "consent_withdrawn",
            _("consent withdrawn and no other ground to keep the data"),
        )
        NO_LONGER_NEEDED = "no_longer_needed", _("no longer needed for the purpose")
        REGISTERED_IN_ERROR = (
            "registered_in_error",
            _("registered in error or processed unlawfully"),
        )
        LEGAL_OBLIGATION = "legal_obligation", _("a court order or another legal obligation")

    class Status(models.TextChoices):
        PENDING = "pending", _("awaiting a second administrator")
        ERASED = "erased", _("confirmed and erased")
        CANCELLED = "cancelled", _("cancelled")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    person = models.ForeignKey(
        "registry.Person",
        on_delete=models.PROTECT,
        related_name="erasure_requests",
        verbose_name=_("person"),
    )
    reason = models.CharField(_("reason"), max_length=24, choices=Reason.choices)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("requested by"),
    )
    requested_at = models.DateTimeField(_("requested"), auto_now_add=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("decided by"),
    )
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)

    objects = ErasureRequestQuerySet.as_manager()

    class Meta:
        ordering = ["-requested_at"]
        verbose_name = _("erasure request")
        verbose_name_plural = _("erasure requests")
        default_permissions = ("view",)
        permissions = [
            ("subject_access", "Can produce a subject access file (GDPR art. 15)"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["person"],
                condition=models.Q(status="pending"),
                name="erasure_one_pending_per_person",
            ),
            # Two people: whoever confirms (or cancels another's request) is not whoever asked;
            # the one who asked may still withdraw their own request (cancelled).
            models.CheckConstraint(
                condition=models.Q(decided_by__isnull=True)
                | ~models.Q(decided_by=models.F("requested_by"))
                | models.Q(status="cancelled"),
                name="erasure_confirmed_by_another",
            ),
        ]

    def __str__(self) -> str:
        return _("Erasure request of %(ref)s") % {"ref": str(self.pk).split("-")[0].upper()}
