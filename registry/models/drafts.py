"""Drafts of a form, kept while a user types: nothing typed is lost (issue 15, item 1).

One draft per user and form, its whole payload encrypted like every personal value (the
fields of a half-typed intake are a victim's name, date of birth, address...). A draft is its
owner's alone: it is found by the owner and the form, never by an id from a request. It is
deleted when the form is saved, and after ``DRAFT_HOURS`` by ``manage.py prune_drafts``.
"""

from __future__ import annotations

import datetime
import uuid
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from registry.fields import EncryptedQuerySet, EncryptedTextField

if TYPE_CHECKING:
    from registry.models.accounts import User

# A draft nobody came back to within a day is deleted (the cleanup job).
DRAFT_HOURS = 24


class FormDraftQuerySet(EncryptedQuerySet):
    def of(self, user: User, form: str) -> FormDraftQuerySet:
        """The one draft of ``user`` for ``form`` (empty if none): the only way drafts are read."""
        return self.filter(owner=user, form=form)

    def older_than(self, hours: int = DRAFT_HOURS) -> FormDraftQuerySet:
        """Drafts past their time: the cleanup deletes them, and nobody reads them before."""
        return self.filter(saved_at__lt=_cutoff(hours))

    def current(self, hours: int = DRAFT_HOURS) -> FormDraftQuerySet:
        return self.filter(saved_at__gte=_cutoff(hours))


def _cutoff(hours: int) -> datetime.datetime:
    return timezone.now() - datetime.timedelta(hours=hours)


class FormDraft(models.Model):
    """What one user has typed so far in one form, encrypted."""

    class Form(models.TextChoices):
        STAFF_INTAKE = "staff_intake", _("staff intake")
        REPORTER = "reporter", _("reporter's form")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("owner"),
    )
    form = models.CharField(_("form"), max_length=20, choices=Form.choices)
    # The fields as JSON ({"name": ["value", ...]}), sealed as one value.
    payload = EncryptedTextField(_("typed values"))
    saved_at = models.DateTimeField(_("saved"), default=timezone.now, db_index=True)

    objects = FormDraftQuerySet.as_manager()

    class Meta:
        verbose_name = _("form draft")
        verbose_name_plural = _("form drafts")
        constraints = [
            models.UniqueConstraint(fields=["owner", "form"], name="form_draft_one_per_user"),
        ]

    def __str__(self) -> str:
        return f"{self.get_form_display()} ({self.saved_at:%Y-%m-%d %H:%M})"
