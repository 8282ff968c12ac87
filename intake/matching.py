"""Duplicate detection by blind index, before saving (DESIGN.md, "Encryption").

Nothing is decrypted: the typed values are turned into the same HMAC indexes the Person rows
carry, and the database compares those. Every lookup goes through ``Person.objects.for_user``
so a user is only shown people they may already see. Matches are *possible* matches: the user
decides; the system never merges on its own.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from registry import access, registering
from registry.compiled import CompiledQueries
from registry.models import Person, Registration
from registry.models.people import BlindIndexes, blind_indexes

if TYPE_CHECKING:
    from registry.models import User

YEAR_TOLERANCE = 2

REASONS = {
    "name_dob": _("same names and date of birth"),
    "document": _("same identity document"),
    "family_year": _("same family name, born within two years"),
    "phonetic": _("family name sounds alike, born within two years"),
}
# Strongest first: decides the order in which matches are shown.
REASON_ORDER = ["name_dob", "document", "family_year", "phonetic"]


@dataclass
class Match:
    """A possible match, with only what the user may see (no decrypted value)."""

    person: Person
    reasons: list[str] = field(default_factory=list)
    latest_number: str = ""
    registration_count: int = 0

    @property
    def reason_labels(self) -> list[str]:
        return [str(REASONS[r]) for r in self.reasons]

    @property
    def strong(self) -> bool:
        return bool({"name_dob", "document"} & set(self.reasons))


@dataclass(frozen=True)
class Indexes:
    """The blind indexes of the typed values: those a new person with these values stores
    (``stored``, handed to the registry's constructor so they are worked out once), and the
    phonetic index of each year within YEAR_TOLERANCE of the year of birth."""

    stored: BlindIndexes
    phonetic: tuple[str, ...]
    year: int | None

    @property
    def name_dob(self) -> str | None:
        return self.stored.name_dob

    @property
    def document(self) -> str | None:
        return self.stored.document

    @property
    def family(self) -> str | None:
        return self.stored.family_name

    @property
    def empty(self) -> bool:
        return not (self.name_dob or self.document or self.family or self.phonetic)


def indexes_for(
    *, year_of_birth: int | None = None, near_years: bool = True, **typed: Any
) -> Indexes:
    """The indexes of typed values, named as ``blind_indexes`` takes them (``index_values``
    picks them from a form's or a row's values). ``year_of_birth`` as worked out already (the
    outcome of registering.check), else from the date of birth; ``near_years=False`` for an
    exact lookup (find_exact), which needs no phonetic index of the years around."""
    date_of_birth = typed.get("date_of_birth")
    if year_of_birth is None and date_of_birth is not None:
        year_of_birth, _estimated = registering.year_of_birth(date_of_birth)
    year = year_of_birth
    near = range(year - YEAR_TOLERANCE, year + YEAR_TOLERANCE + 1) if year and near_years else ()
    stored = blind_indexes(**typed, year_of_birth=year, near_years=near)
    return Indexes(stored=stored, phonetic=stored.phonetic_near, year=year)


def _values(ix: Indexes) -> dict[str, str | int]:
    """The changing values of a check, by name: what :data:`MATCH_QUERIES` fills in."""
    values: dict[str, str | int] = {}
    if ix.name_dob:
        values["name_dob"] = ix.name_dob
    if ix.document:
        values["document"] = ix.document
    if ix.family and ix.year:
        values["family"] = ix.family
        values["year_from"] = ix.year - YEAR_TOLERANCE
        values["year_to"] = ix.year + YEAR_TOLERANCE
    for n, phonetic in enumerate(ix.phonetic):
        values[f"phonetic{n}"] = phonetic
    return values


def _query_of(values: Mapping[str, Any]) -> Q | None:
    q = Q()
    if "name_dob" in values:
        q |= Q(bi_name_dob=values["name_dob"])
    if "document" in values:
        q |= Q(bi_document=values["document"])
    if "family" in values:
        q |= Q(
            bi_family_name=values["family"],
            year_of_birth__gte=values["year_from"],
            year_of_birth__lte=values["year_to"],
        )
    phonetic = [v for name, v in values.items() if name.startswith("phonetic")]
    if phonetic:
        q |= Q(bi_phonetic__in=phonetic)
    return q or None


# Only clear and index columns: the encrypted ones are never loaded for matching.
MATCH_COLUMNS = (
    "id",
    "gender",
    "nationality",
    "year_of_birth",
    "bi_name_dob",
    "bi_document",
    "bi_family_name",
    "bi_phonetic",
    "created_at",
)
# The check's query, compiled once per user and shape (registry/compiled.py): building the
# access rules' subqueries cost more than the database's answer.
MATCH_QUERIES = CompiledQueries()


def _candidates(
    user: User, values: Mapping[str, Any], *, exclude: Any = None, limit: int
) -> QuerySet:
    """The people ``user`` may see whose indexes meet ``values``, as the ORM builds it."""
    people = Person.objects.for_user(user).filter(_query_of(values), is_anonymous=False)
    if exclude is not None:
        people = people.exclude(pk=exclude)
    return people.only(*MATCH_COLUMNS)[:limit]


def _people(user: User, ix: Indexes, *, exclude: Any, limit: int) -> list[Person]:
    """:func:`_candidates`, run from a compiled template where it can be (not with
    ``exclude``, triage's rarer check, whose id the template does not take)."""
    values = _values(ix)
    if not values:
        return []
    if exclude is not None:
        return list(_candidates(user, values, exclude=exclude, limit=limit))
    key = ("find_matches", access.scope_key(user), tuple(values), limit)
    compiled = MATCH_QUERIES.sql(key, lambda v: _candidates(user, v, limit=limit), values)
    if compiled is None:
        return []  # the user may see no one
    return list(Person.objects.raw(*compiled))


def _reasons(person: Person, ix: Indexes) -> list[str]:
    found = []
    if ix.name_dob and person.bi_name_dob == ix.name_dob:
        found.append("name_dob")
    if ix.document and person.bi_document == ix.document:
        found.append("document")
    if (
        ix.family
        and ix.year
        and person.bi_family_name == ix.family
        and person.year_of_birth is not None
        and abs(person.year_of_birth - ix.year) <= YEAR_TOLERANCE
    ):
        found.append("family_year")
    if person.bi_phonetic and person.bi_phonetic in ix.phonetic:
        found.append("phonetic")
    return found


def find_matches(user: User, ix: Indexes, *, exclude: Any = None, limit: int = 20) -> list[Match]:
    """Possible matches among the people ``user`` may see, strongest first.

    One query, with the access rules applied, whatever exists outside the user's scope: the
    work (and so the time) of a check must not tell a coordinator that another region knows a
    name. An earlier version asked the blind indexes without access rules first and stopped
    when nothing matched anywhere, which made a name known only elsewhere cost one query more
    (tests/intake/test_duplicates.py, bench/matching.py).
    """
    people = _people(user, ix, exclude=exclude, limit=limit)
    matches = [Match(person=p, reasons=_reasons(p, ix)) for p in people]
    if matches:
        # One query for the registrations of all matches (not one per match).
        by_person = {m.person.pk: m for m in matches}
        rows = (
            Registration.objects.for_user(user)
            .filter(person__in=list(by_person))
            .order_by("registered_on", "number")
            .values_list("person_id", "number")
        )
        for person_id, number in rows:
            match = by_person[person_id]
            match.registration_count += 1
            match.latest_number = number
    matches.sort(key=lambda m: min(REASON_ORDER.index(r) for r in m.reasons))
    return matches


def find_exact(ix: Indexes) -> Person | None:
    """The person that matches exactly (names + date of birth, or document), for imports.

    Exact indexes only: the weaker family-name and phonetic matches need a person to decide.
    """
    q = Q()
    if ix.name_dob:
        q |= Q(bi_name_dob=ix.name_dob)
    if ix.document:
        q |= Q(bi_document=ix.document)
    if not q:
        return None
    return (
        Person.objects.filter(q, is_anonymous=False)
        .only("id", "year_of_birth", "bi_name_dob", "bi_document")
        .order_by("created_at")
        .first()
    )
