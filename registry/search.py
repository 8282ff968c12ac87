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
- on the case list, a name (``NAME``: the family name, a part of it, a given name, or one
  that sounds alike, with an optional year of birth) as the blind indexes of its words
  (registry.models.search_tokens): ``?name=f.<hex>&name=w.<hex>.<hex>.<hex>&name=y.1990``;
  and the case code every list shows (``Case B820FE4B``; ``CODE``: the first eight hex
  digits of the case's or the person's UUID, not personal): ``?code=B820FE4B``;
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

from django.db.models import Case, IntegerField, Min, OuterRef, Q, QuerySet, Subquery, Value, When
from django.db.models.functions import Greatest, Least
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from registry.choices import AuditAction
from registry.models.people import document_index, family_name_index
from registry.models.search_tokens import (
    GIVEN,
    MAX_WORDS,
    PART,
    SOUND,
    PersonSearchToken,
    name_words,
    sound_of,
    word_digest,
)

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
NAME = "name"
CODE = "code"

LABELS = {
    NUMBER: _("registration number"),
    NUMBER_PART: _("reference number"),
    FAMILY_NAME: _("family name"),
    DOCUMENT: _("identity document number"),
    RECORD: _("record id"),
    ACCOUNT: _("user"),
    TEXT: _("text"),
    NAME: _("name"),
    CODE: _("case code"),
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
    NAME: "name",
    CODE: "code",
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
# "B820FE4B", "Case B820FE4B", "casus b820fe4b", "Person 67DCA62E": the code the lists show.
CASE_CODE = re.compile(r"(?:(?:case|casus|person|persoon)\s+)?([0-9a-f]{8})", re.IGNORECASE)
CODE_VALUE = re.compile(r"[0-9A-F]{8}")
# A name search's values: the whole name's index, each word's (part, given, sound) indexes,
# and the year of birth that narrows it.
NAME_WHOLE = re.compile(r"f\.([0-9a-f]{64})")
NAME_WORD = re.compile(r"w\.([0-9a-f]{64})\.([0-9a-f]{64})\.([0-9a-f]{64}|-)")
NAME_YEAR = re.compile(r"y\.((?:19|20)[0-9]{2})")


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
    if CODE in kinds and (code := CASE_CODE.fullmatch(term)):
        return Search(CODE, (code.group(1).upper(),))
    if NAME in kinds:
        return Search(NAME, name_values(term))
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


def name_values(term: str) -> tuple[str, ...]:
    """What a typed name becomes: ``f.<index of the whole as a family name>``, then
    ``w.<part>.<given>.<sound>`` for each word (registry.models.search_tokens) and
    ``y.<year>`` when the term ends in a year of birth (``Muhammad 1990``). No value: finds
    nothing."""
    words = term.split()
    year = None
    if len(words) > 1 and (NAME_YEAR.fullmatch(f"y.{words[-1]}")):
        year = words.pop()
    name = " ".join(words)
    values = []
    if whole := family_name_index(name):
        values.append(f"f.{whole}")
    for word in name_words(name)[:MAX_WORDS]:
        part, given = word_digest(PART, word), word_digest(GIVEN, word)
        sound = word_digest(SOUND, key) if (key := sound_of(word)) else None
        values.append(f"w.{part}.{given}.{sound or '-'}")
    if values and year:
        values.append(f"y.{year}")
    return tuple(values)


# The ranks of a name search: the whole family name, then a part of it, then a given name
# (or words found among given and family names together), then a family name that sounds
# alike. A person found several ways takes the best.
RANK_WHOLE, RANK_PART, RANK_GIVEN, RANK_SOUND, UNRANKED = range(5)


def name_matches(values: tuple[str, ...]) -> QuerySet:
    """The persons a name search finds, one row each: ``person_id`` and ``search_rank``.

    One aggregate over PersonSearchToken's index on ``digest``: only the rows of the typed
    words' digests are read, whatever the number of persons.
    """
    whole = [m.group(1) for v in values if (m := NAME_WHOLE.fullmatch(v))]
    words = [m.groups() for v in values if (m := NAME_WORD.fullmatch(v))]
    years = [int(m.group(1)) for v in values if (m := NAME_YEAR.fullmatch(v))]
    digests = {*whole, *(d for word in words for d in word if d != "-")}
    tokens = PersonSearchToken.objects.filter(digest__in=sorted(digests))
    if years:
        tokens = tokens.filter(person__year_of_birth=years[0])

    # Per person, the best way each typed word is found (1 a part of the family name, 2 a
    # given name, 3 a sound), and the worst of those over the words: a name typed as "Chinwe
    # Okonkwo" is found by its given and its family name, ranked as a given-name match.
    def best(*ways: tuple[str, int]) -> Min:
        whens = [When(digest=digest, then=Value(rank)) for digest, rank in ways if digest != "-"]
        return Min(Case(*whens, default=Value(UNRANKED), output_field=IntegerField()))

    rank = best(*((digest, RANK_WHOLE) for digest in whole))
    per_word = [best((p, RANK_PART), (g, RANK_GIVEN), (s, RANK_SOUND)) for p, g, s in words]
    if per_word:
        every = Greatest(*per_word) if len(per_word) > 1 else per_word[0]
        rank = Least(rank, every) if whole else every
    return (
        tokens.order_by()
        .values("person_id")
        .annotate(search_rank=rank)
        .filter(search_rank__lt=UNRANKED)
    )


def find_people(person_field: str) -> Callable[[QuerySet, tuple[str, ...]], QuerySet]:
    """A ``Filter`` of NAME for a queryset whose person is ``person_field`` (``"person_id"``
    on cases, ``"pk"`` on persons): the records of the persons found, each annotated with
    ``search_rank`` (order by it with ``ranked``)."""

    def lookup(queryset: QuerySet, values: tuple[str, ...]) -> QuerySet:
        matches = name_matches(values)
        rank = matches.filter(person_id=OuterRef(person_field)).values("search_rank")[:1]
        return queryset.filter(**{f"{person_field}__in": matches.values("person_id")}).annotate(
            search_rank=Subquery(rank, output_field=IntegerField())
        )

    return lookup


def code_range(code: str) -> tuple[uuid.UUID, uuid.UUID]:
    """The UUIDs whose code (their first eight hex digits) is ``code``: a range of the
    primary key's index, so a code is found without reading the table."""
    low = code.lower()
    return uuid.UUID(f"{low}-0000-0000-0000-000000000000"), uuid.UUID(
        f"{low}-ffff-ffff-ffff-ffffffffffff"
    )


def find_cases_by_code(queryset: QuerySet, values: tuple[str, ...]) -> QuerySet:
    """Cases whose own code or whose person's code is one of ``values``."""
    found = Q(pk__in=[])
    for code in values:
        low, high = code_range(code)
        found |= Q(pk__range=(low, high)) | Q(person_id__gte=low, person_id__lte=high)
    return queryset.filter(found)


def number_range(prefix: str) -> tuple[str, str]:
    """The registration numbers that start with ``prefix`` (``2026-0001``), as a range of the
    number's index: from the prefix to the prefix with its last digit one up (``2026-0002``;
    ``2026-99`` goes to ``2027-00``). A number is digits and one dash, so every number in the
    range starts with the prefix, under any collation."""
    chars = list(prefix)
    for i in reversed(range(len(chars))):
        if chars[i] == "-":
            continue
        if chars[i] != "9":
            chars[i] = str(int(chars[i]) + 1)
            return prefix, "".join(chars)
        chars[i] = "0"
    return prefix, "9999-999999~"  # 9999-9...: past the last year, nothing to miss


def find_cases_by_number(queryset: QuerySet, values: tuple[str, ...]) -> QuerySet:
    """Cases of a person with a registration whose number is, or starts with, one of
    ``values`` (any registration of the person)."""
    from registry.models import Registration

    numbers = Q(pk__in=[])
    for prefix in values:
        low, high = number_range(prefix)
        numbers |= Q(number__gte=low, number__lt=high)
    persons = Registration.objects.filter(numbers).values("person_id")
    return queryset.filter(person_id__in=persons)


# What the case list searches: a registration number or its beginning, a case code, or a
# name through the blind indexes of its words (nothing is decrypted to search).
# FAMILY_NAME: the exact family name's index, as links made before names were searched
# by their words carry it (a term typed now is a NAME).
CASE_KINDS = (NUMBER, CODE, NAME, FAMILY_NAME)
CASE_LOOKUPS: dict[str, Filter] = {
    NUMBER: find_cases_by_number,
    CODE: find_cases_by_code,
    NAME: find_people("person_id"),
    FAMILY_NAME: "person__bi_family_name",
}


def ranked(queryset: QuerySet, found: Search | None) -> QuerySet:
    """``queryset`` (a list found by ``found`` and ordered as the list orders) with the best
    matches of a name search first, the list's own order among equals."""
    if found is None or found.kind != NAME or not found.values:
        return queryset
    return queryset.order_by("search_rank", *queryset.query.order_by)


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
    if kind == NAME:
        return any(p.fullmatch(value) for p in (NAME_WHOLE, NAME_WORD, NAME_YEAR))
    if kind == CODE:
        return bool(CODE_VALUE.fullmatch(value))
    if kind == RECORD:
        return _record_id(value) == value
    if kind == ACCOUNT:
        return bool(USER_NAME.fullmatch(value))
    return False


def _getlist(params: Mapping[str, Any], name: str) -> list[str]:
    getlist = getattr(params, "getlist", None)
    values = getlist(name) if getlist is not None else [params[name]]
    return [str(value) for value in values]
