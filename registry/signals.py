"""Audit of logins, logouts, failed logins and lockouts. Never the typed name.

A login also starts the session's clock (registry.middleware.SessionLifetimeMiddleware) and,
when it came with a second factor, marks the session as verified now
(registry.second_factor).
"""

from __future__ import annotations

import time
from typing import Any

from axes.signals import user_locked_out
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver

from registry.choices import AuditAction
from registry.middleware import SESSION_LOGIN_AT
from registry.models import AuditEvent, User


@receiver(user_logged_in)
def _logged_in(sender: Any, request: Any, user: User, **kwargs: Any) -> None:
    second_factor = getattr(user, "otp_device", None) is not None
    if request is not None and hasattr(request, "session"):
        request.session[SESSION_LOGIN_AT] = int(time.time())
        if second_factor:
            from registry.second_factor import mark_verified

            mark_verified(request)
    AuditEvent.record(AuditAction.LOGIN, user=user, details={"second_factor": second_factor})


@receiver(user_logged_out)
def _logged_out(sender: Any, request: Any, user: User, **kwargs: Any) -> None:
    if user is not None:
        AuditEvent.record(AuditAction.LOGOUT, user=user)


def _account_named(username: str) -> Any:
    return User.objects.filter(username=username).first() if username else None


@receiver(user_login_failed)
def _login_failed(sender: Any, credentials: Any, request: Any = None, **kwargs: Any) -> None:
    # The typed text may be anything (even a victim's name typed in the wrong box): only an
    # existing account is named, never the text itself.
    account = _account_named((credentials or {}).get("username") or "")
    AuditEvent.record(
        AuditAction.LOGIN_FAILED,
        obj=account,
        details={"known_account": account is not None},
    )


@receiver(user_locked_out)
def _locked_out(sender: Any, request: Any = None, **kwargs: Any) -> None:
    # django-axes passes the keyed hash as the user name; the credentials on the request hold
    # what was typed, used only to name an existing account.
    credentials = getattr(request, "axes_credentials", None) or {}
    account = _account_named(credentials.get("username") or "")
    AuditEvent.record(
        AuditAction.LOCKED_OUT,
        obj=account,
        details={"known_account": account is not None},
    )
