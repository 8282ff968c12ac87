"""Synthetic demo data: users per role and registrations with realistic distributions.

The distributions follow the shape of CoMensha's published annual figures (roughly: most
reports by police and care organisations, sexual and labour exploitation about equal, criminal
exploitation growing, one in eight a minor, most victims from Eastern Europe, West Africa and
the Netherlands itself). Names come from Faker: no real person is ever stored.
"""

from __future__ import annotations

import datetime
import random
from dataclasses import dataclass

from django.db import transaction
from django_otp.plugins.otp_totp.models import TOTPDevice
from faker import Faker

from registry import registering
from registry.access import needs_second_factor
from registry.choices import (
    CaseStatus,
    ClosedReason,
    ConsentSigner,
    FileType,
    Gender,
    ReporterType,
    ResidenceStatus,
    Role,
    Scope,
    Shelter,
    SubmissionStatus,
    VictimStatus,
    has_legal_duty,
)
from registry.models import (
    Case,
    FormOfExploitation,
    MeansOfControl,
    Person,
    Region,
    Registration,
    ReportingOrganisation,
    User,
)

DEMO_PASSWORD = "registry-demo-2026"  # noqa: S105 (printed for local demo use only)


@dataclass(frozen=True)
class DemoUser:
    username: str
    role: str
    description: str
    region_code: str = ""
    organisation: str = ""


DEMO_USERS = [
    DemoUser("admin", Role.ADMINISTRATOR, "administrator: users, regions, statistics, exports"),
    DemoUser(
        "admin-2", Role.ADMINISTRATOR, "second administrator: approves personal-export requests"
    ),
    DemoUser("helpdesk", Role.HELPDESK, "help desk: triage, regions without a coordinator"),
    DemoUser("coordinator-a", Role.COORDINATOR, "care coordinator of Amsterdam", "amsterdam"),
    DemoUser("coordinator-b", Role.COORDINATOR, "care coordinator of Rotterdam", "rotterdam"),
    DemoUser("reporter", Role.REPORTER, "reporter of a shelter", organisation="Opvanginstelling"),
]

# (nationality, Faker locale, weight)
NATIONALITIES = [
    ("NL", "nl_NL", 28),
    ("RO", "ro_RO", 10),
    ("PL", "pl_PL", 7),
    ("BG", "bg_BG", 6),
    ("HU", "hu_HU", 5),
    ("UA", "uk_UA", 6),
    ("NG", "en_US", 8),
    ("UG", "en_US", 3),
    ("ER", "en_US", 3),
    ("MA", "fr_FR", 3),
    ("CN", "zh_CN", 3),
    ("VN", "vi_VN", 4),
    ("BR", "pt_BR", 3),
    ("IN", "en_IN", 3),
    ("TR", "tr_TR", 3),
    ("SY", "ar_AA", 2),
    ("CO", "es_CO", 3),
]
EU = {"NL", "RO", "PL", "BG", "HU"}
REPORTERS = [
    (ReporterType.POLICE, 30),
    (ReporterType.KMAR, 6),
    (ReporterType.LABOUR_INSPECTORATE, 7),
    (ReporterType.CARE_COORDINATION, 12),
    (ReporterType.FAIRWORK, 5),
    (ReporterType.LAWYER, 4),
    (ReporterType.SHELTER, 6),
    (ReporterType.OUTPATIENT_CARE, 4),
    (ReporterType.YOUTH_CARE, 5),
    (ReporterType.HEALTHCARE, 2),
    (ReporterType.NGO, 4),
    (ReporterType.MUNICIPALITY, 2),
    (ReporterType.IMMIGRATION_SERVICE, 4),
    (ReporterType.COA, 4),
    (ReporterType.NIDOS, 2),
    (ReporterType.SELF_REPORT, 2),
    (ReporterType.OTHER, 1),
]
EXPLOITATION_FORMS = [
    (FormOfExploitation.Code.SEXUAL, 38),
    (FormOfExploitation.Code.LABOUR, 36),
    (FormOfExploitation.Code.CRIMINAL, 16),
    (FormOfExploitation.Code.FORCED_MARRIAGE, 2),
    (FormOfExploitation.Code.ORGAN_REMOVAL, 1),
    (FormOfExploitation.Code.OTHER, 3),
    (FormOfExploitation.Code.UNKNOWN, 4),
]
REGION_WEIGHTS = {"amsterdam": 14, "rotterdam": 12, "den-haag-hollands-midden": 10}


def _weighted(rng: random.Random, pairs: list[tuple[object, int]]) -> object:
    values, weights = zip(*pairs, strict=True)
    return rng.choices(values, weights=weights, k=1)[0]


