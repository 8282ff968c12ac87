"""Lockout after failed logins (django-axes), without keeping what people typed.

django-axes counts failures per user name and address. It would store the user name as typed,
in clear; a failed login can carry anything, even a victim's name typed into the wrong box, so
the registry hands it a keyed hash instead (an HMAC under a subkey of the blind-index key). An
administrator unlocks an account by its name: the same hash finds its attempts.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from axes.handlers.proxy import AxesProxyHandler
from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from registry.choices import AuditAction
from registry.crypto import blind_index
from registry.models.audit import AuditEvent

if TYPE_CHECKING:
    from registry.models import User

# The login wizard posts its user name as "auth-username"; other forms as "username".
_POSTED_NAMES = ("auth-username", "username")


def username_key(request: HttpRequest | None, credentials: dict[str, Any] | None) -> str | None:
    """django-axes' AXES_USERNAME_CALLABLE: the keyed hash of the user name tried."""
    username = (credentials or {}).get("username")
    if username is None and request is not None:
        username = next((request.POST.get(n) for n in _POSTED_NAMES if n in request.POST), None)
    if not username:
        return None
    return blind_index("login_name", username)


def client_ip(request: HttpRequest) -> str | None:
    """django-axes' AXES_CLIENT_IP_CALLABLE: the address the login came from.

    Behind the TLS proxy (DJANGO_BEHIND_TLS_PROXY) the proxy appends the client's address to
    X-Forwarded-For, so the last entry is the one the proxy saw; anything before it was sent
    by the client and can be forged. Without a proxy, the socket's address.
    """
    if settings.BEHIND_TLS_PROXY:
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        last = forwarded.split(",")[-1].strip()
        if last:
            return last
    return request.META.get("REMOTE_ADDR")


def lockout_response(
    request: HttpRequest, original_response: HttpResponse | None, credentials: Any = None
) -> HttpResponse:
    """django-axes' AXES_LOCKOUT_CALLABLE: the same neutral page whatever was typed.

    It neither confirms that the account exists nor that the password was right.
    """
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    return render(request, "registration/locked_out.html", {"minutes": minutes}, status=429)


def is_locked(user: User) -> bool:
    """Whether logins as ``user`` are locked from at least one address right now."""
    from axes.models import AccessAttempt

    return AccessAttempt.objects.filter(
        username=blind_index("login_name", user.get_username()),
        failures_since_start__gte=settings.AXES_FAILURE_LIMIT,
        attempt_time__gte=timezone.now() - settings.AXES_COOLOFF_TIME,
    ).exists()


def unlock(user: User, *, by: User) -> int:
    """Clear the failed logins of ``user`` from every address; audited. Returns how many."""
    cleared = AxesProxyHandler.reset_attempts(
        username=blind_index("login_name", user.get_username())
    )
    AuditEvent.record(AuditAction.UNLOCK, user=by, obj=user, details={"attempts": cleared})
    return cleared
