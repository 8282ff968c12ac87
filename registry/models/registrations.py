"""A registration: one report of a person by one reporting organisation on one date."""

from __future__ import annotations

import datetime
import uuid
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import connection, models, transaction
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

from registry import access, municipalities, registering
from registry.carried import Statement
from registry.choices import (
    COUNTED_STATUSES,
    ConsentSigner,
    FileType,
    Gender,
    ReporterType,
    ResidenceStatus,
    Scope,
    Sector,
    Shelter,
    SubmissionStatus,
)
from registry.fields import EncryptedQuerySet, EncryptedTextField

if TYPE_CHECKING:
    from registry.models.accounts import User
    from registry.registering import Recorded


class NumbersExhausted(Exception):
    """A year's six-digit sequence has no numbers left. A request that meets it is answered
    with a page that says so and that nothing was saved (config/errors.py)."""

    def __init__(self, year: int) -> None:
        super().__init__(f"no registration numbers left for {year}")
        self.year = year


class RegistrationNumberSequence(models.Model):
    """The last number handed out per year; rows are locked while a number is taken.

    A number is ``YYYY-NNNNNN``: six digits, so at most 999,999 a year. An import may bring
    numbers of its own up to ``MAX_IMPORTED`` and moves the sequence past them, which leaves
    at least 100,000 numbers of each year for the registry itself.
    """

    WIDTH = 6
    MAX = 10**WIDTH - 1
    MAX_IMPORTED = 899_999

    year = models.PositiveSmallIntegerField(primary_key=True)
    last = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("registration number sequence")

    def __str__(self) -> str:
        return f"{self.year}: {self.last}"

    @classmethod
    def allocate(cls, year: int) -> str:
        """The next number of ``year`` as ``YYYY-NNNNNN``; unique under concurrent callers.

        One ``UPDATE ... RETURNING`` takes the row lock and the new value at once (PostgreSQL
        and SQLite >= 3.35), so concurrent writers queue on the row and none reads a stale
        value. Runs in the caller's transaction, so a rolled-back registration does not keep
        its number.
        """
        table = connection.ops.quote_name(cls._meta.db_table)
        with transaction.atomic(savepoint=False), connection.cursor() as cursor:
            for _attempt in range(2):
                cursor.execute(
                    f"UPDATE {table} SET last = last + 1 WHERE year = %s RETURNING last",  # noqa: S608
                    [year],
                )
                row = cursor.fetchone()
                if row is not None:
                    return cls.format(year, row[0])
                # First number of the year: create the row (a concurrent creator wins the
                # race harmlessly; the UPDATE above then runs again).
                cls.objects.bulk_create([cls(year=year, last=0)], ignore_conflicts=True)
        raise RuntimeError("could not allocate a registration number")

    @classmethod
    def format(cls, year: int, sequence: int) -> str:
        if sequence > cls.MAX:
            # Rolls back the caller's transaction: never a 12-character number.
            raise NumbersExhausted(year)
        return f"{year:04d}-{sequence:0{cls.WIDTH}d}"

    @classmethod
    def reserve(cls, year: int, count: int, *, past: int = 0) -> list[str]:
        """Reserve ``count`` numbers of ``year`` for an import, after moving the sequence past
        ``past`` (the highest number the import brings), and commit at once.

        Called outside a transaction, this is a short transaction of its own, so the row
        lock is held for one statement and staff saves go on while the import writes (inside
        one, the lock lasts until the caller commits: the admin's import page is therefore
        outside ATOMIC_REQUESTS). The numbers are the import's whatever happens next: a
        failed import leaves a gap, as a rolled-back save never does.
        """
        table = connection.ops.quote_name(cls._meta.db_table)
        with transaction.atomic(), connection.cursor() as cursor:
            cls.objects.bulk_create([cls(year=year, last=0)], ignore_conflicts=True)
            cursor.execute(
                f"UPDATE {table} SET last = "  # noqa: S608 - the table name from the model
                "(CASE WHEN last < %s THEN %s ELSE last END) + %s WHERE year = %s RETURNING last",
                [past, past, count, year],
            )
            (last,) = cursor.fetchone()
            if last > cls.MAX:
                raise NumbersExhausted(year)
        return [cls.format(year, n) for n in range(last - count + 1, last + 1)]


