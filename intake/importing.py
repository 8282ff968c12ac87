"""CSV import of registrations in the interchange format (registry.interchange).

All or nothing: every row is checked first, and any error stops the import before a single
write; the writes then happen in one transaction. Errors name the row and the column and
never repeat the value (it may be personal). Rows that match a person already in the registry
exactly (names and date of birth, or the identity document, by blind index) are linked to that
person. An import opens no case and sends no e-mail: it carries past registrations, which
coordinators already handle outside the registry.
"""

from __future__ import annotations

import csv
import datetime
import io
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from intake.matching import find_exact, indexes_for
from registry import registering
from registry.choices import AuditAction
from registry.interchange import BY_NAME, COLUMN_NAMES, header_errors, parse_row
from registry.models import (
    AuditEvent,
    Region,
    Registration,
    RegistrationNumberSequence,
)
from registry.models.people import index_values

if TYPE_CHECKING:
    from registry.models import User

MAX_ERRORS_SHOWN = 50
# The interchange columns whose registry field has another name: an import row's age is the
# age given in place of a date of birth (derived from the date of birth when there is one).
FIELD_OF_COLUMN = {"age_at_registration": "estimated_age"}
COLUMN_OF_FIELD = {field: column for column, field in FIELD_OF_COLUMN.items()}
# Columns read by the import itself, not fields of the registration.
NOT_FIELDS = ("registration_number", "region")


@dataclass(frozen=True)
class RowError:
    row: int  # data row, 1 = the first row under the header
    column: str
    message: str

    def __str__(self) -> str:
        where = "header" if self.row == 0 else f"row {self.row} (line {self.row + 1})"
        return f"{where}, column '{self.column}': {self.message}"


class ImportFailed(Exception):
    def __init__(self, errors: list[RowError]) -> None:
        self.errors = errors
        shown = "\n".join(str(e) for e in errors[:MAX_ERRORS_SHOWN])
        more = len(errors) - MAX_ERRORS_SHOWN
        tail = f"\n... and {more} more" if more > 0 else ""
        super().__init__(f"{len(errors)} error(s); nothing was imported.\n{shown}{tail}")


@dataclass
class ImportResult:
    rows: int = 0
    registrations_created: int = 0
    persons_created: int = 0
    persons_linked: int = 0
    dry_run: bool = False
    numbers: list[str] = field(default_factory=list)

    def summary(self) -> str:
        prefix = "Dry run, nothing saved: would create" if self.dry_run else "Created"
        return (
            f"{prefix} {self.registrations_created} registration(s) and "
            f"{self.persons_created} person(s); {self.persons_linked} row(s) linked to a "
            f"person already registered."
        )


def read_csv(data: str | bytes) -> tuple[list[str], list[dict[str, str]]]:
    """Headers and rows of a UTF-8 CSV (a byte-order mark is allowed)."""
    if isinstance(data, bytes):
        try:
            data = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise ImportFailed([RowError(0, "-", "the file is not UTF-8 text")]) from None
    data = data.removeprefix("\ufeff")
    reader = csv.DictReader(io.StringIO(data, newline=""))
    headers = [h.strip() for h in (reader.fieldnames or [])]
    reader.fieldnames = headers
    return headers, list(reader)


def registration_values(values: dict[str, Any], region: Region | None) -> dict[str, Any]:
    """The registry's values of one parsed row (registering.check and record take them): by
    field name, the region resolved, an empty cell left out (unknown)."""
    found = {
        FIELD_OF_COLUMN.get(name, name): value
        for name, value in values.items()
        if name not in NOT_FIELDS and value is not None and not name.startswith("_")
    }
    if region is not None:
        found["region"] = region
    return found


def _check_row(
    number: int, values: dict[str, Any], regions: dict[str, Region], today: datetime.date
) -> tuple[list[RowError], registering.Outcome | None]:
    """The row's errors by column, and the registry's outcome for it when it has none.

    The rules of a registration are the registry's (registering.check, as for the forms);
    what is checked here belongs to the CSV: the region code and the age this format needs
    when the date of birth is empty.
    """
    errors = []
    if values["region"] and values["region"] not in regions:
        errors.append(RowError(number, "region", "unknown region code"))
    if values["date_of_birth"] is None and values["age_at_registration"] is None:
        errors.append(
            RowError(number, "age_at_registration", "required when date_of_birth is empty")
        )
    checked = registering.check(
        registration_values(values, regions.get(values["region"] or "")), today=today
    )
    errors += [
        RowError(number, COLUMN_OF_FIELD.get(field, field), message)
        for field, message in checked.errors.items()
    ]
    return errors, (None if errors else checked.outcome)


