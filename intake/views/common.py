"""Role checks and lookups shared by the intake views. Access always through ``for_user``."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, QueryDict

from registry import search


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


def posted_number_search(request: HttpRequest, queryset: QuerySet, *, screen: str) -> HttpResponse:
    """A list's search by (part of) a reference number, posted and redirected.

    The search box posts; only digits and dashes travel on in the URL (registry.search), so a
    name typed into the box by mistake reaches no URL, log or browser history. Audited with
    its kind and result count, like every search.
    """
    found = search.from_term(request.POST.get("q", ""), (search.NUMBER_PART,))
    params = QueryDict(mutable=True)
    if "sort" in request.POST:
        params["sort"] = request.POST["sort"]
    if found is not None:
        results = filter_by_number_part(queryset, found).count()
        search.record(request.user, found, screen=screen, results=results)
        for name, value in found.params():
            params.appendlist(name, value)
    return HttpResponseRedirect(f"{request.path}?{params.urlencode()}")


def number_search_in_url(request: HttpRequest) -> search.Search | None:
    """The (part of a) reference number a list's URL carries, if well formed."""
    return search.from_query(request.GET, (search.NUMBER_PART,))


def filter_by_number_part(queryset: QuerySet, found: search.Search) -> QuerySet:
    return search.filter_queryset(
        queryset,
        found,
        {search.NUMBER_PART: lambda qs, values: qs.filter(number__contains=values[0])},
    )
