"""The (possible) victim: personal fields encrypted, statistical fields in clear."""

from __future__ import annotations

import datetime
import uuid
from collections.abc import Iterable
from typing import Any

from django.db import models
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

from registry import access
from registry.choices import Gender
from registry.crypto import blind_index, normalise, phonetic_key
from registry.fields import (
    Ciphertext,
    EncryptedCharField,
    EncryptedDateField,
    EncryptedQuerySet,
    EncryptedTextField,
)

# Which personal fields feed which blind index. Never a low-entropy field alone.
BLIND_INDEX_SOURCES: dict[str, tuple[str, ...]] = {
    "bi_family_name": ("family_name",),
    "bi_name_dob": ("family_name", "given_names", "date_of_birth"),
    "bi_document": ("id_document_country", "id_document_number"),
    "bi_phonetic": ("family_name",),
}
PERSONAL_FIELDS = (
    "given_names",
    "family_name",
    "aliases",
    "date_of_birth",
    "phone",
    "email",
    "address",
    "id_document_country",
    "id_document_number",
    "languages",
    "notes",
)


def name_dob_index(family_name: str, given_names: str, date_of_birth: datetime.date) -> str | None:
    return blind_index("name_dob", family_name, given_names, date_of_birth.isoformat())


def family_name_index(family_name: str) -> str | None:
    return blind_index("family_name", family_name)


def document_index(country: str, number: str) -> str | None:
    # Document numbers are compared without spaces or dashes: "AB 12-34" == "ab1234".
    return blind_index("document", country or "unknown", normalise(number).replace(" ", ""))


def phonetic_index(family_name: str, year_of_birth: int) -> str | None:
    found = phonetic_indexes(family_name, [year_of_birth])
    return found[0] if found else None


def phonetic_indexes(family_name: str, years: Iterable[int]) -> tuple[str, ...]:
    """``phonetic_index`` for each of ``years``, the phonetic key worked out once.

    Duplicate matching asks for five years around the one typed; the key (transliteration and
    metaphone) cost more than the five HMACs together.
    """
    key = phonetic_key(family_name)
    if not key:
        return ()
    return tuple(i for year in years if (i := blind_index("phonetic", key, str(year))))


class PersonQuerySet(EncryptedQuerySet):
    def for_user(self, user: Any) -> PersonQuerySet:
        return access.people_for_user(self, user)

    def with_family_name(self, family_name: str) -> PersonQuerySet:
        """Exact search by family name through its blind index (no decryption)."""
        index = family_name_index(family_name)
        return self.filter(bi_family_name=index) if index else self.none()


