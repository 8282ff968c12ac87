"""When a session last proved its second factor, and proving it again.

The login (django-two-factor-auth) and the enrolment verify a code and mark the session; the
personal export asks for a fresh code when the mark is older than
``settings.SECOND_FACTOR_FRESH_SECONDS`` (15 minutes), so a session left open cannot export.
The mark is a time in the server-side session, never a code.
"""

from __future__ import annotations

import time

from django.conf import settings
from django.http import HttpRequest
from django_otp import devices_for_user, verify_token
from django_otp.models import Device

from registry.choices import AuditAction
from registry.models import AuditEvent, User

SESSION_KEY = "registry_second_factor_at"


def mark_verified(request: HttpRequest) -> None:
    """Record that this session proved its second factor now."""
    request.session[SESSION_KEY] = int(time.time())


def verified_recently(request: HttpRequest) -> bool:
    """Whether this session proved its second factor within the fresh period."""
    if not (request.user.is_authenticated and request.user.is_verified()):
        return False
    verified_at = request.session.get(SESSION_KEY)
    if not isinstance(verified_at, int):
        return False
    return time.time() - verified_at <= settings.SECOND_FACTOR_FRESH_SECONDS


def check_code(user: User, code: str, *, screen: str) -> Device | None:
    """Verify ``code`` against each confirmed device of ``user``; audited either way.

    A code from the authenticator app or an unused backup code. Each device throttles its own
    failures (django-otp), so guessing slows down exponentially.
    """
    code = (code or "").strip().replace(" ", "")
    device = None
    if code:
        for candidate in devices_for_user(user):
            device = verify_token(user, candidate.persistent_id, code)
            if device is not None:
                break
    AuditEvent.record(
        AuditAction.SECOND_FACTOR,
        user=user,
        details={"step": "verified" if device else "failed", "screen": screen},
    )
    return device
