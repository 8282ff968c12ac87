"""Audit of logins, logouts and failed logins. Failed logins never record the typed name."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver

from registry.choices import AuditAction
from registry.models import AuditEvent


@receiver(user_logged_in)
def _logged_in(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    AuditEvent.record(AuditAction.LOGIN, user=user)


@receiver(user_logged_out)
def _logged_out(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    if user is not None:
        AuditEvent.record(AuditAction.LOGOUT, user=user)


@receiver(user_login_failed)
def _login_failed(sender: Any, credentials: Any, request: Any = None, **kwargs: Any) -> None:
    # The typed text may be anything (even a victim's name typed in the wrong box): only an
    # existing account is named, never the text itself.
    from registry.models import User

    username = (credentials or {}).get("username") or ""
    account = User.objects.filter(username=username).first() if username else None
    AuditEvent.record(
        AuditAction.LOGIN_FAILED,
        obj=account,
        details={"known_account": account is not None},
    )
