"""What every template may know about the signed-in user: what they may do."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from registry import access


def page_predicates(request: HttpRequest) -> dict[str, Any]:
    """``may``: what the signed-in user may do (``may.count`` is ``access.may_count``), for the
    navigation and the pages' links, answered once per request (``access.answers_for``: the
    page's gate has usually asked its own already); ``needs_second_factor``: whether their
    pages wait for a verified second factor."""
    return {
        "may": access.answers_for(request),
        "needs_second_factor": access.needs_second_factor(request.user),
    }
