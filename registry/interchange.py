"""The interchange CSV of VOCABULARY.md: its columns and codes, defined once.

Imports (intake) parse rows with :func:`parse_row`; exports (reports) write the same columns
with :func:`format_value`. Nothing here touches the database: region codes are returned as
codes, and callers resolve them. Errors name the column, so callers can add the row number.

The care columns (issue 14: the police report, the B8 permit, the referrals and the shelter
placed) are the statistical facts of the case the registration opened. The exports write them;
the import checks their codes like any other (a bad code is a row error and nothing is
written) but records none of them, since an import opens no case (docs/data-dictionary.md,
"The interchange format's care columns").
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _
from django_countries import countries

from registry.choices import (
    APPLICATION_STATUSES,
    POLICE_REPORT_STATUSES,
    FileType,
    Gender,
    ReferralType,
    ReporterType,
    ResidenceStatus,
    Sector,
    Shelter,
)
from registry.models.reference import FormOfExploitation

MULTI_SEPARATOR = ";"
# ASCII digits only: ``\d`` and ``str.isdigit`` accept other scripts' digits (Arabic-Indic,
# superscripts), which Python reads as the same number, so one number could be stored twice.
NUMBER_RE = re.compile(r"^[0-9]{4}-[0-9]{6}$")
DATE_RE = re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$")
INT_RE = re.compile(r"^[0-9]{1,3}$")
YES, NO = "yes", "no"


@dataclass(frozen=True)
class Column:
    name: str
    kind: str  # text, date, int, code, codes, country, yesno, number
    personal: bool = False
    required: bool = False
    codes: frozenset[str] = frozenset()
    # A fact of the case the registration opened: written by the exports, checked but not
    # recorded by the import (an import opens no case).
    from_case: bool = False


COLUMNS: tuple[Column, ...] = (
    Column("registration_number", "number"),
    Column("registered_on", "date", required=True),
    Column("reporter_type", "code", required=True, codes=frozenset(ReporterType.values)),
    Column("region", "text", required=True),
    Column("given_names", "text", personal=True),
    Column("family_name", "text", personal=True),
    Column("date_of_birth", "date", personal=True),
    Column("age_at_registration", "int"),
    Column("gender", "code", codes=frozenset(Gender.values)),
    Column("nationality", "country"),
    Column("exploitation_forms", "codes", codes=frozenset(FormOfExploitation.Code.values)),
    Column("sector", "code", codes=frozenset(Sector.values)),
    Column("exploitation_country", "country"),
    Column("file_type", "code", codes=frozenset(FileType.values)),
    Column("id_document_number", "text", personal=True),
    Column("consent_registration", "yesno"),
    Column("consent_care", "yesno"),
    Column("residence_status", "code", codes=frozenset(ResidenceStatus.values)),
    # The care columns (issue 14), from the case the registration opened.
    Column(
        "police_report",
        "code",
        codes=frozenset(str(status) for status in POLICE_REPORT_STATUSES),
        from_case=True,
    ),
    Column(
        "b8_permit",
        "code",
        codes=frozenset(str(status) for status in APPLICATION_STATUSES),
        from_case=True,
    ),
    Column("referred_to", "codes", codes=frozenset(ReferralType.values), from_case=True),
    Column("shelter_placed", "code", codes=frozenset(Shelter.values), from_case=True),
)
BY_NAME = {column.name: column for column in COLUMNS}
COLUMN_NAMES = [column.name for column in COLUMNS]
PERSONAL_COLUMNS = [column.name for column in COLUMNS if column.personal]
CASE_COLUMNS = [column.name for column in COLUMNS if column.from_case]
# The anonymised dataset: no personal column, no registration number (it leads back to the
# record), the year instead of the date and an age band instead of the age.
ANONYMISED_COLUMNS = [
    "registration_year"
    if c.name == "registered_on"
    else "age_band"
    if c.name == "age_at_registration"
    else c.name
    for c in COLUMNS
    if not c.personal and c.name != "registration_number"
]


class CellError(ValueError):
    """A bad value in one column; the message is safe to show (it never repeats the value)."""

    def __init__(self, column: str, message: str) -> None:
        super().__init__(message)
        self.column = column
        self.message = message


def parse_value(column: Column, raw: Any) -> Any:
    """The Python value of one cell; None for an empty cell. Raises CellError."""
    text = "" if raw is None else str(raw).strip()
    if text == "":
        if column.required:
            raise CellError(column.name, _("a value is required"))
        return [] if column.kind == "codes" else None
    kind = column.kind
    if kind == "text":
        return text
    if kind == "number":
        if not NUMBER_RE.match(text):
            raise CellError(column.name, _("expected a registration number like 2026-000123"))
        return text
    if kind == "date":
        try:
            # fromisoformat alone also reads 20240501 and 2024-W18-3.
            if not DATE_RE.match(text):
                raise ValueError
            return datetime.date.fromisoformat(text)
        except ValueError:
            raise CellError(column.name, _("expected a date as YYYY-MM-DD")) from None
    if kind == "int":
        # At most three ASCII digits: a longer number is no age, and int() of thousands of
        # digits raises.
        if not INT_RE.match(text):
            raise CellError(column.name, _("expected a whole number from 0 to 999"))
        return int(text)
    if kind == "yesno":
        if text.lower() not in (YES, NO):
            raise CellError(column.name, _("expected 'yes' or 'no'"))
        return text.lower() == YES
    if kind == "country":
        code = text.upper()
        if code not in dict(countries):
            raise CellError(column.name, _("expected an ISO 3166-1 alpha-2 country code"))
        return code
    if kind == "code":
        if text not in column.codes:
            raise CellError(
                column.name,
                _("unknown code; expected one of %(codes)s") % {"codes": _list(column.codes)},
            )
        return text
    if kind == "codes":
        values = [v.strip() for v in text.split(MULTI_SEPARATOR) if v.strip()]
        bad = [v for v in values if v not in column.codes]
        if bad:
            raise CellError(
                column.name,
                _("unknown code(s); expected codes from %(codes)s")
                % {"codes": _list(column.codes)},
            )
        return values
    raise CellError(column.name, f"unsupported column kind {kind}")  # pragma: no cover


def parse_row(row: dict[str, Any]) -> tuple[dict[str, Any], list[CellError]]:
    """Parse every known column of ``row``; returns (values, errors)."""
    values: dict[str, Any] = {}
    errors: list[CellError] = []
    for column in COLUMNS:
        if column.name not in row and not column.required:
            values[column.name] = [] if column.kind == "codes" else None
            continue
        try:
            values[column.name] = parse_value(column, row.get(column.name))
        except CellError as error:
            errors.append(error)
    return values, errors


def format_value(column: str, value: Any) -> str:
    """One cell of an export, in the same format the import reads."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return YES if value else NO
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, list | tuple | set | frozenset):
        return MULTI_SEPARATOR.join(sorted(str(v) for v in value))
    return str(value)


def _list(codes: frozenset[str]) -> str:
    return ", ".join(sorted(codes))
