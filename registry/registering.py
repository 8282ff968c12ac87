"""The rules of a registration record, its one validator and its one constructor.

DESIGN.md, "Consent and minors", written once. Every way in calls this module: intake's staff
form and reporter submission validate with :func:`check` (``registration_errors`` is its
error part), and so does the CSV import for each row; each of them, and triage, records
through :func:`record` (``Registration.objects.record``) and :func:`open_case`. The way in
keeps what is its own: its fields and layouts, duplicate matching, parsing, the choice of a
coordinator (passed in here as ``coordinator_for``, so the registry never imports intake) and
the e-mail that follows.

A value missing from the values of a way in is unknown: the CSV format has no signer of the
consent and no exploitation period, so the rules about those apply to the ways in that ask.
A field that already failed its own check (a date that is not a date) is missing too.

Each fact of a registration is worked out once per save: :func:`check` works out the age and
the year of birth (the :class:`Outcome`), the way in the blind indexes of the typed values for
its duplicate check, and :func:`record` stores those very values on the person
(``Person.keep_derived``) instead of working them out again.

The models use the rules here (the age limit is a database constraint; a person's age and
year of birth follow them), so the constructor imports the models where it runs rather than
at the top of this module.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from registry import municipalities
from registry.carried import carried_by
from registry.choices import (
    LAWFUL_RESIDENCE,
    AuditAction,
    ConsentSigner,
    Gender,
    NoCaseReason,
    ResidenceStatus,
    Sector,
    SubmissionStatus,
    has_legal_duty,
)

if TYPE_CHECKING:
    import uuid

    from registry.models import Case, Person, Region, Registration, User
    from registry.models.people import BlindIndexes

# Which sectors fit which form of exploitation (codes of FormOfExploitation.Code); "other"
# and "unknown" fit every form.
SECTORS_BY_FORM: dict[str, tuple[str, ...]] = {
    "sexual": ("window", "club", "home", "escort", "hotel", "street", "online"),
    "labour": (
        "agriculture",
        "domestic_work",
        "hospitality",
        "manufacturing",
        "construction",
        "transport",
        "retail",
        "cleaning",
        "temp_agency",
    ),
    "criminal": ("drugs", "theft", "begging", "money_mule"),
}
SECTORS_FOR_ANY_FORM = {Sector.OTHER.value, Sector.UNKNOWN.value}

EMERGENCY_NUMBER = "112"
# The oldest age a registration may carry; also the database constraint on
# Registration.age_at_registration.
MAX_AGE = 120
ADULT_AGE = 18
# The earliest year of birth a person may carry; also the database constraint on
# Person.year_of_birth. An old registration date with an age (1850 and 30) would give one
# before it.
EARLIEST_YEAR_OF_BIRTH = 1880
CONSENT_OWN_SIGNATURE_AGE = 16
# The Dutch monitor's age bands (DESIGN.md, "Statistics and anonymisation"): (code, lowest
# age, highest age or None). The statistics group by them (reports/dimensions.py), and a
# handover shows the receiving region the band, never the date of birth.
MONITOR_AGE_BANDS: list[tuple[str, int, int | None]] = [
    ("0-17", 0, 17),
    ("18-22", 18, 22),
    ("23-29", 23, 29),
    ("30-39", 30, 39),
    ("40+", 40, None),
]
UNKNOWN_AGE_BAND = "unknown"

DOB_IN_FUTURE = _("The date of birth cannot be in the future.")
AGE_OUT_OF_RANGE = _("The age must be between 0 and %(max_age)d years.")
BORN_TOO_EARLY = _(
    "With this registration date, this gives a year of birth before %(year)d. Check the "
    "registration date and the age or date of birth."
)
DATE_IN_FUTURE = _("The registration date cannot be in the future.")
SECTOR_DOES_NOT_FIT = _(
    "This sector does not fit the forms of exploitation chosen. Choose a sector of one of "
    "those forms, or 'other' or 'unknown'."
)
END_BEFORE_START = _("The end of the exploitation cannot be before its start.")
CONSENT_NEEDS_SIGNER = _("Say who signed the written consent.")
GUARDIAN_UNDER_16 = _("Under 16, the consent is signed by a parent or guardian.")
REFLECTION_IN_FUTURE = _("The reflection period cannot start in the future.")
REFLECTION_TOO_EARLY = _(
    "The reflection period cannot have started more than a year before the registration date."
)
REFLECTION_NEEDS_STATUS = _(
    "A start of the reflection period only applies with residence status 'reflection period'."
)
# How long before the registration date a reflection period typed at intake may have started.
REFLECTION_START_MAX_DAYS_BEFORE = 365

# What a registration record takes from the values of a way in. The personal fields of the
# person are registry.models.people.PERSONAL_FIELDS; the residence status (and the start of a
# reflection period) is kept on the registration and goes on the case when one opens.
PERSON_STAT_FIELDS = ("gender", "nationality", "country_of_birth")
REGISTRATION_FIELDS = (
    "registered_on",
    "reporter_type",
    "organisation",
    "region",
    "found_in_municipality",
    "sector",
    "exploitation_country",
    "exploitation_municipality",
    "exploitation_start",
    "exploitation_end",
    "scope",
    "unaccompanied_minor",
    "immediate_danger",
    "file_type",
    "shelter_requested",
    "consent_registration",
    "consent_care",
    "consent_signed_by",
    "residence_status",
    "reflection_started_on",
)
CODE_LISTS = ("exploitation_forms", "means_of_control")


# The rules --------------------------------------------------------------------------------------


def sector_fits_forms(sector: str, forms: Iterable[str]) -> bool:
    """True when the sector belongs to one of the chosen forms (or is other/unknown)."""
    if not sector or sector in SECTORS_FOR_ANY_FORM:
        return True
    return any(sector in SECTORS_BY_FORM.get(form, ()) for form in forms)


def age_on(
    day: datetime.date,
    date_of_birth: datetime.date | None = None,
    estimated_age: int | None = None,
    *,
    year_of_birth: int | None = None,
) -> int | None:
    """Age in whole years on ``day``: from the date of birth, else the estimated age, else
    from an (estimated) year of birth; None when nothing is known."""
    if date_of_birth is not None:
        return (
            day.year
            - date_of_birth.year
            - ((day.month, day.day) < (date_of_birth.month, date_of_birth.day))
        )
    if estimated_age is not None:
        return estimated_age
    if year_of_birth:
        return day.year - year_of_birth
    return None


def year_of_birth(
    date_of_birth: datetime.date | None,
    estimated_age: int | None = None,
    *,
    on: datetime.date | None = None,
) -> tuple[int | None, bool]:
    """(year of birth, estimated?): from the date of birth, else from the age on ``on``."""
    if date_of_birth is not None:
        return date_of_birth.year, False
    if estimated_age is not None:
        return (on or timezone.localdate()).year - estimated_age, True
    return None, False


def is_minor(age: int | None) -> bool:
    return age is not None and age < ADULT_AGE


def age_band(age: int | None, bands: list[tuple[str, int, int | None]] = MONITOR_AGE_BANDS) -> str:
    """The code of the band ``age`` falls in (``UNKNOWN_AGE_BAND`` without an age)."""
    if age is None:
        return UNKNOWN_AGE_BAND
    for code, _low, high in bands:
        if high is None or age <= high:
            return code
    return UNKNOWN_AGE_BAND  # pragma: no cover


def needs_nidos(minor: bool, unaccompanied: bool, residence_status: str) -> bool:
    """Unaccompanied minors without lawful residence are referred to Nidos (guardianship)."""
    return minor and unaccompanied and residence_status not in LAWFUL_RESIDENCE


def is_anonymous(reporter_type: str, consent_registration: bool) -> bool:
    """Without a legal duty to report and without written consent: no personal data."""
    return not has_legal_duty(reporter_type) and not consent_registration


def opens_case(consent_care: bool) -> bool:
    """Care needs the person's consent (CoMensha: registration may rest on a legal duty, care
    coordination does not): without consent to care a registration is recorded and counted
    but opens no case, is routed to no one and mails no one."""
    return bool(consent_care)


def reflection_start_error(
    start: datetime.date | None, residence_status: str, day: datetime.date, today: datetime.date
) -> str | None:
    """Why ``start`` cannot begin the reflection period of a registration of ``day``."""
    if start is None:
        return None
    if residence_status != ResidenceStatus.REFLECTION_PERIOD:
        return str(REFLECTION_NEEDS_STATUS)
    if start > today:
        return str(REFLECTION_IN_FUTURE)
    if start < day - datetime.timedelta(days=REFLECTION_START_MAX_DAYS_BEFORE):
        return str(REFLECTION_TOO_EARLY)
    return None


def reflection_start(registration: Registration) -> datetime.date | None:
    """Where the case of ``registration`` starts its reflection period: the date typed at
    intake, else the registration date, when the residence status is reflection period."""
    if registration.residence_status != ResidenceStatus.REFLECTION_PERIOD:
        return None
    return registration.reflection_started_on or registration.registered_on


def sector_error(sector: str, forms: Iterable[str]) -> str | None:
    if sector and not sector_fits_forms(sector, list(forms)):
        return str(SECTOR_DOES_NOT_FIT)
    return None


@dataclass(frozen=True)
class Outcome:
    """What the rules decide for one registration; shown before saving and applied on save."""

    immediate_danger: bool
    age: int | None
    minor: bool
    nidos: bool
    anonymous: bool
    year_of_birth: int | None = None
    year_of_birth_estimated: bool = False

    @property
    def emergency_number(self) -> str:
        return EMERGENCY_NUMBER


@dataclass(frozen=True)
class Checked:
    """The errors of one registration's values by field, and, without errors, its outcome."""

    errors: dict[str, str]
    outcome: Outcome | None