def ensure_users(password: str | None) -> list[tuple[DemoUser, bool]]:
    """Create the demo users that are missing, with ``password`` (or the demo password).

    An existing account is never changed, whatever its name: not its password, role, regions
    or second factor. Each new staff user gets an authenticator (a TOTP device) whose current
    code ``manage.py demo_code`` prints, so a newcomer can log in without a phone.
    """
    results = []
    for spec in DEMO_USERS:
        if User.objects.filter(username=spec.username).exists():
            results.append((spec, False))
            continue
        organisation = (
            ReportingOrganisation.objects.get(name=spec.organisation) if spec.organisation else None
        )
        user = User(
            username=spec.username,
            role=spec.role,
            organisation=organisation,
            email=f"{spec.username}@registry.example",
        )
        user.set_password(password or DEMO_PASSWORD)
        user.save()
        if spec.region_code:
            user.regions.add(Region.objects.get(code=spec.region_code))
        if needs_second_factor(user):
            TOTPDevice.objects.create(user=user, name="default", confirmed=True)
        results.append((spec, True))
    return results


# Invented shelters of the demo, so the help desk's shelter overview and placement pages have
# something to show (name, type, CBS municipality code, places).
DEMO_SHELTERS = (
    ("COSM Noord (demo)", "cosm", "GM0363", 6),
    ("COSM Zuid (demo)", "cosm", "GM0599", 4),
    ("Vrouwenopvang West (demo)", "women", "GM0518", 8),
)


def ensure_shelters() -> int:
    """The demo shelters, where their municipality is in the shipped list; returns how many
    were created (none when they exist: running the seed twice changes nothing)."""
    from registry.models import Municipality, Shelter

    created = 0
    for name, shelter_type, municipality, places in DEMO_SHELTERS:
        where = Municipality.objects.filter(code=municipality).first()
        if where is None:
            continue
        _shelter, made = Shelter.objects.get_or_create(
            name=name,
            defaults={"shelter_type": shelter_type, "municipality": where, "places": places},
        )
        created += made
    return created


def create_registrations(count: int, seed: int = 2026) -> dict[str, int]:
    """Create ``count`` synthetic registrations, about one in seven of a person seen before."""
    rng = random.Random(seed + Registration.objects.count())
    fakers = {locale: Faker(locale) for _, locale, _ in NATIONALITIES}
    for fake in fakers.values():
        fake.seed_instance(rng.randrange(1 << 30))
    regions = list(Region.objects.active())
    region_weights = [REGION_WEIGHTS.get(r.code, 3) for r in regions]
    organisations: dict[str, ReportingOrganisation] = {
        o.reporter_type: o for o in ReportingOrganisation.objects.all()
    }
    form_rows = {f.code: f for f in FormOfExploitation.objects.all()}
    means = list(MeansOfControl.objects.all())
    coordinators = {
        region_id: user
        for user in User.objects.active_coordinators()
        for region_id in user.region_ids
    }
    submitter = User.objects.filter(role=Role.HELPDESK).first()
    reporter = User.objects.filter(role=Role.REPORTER).first()
    seen: list[Person] = []
    made = {"registrations": 0, "persons": 0, "cases": 0}
    today = datetime.date.today()

    for _ in range(count):
        with transaction.atomic():
            # Three years of history, a fifth of it from the last two months (open casework).
            days_ago = rng.randrange(0, 60) if rng.random() < 0.2 else rng.randrange(0, 3 * 365)
            registered_on = today - datetime.timedelta(days=days_ago)
            reporter_type = _weighted(rng, REPORTERS)
            consent = has_legal_duty(reporter_type) or rng.random() < 0.8
            repeat = seen and rng.random() < 0.15 and consent
            if repeat:
                person = rng.choice(seen)
            else:
                person = _new_person(rng, fakers, registered_on, anonymous=not consent)
                made["persons"] += 1
                if not person.is_anonymous:
                    seen.append(person)
            age = person.age_on(registered_on)
            form = _weighted(rng, EXPLOITATION_FORMS)
            sectors = sorted(registering.SECTORS_BY_FORM.get(form, ())) or ["other"]
            region = rng.choices(regions, weights=region_weights, k=1)[0]
            from_reporter = reporter is not None and rng.random() < 0.05
            registration = Registration.objects.create(
                person=person,
                registered_on=registered_on,
                reporter_type=reporter_type,
                organisation=organisations.get(reporter_type),
                region=region,
                sector=rng.choice(sectors + ["unknown"]),
                exploitation_country=rng.choice(["NL"] * 7 + ["BE", "DE", person.nationality]),
                scope=rng.choice([Scope.DOMESTIC, Scope.CROSS_BORDER, Scope.CROSS_BORDER]),
                is_minor=registering.is_minor(age),
                unaccompanied_minor=registering.is_minor(age) and rng.random() < 0.3,
                immediate_danger=rng.random() < 0.04,
                file_type=_weighted(
                    rng,
                    [
                        (FileType.REGISTRATION, 55),
                        (FileType.REGISTRATION_SHELTER, 25),
                        (FileType.REGISTRATION_ADVICE, 20),
                    ],
                ),
                consent_registration=consent and not has_legal_duty(reporter_type),
                consent_care=consent and rng.random() < 0.7,
                consent_signed_by=(
                    ""
                    if not consent or has_legal_duty(reporter_type)
                    else (
                        ConsentSigner.GUARDIAN
                        if age is not None and age < registering.CONSENT_OWN_SIGNATURE_AGE
                        else ConsentSigner.VICTIM
                    )
                ),
                age_at_registration=age,
                status=SubmissionStatus.SUBMITTED if from_reporter else SubmissionStatus.ACCEPTED,
                submitted_by=reporter if from_reporter else submitter,
            )
            registration.exploitation_forms.set([form_rows[form]])
            registration.means_of_control.set(rng.sample(means, k=rng.randrange(0, 4)))
            made["registrations"] += 1
            if registration.consent_care and not from_reporter:
                _new_case(rng, registration, coordinators.get(region.pk))
                made["cases"] += 1
    return made