def validate(
    headers: list[str],
    rows: Iterable[dict[str, Any]],
    progress: Callable[[int, int], None] | None = None,
) -> tuple[list[dict[str, Any]], list[RowError]]:
    """Parse and check every row without writing; returns (parsed rows, errors)."""
    errors = [RowError(0, e.column, e.message) for e in header_errors(headers)]
    if errors:
        return [], errors
    regions = {r.code: r for r in Region.objects.all()}
    today = timezone.localdate()
    parsed: list[dict[str, Any]] = []
    seen_numbers: dict[str, int] = {}
    rows = list(rows)
    for number, row in enumerate(rows, start=1):
        if progress is not None:
            progress(number - 1, len(rows))
        values, cell_errors = parse_row(row)
        errors += [RowError(number, e.column, e.message) for e in cell_errors]
        if not cell_errors:
            row_errors, values["_outcome"] = _check_row(number, values, regions, today)
            errors += row_errors
        given = values.get("registration_number")
        if given:
            if given in seen_numbers:
                errors.append(
                    RowError(
                        number,
                        "registration_number",
                        f"the same number is on row {seen_numbers[given]}",
                    )
                )
            seen_numbers.setdefault(given, number)
        values["_region"] = regions.get(values.get("region") or "")
        parsed.append(values)
    if seen_numbers:
        taken = set(
            Registration.objects.filter(number__in=list(seen_numbers)).values_list(
                "number", flat=True
            )
        )
        errors += [
            RowError(seen_numbers[n], "registration_number", "this number is already registered")
            for n in sorted(taken)
        ]
    if not parsed and not errors:
        errors.append(RowError(0, "-", "the file has no rows"))
    errors.sort(key=lambda e: (e.row, COLUMN_NAMES.index(e.column) if e.column in BY_NAME else -1))
    return parsed, errors


def _reserve_given_numbers(parsed: list[dict[str, Any]]) -> None:
    """Move each year's sequence past the numbers the file brings, before allocating new ones."""
    highest: dict[int, int] = {}
    for values in parsed:
        given = values.get("registration_number")
        if given:
            year, seq = (int(part) for part in given.split("-"))
            highest[year] = max(highest.get(year, 0), seq)
    for year, seq in highest.items():
        RegistrationNumberSequence.objects.get_or_create(year=year)
        sequence = RegistrationNumberSequence.objects.select_for_update().get(year=year)
        if sequence.last < seq:
            sequence.last = seq
            sequence.save(update_fields=["last"])


def _save(
    parsed: list[dict[str, Any]],
    result: ImportResult,
    progress: Callable[[int, int], None] | None = None,
) -> None:
    _reserve_given_numbers(parsed)
    for done, values in enumerate(parsed):
        if progress is not None:
            progress(done, len(parsed))
        outcome: registering.Outcome = values["_outcome"]
        fields = registration_values(values, values["_region"])
        person, indexes = None, None
        if not outcome.anonymous:
            # An exact match (names and date of birth, or document) links the row to that
            # person; otherwise the same indexes are stored on the new person.
            ix = indexes_for(
                **index_values(fields), year_of_birth=outcome.year_of_birth, near_years=False
            )
            person, indexes = find_exact(ix), ix.stored
        recorded = Registration.objects.record(
            fields,
            source="import",
            outcome=outcome,
            person=person,
            indexes=indexes,
            number=values["registration_number"] or "",
            # One event for the whole file (import_rows), not one per row.
            audit=False,
        )
        result.registrations_created += 1
        result.persons_created += int(recorded.person_created)
        result.persons_linked += int(not recorded.person_created)
        result.numbers.append(recorded.registration.number)


def import_rows(
    headers: list[str],
    rows: Iterable[dict[str, Any]],
    *,
    user: User | None = None,
    actor_name: str = "",
    source: str = "command",
    dry_run: bool = False,
    progress: Callable[[int, int], None] | None = None,
) -> ImportResult:
    """Check every row, then save them all in one transaction; ImportFailed on any error.

    ``progress(rows_done, rows_total)`` is called per row as the rows are checked, and again
    as they are saved.
    """
    parsed, errors = validate(headers, rows, progress)
    if errors:
        raise ImportFailed(errors)
    result = ImportResult(rows=len(parsed), dry_run=dry_run)
    try:
        with transaction.atomic():
            _save(parsed, result, progress)
            AuditEvent.record(
                AuditAction.IMPORT,
                user=user,
                actor_name=actor_name,
                details={
                    "source": source,
                    "rows": result.rows,
                    "registrations_created": result.registrations_created,
                    "persons_created": result.persons_created,
                    "persons_linked": result.persons_linked,
                },
            )
            if dry_run:
                transaction.set_rollback(True)
        if progress is not None:
            progress(len(parsed), len(parsed))
    except IntegrityError:
        # A concurrent writer took a number this file brings: nothing was saved.
        raise ImportFailed(
            [RowError(0, "registration_number", "a number was taken while importing; retry")]
        ) from None
    return result


def import_csv(data: str | bytes, **kwargs: Any) -> ImportResult:
    headers, rows = read_csv(data)
    return import_rows(headers, rows, **kwargs)
