"""The end of an idle session, said before and after (issue 15, item 1).

Before: every page of a signed-in user carries a warning (templates/_session.html,
static/js/session_timeout.js) that opens ``SESSION_WARNING_SECONDS`` before the idle timeout
(``SESSION_COOKIE_AGE``) and offers to stay signed in: a POST to :func:`stay_signed_in`, which,
like any request, renews the session (``SESSION_SAVE_EVERY_REQUEST``).

After: the login page says that the session has ended. A browser that was signed in carries a
marker cookie (``registry_signed_in``: "1", nothing else; it ends with the browser as the
session cookie does). A visitor who is not signed in but carries it lost their session without
logging out (idle timeout, or the session cookie gone), so the login page says so and the
marker goes. Logging out (the button, or the registry's own logouts, which say why
themselves) takes the marker away. The cookie names no user, page or time.
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.views.decorators.http import require_POST

from registry.access import requires, signed_in

MARKER_COOKIE = "registry_signed_in"


class SessionExpiryMiddleware:
    """Sets ``request.session_expired`` for the login page; keeps the marker cookie."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        marked = request.COOKIES.get(MARKER_COOKIE) == "1"
        was_signed_in = request.user.is_authenticated
        request.session_expired = marked and not was_signed_in
        response = self.get_response(request)
        if request.user.is_authenticated:
            if not marked:
                response.set_cookie(
                    MARKER_COOKIE,
                    "1",
                    max_age=None,  # ends with the browser, as the session does
                    secure=settings.SESSION_COOKIE_SECURE,
                    httponly=True,
                    samesite="Lax",
                )
        elif marked and (was_signed_in or _is_login_page(request)):
            # Logged out during this request (it says why itself), or the login page has said
            # that the session ended: either way, said once.
            response.delete_cookie(MARKER_COOKIE, samesite="Lax")
        return response


def _is_login_page(request: HttpRequest) -> bool:
    """The login page opened as a page (not fetched by a script of a page that outlived its
    session: the browser says which with Sec-Fetch-Mode)."""
    match = getattr(request, "resolver_match", None)
    mode = request.headers.get("Sec-Fetch-Mode", "navigate")
    return match is not None and match.view_name == "login" and mode == "navigate"


def warning_seconds() -> int:
    """How long before the idle timeout the warning opens: two minutes, or half a short session."""
    return min(settings.SESSION_WARNING_SECONDS, settings.SESSION_COOKIE_AGE // 2)


@requires(signed_in)
@require_POST
def stay_signed_in(request: HttpRequest) -> JsonResponse:
    """ "Stay signed in": the request itself renews the session; the answer is its new length."""
    return JsonResponse({"seconds": settings.SESSION_COOKIE_AGE})
