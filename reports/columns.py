"""The columns of the interchange format (VOCABULARY.md) as the exports write them.

The column names come from registry.interchange, shared with the import.

Rows are read with ``values_list`` and ``.iterator(chunk_size=...)``, so memory stays flat;
the forms of exploitation of each chunk come from one query on the M2M table, and its care
columns (issue 14) from one more: the cases the chunk's registrations opened, with their
police report and B8 procedures and their referral types as subqueries. The personal columns
are opened with the encrypted field's own ``open`` (same key, same associated data) without
building model instances.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db.models import CharField, Exists, OuterRef, QuerySet, Subquery
from django.db.models.functions import Cast, ExtractYear

from registry import interchange
from registry.choices import ProcedureKind, ReferralType
from registry.models import Case, Person, Referral, Registration, ResidenceProcedure
from reports.dimensions import AGE_SCHEMES, age_band_expression

CHUNK_SIZE = 2000
MULTI_VALUE_SEPARATOR = interchange.MULTI_SEPARATOR

# The columns are those of the interchange format, defined once in registry.interchange
# (the import reads the same ones). The personal export writes every column.
PERSONAL_EXPORT_COLUMNS = list(interchange.COLUMN_NAMES)
# Columns that hold personal data: only in the personal export.
PERSONAL_ONLY = set(interchange.PERSONAL_COLUMNS)
ANONYMISED_COLUMNS = list(interchange.ANONYMISED_COLUMNS)
# The quasi-identifiers the anonymised dataset is made k-anonymous over (issue 16: the country
# of exploitation too). The care columns are not among them (docs/reports.md, "The care
# columns and k-anonymity").
QUASI_IDENTIFIERS = (
    "registration_year",
    "age_band",
    "gender",
    "nationality",
    "region",
    "exploitation_country",
)
# The care columns (issue 14), last in both exports, in this order.
CARE_COLUMNS = tuple(interchange.CASE_COLUMNS)

_ENCRYPTED = ("given_names", "family_name", "date_of_birth", "id_document_number")


def yes_no(value: bool) -> str:
    return interchange.YES if value else interchange.NO


def _codes_of(list_name: str, ids: Sequence[Any]) -> dict[Any, list[str]]:
    """The codes of the code list ``list_name`` of each registration of ``ids``, in order."""
    descriptor = getattr(Registration, list_name)
    through = descriptor.through
    code = descriptor.field.m2m_reverse_name()
    found: dict[Any, list[str]] = {}
    rows = (
        through.objects.filter(registration_id__in=ids)
        .order_by(code)
        .values_list("registration_id", code)
    )
    for registration_id, value in rows:
        found.setdefault(registration_id, []).append(value)
    return found


@dataclass
class Care:
    """The care columns of one registration: from the case it opened (the latest, should it
    have opened more than one); empty when it opened none (no consent to care, a repeat
    registration that joined a case, an import)."""

    police_report: str = ""
    b8_permit: str = ""
    referred_to: list[str] = field(default_factory=list)
    shelter_placed: str = ""

    def cells(self) -> list[str]:
        return [
            self.police_report,
            self.b8_permit,
            MULTI_VALUE_SEPARATOR.join(self.referred_to),
            self.shelter_placed,
        ]


NO_CARE = Care()
_PROCEDURE_COLUMNS = {
    ProcedureKind.POLICE_REPORT: "police_report",
    ProcedureKind.B8_PERMIT: "b8_permit",
}
# The referral types in the order a cell lists them (sorted, as format_value sorts codes).
_REFERRAL_TYPES = sorted(ReferralType.values)


def care_of(ids: Sequence[Any]) -> dict[Any, Care]:
    """The care columns of the registrations ``ids``, in one query over their cases (the
    procedures and referrals as subqueries of each case); a registration without a case is
    left out (``NO_CARE``). The ids are sent once: preparing a long ``IN`` list costs more
    than the query itself."""
    annotations: dict[str, Any] = {
        column: Subquery(
            ResidenceProcedure.objects.filter(case=OuterRef("pk"), kind=kind).values("status")[:1]
        )
        for kind, column in _PROCEDURE_COLUMNS.items()
    }
    annotations.update(
        {
            f"_to_{code}": Exists(Referral.objects.filter(case=OuterRef("pk"), referral_type=code))
            for code in _REFERRAL_TYPES
        }
    )
    cases = (
        Case.objects.filter(registration_id__in=ids)
        .annotate(**annotations)
        .order_by("opened_on", "created_at")
        .values_list("registration_id", "shelter_placed", *annotations)
    )
    care: dict[Any, Care] = {}
    for registration_id, shelter_placed, police, b8, *referred in cases:
        care[registration_id] = Care(  # the latest case wins
            police_report=police or "",
            b8_permit=b8 or "",
            referred_to=[
                code for code, made in zip(_REFERRAL_TYPES, referred, strict=True) if made
            ],
            shelter_placed=shelter_placed or "",
        )
    return care


def _chunks(rows: Iterator[tuple], size: int) -> Iterator[list[tuple]]:
    chunk: list[tuple] = []
    for row in rows:
        chunk.append(row)
        if len(chunk) >= size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def _rows_with_forms(
    qs: QuerySet, columns: Sequence[str], chunk_size: int, means_of_control: bool = False
) -> Iterator[tuple[tuple, list[str], Care, list[str]]]:
    """Each row of ``columns`` (the first is the registration's id) with its forms of
    exploitation, its care columns and (when asked) its means of control: rows streamed in
    chunks, the forms of each chunk in one query, its care in three (``care_of``), the means
    of control in one more."""
    rows = qs.values_list(*columns).iterator(chunk_size=chunk_size)
    for chunk in _chunks(rows, chunk_size):
        ids = [row[0] for row in chunk]
        exploitation_forms = _codes_of("exploitation_forms", ids)
        care = care_of(ids)
        means = _codes_of("means_of_control", ids) if means_of_control else {}
        for row in chunk:
            yield (
                row,
                exploitation_forms.get(row[0], []),
                care.get(row[0], NO_CARE),
                means.get(row[0], []),
            )


def _opener(name: str) -> Any:
    field = Person._meta.get_field(name)

    def open_value(token: str | None, person_pk: Any) -> Any:
        return None if token is None else field.open_for_pk(token, person_pk)

    return open_value


def _text(value: Any) -> str:
    # The cell as the import reads it (dates ISO, empty for unknown).
    return interchange.format_value("", value)


def personal_rows(qs: QuerySet, chunk_size: int = CHUNK_SIZE) -> Iterator[list[str]]:
    """Rows of PERSONAL_EXPORT_COLUMNS for the registrations of ``qs``, decrypted, by number."""
    openers = {name: _opener(name) for name in _ENCRYPTED}
    columns = (
        "id",
        "number",
        "registered_on",
        "reporter_type",
        "region__code",
        "person_id",
        "person__given_names",
        "person__family_name",
        "person__date_of_birth",
        "age_at_registration",
        "person__gender",
        "person__nationality",
        "sector",
        "exploitation_country",
        "file_type",
        "person__id_document_number",
        "consent_registration",
        "consent_care",
        "residence_status",
    )
    rows = _rows_with_forms(qs.order_by("number"), columns, chunk_size)
    for row, exploitation_forms, care, _means in rows:
        (
            _pk,
            number,
            registered_on,
            reporter_type,
            region,
            person_pk,
            given,
            family,
            dob,
            age,
            gender,
            nationality,
            sector,
            country,
            file_type,
            document,
            consent_registration,
            consent_care,
            residence_status,
        ) = row
        yield [
            number,
            registered_on.isoformat(),
            reporter_type,
            region,
            _text(openers["given_names"](given, person_pk)),
            _text(openers["family_name"](family, person_pk)),
            _text(openers["date_of_birth"](dob, person_pk)),
            _text(age),
            gender,
            str(nationality or ""),
            MULTI_VALUE_SEPARATOR.join(exploitation_forms),
            sector,
            str(country or ""),
            file_type,
            _text(openers["id_document_number"](document, person_pk)),
            yes_no(consent_registration),
            yes_no(consent_care),
            residence_status,
            *care.cells(),
        ]


def anonymised_source(
    qs: QuerySet,
    age_scheme: str = "monitor",
    chunk_size: int = CHUNK_SIZE,
    means_of_control: bool = False,
) -> Iterator[list[str]]:
    """Rows of ANONYMISED_COLUMNS before k-anonymisation; nothing encrypted is read. With
    ``means_of_control`` each row has one more cell, the registration's means of control
    (codes, ``;``-separated), for the CTDC layout (reports.ctdc)."""
    annotated = qs.order_by("registered_on", "number").annotate(
        _year=Cast(ExtractYear("registered_on"), CharField()),
        _age_band=age_band_expression(AGE_SCHEMES[age_scheme], "age_at_registration"),
    )
    columns = (
        "id",
        "_year",
        "reporter_type",
        "region__code",
        "_age_band",
        "person__gender",
        "person__nationality",
        "sector",
        "exploitation_country",
        "file_type",
        "consent_registration",
        "consent_care",
        "residence_status",
    )
    rows = _rows_with_forms(annotated, columns, chunk_size, means_of_control)
    for row, exploitation_forms, care, means in rows:
        _pk, year, reporter, region, band, gender, nationality, sector, country, ft, cr, cc, rs = (
            row
        )
        extra = [MULTI_VALUE_SEPARATOR.join(means)] if means_of_control else []
        yield [
            str(year),
            reporter,
            region,
            band,
            gender,
            str(nationality or ""),
            MULTI_VALUE_SEPARATOR.join(exploitation_forms),
            sector,
            str(country or ""),
            ft,
            yes_no(cr),
            yes_no(cc),
            rs,
            *care.cells(),
            *extra,
        ]