def _new_person(
    rng: random.Random, fakers: dict[str, Faker], registered_on: datetime.date, anonymous: bool
) -> Person:
    nationality, locale, _ = _weighted(rng, [((n, loc, w), w) for n, loc, w in NATIONALITIES])
    fake = fakers[locale]
    gender = _weighted(
        rng, [(Gender.FEMALE, 58), (Gender.MALE, 39), (Gender.OTHER, 1), (Gender.UNKNOWN, 2)]
    )
    age = rng.choice([rng.randint(12, 17)] + [rng.randint(18, 29)] * 4 + [rng.randint(30, 60)] * 3)
    person = Person(
        gender=gender,
        nationality=nationality,
        country_of_birth=nationality,
        is_anonymous=anonymous,
    )
    if anonymous:
        person.year_of_birth, person.year_of_birth_estimated = registering.year_of_birth(
            None, age, on=registered_on
        )
    else:
        first = fake.first_name_female() if gender == Gender.FEMALE else fake.first_name_male()
        person.given_names = first
        person.family_name = fake.last_name()
        if rng.random() < 0.8:
            person.date_of_birth = registered_on - datetime.timedelta(
                days=age * 365 + rng.randrange(0, 365)
            )
        else:
            person.year_of_birth, person.year_of_birth_estimated = registering.year_of_birth(
                None, age, on=registered_on
            )
        person.phone = fake.phone_number() if rng.random() < 0.6 else ""
        if rng.random() < 0.4:
            person.id_document_country = nationality
            person.id_document_number = fake.bothify("??#######").upper()
    person.save()
    return person


def _new_case(rng: random.Random, registration: Registration, coordinator: User | None) -> Case:
    status = _weighted(
        rng,
        [
            (CaseStatus.NEW, 20),
            (CaseStatus.IN_CARE, 45),
            (CaseStatus.CLOSED, 30),
            (CaseStatus.REOPENED, 5),
        ],
    )
    non_eu = registration.person.nationality not in EU
    recent = registration.registered_on > datetime.date.today() - datetime.timedelta(days=120)
    case = Case(
        person=registration.person,
        registration=registration,
        region=registration.region,
        coordinator=coordinator,
        status=status,
        opened_on=registration.registered_on,
        victim_status=_weighted(
            rng,
            [
                (VictimStatus.POSSIBLE, 75),
                (VictimStatus.CONFIRMED, 20),
                (VictimStatus.NOT_A_VICTIM, 5),
            ],
        ),
        residence_status=(
            # Newly reported people from outside the EU are in their reflection period.
            ResidenceStatus.REFLECTION_PERIOD
            if non_eu and recent
            else rng.choice([ResidenceStatus.REFLECTION_PERIOD, ResidenceStatus.B8_VICTIM])
            if non_eu
            else ResidenceStatus.NOT_APPLICABLE
        ),
        shelter_requested=rng.choice(["", Shelter.COSM, Shelter.SOCIAL_SHELTER]),
    )
    if case.residence_status == ResidenceStatus.REFLECTION_PERIOD:
        case.is_dublin = rng.random() < 0.1
        case.reflection_start = registration.registered_on
        if case.is_open and recent:
            # Recent open cases are mid-reflection, so the deadlines on the dashboard show.
            case.reflection_start = max(
                registration.registered_on,
                datetime.date.today() - datetime.timedelta(days=rng.randint(60, 95)),
            )
    if status in {CaseStatus.IN_CARE, CaseStatus.CLOSED}:
        case.shelter_placed = case.shelter_requested
        case.care_received = rng.choice([Shelter.OUTPATIENT, Shelter.COSM, Shelter.OMM])
    if status == CaseStatus.CLOSED:
        case.closed_reason = rng.choice(list(ClosedReason.values))
        case.closed_on = min(
            datetime.date.today(),
            registration.registered_on + datetime.timedelta(days=rng.randint(30, 300)),
        )
    case.save()
    return case