# The validator ----------------------------------------------------------------------------------


def check(values: Mapping[str, Any], *, today: datetime.date | None = None) -> Checked:
    """Apply every rule of a registration record to ``values`` (by the registry's field names;
    the age as ``estimated_age``): the errors by field, one message each, and the outcome.

    A missing value is unknown and the rules that need it are not applied (module docstring).
    The age rules use the registration date, or today when that date is itself refused.
    """
    today = today or timezone.localdate()
    errors: dict[str, str] = {}

    def refuse(field: str, message: Any) -> None:
        errors.setdefault(field, str(message))

    registered_on = values.get("registered_on")
    if registered_on is not None and registered_on > today:
        refuse("registered_on", DATE_IN_FUTURE)
        registered_on = None
    day = registered_on or today

    age = None
    date_of_birth = values.get("date_of_birth")
    if date_of_birth is not None:
        if date_of_birth > today:
            refuse("date_of_birth", DOB_IN_FUTURE)
        else:
            age = age_on(day, date_of_birth)
            if not 0 <= age <= MAX_AGE:
                refuse("date_of_birth", AGE_OUT_OF_RANGE % {"max_age": MAX_AGE})
                age = None
    estimated_age = values.get("estimated_age")
    if estimated_age is not None:
        if not 0 <= estimated_age <= MAX_AGE:
            refuse("estimated_age", AGE_OUT_OF_RANGE % {"max_age": MAX_AGE})
        elif date_of_birth is None:
            age = estimated_age

    error = sector_error(values.get("sector") or "", values.get("exploitation_forms") or ())
    if error:
        refuse("sector", error)
    start, end = values.get("exploitation_start"), values.get("exploitation_end")
    if start and end and end < start:
        refuse("exploitation_end", END_BEFORE_START)
    consent = bool(values.get("consent_registration"))
    if consent and "consent_signed_by" in values:
        signer = values.get("consent_signed_by") or ""
        if not signer:
            refuse("consent_signed_by", CONSENT_NEEDS_SIGNER)
        elif (
            age is not None and age < CONSENT_OWN_SIGNATURE_AGE and signer != ConsentSigner.GUARDIAN
        ):
            refuse("consent_signed_by", GUARDIAN_UNDER_16)
    error = municipalities.country_error(
        values.get("exploitation_country") or "", values.get("exploitation_municipality")
    )
    if error:
        refuse("exploitation_municipality", error)
    error = reflection_start_error(
        values.get("reflection_started_on"), values.get("residence_status") or "", day, today
    )
    if error:
        refuse("reflection_started_on", error)

    year, estimated = year_of_birth(date_of_birth, estimated_age, on=day)
    if year is not None and year < EARLIEST_YEAR_OF_BIRTH:
        field = "estimated_age" if estimated else "date_of_birth"
        refuse(field, BORN_TOO_EARLY % {"year": EARLIEST_YEAR_OF_BIRTH})
    if errors:
        return Checked(errors, None)
    minor = is_minor(age) if age is not None else bool(values.get("believed_minor"))
    return Checked(
        errors,
        Outcome(
            immediate_danger=bool(values.get("immediate_danger")),
            age=age,
            minor=minor,
            nidos=needs_nidos(
                minor,
                bool(values.get("unaccompanied_minor")),
                values.get("residence_status") or "",
            ),
            anonymous=is_anonymous(values.get("reporter_type") or "", consent),
            year_of_birth=year,
            year_of_birth_estimated=estimated,
        ),
    )


