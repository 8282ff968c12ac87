"""Duplicate detection by blind index, before saving (DESIGN.md, "Encryption").

Nothing is decrypted: the typed values are turned into the same HMAC indexes the Person rows
carry, and the database compares those. Every lookup goes through ``Person.objects.for_user``
so a user is only shown people they may already see. Matches are *possible* matches: the user
decides; the system never merges on its own.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from registry import registering
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


def _query(ix: Indexes) -> Q | None:
    q = Q()
    if ix.name_dob:
        q |= Q(bi_name_dob=ix.name_dob)
    if ix.document:
        q |= Q(bi_document=ix.document)
    if ix.family and ix.year:
        q |= Q(
            bi_family_name=ix.family,
            year_of_birth__gte=ix.year - YEAR_TOLERANCE,
            year_of_birth__lte=ix.year + YEAR_TOLERANCE,
        )
    if ix.phonetic:
        q |= Q(bi_phonetic__in=ix.phonetic)
    return q or None


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
    q = _query(ix)
    if q is None:
        return []
    people = Person.objects.for_user(user).filter(q, is_anonymous=False)
    if exclude is not None:
        people = people.exclude(pk=exclude)
    # Only clear and index columns: the encrypted ones are never loaded for matching.
    people = people.only(
        "id",
        "gender",
        "nationality",
        "year_of_birth",
        "bi_name_dob",
        "bi_document",
        "bi_family_name",
        "bi_phonetic",
        "created_at",
    )[:limit]
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
