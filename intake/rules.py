"""The intake rules (DESIGN.md, "Consent and minors"), as plain functions.

Forms use them to validate and to tell the user what will happen; the services use the same
functions when saving, so a rule is written once.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from registry.choices import LAWFUL_RESIDENCE, has_legal_duty, sector_fits_forms

EMERGENCY_NUMBER = "112"
MAX_AGE = 120
ADULT_AGE = 18
CONSENT_OWN_SIGNATURE_AGE = 16

DOB_IN_FUTURE = _("The date of birth cannot be in the future.")
AGE_OUT_OF_RANGE = _("The age must be between 0 and 120 years.")
DATE_IN_FUTURE = _("The registration date cannot be in the future.")
SECTOR_DOES_NOT_FIT = _(
    "This sector does not fit the forms of exploitation chosen. Choose a sector of one of "
    "those forms, or 'other' or 'unknown'."
)
END_BEFORE_START = _("The end of the exploitation cannot be before its start.")
CONSENT_NEEDS_SIGNER = _("Say who signed the written consent.")
GUARDIAN_UNDER_16 = _("Under 16, the consent is signed by a parent or guardian.")


def age_on(
    day: datetime.date,
    date_of_birth: datetime.date | None = None,
    estimated_age: int | None = None,
) -> int | None:
    """Age in whole years on ``day``: from the date of birth, else the estimated age."""
    if date_of_birth is not None:
        return (
            day.year
            - date_of_birth.year
            - ((day.month, day.day) < (date_of_birth.month, date_of_birth.day))
        )
    return estimated_age


def year_of_birth(
    day: datetime.date, date_of_birth: datetime.date | None, estimated_age: int | None
) -> tuple[int | None, bool]:
    """(year of birth, estimated?) from the date of birth or the age on ``day``."""
    if date_of_birth is not None:
        return date_of_birth.year, False
    if estimated_age is not None:
        return day.year - estimated_age, True
    return None, False


def is_minor(age: int | None) -> bool:
    return age is not None and age < ADULT_AGE


def needs_nidos(minor: bool, unaccompanied: bool, residence_status: str) -> bool:
    """Unaccompanied minors without lawful residence are referred to Nidos (guardianship)."""
    return minor and unaccompanied and residence_status not in LAWFUL_RESIDENCE


def is_anonymous(reporter_type: str, consent_registration: bool) -> bool:
    """Without a legal duty to report and without written consent: no personal data."""
    return not has_legal_duty(reporter_type) and not consent_registration


def sector_error(sector: str, forms: list[str] | set[str]) -> str | None:
    if sector and not sector_fits_forms(sector, forms):
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

    @property
    def emergency_number(self) -> str:
        return EMERGENCY_NUMBER


def decide(
    *,
    registered_on: datetime.date,
    date_of_birth: datetime.date | None,
    estimated_age: int | None,
    believed_minor: bool,
    unaccompanied_minor: bool,
    residence_status: str,
    reporter_type: str,
    consent_registration: bool,
    immediate_danger: bool,
) -> Outcome:
    """Apply every rule to validated data. An unknown age falls back to ``believed_minor``."""
    age = age_on(registered_on, date_of_birth, estimated_age)
    minor = is_minor(age) if age is not None else believed_minor
    return Outcome(
        immediate_danger=immediate_danger,
        age=age,
        minor=minor,
        nidos=needs_nidos(minor, unaccompanied_minor, residence_status),
        anonymous=is_anonymous(reporter_type, consent_registration),
    )