def registration_errors(
    values: Mapping[str, Any], *, today: datetime.date | None = None
) -> dict[str, str]:
    """{field: message} for ``values``; empty when they make a valid registration."""
    return check(values, today=today).errors


# The constructor --------------------------------------------------------------------------------


@dataclass
class Recorded:
    registration: Registration
    person: Person
    case: Case | None
    person_created: bool
    case_opened: bool


# record() is all-or-nothing. Called from a view it joins the request's transaction
# (ATOMIC_REQUESTS) without a savepoint of its own: nobody catches its errors to carry on, so an
# error rolls back the whole request, and a SAVEPOINT/RELEASE pair would only cost two
# statements. Outside a transaction it opens one. A caller that wants to continue after a
# failure wraps the call in its own ``transaction.atomic()``.


def record(
    values: Mapping[str, Any],
    *,
    source: str,
    user: User | None = None,
    outcome: Outcome | None = None,
    person: Person | None = None,
    indexes: BlindIndexes | None = None,
    status: str = SubmissionStatus.ACCEPTED,
    number: str = "",
    coordinator_for: Callable[[Region], User | None] | None = None,
    matches_shown: int = 0,
    audit: bool = True,
    then: Callable[[Recorded], None] | None = None,
    registration_id: uuid.UUID | None = None,
) -> Recorded:
    """Record one registration: the person (new, or ``person`` when linked to one already
    registered), the registration, its code lists, the case and the audit event.

    ``values`` by the registry's field names, as :func:`check` takes them; ``outcome`` is what
    :func:`check` decided for those very values (checked here when not given: bad values raise
    ValidationError before anything is written). ``indexes`` are the blind indexes of the typed
    values when the caller worked them out already (for its duplicate check). A case is opened
    (or the person's open case in the region joined) only with ``coordinator_for``, which
    chooses the coordinator of a new case. ``user`` submitted it and is the audit event's
    actor; ``audit=False`` for a way in that records one event for many registrations (the
    import). ``number`` keeps a number given by an import; empty means the next one.
    ``then(recorded)`` runs once the registration has its number, before the audit event:
    what the way in writes about it in the same transaction (the coordinator's e-mail).
    ``registration_id`` is the id the registration gets, for a caller that names its result
    before saving (the staff form's one-time token, registry/once.py).
    """
    if outcome is None:
        # Before the transaction: refused values leave the caller's transaction usable.
        checked = check(values)
        if checked.errors:
            raise ValidationError(checked.errors)
        outcome = checked.outcome
    return _record(
        values,
        source=source,
        user=user,
        outcome=outcome,
        person=person,
        indexes=indexes,
        status=status,
        number=number,
        coordinator_for=coordinator_for,
        matches_shown=matches_shown,
        audit=audit,
        then=then,
        registration_id=registration_id,
    )


