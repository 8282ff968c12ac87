"""The (possible) victim: personal fields encrypted, statistical fields in clear."""

from __future__ import annotations

import datetime
import uuid
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

from registry import access, registering
from registry.carried import rows_carried_by
from registry.choices import Gender
from registry.crypto import blind_index, normalise, phonetic_key
from registry.fields import (
    Ciphertext,
    EncryptedCharField,
    EncryptedDateField,
    EncryptedQuerySet,
    EncryptedTextField,
)
from registry.models.search_tokens import PersonSearchToken, search_tokens

if TYPE_CHECKING:
    from registry.models.accounts import User

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


# The personal fields the year of birth and the blind indexes are worked out from.
DERIVATION_SOURCES = (
    "family_name",
    "given_names",
    "date_of_birth",
    "id_document_country",
    "id_document_number",
)


def index_values(values: Mapping[str, Any]) -> dict[str, Any]:
    """The values of ``values`` (by field name: a form's, a CSV row's) that blind indexes are
    worked out from (DERIVATION_SOURCES), as keywords of ``blind_indexes``; missing is None."""
    return {name: values.get(name) for name in DERIVATION_SOURCES}


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


@dataclass(frozen=True)
class BlindIndexes:
    """The blind indexes of one person's values: the four a Person stores, and the phonetic
    index of each of the years asked for besides (duplicate matching looks around the year)."""

    family_name: str | None = None
    name_dob: str | None = None
    document: str | None = None
    phonetic: str | None = None
    phonetic_near: tuple[str, ...] = ()
    # The (kind, digest) rows of the name search (registry.models.search_tokens).
    search_tokens: tuple[tuple[str, str], ...] = ()

    def columns(self) -> dict[str, str | None]:
        return {
            "bi_family_name": self.family_name,
            "bi_name_dob": self.name_dob,
            "bi_document": self.document,
            "bi_phonetic": self.phonetic,
        }


def blind_indexes(
    *,
    family_name: str | None = "",
    given_names: str | None = "",
    date_of_birth: datetime.date | None = None,
    year_of_birth: int | None = None,
    id_document_country: str | None = "",
    id_document_number: str | None = "",
    near_years: Iterable[int] = (),
) -> BlindIndexes:
    """The blind indexes of these values, each worked out once (BLIND_INDEX_SOURCES); an
    empty or missing value gives no index that needs it.

    ``year_of_birth`` is the person's (registering.year_of_birth; the phonetic index goes with
    it). ``near_years``: the years whose phonetic index is wanted besides; a year asked for
    twice (the own one among them) costs one HMAC, and the phonetic key one transliteration.
    """
    family = family_name or ""
    year = year_of_birth
    wanted = list(dict.fromkeys([*([year] if year else []), *near_years]))
    phonetic: dict[int, str | None] = {}
    if family and wanted:
        key = phonetic_key(family)
        if key:
            phonetic = {y: blind_index("phonetic", key, str(y)) for y in wanted}
    whole = family_name_index(family) if family else None
    return BlindIndexes(
        family_name=whole,
        name_dob=name_dob_index(family, given_names or "", date_of_birth)
        if family and date_of_birth
        else None,
        document=document_index(id_document_country or "", id_document_number)
        if id_document_number
        else None,
        phonetic=phonetic.get(year) if year else None,
        phonetic_near=tuple(i for y in near_years if (i := phonetic.get(y))),
        search_tokens=search_tokens(family, given_names, whole),
    )


class PersonQuerySet(EncryptedQuerySet):
    def for_user(self, user: User | None) -> PersonQuerySet:
        return access.people_for_user(self, user)

    def with_family_name(self, family_name: str) -> PersonQuerySet:
        """Exact search by family name through its blind index (no decryption)."""
        index = family_name_index(family_name)
        return self.filter(bi_family_name=index) if index else self.none()


