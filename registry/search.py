"""Searches that leave no name behind: what a typed term becomes in a URL, and back.

A search term is typed on a list (the workspace's case list, an admin changelist) and sent in a
POST body, never in a URL: a URL ends up in access logs, browser history and the Referer of
the next request. The server works out what kind of term it is, records the search in the
audit trail (its kind and result count, never the term), and redirects to the list with only
what the list needs to find the records again:

- a registration number (``2026-000123``) is not personal and is carried as it is:
  ``?number=2026-000123``;
- a family name is carried as its blind index (``registry.models.people.family_name_index``):
  ``?family_name=<64 hex digits>``;
- an identity document number likewise, as the document indexes the list holds
  (``?document=<64 hex digits>``, one per issuing country found);
- on the audit trail, a record id (a UUID, or a small whole number) and an account's user name,
  which are not personal data of a victim: ``?object_id=...``, ``?actor=...``;
- on lists of data that is not about victims (regions, organisations, accounts), the term
  itself in ``?q=``, as Django's admin does (``TEXT``).

This module is the one place that encodes (``from_term``, ``Search.params``) and decodes
(``from_query``) such a search; ``filter_queryset`` applies it and ``record`` audits it. The
workspace (registry.views.cases) and the admin (registry.admin.PostedSearchMixin) both use it.

A value that is not well formed (a forged or truncated index, two searches in one URL) is
kept as "finds nothing": a search in a URL never falls back to showing everything.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from registry.choices import AuditAction
from registry.models.people import document_index, family_name_index

if TYPE_CHECKING:
    from registry.models import User

NUMBER = "number"
# Part of a registration number ("000123", "2026-0001"): the triage queue and a reporter's list.
NUMBER_PART = "number_part"
FAMILY_NAME = "family_name"
DOCUMENT = "document"
RECORD = "object_id"
ACCOUNT = "actor"
TEXT = "text"

LABELS = {
    NUMBER: _("registration number"),
    NUMBER_PART: _("reference number"),
    FAMILY_NAME: _("family name"),
    DOCUMENT: _("identity document number"),
    RECORD: _("record id"),
    ACCOUNT: _("user"),
    TEXT: _("text"),
}
# The query-string parameter of each kind. TEXT uses Django admin's own ``q``.
PARAMETERS = {
    NUMBER: "number",
    NUMBER_PART: "number_part",
    FAMILY_NAME: "family_name",
    DOCUMENT: "document",
    RECORD: "object_id",
    ACCOUNT: "actor",
    TEXT: "q",
}

REGISTRATION_NUMBER = re.compile(r"[0-9]{4}-[0-9]{1,6}")
NUMBER_FRAGMENT = re.compile(r"[0-9][0-9-]{0,10}")
BLIND_INDEX = re.compile(r"[0-9a-f]{64}")
# Integer keys (regions, accounts, handovers) stay far below this; a citizen service number
# (BSN, 9 digits) is personal and must never be carried as a record id.
SMALL_NUMBER = re.compile(r"[0-9]{1,8}")
USER_NAME = re.compile(r"[\w.@+-]{1,150}")
# "RO XQ9921337" or "RO: XQ9921337": a document number with the issuing country first.
COUNTRY_FIRST = re.compile(r"([A-Za-z]{2})\s*[:\s]\s*(\S.*)")
# More values than a search can have (one document number in a few countries): forged.
MAX_VALUES = 20


@dataclass(frozen=True)
class Search:
    """A search as a URL may carry it: its kind and the values the list filters on.

    ``values`` are registration numbers, blind indexes, a record id, a user name or (TEXT
    only) the term. Empty values mean the search finds nothing (a term without an index, a
    forged value); the list then says what was searched and shows no records.
    """

    kind: str
    values: tuple[str, ...]

    @property
    def label(self) -> str:
        """What is being searched, for the page ("family name"), never the term."""
        return str(LABELS[self.kind])

    @property
    def parameter(self) -> str:
        return PARAMETERS[self.kind]

    def params(self) -> list[tuple[str, str]]:
        """The query-string pairs of this search (an empty value when it finds nothing)."""
        return [(self.parameter, value) for value in self.values] or [(self.parameter, "")]

    def narrowed(self, queryset: QuerySet, lookup: str) -> Search:
        """The values ``queryset`` holds in ``lookup``, for kinds with several candidates.

        A document number without a country has one index per issuing country; the URL then
        carries only those the user's list holds (usually one), not two hundred.
        """
        found = (
            queryset.filter(**{f"{lookup}__in": self.values})
            .order_by()
            .values_list(lookup, flat=True)
            .distinct()
        )
        return Search(self.kind, tuple(sorted(found)))


def from_term(term: str, kinds: Sequence[str]) -> Search | None:
    """What a typed ``term`` is, among the ``kinds`` a list searches; None for a blank term.

    A registration number is recognised by its shape, a record id by being a UUID or a small
    whole number, a document number by containing a digit (no family name does) when the
    list also searches family names. Whatever is left is a family name, a user name or, on a
    list of non-personal data, plain text. A term of a kind the list does not search gives a
    search that finds nothing, never a URL with the term in it.
    """
    term = term.strip()
    if not term or not kinds:
        return None
    if NUMBER in kinds and REGISTRATION_NUMBER.fullmatch(term):
        return Search(NUMBER, (term,))
    if NUMBER_PART in kinds:
        # Only digits and dashes ever reach the URL; anything else (a name typed in the
        # wrong box) finds nothing.
        return Search(NUMBER_PART, (term,) if NUMBER_FRAGMENT.fullmatch(term) else ())
    if RECORD in kinds and (record := _record_id(term)):
        return Search(RECORD, (record,))
    has_digit = any(char.isdigit() for char in term)
    if DOCUMENT in kinds and (has_digit or FAMILY_NAME not in kinds):
        return Search(DOCUMENT, document_indexes(term))
    if FAMILY_NAME in kinds:
        index = family_name_index(term)
        return Search(FAMILY_NAME, (index,) if index else ())
    if ACCOUNT in kinds:
        from registry.models import User

        name = User.objects.filter(username__iexact=term).values_list("username", flat=True)
        return Search(ACCOUNT, tuple(name[:1]))
    if TEXT in kinds:
        return Search(TEXT, (term,))
    return Search(kinds[0], ())


def from_query(params: Mapping[str, Any], kinds: Sequence[str]) -> Search | None:
    """The search a query string carries (``request.GET``), among ``kinds``; None if none.

    Values that are not well formed for their kind are dropped, so a forged or truncated
    index, a term typed into the URL by hand, or two searches at once find nothing.
    """
    present = [kind for kind in kinds if kind != TEXT and PARAMETERS[kind] in params]
    if not present:
        return None
    kind = present[0]
    if len(present) > 1:
        return Search(kind, ())
    values = _getlist(params, PARAMETERS[kind])
    if len(values) > MAX_VALUES or not all(_well_formed(kind, value) for value in values):
        return Search(kind, ())
    return Search(kind, tuple(values))


Filter = str | Callable[[QuerySet, tuple[str, ...]], QuerySet]


def filter_queryset(queryset: QuerySet, found: Search, lookups: Mapping[str, Filter]) -> QuerySet:
    """``queryset`` narrowed to what ``found`` finds, through ``lookups`` by kind.

    A lookup is a field path compared with ``__in`` (``"person__bi_family_name"``) or a
    function of the queryset and the values. A search without values, or of a kind the list
    does not search, finds nothing.
    """
    lookup = lookups.get(found.kind)
    if lookup is None or not found.values:
        return queryset.none()
    if callable(lookup):
        return lookup(queryset, found.values)
    return queryset.filter(**{f"{lookup}__in": found.values})


def record(user: User, found: Search, *, screen: str, results: int) -> None:
    """Audit a search: who, on which screen, what kind, how many results; never the term."""
    from registry.models import AuditEvent

    AuditEvent.record(
        AuditAction.SEARCH,
        user=user,
        details={"screen": screen, "kind": found.kind, "results": results},
    )


def document_indexes(term: str) -> tuple[str, ...]:
    """The blind indexes a typed document number can have.

    The document index covers the issuing country and the number. ``"RO XQ9921337"`` names the
    country; a bare number may have been stored under any country or none, so it gets one
    index per country code and one for "no country" (HMACs are cheap; nothing is decrypted).
    """
    country_first = COUNTRY_FIRST.fullmatch(term)
    if country_first and country_first.group(1).upper() in countries:
        candidates = [(country_first.group(1).upper(), country_first.group(2))]
    else:
        candidates = [("", term), *((code, term) for code, _name in countries)]
    indexes = (document_index(country, number) for country, number in candidates)
    return tuple(dict.fromkeys(index for index in indexes if index))


def _record_id(term: str) -> str | None:
    if SMALL_NUMBER.fullmatch(term):
        return term
    try:
        return str(uuid.UUID(term))
    except ValueError:
        return None


def _well_formed(kind: str, value: str) -> bool:
    if kind == NUMBER:
        return bool(REGISTRATION_NUMBER.fullmatch(value))
    if kind == NUMBER_PART:
        return bool(NUMBER_FRAGMENT.fullmatch(value))
    if kind in (FAMILY_NAME, DOCUMENT):
        return bool(BLIND_INDEX.fullmatch(value))
    if kind == RECORD:
        return _record_id(value) == value
    if kind == ACCOUNT:
        return bool(USER_NAME.fullmatch(value))
    return False


def _getlist(params: Mapping[str, Any], name: str) -> list[str]:
    getlist = getattr(params, "getlist", None)
    values = getlist(name) if getlist is not None else [params[name]]
    return [str(value) for value in values]