@transaction.atomic(savepoint=False)
def _record(
    values: Mapping[str, Any],
    *,
    source: str,
    user: User | None,
    outcome: Outcome,
    person: Person | None,
    indexes: BlindIndexes | None,
    status: str,
    number: str,
    coordinator_for: Callable[[Region], User | None] | None,
    matches_shown: int,
    audit: bool,
    then: Callable[[Recorded], None] | None,
    registration_id: uuid.UUID | None = None,
) -> Recorded:
    created = person is None
    if person is None:
        person = new_person(values, outcome, indexes)
        person.save()
    registration = new_registration(values, outcome, person, status=status, user=user)
    if registration_id is not None:
        registration.pk = registration_id
    registration.number = number
    # The registration's rows first, the registration itself after: its id is known before
    # it is saved (a UUID) and Django's foreign keys are checked at commit, so its case may go
    # in before it. Saving it takes the number (the sequence's row lock), and the audit event
    # the chain head's: both are taken last, so every other save of the year waits only for
    # the few statements after them, not for this whole save (docs/PERFORMANCE.md, "Issue 12:
    # capacity", Transactions). Its code lists go in the statement that inserts it on
    # PostgreSQL (registry.carried), right after it elsewhere.
    case, opened = None, False
    if coordinator_for is not None:
        case, opened = open_case(
            registration, coordinator_for=coordinator_for, new_person=created, user=user
        )
    with carried_by(type(registration), registration.code_list_statements(code_lists(values))):
        registration.save()
    recorded = Recorded(registration, person, case, created, opened)
    if then is not None:
        then(recorded)
    if audit:
        _record_event(
            user,
            recorded,
            outcome,
            matches_shown=matches_shown,
            source=source,
            # A way in that routes (staff form) and found no consent to care says so.
            no_case_reason=no_case_reason(registration) if coordinator_for else "",
        )
    return recorded