class Person(models.Model):
    """A (possible) victim of trafficking. May be registered many times."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)

    # Personal data, encrypted.
    given_names = EncryptedCharField(_("given names"), max_length=200, person_key="pk")
    family_name = EncryptedCharField(_("family name"), max_length=200, person_key="pk")
    aliases = EncryptedTextField(
        _("aliases"),
        help_text=_("Other names the person is known by, one per line."),
        person_key="pk",
    )
    date_of_birth = EncryptedDateField(_("date of birth"), person_key="pk")
    phone = EncryptedCharField(_("phone"), max_length=50, person_key="pk")
    email = EncryptedCharField(_("e-mail"), max_length=254, person_key="pk")
    address = EncryptedTextField(_("address"), person_key="pk")
    id_document_country = EncryptedCharField(
        _("identity document country"),
        max_length=2,
        help_text=_("ISO 3166 code of the country that issued the document, e.g. RO."),
        person_key="pk",
    )
    id_document_number = EncryptedCharField(
        _("identity document number"), max_length=100, person_key="pk"
    )
    languages = EncryptedCharField(_("languages spoken"), max_length=200, person_key="pk")
    notes = EncryptedTextField(_("notes"), person_key="pk")

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
    # Withdrawn consent to care closes the person's cases and hides their personal fields
    # from the staff who work cases (access.may_see_personal); the values are kept for the
    # retention period, then erased by the retention command.
    care_consent_withdrawn_on = models.DateField(
        _("consent to care withdrawn on"),
        null=True,
        blank=True,
        editable=False,
        help_text=_(
            "Set when the person withdraws consent to care; cleared when consent is given again."
        ),
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
                | models.Q(
                    year_of_birth__gte=registering.EARLIEST_YEAR_OF_BIRTH, year_of_birth__lte=2200
                ),
                name="person_year_of_birth_plausible",
            ),
        ]

    def __str__(self) -> str:
        # Never a name: __str__ ends up in logs, admin messages and audit text.
        return _("Person %(ref)s") % {"ref": self.reference}

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.is_anonymous:
            self._clear_personal_fields()
        if self.__dict__.get("_derived_from") != self._derivation_sources():
            dob = self.__dict__.get("date_of_birth")
            if isinstance(dob, datetime.date):  # typed, not a token read back (Ciphertext)
                self.year_of_birth, self.year_of_birth_estimated = registering.year_of_birth(dob)
            self._refresh_blind_indexes()
        adding = self._state.adding
        if adding and self.__dict__.get("_pending_search_tokens"):
            # A new person's name-search rows go in the statement that inserts the person on
            # PostgreSQL (registry.carried), right after it elsewhere.
            tokens = self.__dict__.pop("_pending_search_tokens")
            with rows_carried_by(Person, self.search_token_rows(tokens)):
                super().save(*args, **kwargs)
        else:
            super().save(*args, **kwargs)
        self._loaded_year_of_birth = self.year_of_birth
        self._save_search_tokens(adding)
        if not adding:
            self._copy_statistics_to_registrations()

    def get_absolute_url(self) -> str:
        return reverse("registry:person_detail", args=[self.pk])

    def clean(self) -> None:
        """The rules of a registration record that concern the person (registry.registering:
        a date of birth not in the future, an age from 0 to MAX_AGE, a year of birth not before
        EARLIEST_YEAR_OF_BIRTH), for every screen that writes a person (the workspace's person
        page and the admin), checked on today's date."""
        super().clean()
        dob = self.date_of_birth
        values: dict[str, Any] = {"date_of_birth": dob if isinstance(dob, datetime.date) else None}
        if values["date_of_birth"] is None and self.year_of_birth is not None:
            values["estimated_age"] = timezone.localdate().year - self.year_of_birth
        errors = registering.registration_errors(values)
        if errors:
            raise ValidationError(
                {
                    (NON_FIELD_ERRORS if field == "estimated_age" else field): message
                    for field, message in errors.items()
                }
            )

    def _save_search_tokens(self, adding: bool) -> None:
        """Write the name search's rows worked out by this save (every way that saves a
        person, the import's ``bulk_create`` aside: registering.record_many writes them)."""
        tokens = self.__dict__.pop("_pending_search_tokens", None)
        if tokens is None:
            return
        if adding:
            PersonSearchToken.objects.bulk_create(self.search_token_rows(tokens))
        else:
            PersonSearchToken.objects.replace_for(self.pk, tokens)

    def search_token_rows(
        self, tokens: tuple[tuple[str, str], ...] | None = None
    ) -> list[PersonSearchToken]:
        """Unsaved rows of this person's name search: ``tokens``, or those its values give."""
        if tokens is None:
            tokens = self.__dict__.get("_pending_search_tokens")
        if tokens is None:
            tokens = search_tokens(self.family_name, self.given_names)
        return [PersonSearchToken(person_id=self.pk, kind=k, digest=d) for k, d in tokens]

    def refresh_search_tokens(self) -> None:
        """Work the name search's rows out again from the stored names and write them (after a
        change of the index key; a repair). A save keeps them itself."""
        PersonSearchToken.objects.replace_for(
            self.pk, search_tokens(self.family_name, self.given_names)
        )

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

    def index_values(self) -> dict[str, Any]:
        """This person's values that blind indexes are worked out from (``index_values``)."""
        return {name: getattr(self, name) for name in DERIVATION_SOURCES}

    def keep_derived(self, indexes: BlindIndexes) -> None:
        """Store ``indexes`` as this person's blind indexes, worked out by the caller (with the
        year of birth now set) from the values now on this person: registry.registering does
        so once per save. save() works them out again only if one of those values changes."""
        for column, value in indexes.columns().items():
            setattr(self, column, value)
        self._pending_search_tokens = indexes.search_tokens
        self._derived_from = self._derivation_sources()

    def _derivation_sources(self) -> tuple[Any, ...]:
        state = self.__dict__
        return (
            *(state.get(name) for name in DERIVATION_SOURCES),
            state.get("year_of_birth"),
            state.get("is_anonymous"),
        )

    def _refresh_blind_indexes(self) -> None:
        touched = {name for name in PERSONAL_FIELDS if self._touched(name)}
        year_changed = getattr(self, "_loaded_year_of_birth", object()) != self.year_of_birth
        names = bool(touched & {"family_name", "given_names", "date_of_birth"}) or year_changed
        document = bool(touched & {"id_document_country", "id_document_number"})
        if not (names or document):
            return
        # Only the touched group's values are read (reading one decrypts it).
        found = blind_indexes(
            family_name=(self.family_name or "") if names else "",
            given_names=(self.given_names or "") if names else "",
            date_of_birth=self.date_of_birth if names else None,
            year_of_birth=self.year_of_birth if names else None,
            id_document_country=(self.id_document_country or "") if document else "",
            id_document_number=(self.id_document_number or "") if document else "",
        )
        if names:
            self.bi_family_name, self.bi_name_dob = found.family_name, found.name_dob
            self.bi_phonetic = found.phonetic
            self._pending_search_tokens = found.search_tokens
        if document:
            self.bi_document = found.document

    def age_on(self, day: datetime.date) -> int | None:
        """Age in whole years on ``day``, from the date of birth or the (estimated) year."""
        return registering.age_on(day, self.date_of_birth, year_of_birth=self.year_of_birth)
