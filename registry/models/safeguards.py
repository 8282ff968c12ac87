"""Records that guard the registry against doing a thing twice or with the wrong key.

``UsedFormToken``: each form that creates a record carries a one-time token
(registry/once.py); the first POST with it leaves a row here with the URL of its result, so a
double click or a retried POST shows that result instead of saving again.

``KeyCanary``: one row holding the blind index of a fixed constant under the index key and
that constant sealed under the keyring (registry/canary.py), so a start-up with another key
is refused by a system check instead of searches silently finding nothing.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from registry.fields import EncryptedCharField


class UsedFormToken(models.Model):
    """A one-time form token that has been spent, by whom, and what its POST made."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", verbose_name=_("user")
    )
    # The random part of the token only; the signature around it proves it was ours.
    nonce = models.CharField(_("token"), max_length=64)
    # Where the first POST sent the user (a page of the record it made: a UUID, never a value).
    result_url = models.CharField(_("result"), max_length=300, blank=True)
    used_at = models.DateTimeField(_("used"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("used form token")
        verbose_name_plural = _("used form tokens")
        constraints = [
            models.UniqueConstraint(fields=["user", "nonce"], name="form_token_used_once"),
        ]

    def __str__(self) -> str:
        return str(self.used_at)


class KeyCanary(models.Model):
    """The one canary of the registry's keys (see registry/canary.py)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    blind_index = models.CharField(_("blind index of the canary"), max_length=64)
    sealed = EncryptedCharField(_("sealed canary"), max_length=64)
    written_at = models.DateTimeField(_("written"), auto_now=True)

    class Meta:
        verbose_name = _("key canary")
        verbose_name_plural = _("key canaries")

    def __str__(self) -> str:
        return str(self.written_at)
