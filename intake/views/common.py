"""Role checks and lookups shared by the intake views. Access always through ``for_user``."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse


def role_required(check: Callable[[Any], bool]) -> Callable:
    """403 unless ``check(request.user)``; use under @login_required."""

    def decorator(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if not check(request.user):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapped

    return decorator


def is_staff(user: Any) -> bool:
    return bool(user.is_registry_staff)


def is_reporter(user: Any) -> bool:
    return bool(user.is_active and user.is_reporter and user.organisation_id)


def may_triage(user: Any) -> bool:
    return bool(user.is_active and (user.is_helpdesk or user.is_administrator))