def no_case_reason(registration: Registration) -> str:
    """The reason code (NoCaseReason) why ``registration`` opens no case; "" when it may."""
    if not opens_case(registration.consent_care):
        return NoCaseReason.NO_CONSENT_TO_CARE
    return ""


def new_registration(
    values: Mapping[str, Any],
    outcome: Outcome,
    person: Person,
    *,
    status: str = SubmissionStatus.ACCEPTED,
    user: User | None = None,
) -> Registration:
    """An unsaved Registration of ``person`` from ``values`` (its number comes on save)."""
    from registry.models import Registration

    registration = Registration(
        person=person,
        is_minor=outcome.minor,
        age_at_registration=outcome.age,
        status=status,
        submitted_by=user,
        **{name: values[name] for name in REGISTRATION_FIELDS if values.get(name) is not None},
    )
    if outcome.anonymous:
        # Without consent there is nobody who signed.
        registration.consent_signed_by = ""
    return registration


def code_lists(values: Mapping[str, Any]) -> dict[str, dict[str, None]]:
    """A set of codes per list (each code is one row of the list), in the order given."""
    return {name: dict.fromkeys(values.get(name) or ()) for name in CODE_LISTS}


@dataclass(frozen=True)
class Pending:
    """One registration for :func:`record_many`: its values and outcome as :func:`record`
    takes them, its number, and its person: new (``new_person``, unsaved) or linked."""

    values: Mapping[str, Any]
    outcome: Outcome
    number: str
    person: Person
    person_created: bool


def record_many(pending: list[Pending]) -> list[Recorded]:
    """Record many registrations at once, each as :func:`record` would without a case or an
    audit event (the import: past registrations, one event for the file, written by the
    caller): the new persons, the registrations and their code lists each in one INSERT.

    The same objects as :func:`record` builds (``new_person`` by the caller, so that a later
    entry may link to a person new in this call; ``new_registration``), saved with
    ``bulk_create``: what their ``save()`` adds is done here (the number comes with the
    entry; the person's statistics are copied onto the registration; the person's name search
    rows are inserted).
    """
    from registry.models import Person, PersonSearchToken, Registration
    from registry.models.keys import create_data_keys

    persons = {entry.person.pk: entry.person for entry in pending if entry.person_created}
    registrations: list[Registration] = []
    for entry in pending:
        registration = new_registration(entry.values, entry.outcome, entry.person)
        registration.number = entry.number
        registration.person_gender = entry.person.gender
        registration.person_nationality = str(entry.person.nationality or "")
        registrations.append(registration)
    with transaction.atomic(savepoint=False):
        # Their data keys in one statement (registry.models.keys), before the values are sealed.
        create_data_keys(persons)
        Person.objects.bulk_create(list(persons.values()))
        # What Person.save() writes besides: the name search's rows.
        PersonSearchToken.objects.bulk_create(
            [row for person in persons.values() for row in person.search_token_rows()]
        )
        Registration.objects.bulk_create(registrations)
        for name in CODE_LISTS:
            descriptor = getattr(Registration, name)
            through = descriptor.through
            own = descriptor.field.m2m_field_name() + "_id"
            target = descriptor.field.m2m_reverse_field_name() + "_id"
            through.objects.bulk_create(
                [
                    through(**{own: registration.pk, target: code})
                    for registration, entry in zip(registrations, pending, strict=True)
                    for code in code_lists(entry.values)[name]
                ]
            )
    return [
        Recorded(registration, entry.person, None, entry.person_created, False)
        for registration, entry in zip(registrations, pending, strict=True)
    ]