class Person(models.Model):
    """A (possible) victim of trafficking. May be registered many times."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)

    # Personal data, encrypted.
    given_names = EncryptedCharField(_("given names"), max_length=200)
    family_name = EncryptedCharField(_("family name"), max_length=200)
    aliases = EncryptedTextField(
        _("aliases"), help_text=_("Other names the person is known by, one per line.")
    )
    date_of_birth = EncryptedDateField(_("date of birth"))
    phone = EncryptedCharField(_("phone"), max_length=50)
    email = EncryptedCharField(_("e-mail"), max_length=254)
    address = EncryptedTextField(_("address"))
    id_document_country = EncryptedCharField(
        _("identity document country"),
        max_length=2,
        help_text=_("ISO 3166 code of the country that issued the document, e.g. RO."),
    )
    id_document_number = EncryptedCharField(_("identity document number"), max_length=100)
    languages = EncryptedCharField(_("languages spoken"), max_length=200)
    notes = EncryptedTextField(_("notes"))

    # Statistical data, in clear.
    gender = models.CharField(
        _("gender"), max_length=10, choices=Gender.choices, default=Gender.UNKNOWN
    )
    nationality = CountryField(_("nationality"), blank=True)
    country_of_birth = CountryField(_("country of birth"), blank=True)
    year_of_birth = models.PositiveSmallIntegerField(
        _("year of birth"),
        null=True,
        blank=True,
        help_text=_("From the date of birth, or estimated from the age given."),
    )
    year_of_birth_estimated = models.BooleanField(_("year of birth estimated"), default=False)
    is_anonymous = models.BooleanField(
        _("anonymous"),
        default=False,
        help_text=_("Registered without consent: no personal data may be stored."),
    )

    # Blind indexes (HMAC-SHA256, see registry.crypto).
    bi_family_name = models.CharField(max_length=64, null=True, blank=True, editable=False)
    bi_name_dob = models.CharField(max_length=64, null=True, blank=True, editable=False)
    bi_document = models.CharField(max_length=64, null=True, blank=True, editable=False)
    bi_phonetic = models.CharField(max_length=64, null=True, blank=True, editable=False)

    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = PersonQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("person")
        verbose_name_plural = _("people")
        indexes = [
            models.Index(fields=["bi_family_name"], name="person_bi_family_idx"),
            models.Index(fields=["bi_name_dob"], name="person_bi_name_dob_idx"),
            models.Index(fields=["bi_document"], name="person_bi_document_idx"),
            models.Index(fields=["bi_phonetic"], name="person_bi_phonetic_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(year_of_birth__isnull=True)
                | models.Q(year_of_birth__gte=1880, year_of_birth__lte=2200),
                name="person_year_of_birth_plausible",
            ),
        ]

    def __str__(self) -> str:
        # Never a name: __str__ ends up in logs, admin messages and audit text.
        return _("Person %(ref)s") % {"ref": self.reference}

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.is_anonymous:
            self._clear_personal_fields()
        dob = self.__dict__.get("date_of_birth")
        if isinstance(dob, datetime.date) and not isinstance(dob, Ciphertext):
            self.year_of_birth = dob.year
            self.year_of_birth_estimated = False
        self._refresh_blind_indexes()
        adding = self._state.adding
        super().save(*args, **kwargs)
        self._loaded_year_of_birth = self.year_of_birth
        if not adding:
            self._copy_statistics_to_registrations()

    def _copy_statistics_to_registrations(self) -> None:
        """Keep the copies of gender and nationality on this person's registrations right.

        Clear statistical fields only, so a queryset update is allowed (reports group by them).
        """
        gender, nationality = self.gender, str(self.nationality or "")
        self.registrations.exclude(person_gender=gender, person_nationality=nationality).update(
            person_gender=gender, person_nationality=nationality
        )

    @classmethod
    def from_db(cls, db: str, field_names: Any, values: Any) -> Person:
        instance = super().from_db(db, field_names, values)
        instance._loaded_year_of_birth = instance.__dict__.get("year_of_birth")
        return instance

    @property
    def reference(self) -> str:
        """A short, non-identifying reference for screens and logs."""
        return str(self.pk).split("-")[0].upper()

    def _touched(self, name: str) -> bool:
        return not isinstance(self.__dict__.get(name), Ciphertext)

    def _clear_personal_fields(self) -> None:
        for name in PERSONAL_FIELDS:
            setattr(self, name, None)

    def has_personal_data(self) -> bool:
        return any(self.__dict__.get(name) not in (None, "") for name in PERSONAL_FIELDS)

    def _refresh_blind_indexes(self) -> None:
        touched = {name for name in PERSONAL_FIELDS if self._touched(name)}
        year_changed = getattr(self, "_loaded_year_of_birth", object()) != self.year_of_birth
        if touched & {"family_name", "given_names", "date_of_birth"} or year_changed:
            family = self.family_name or ""
            given = self.given_names or ""
            dob = self.date_of_birth
            self.bi_family_name = family_name_index(family) if family else None
            self.bi_name_dob = name_dob_index(family, given, dob) if family and dob else None
            self.bi_phonetic = (
                phonetic_index(family, self.year_of_birth)
                if family and self.year_of_birth
                else None
            )
        if touched & {"id_document_country", "id_document_number"}:
            country, number = self.id_document_country or "", self.id_document_number or ""
            self.bi_document = document_index(country, number) if number else None

    def age_on(self, day: datetime.date) -> int | None:
        """Age in whole years on ``day``, from the date of birth or the estimated year."""
        dob = self.date_of_birth
        if dob is not None:
            return day.year - dob.year - ((day.month, day.day) < (dob.month, dob.day))
        if self.year_of_birth:
            return day.year - self.year_of_birth
        return None