class RegistrationQuerySet(EncryptedQuerySet):
    def for_user(self, user: User | None) -> RegistrationQuerySet:
        return access.registrations_for_user(self, user)

    def for_statistics(self, user: User | None) -> RegistrationQuerySet:
        """The registrations ``user`` may count in aggregate figures (never row access)."""
        return access.registrations_countable_by(self, user)

    def awaiting_triage(self) -> RegistrationQuerySet:
        return self.filter(status=SubmissionStatus.SUBMITTED)

    def record(self, values: Mapping[str, Any], **options: Any) -> Recorded:
        """Record a registration, its person, code lists, case and audit event from the values
        of a way in: the registry's one constructor, ``registry.registering.record``."""
        return registering.record(values, **options)


class Registration(models.Model):
    """One report of a (possible) victim."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    number = models.CharField(
        _("registration number"),
        max_length=11,
        unique=True,
        editable=False,
        help_text=_("Assigned by the registry: year and a sequence, e.g. 2026-000123."),
    )
    person = models.ForeignKey(
        "registry.Person",
        on_delete=models.PROTECT,
        related_name="registrations",
        verbose_name=_("person"),
    )
    registered_on = models.DateField(
        _("registration date"), default=datetime.date.today, help_text=_("Not in the future.")
    )
    reporter_type = models.CharField(
        _("reporter type"),
        max_length=32,
        choices=ReporterType.choices,
        help_text=_("Who found and reported the person."),
    )
    organisation = models.ForeignKey(
        "registry.ReportingOrganisation",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="registrations",
        verbose_name=_("reporting organisation"),
    )
    region = models.ForeignKey(
        "registry.Region",
        on_delete=models.PROTECT,
        related_name="registrations",
        verbose_name=_("region"),
        help_text=_("The care-coordination region where the person is or will be."),
    )
    found_in_municipality = models.ForeignKey(
        "registry.Municipality",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        db_index=False,
        related_name="+",
        verbose_name=_("municipality where the person was found"),
        help_text=_(
            "Asked on the reporter's form; the region is the one of this municipality. "
            "Empty on registrations by staff and imports."
        ),
    )
    exploitation_forms = models.ManyToManyField(
        "registry.FormOfExploitation",
        blank=True,
        related_name="registrations",
        verbose_name=_("forms of exploitation"),
        help_text=_("Several may apply."),
    )
    sector = models.CharField(
        _("sector"), max_length=20, choices=Sector.choices, blank=True, default=""
    )
    exploitation_country = CountryField(_("country of exploitation"), blank=True)
    # A code from the list, never free text: people wrote addresses and names here.
    # No index: nothing looks registrations up by municipality.
    exploitation_municipality = models.ForeignKey(
        "registry.Municipality",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        db_index=False,
        related_name="+",
        verbose_name=_("municipality of exploitation"),
        help_text=_("Only for exploitation in the Netherlands (or where the country is unknown)."),
    )
    exploitation_start = models.DateField(_("exploitation began"), null=True, blank=True)
    exploitation_end = models.DateField(_("exploitation ended"), null=True, blank=True)
    scope = models.CharField(
        _("domestic or cross-border"),
        max_length=20,
        choices=Scope.choices,
        default=Scope.UNKNOWN,
    )
    means_of_control = models.ManyToManyField(
        "registry.MeansOfControl",
        blank=True,
        related_name="registrations",
        verbose_name=_("means of control"),
    )
    is_minor = models.BooleanField(_("minor"), default=False)
    unaccompanied_minor = models.BooleanField(_("unaccompanied minor"), default=False)
    immediate_danger = models.BooleanField(_("immediate danger"), default=False)
    file_type = models.CharField(
        _("type of file"), max_length=24, choices=FileType.choices, default=FileType.REGISTRATION
    )
    shelter_requested = models.CharField(
        _("shelter requested"), max_length=20, choices=Shelter.choices, blank=True, default=""
    )
    consent_registration = models.BooleanField(_("written consent to registration"), default=False)
    consent_care = models.BooleanField(_("consent to care coordination"), default=False)
    consent_signed_by = models.CharField(
        _("consent signed by"), max_length=10, choices=ConsentSigner.choices, blank=True
    )
    # As typed at intake: the case takes it when it opens (at intake, at triage or when
    # consent to care comes later), so a reporter's answer survives triage.
    residence_status = models.CharField(
        _("residence status at registration"),
        max_length=24,
        choices=ResidenceStatus.choices,
        blank=True,
        default="",
    )
    reflection_started_on = models.DateField(
        _("reflection period started on"),
        null=True,
        blank=True,
        help_text=_(
            "Only with residence status reflection period; empty means the registration date."
        ),
    )
    age_at_registration = models.PositiveSmallIntegerField(
        _("age at registration"), null=True, blank=True
    )
    status = models.CharField(
        _("status"),
        max_length=12,
        choices=SubmissionStatus.choices,
        default=SubmissionStatus.ACCEPTED,
    )
    triage_note = EncryptedTextField(
        _("triage note"),
        help_text=_("Reason for a rejection or merge, for the help desk."),
        person_key="person_id",
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="registrations_submitted",
        verbose_name=_("submitted by"),
    )
    # Copies of the person's clear statistical fields, so national statistics group a million
    # registrations without joining people (reports). Kept right by save() here and by
    # Person.save(); never personal data.
    person_gender = models.CharField(
        _("gender of the person"),
        max_length=10,
        choices=Gender.choices,
        default=Gender.UNKNOWN,
        editable=False,
    )
    person_nationality = CountryField(_("nationality of the person"), blank=True, editable=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = RegistrationQuerySet.as_manager()

    class Meta:
        ordering = ["-registered_on", "-number"]
        verbose_name = _("registration")
        verbose_name_plural = _("registrations")
        permissions = [("triage_registration", "Can triage reporter submissions")]
        indexes = [
            models.Index(fields=["registered_on"], name="registration_date_idx"),
            models.Index(fields=["status"], name="registration_status_idx"),
            # The statistics' unique persons: an index-only scan in person order, no hashing.
            models.Index(
                fields=["person", "registered_on"],
                condition=models.Q(status__in=COUNTED_STATUSES),
                name="registration_counted_person",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(age_at_registration__isnull=True)
                | models.Q(age_at_registration__lte=registering.MAX_AGE),
                name="registration_age_plausible",
            ),
        ]

    def __str__(self) -> str:
        return self.number or str(_("new registration"))

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self.number:
            self.number = RegistrationNumberSequence.allocate(self.registered_on.year)
        self._copy_person_statistics(kwargs)
        adding = self._state.adding
        super().save(*args, **kwargs)
        if not adding:
            # The cases this registration opened carry copies of its urgency flags (the
            # lists sort and count by them): keep them right when the flags are corrected.
            self.cases.exclude(immediate_danger=self.immediate_danger, minor=self.is_minor).update(
                immediate_danger=self.immediate_danger, minor=self.is_minor
            )

    def clean(self) -> None:
        super().clean()
        error = municipalities.country_error(
            self.exploitation_country, self.exploitation_municipality_id
        )
        if error:
            raise ValidationError({"exploitation_municipality": error})

    def _copy_person_statistics(self, kwargs: dict[str, Any]) -> None:
        """Copy the person's gender and nationality (clear fields) onto this registration."""
        update_fields = kwargs.get("update_fields")
        if update_fields is not None:
            if not {"person", "person_id"} & set(update_fields):
                return
            kwargs["update_fields"] = [*update_fields, "person_gender", "person_nationality"]
        if self.person_id is None:
            return
        person = self._state.fields_cache.get("person")
        if person is None or person.pk != self.person_id:
            from registry.models.people import Person

            found = Person.objects.filter(pk=self.person_id).values_list("gender", "nationality")
            gender, nationality = found.get()
        else:
            gender, nationality = person.gender, person.nationality
        self.person_gender, self.person_nationality = gender, str(nationality or "")

    def code_list_statements(self, lists: Mapping[str, Iterable[str]]) -> list[Statement]:
        """The INSERTs that add the codes of each code list (``{"exploitation_forms": [...],
        ...}``) to a new registration, which has none yet, one per list that has codes (run
        them with ``registry.carried``: ``carried_by`` or ``run_together``).

        The codes are the primary keys of the code tables and a new registration has no rows
        to compare with, so one INSERT per list does it: ``.set()`` would read and diff first,
        ``bulk_create`` builds a model per row and reads back ids nobody uses (a quarter of a
        millisecond per list, bench/intake.py). The intake's save runs them in the statement
        that inserts the registration (registry.carried). A code missing from its table fails
        the foreign key, as through the ORM.
        """
        quote = connection.ops.quote_name
        statements: list[Statement] = []
        for list_name, codes in lists.items():
            descriptor = getattr(type(self), list_name)
            through = descriptor.through._meta
            own = through.get_field(descriptor.field.m2m_field_name())
            target = through.get_field(descriptor.field.m2m_reverse_field_name())
            own_value = own.get_db_prep_save(self.pk, connection)
            params = [
                value
                for code in codes
                for value in (own_value, target.get_db_prep_save(code, connection))
            ]
            if not params:
                continue
            rows = ", ".join(["(%s, %s)"] * (len(params) // 2))
            statements.append(
                (
                    f"INSERT INTO {quote(through.db_table)} "  # noqa: S608 - names from models
                    f"({quote(own.column)}, {quote(target.column)}) VALUES {rows}",
                    params,
                )
            )
        return statements