def new_person(
    values: Mapping[str, Any], outcome: Outcome, indexes: BlindIndexes | None = None
) -> Person:
    """An unsaved Person from ``values``; an anonymous one gets statistical fields only."""
    from registry.models.people import PERSONAL_FIELDS, Person, blind_indexes, index_values

    person = Person(
        is_anonymous=outcome.anonymous,
        year_of_birth=outcome.year_of_birth,
        year_of_birth_estimated=outcome.year_of_birth_estimated,
        gender=values.get("gender") or Gender.UNKNOWN,
        nationality=values.get("nationality") or "",
        country_of_birth=values.get("country_of_birth") or "",
    )
    if outcome.anonymous:
        return person
    for name in PERSONAL_FIELDS:
        value = values.get(name)
        if value not in (None, ""):
            setattr(person, name, value)
    if indexes is None:
        indexes = blind_indexes(**index_values(values), year_of_birth=outcome.year_of_birth)
    person.keep_derived(indexes)
    return person


def open_case(
    registration: Registration,
    *,
    coordinator_for: Callable[[Region], User | None],
    new_person: bool = False,
    user: User | None = None,
) -> tuple[Case | None, bool]:
    """(case, opened?): the person's open case in the registration's region, or a new one
    whose coordinator ``coordinator_for(region)`` chooses (None = the help desk); (None,
    False) without consent to care (:func:`opens_case`), for every way in alike.

    A repeat registration joins the open case of its region instead of opening a second one;
    a person created with this registration has no case yet, so nothing is looked up. A new
    case takes the registration's residence status, and with "reflection period" its period
    starts (:func:`reflection_start`).

    When the registration takes the Nidos route (``needs_nidos``), the case gets a pending
    Nidos referral (issue 14), here so that every way in that opens or joins a case makes it:
    the staff form and the import through :func:`record`, triage directly. ``user`` records
    it (None: the registry).
    """
    from registry.models import Case

    if not opens_case(registration.consent_care):
        return None, False
    if not new_person:
        existing = (
            Case.objects.open()
            .filter(person=registration.person, region=registration.region)
            .first()
        )
        if existing is not None:
            _nidos_route(existing, registration, user)
            return existing, False
    case = Case.objects.create(
        person=registration.person,
        registration=registration,
        region=registration.region,
        coordinator=coordinator_for(registration.region),
        residence_status=registration.residence_status or ResidenceStatus.UNKNOWN,
        reflection_start=reflection_start(registration),
        shelter_requested=registration.shelter_requested,
        opened_on=registration.registered_on,
    )
    _nidos_route(case, registration, user)
    return case, True


def _nidos_route(case: Case, registration: Registration, user: User | None) -> None:
    """A pending Nidos referral for the case when the registration takes the Nidos route
    (the residence status the registration carries: typed at intake, kept through triage)."""
    residence_status = registration.residence_status or ResidenceStatus.UNKNOWN
    if needs_nidos(registration.is_minor, registration.unaccompanied_minor, residence_status):
        from registry.models import Referral

        Referral.nidos_for_intake(case, user, registration.registered_on)


def _record_event(
    user: User | None,
    recorded: Recorded,
    outcome: Outcome,
    *,
    matches_shown: int,
    source: str,
    no_case_reason: str = "",
) -> None:
    """The audit event of a recorded registration: field names and choices, never a value."""
    from registry.models import AuditEvent
    from registry.models.people import PERSONAL_FIELDS

    person, case = recorded.person, recorded.case
    typed = sorted(name for name in PERSONAL_FIELDS if person.__dict__.get(name) not in (None, ""))
    AuditEvent.record(
        AuditAction.CREATE if recorded.person_created else AuditAction.LINK_PERSON,
        user=user,
        obj=recorded.registration,
        case=case,
        details={
            "source": source,
            "person": person.reference,
            "person_choice": "new" if recorded.person_created else "linked",
            "possible_matches_shown": matches_shown,
            "anonymous": outcome.anonymous,
            "minor": outcome.minor,
            "immediate_danger": outcome.immediate_danger,
            "personal_fields": typed,
            "case": case_routing(case),
            **({"no_case_reason": no_case_reason} if no_case_reason else {}),
        },
    )


def case_routing(case: Case | None) -> str:
    """How a registration's case went, for audit details: none, routed or help_desk."""
    if case is None:
        return "none"
    return "routed" if case.coordinator_id else "help_desk"
