"""Middleware of the registry: second factor before any page, session lifetime, headers."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django_otp import user_has_device

from registry import access

# No script but our own files; inline styles are allowed for server-rendered SVG charts.
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data:; object-src 'none'; base-uri 'self'; form-action 'self'; "
    "frame-ancestors 'none'"
)
# The registry uses none of these browser features; a script injected somewhere still cannot.
PERMISSIONS_POLICY = (
    "accelerometer=(), camera=(), display-capture=(), geolocation=(), gyroscope=(), "
    "magnetometer=(), microphone=(), payment=(), usb=(), interest-cohort=()"
)

# Pages a signed-in user without a verified second factor may still open: the way to verify
# or enrol, the way out, and the language switch. Everything else is a page with personal
# data, or a link to one.
SECOND_FACTOR_EXEMPT = frozenset(
    {
        "login",
        "logout",
        "set_language",
        "two_factor:setup",
        "two_factor:qr",
    }
)
SESSION_LOGIN_AT = "registry_login_at"


class SecurityHeadersMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        response.headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
        response.headers.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        if getattr(request, "user", None) is not None and request.user.is_authenticated:
            # Pages of a signed-in user may show personal data: never store them.
            response.headers["Cache-Control"] = "no-store, private"
        return response


def _login_url(request: HttpRequest) -> str:
    return f"{reverse('login')}?{urlencode({'next': request.get_full_path()})}"


class SecondFactorRequiredMiddleware:
    """Coordinators, the help desk and administrators reach no page before a second factor.

    Without a device they are sent to enrol (django-two-factor-auth's setup); with one but an
    unverified session (a session from before two-factor login) they are logged out and sent
    to log in again with their code. One place for every page, the admin included.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(
        self, request: HttpRequest, view: Callable[..., Any], args: Any, kwargs: Any
    ) -> HttpResponse | None:
        user = request.user
        if not access.needs_second_factor(user) or user.is_verified():
            return None
        if request.resolver_match.view_name in SECOND_FACTOR_EXEMPT:
            return None
        if user_has_device(user):
            logout(request)
            messages.info(request, _("Log in again with the code from your authenticator app."))
            return HttpResponseRedirect(_login_url(request))
        setup = reverse("two_factor:setup")
        return HttpResponseRedirect(f"{setup}?{urlencode({'next': request.get_full_path()})}")


class SessionLifetimeMiddleware:
    """A session ends 12 hours after its login, however busy (``SESSION_ABSOLUTE_AGE``).

    The idle timeout (SESSION_COOKIE_AGE, renewed on every request) alone would let a session
    that is used every hour live for ever. The login time is written by the login signal
    (registry.signals); a session without one is ended too.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.user.is_authenticated:
            login_at = request.session.get(SESSION_LOGIN_AT)
            expired = not isinstance(login_at, int) or (
                time.time() - login_at > settings.SESSION_ABSOLUTE_AGE
            )
            if expired:
                logout(request)
                messages.info(
                    request,
                    _(
                        "Your session has ended: sessions last at most %(hours)d hours. "
                        "Log in again."
                    )
                    % {"hours": settings.SESSION_ABSOLUTE_AGE // 3600},
                )
                return HttpResponseRedirect(_login_url(request))
        return self.get_response(request)
