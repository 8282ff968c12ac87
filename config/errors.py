"""The error pages: 400, 403, 404, 500, and 503 for a database that cannot be reached.

Every error page has the site's layout and a sentence of explanation in the user's language
(templates/error_page.html), and none repeats the URL, its ids, the exception or a value that
was sent: a 404 for a record outside a user's rows must read exactly like one for a record
that does not exist. 403 and 404 are rendered with the request, so the signed-in user has
their navigation; 400 and 500 are rendered without it, as 503 is (below): a request that broke
(a bad session cookie, a failing database) must not break its error page too.

503, a database out of reach. Django calls ``handler500`` (config/urls.py) from inside the
``except`` around the failed request, so :func:`server_error` sees the exception. A database
that refuses connections, or a connection cut during the request (PostgreSQL restarted or
failed over, ``pg_terminate_backend``), raises Django's ``OperationalError`` or
``InterfaceError``: that is not a fault of the request but of the moment, so it is answered
with 503, a ``Retry-After`` and a page in the site's layout that says nothing was saved and to
try again. Nothing was: ``ATOMIC_REQUESTS`` rolls back whatever the request had written.
(Should the connection be cut while the commit itself was under way, the outcome is unknown to
the app; the form's one-time token, registry/once.py, then shows the first result when the user
sends it again instead of saving twice.)

The page is rendered without the request: no context processor runs, so neither the session
nor the user is looked up (each would need the database that just failed).

A year whose six-digit registration numbers are all taken (``NumbersExhausted``, about
100,000 saves after an import that brought numbers up to the ceiling) is answered the same
way, with a page that names the year and says to tell the administrator: sending the form
again would not help. Every other error gets the static 500 page.
"""

from __future__ import annotations

import sys

from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string

from registry.models.registrations import NumbersExhausted

RETRY_AFTER_SECONDS = 30
DATABASE_ERRORS = (OperationalError, InterfaceError)


def server_error(request: HttpRequest) -> HttpResponse:
    """``handler500``: 503 for a database that cannot be reached or a year without numbers
    left, the static 500 otherwise."""
    error = sys.exc_info()[1]
    if isinstance(error, DATABASE_ERRORS):
        return database_unavailable()
    if isinstance(error, NumbersExhausted):
        return numbers_exhausted(error.year)
    return HttpResponse(render_to_string("500.html"), status=500)


def bad_request(request: HttpRequest, exception: Exception) -> HttpResponse:
    """``handler400`` (a malformed or suspicious request): static, like 500."""
    return HttpResponse(render_to_string("400.html"), status=400)


def permission_denied(request: HttpRequest, exception: Exception) -> HttpResponse:
    """``handler403``: the page is not for this account's role (``access.requires``)."""
    return render(request, "403.html", status=403)


def page_not_found(request: HttpRequest, exception: Exception) -> HttpResponse:
    """``handler404``: no such page, or a record outside the user's rows (the same answer)."""
    return render(request, "404.html", status=404)


def database_unavailable() -> HttpResponse:
    html = render_to_string("503.html", {"retry_after": RETRY_AFTER_SECONDS})
    response = HttpResponse(html, status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    # A proxy or the browser must not keep this answer for the page.
    response["Cache-Control"] = "no-store"
    return response


def numbers_exhausted(year: int) -> HttpResponse:
    html = render_to_string("numbers_exhausted.html", {"year": year})
    response = HttpResponse(html, status=503)
    response["Cache-Control"] = "no-store"
    return response
