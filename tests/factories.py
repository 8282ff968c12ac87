"""Test data through factory-boy. Names are Faker's, so no real person is ever stored."""

from __future__ import annotations

import datetime

import factory
from factory.django import DjangoModelFactory

from registry.choices import Gender, ReporterType, Role
from registry.models import (
    Case,
    CaseNote,
    FormDraft,
    FormOfExploitation,
    Handover,
    Job,
    JobFile,
    KeyCanary,
    Person,
    Placement,
    Region,
    Registration,
    ReportingOrganisation,
    Shelter,
    SubmissionAddition,
    User,
)
from reports.models import ExportGrant

DEFAULT_PASSWORD = "correct-horse-battery-staple"


class RegionFactory(DjangoModelFactory):
    class Meta:
        model = Region
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"region-{n}")
    name = factory.LazyAttribute(lambda o: o.code.replace("-", " ").title())


class OrganisationFactory(DjangoModelFactory):
    class Meta:
        model = ReportingOrganisation
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"Organisation {n}")
    reporter_type = ReporterType.SHELTER


class UserFactory(DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda o: f"{o.username}@example.org")
    role = Role.COORDINATOR
    password = factory.PostGenerationMethodCall("set_password", DEFAULT_PASSWORD)

    @factory.post_generation
    def regions(self, create: bool, extracted: list[Region] | None, **kwargs: object) -> None:
        if create and extracted:
            self.regions.set(extracted)
        if create:
            self.save()


class PersonFactory(DjangoModelFactory):
    class Meta:
        model = Person

    given_names = factory.Faker("first_name")
    family_name = factory.Faker("last_name")
    date_of_birth = factory.Faker("date_of_birth", minimum_age=18, maximum_age=60)
    gender = Gender.FEMALE
    nationality = "RO"


class RegistrationFactory(DjangoModelFactory):
    class Meta:
        model = Registration
        skip_postgeneration_save = True

    person = factory.SubFactory(PersonFactory)
    registered_on = factory.LazyFunction(datetime.date.today)
    reporter_type = ReporterType.POLICE
    region = factory.SubFactory(RegionFactory)

    @factory.post_generation
    def forms(self, create: bool, extracted: list[str] | None, **kwargs: object) -> None:
        if create and extracted:
            self.exploitation_forms.set(FormOfExploitation.objects.filter(code__in=extracted))


class CaseFactory(DjangoModelFactory):
    class Meta:
        model = Case

    person = factory.SubFactory(PersonFactory)
    region = factory.SubFactory(RegionFactory)


class SubmissionAdditionFactory(DjangoModelFactory):
    """Information a reporter added to their report, as SubmissionAddition.add does (without
    its audit event)."""

    class Meta:
        model = SubmissionAddition

    registration = factory.SubFactory("tests.factories.RegistrationFactory")
    author = factory.SubFactory(UserFactory)
    text = "She called back from a new number."


class CaseNoteFactory(DjangoModelFactory):
    """A note on a case, written as CaseNote.write does (without its audit event)."""

    class Meta:
        model = CaseNote

    case = factory.SubFactory(CaseFactory)
    author = factory.SubFactory(UserFactory)
    text = "Spoke with the person by phone."


class HandoverFactory(DjangoModelFactory):
    """A pending handover of a case to another region."""

    class Meta:
        model = Handover

    case = factory.SubFactory(CaseFactory)
    from_region = factory.LazyAttribute(lambda o: o.case.region)
    to_region = factory.SubFactory(RegionFactory)
    requested_by = factory.SubFactory(UserFactory)


def _municipality():
    from registry.models import Municipality

    return Municipality.objects.get_or_create(code="GM0363", defaults={"name": "Amsterdam"})[0]


class ShelterFactory(DjangoModelFactory):
    """A COSM with two places, unless told otherwise."""

    class Meta:
        model = Shelter

    name = factory.Sequence(lambda n: f"COSM {n}")
    shelter_type = "cosm"
    municipality = factory.LazyFunction(_municipality)
    places = 2


class PlacementFactory(DjangoModelFactory):
    """A current placement, written directly (without its audit event)."""

    class Meta:
        model = Placement

    case = factory.SubFactory(CaseFactory)
    shelter = factory.SubFactory(ShelterFactory)
    start_date = factory.LazyFunction(datetime.date.today)
    placed_by = factory.SubFactory(UserFactory)
    reason = "Placed after a call with the shelter."


class KeyCanaryFactory(DjangoModelFactory):
    """A key canary row (registry/canary.py); the real one holds a fixed constant."""

    class Meta:
        model = KeyCanary

    blind_index = "0" * 64
    sealed = "canary"


class FormDraftFactory(DjangoModelFactory):
    """A user's draft of the staff intake (registry/drafts.py writes real ones)."""

    class Meta:
        model = FormDraft

    owner = factory.SubFactory(UserFactory)
    form = FormDraft.Form.STAFF_INTAKE
    payload = '{"family_name": ["Jansen"]}'


class ExportGrantFactory(DjangoModelFactory):
    """A pending personal-export grant written directly (no audit event): for data only."""

    class Meta:
        model = ExportGrant

    grantee = factory.SubFactory(UserFactory, role=Role.ADMINISTRATOR)
    requested_by = factory.SubFactory(UserFactory, role=Role.ADMINISTRATOR)
    reason = factory.Faker("sentence")


def grant_personal_export(user: User) -> User:
    """Give ``user`` a personal-export grant the way people do: requested by one
    administrator, approved by another (two helpers made here), through the model's steps.
    Returns ``user`` fresh from the database."""
    requester = UserFactory(username=f"grant-requester-{user.pk}", role=Role.ADMINISTRATOR)
    approver = UserFactory(username=f"grant-approver-{user.pk}", role=Role.ADMINISTRATOR)
    ExportGrant.request(user, requester, "Court order 2026/117").approve(approver)
    return User.objects.get(pk=user.pk)


class JobFactory(DjangoModelFactory):
    class Meta:
        model = Job

    kind = Job.Kind.EXPORT_STATISTICS
    owner = factory.SubFactory(UserFactory, role=Role.ADMINISTRATOR)


class JobFileFactory(DjangoModelFactory):
    class Meta:
        model = JobFile

    job = factory.SubFactory(JobFactory)
    purpose = JobFile.Purpose.RESULT
    name = "export.csv"
    content_type = "text/csv"
    content = "eJwDAAAAAAE="  # zlib of nothing, base64
    expires_at = factory.LazyFunction(
        lambda: datetime.datetime.now(datetime.UTC) + datetime.timedelta(days=1)
    )
