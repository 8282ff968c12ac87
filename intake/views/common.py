"""Lookups shared by the intake views. Pages are gated by ``registry.access.requires``; records
always come through ``for_user``."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, QueryDict
from django.shortcuts import render

from registry import search


def number_searched_list(
    request: HttpRequest, queryset: QuerySet, *, screen: str, template: str, sort: str
) -> HttpResponse:
    """A list searchable by (part of) a reference number, 25 to a page.

    A posted search is answered with a redirect (``posted_number_search``); the number in the
    URL filters the list. The template shows the search with intake/_number_search.html.
    """
    if request.method == "POST":
        return posted_number_search(request, queryset, screen=screen)
    found = number_search_in_url(request)
    if found is not None:
        queryset = filter_by_number_part(queryset, found)
    page = Paginator(queryset, 25).get_page(request.GET.get("page"))
    return render(request, template, {"page": page, "found": found, "sort": sort})


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
