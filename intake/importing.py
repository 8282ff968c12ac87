"""CSV import of registrations in the interchange format (registry.interchange).

All or nothing: every row is checked first, and any error stops the import before a single
write; the writes then happen in one transaction. Errors name the row and the column and
never repeat the value (it may be personal). Rows that match a person already in the registry
exactly (names and date of birth, or the identity document, by blind index) are linked to that
person. An import opens no case and sends no e-mail: it carries past registrations, which
coordinators already handle outside the registry.

Nothing in a file can stop intake (issue 12): the file is capped in bytes and rows
(settings.REGISTRY_IMPORT_MAX_BYTES, REGISTRY_IMPORT_MAX_ROWS); its shape (header, cells,
encoding) is checked while reading and every value before writing; the new numbers are
reserved up front in their own short transaction (RegistrationNumberSequence.reserve), so the
year's sequence is locked for one statement, not for the import.
"""

from __future__ import annotations

import csv
import datetime
import io
import re
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from intake.matching import Indexes, indexes_for
from registry import registering
from registry.choices import AuditAction
from registry.interchange import BY_NAME, CASE_COLUMNS, COLUMN_NAMES, COLUMNS, parse_row
from registry.models import (
    AuditEvent,
    Person,
    Region,
    Registration,
    RegistrationNumberSequence,
)
from registry.models.people import index_values

if TYPE_CHECKING:
    from registry.models import User

MAX_ERRORS_SHOWN = 50
# Rows written per batch (and per progress report).
BATCH_SIZE = 500
# The longest cell: the csv module's own default limit, checked here so that the error names
# the row and the column (the csv module raises for the whole file). The csv module's limit is
# lifted instead: the byte cap bounds what it can read.
MAX_CELL_CHARS = 131_072
csv.field_size_limit(2**31 - 1)
# The key of a parsed row that holds the line its record starts on (a quoted cell may hold
# line breaks, so row 5 need not be on line 6).
LINE_KEY = "_line"
# A header cell that is not a column is named in an error only when it looks like a column
# name; anything else may be a value (a file without a header row starts with a person).
COLUMN_NAME_RE = re.compile(r"[a-z][a-z0-9_]{0,39}")
NO_HEADER = gettext_lazy(
    "the first row is not the header of the interchange format (no known column name); "
    "its cells are not shown"
)
# The interchange columns whose registry field has another name: an import row's age is the
# age given in place of a date of birth (derived from the date of birth when there is one).
FIELD_OF_COLUMN = {"age_at_registration": "estimated_age"}
COLUMN_OF_FIELD = {field: column for column, field in FIELD_OF_COLUMN.items()}
# Columns read by the import itself, not fields of the registration; and the care columns,
# facts of a case, which an import (opening none) checks but does not record.
NOT_FIELDS = ("registration_number", "region", *CASE_COLUMNS)
# Person's constraint on the year of birth (registry/models/people.py).
MIN_YEAR_OF_BIRTH = 1880


@dataclass(frozen=True)
class RowError:
    row: int  # data row, 1 = the first row under the header; 0 = the file or its header
    column: str  # a column name, or "#3" for the third cell when its name cannot be shown
    message: str
    line: int = 0  # the line the row starts on; 0 = row + 1 (no line breaks in cells)

    def __str__(self) -> str:
        if self.row == 0 and self.line:
            where = _("line %(line)d") % {"line": self.line}
        elif self.row == 0:
            where = _("header")
        else:
            where = _("row %(row)d (line %(line)d)") % {
                "row": self.row,
                "line": self.line or self.row + 1,
            }
        return _("%(where)s, column '%(column)s': %(message)s") % {
            "where": where,
            "column": self.column,
            "message": self.message,
        }


class ImportFailed(Exception):
    def __init__(self, errors: list[RowError]) -> None:
        self.errors = errors
        shown = "\n".join(str(e) for e in errors[:MAX_ERRORS_SHOWN])
        more = len(errors) - MAX_ERRORS_SHOWN
        tail = "\n" + _("... and %(count)d more") % {"count": more} if more > 0 else ""
        head = ngettext(
            "%(count)d error; nothing was imported.",
            "%(count)d errors; nothing was imported.",
            len(errors),
        ) % {"count": len(errors)}
        super().__init__(f"{head}\n{shown}{tail}")


@dataclass
class ImportResult:
    rows: int = 0
    registrations_created: int = 0
    persons_created: int = 0
    persons_linked: int = 0
    dry_run: bool = False
    numbers: list[str] = field(default_factory=list)
    # Rows with a value in a care column (police_report, ...): checked, not recorded.
    care_not_recorded: int = 0

    def summary(self) -> str:
        counts = {
            "registrations": self.registrations_created,
            "persons": self.persons_created,
            "linked": self.persons_linked,
        }
        if self.dry_run:
            said = (
                _(
                    "Dry run, nothing saved: would create %(registrations)d registration(s) and "
                    "%(persons)d person(s); %(linked)d row(s) linked to a person already "
                    "registered."
                )
                % counts
            )
        else:
            said = (
                _(
                    "Created %(registrations)d registration(s) and %(persons)d person(s); "
                    "%(linked)d row(s) linked to a person already registered."
                )
                % counts
            )
        if self.care_not_recorded:
            said += " " + _(
                "%(count)d row(s) have values in the care columns (%(columns)s): their codes "
                "were checked, but they are not recorded, since an import opens no case. "
                "Record them on the case once it is opened."
            ) % {"count": self.care_not_recorded, "columns": ", ".join(CASE_COLUMNS)}
        return said


def _line_of(text: str, index: int) -> int:
    return text.count("\n", 0, index) + 1


def read_csv(data: str | bytes) -> tuple[list[str], list[dict[str, str]]]:
    """Headers and rows of a UTF-8 CSV (a byte-order mark is allowed); each row also carries
    the line it starts on (``LINE_KEY``). ImportFailed when the file itself is wrong: too
    large, too many rows, not UTF-8, a NUL character, empty, a bad header, a cell beyond the
    header's columns or longer than ``MAX_CELL_CHARS``."""
    max_bytes, max_rows = settings.REGISTRY_IMPORT_MAX_BYTES, settings.REGISTRY_IMPORT_MAX_ROWS
    if len(data) > max_bytes:
        raise ImportFailed([RowError(0, "-", too_large_message())])
    if isinstance(data, bytes):
        try:
            data = data.decode("utf-8-sig")
        except UnicodeDecodeError as error:
            line = data.count(b"\n", 0, error.start) + 1
            raise ImportFailed([RowError(0, "-", _("the file is not UTF-8 text"), line)]) from None
    data = data.removeprefix("\ufeff")
    if "\x00" in data:
        line = _line_of(data, data.index("\x00"))
        raise ImportFailed([RowError(0, "-", _("the file contains a NUL character"), line)])
    if not data.strip():
        raise ImportFailed([RowError(0, "-", _("the file is empty"))])
    reader = csv.reader(io.StringIO(data, newline=""))
    headers: list[str] | None = None
    rows: list[dict[str, str]] = []
    errors: list[RowError] = []
    ended = 0  # the line the last record ended on
    try:
        for record in reader:
            start, ended = ended + 1, reader.line_num
            if not record:
                continue  # a blank line
            if headers is None:
                headers = [cell.strip() for cell in record]
                errors += _header_errors(headers)
                if errors:
                    break
                continue
            if len(rows) == max_rows:
                raise ImportFailed([RowError(0, "-", too_many_rows_message(), start)])
            number = len(rows) + 1
            errors += _cell_errors(number, start, headers, record)
            row = dict(zip(headers, record, strict=False))
            row[LINE_KEY] = start  # type: ignore[assignment]
            rows.append(row)
    except csv.Error:
        errors.append(RowError(0, "-", _("this line is not valid CSV"), reader.line_num))
    if errors:
        raise ImportFailed(errors)
    return headers or [], rows


def _header_errors(headers: list[str]) -> list[RowError]:
    """Unknown, unnamed, repeated and missing columns; names that are not column names are
    never repeated (a file without a header row starts with somebody's data)."""
    if not any(name in BY_NAME for name in headers):
        return [RowError(0, "-", str(NO_HEADER))]
    errors = []
    seen: set[str] = set()
    for position, name in enumerate(headers, start=1):
        if name == "":
            errors.append(RowError(0, f"#{position}", _("the column has no name")))
        elif name not in BY_NAME:
            shown = name if COLUMN_NAME_RE.fullmatch(name) else f"#{position}"
            errors.append(RowError(0, shown, _("unknown column")))
        elif name in seen:
            errors.append(RowError(0, name, _("the column is named twice")))
        seen.add(name)
    errors += [
        RowError(0, c.name, _("required column is missing"))
        for c in COLUMNS
        if c.required and c.name not in headers
    ]
    return errors


def _cell_errors(number: int, line: int, headers: list[str], record: list[str]) -> list[RowError]:
    errors = [
        RowError(number, f"#{position}", _("a cell beyond the header's columns"), line)
        for position, cell in enumerate(record[len(headers) :], start=len(headers) + 1)
        if cell.strip()
    ]
    errors += [
        RowError(
            number,
            name,
            _("longer than %(count)s characters") % {"count": f"{MAX_CELL_CHARS:,}"},
            line,
        )
        for name, cell in zip(headers, record, strict=False)
        if len(cell) > MAX_CELL_CHARS
    ]
    return errors


def too_large_message() -> str:
    return _("the file is larger than %(count)s bytes") % {
        "count": f"{settings.REGISTRY_IMPORT_MAX_BYTES:,}"
    }


def too_many_rows_message() -> str:
    return _("the file has more than %(count)s rows") % {
        "count": f"{settings.REGISTRY_IMPORT_MAX_ROWS:,}"
    }


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
    what is checked here belongs to the CSV: the region code, the age this format needs
    when the date of birth is empty, and the ceiling of imported numbers.
    """
    errors = []
    if values["region"] and values["region"] not in regions:
        errors.append(RowError(number, "region", _("unknown region code")))
    if values["date_of_birth"] is None and values["age_at_registration"] is None:
        errors.append(
            RowError(number, "age_at_registration", _("required when date_of_birth is empty"))
        )
    given = values.get("registration_number")
    if given and int(given.split("-")[1]) > RegistrationNumberSequence.MAX_IMPORTED:
        ceiling = RegistrationNumberSequence.MAX_IMPORTED
        errors.append(
            RowError(
                number,
                "registration_number",
                _(
                    "an imported number may not be above YYYY-%(ceiling)s (the rest of the "
                    "year is the registry's own)"
                )
                % {"ceiling": f"{ceiling:06d}"},
            )
        )
    checked = registering.check(
        registration_values(values, regions.get(values["region"] or "")), today=today
    )
    errors += [
        RowError(number, COLUMN_OF_FIELD.get(field, field), message)
        for field, message in checked.errors.items()
    ]
    outcome = checked.outcome
    year = outcome.year_of_birth if outcome is not None else None
    if year is not None and year < MIN_YEAR_OF_BIRTH:
        # A registration date long ago with an age: the person's year of birth would break
        # the registry's plausible range (Person's constraint).
        errors.append(
            RowError(
                number,
                "registered_on",
                _("with this age the year of birth would be before %(year)d")
                % {"year": MIN_YEAR_OF_BIRTH},
            )
        )
    return errors, (None if errors else outcome)


def validate(
    headers: list[str],
    rows: Iterable[dict[str, Any]],
    progress: Callable[[int, int], None] | None = None,
) -> tuple[list[dict[str, Any]], list[RowError]]:
    """Parse and check every row without writing; returns (parsed rows, errors)."""
    errors = _header_errors(headers)
    if errors:
        return [], errors
    regions = {r.code: r for r in Region.objects.all()}
    today = timezone.localdate()
    parsed: list[dict[str, Any]] = []
    seen_numbers: dict[str, int] = {}
    max_rows = settings.REGISTRY_IMPORT_MAX_ROWS
    for number, row in enumerate(rows, start=1):
        if number > max_rows:
            return [], [RowError(0, "-", too_many_rows_message())]
        line = row.get(LINE_KEY) or number + 1
        values, cell_errors = parse_row(row)
        row_errors = [RowError(number, e.column, e.message) for e in cell_errors]
        if not cell_errors:
            more, values["_outcome"] = _check_row(number, values, regions, today)
            row_errors += more
        given = values.get("registration_number")
        if given:
            if given in seen_numbers:
                row_errors.append(
                    RowError(
                        number,
                        "registration_number",
                        _("the same number is on row %(row)d") % {"row": seen_numbers[given]},
                    )
                )
            seen_numbers.setdefault(given, number)
        errors += [RowError(e.row, e.column, e.message, line) for e in row_errors]
        values["_region"] = regions.get(values.get("region") or "")
        values[LINE_KEY] = line
        parsed.append(values)
    if seen_numbers:
        taken = set(
            Registration.objects.filter(number__in=list(seen_numbers)).values_list(
                "number", flat=True
            )
        )
        errors += [
            RowError(
                seen_numbers[n],
                "registration_number",
                _("this number is already registered"),
                parsed[seen_numbers[n] - 1][LINE_KEY],
            )
            for n in sorted(taken)
        ]
    if not parsed and not errors:
        errors.append(RowError(0, "-", _("the file has no rows")))
    errors.sort(key=lambda e: (e.row, COLUMN_NAMES.index(e.column) if e.column in BY_NAME else -1))
    return parsed, errors


def _numbers(parsed: list[dict[str, Any]], *, reserve: bool) -> list[str]:
    """Each row's number: the one it brings, or one of a block reserved for its year.

    The blocks are reserved and committed before the import's own transaction (``reserve``),
    moving each year's sequence past the numbers the file brings; a dry run only works out
    which numbers a reservation would give now, and changes nothing.
    """
    needed: dict[int, int] = defaultdict(int)
    highest: dict[int, int] = defaultdict(int)
    for values in parsed:
        given = values.get("registration_number")
        if given:
            year, seq = (int(part) for part in given.split("-"))
            highest[year] = max(highest[year], seq)
        else:
            needed[values["registered_on"].year] += 1
    blocks: dict[int, list[str]] = {}
    for year in needed.keys() | highest.keys():
        if reserve:
            blocks[year] = RegistrationNumberSequence.reserve(
                year, needed[year], past=highest[year]
            )
        else:
            found = RegistrationNumberSequence.objects.filter(year=year).first()
            last = max(found.last if found else 0, highest[year])
            blocks[year] = [
                RegistrationNumberSequence.format(year, n)
                for n in range(last + 1, last + needed[year] + 1)
            ]
    taken = {year: iter(block) for year, block in blocks.items()}
    return [
        values.get("registration_number") or next(taken[values["registered_on"].year])
        for values in parsed
    ]


def _keys(ix: Indexes) -> list[tuple[str, str]]:
    """The exact indexes of ``ix`` that link rows to a person (find_exact's)."""
    return [(kind, value) for kind, value in (("n", ix.name_dob), ("d", ix.document)) if value]


def exact_matches(indexes: list[Indexes | None]) -> list[Person | None]:
    """``intake.matching.find_exact`` of each of ``indexes`` (None gives None), in one query:
    the earliest registered person with the same names and date of birth, or document."""
    names = [ix.name_dob for ix in indexes if ix is not None and ix.name_dob]
    documents = [ix.document for ix in indexes if ix is not None and ix.document]
    if not names and not documents:
        return [None] * len(indexes)
    first: dict[tuple[str, str], Person] = {}
    people = (
        Person.objects.filter(
            Q(bi_name_dob__in=names) | Q(bi_document__in=documents), is_anonymous=False
        )
        # The statistics a registration copies from its person, loaded now: not one query each.
        .only("id", "created_at", "gender", "nationality", "bi_name_dob", "bi_document")
        .order_by("created_at")
    )
    for person in people:
        for key in (("n", person.bi_name_dob), ("d", person.bi_document)):
            if key[1]:
                first.setdefault(key, person)
    matches: list[Person | None] = []
    for ix in indexes:
        found = [] if ix is None else [first[key] for key in _keys(ix) if key in first]
        matches.append(min(found, key=lambda person: person.created_at) if found else None)
    return matches


def _save(
    parsed: list[dict[str, Any]],
    numbers: list[str],
    result: ImportResult,
    progress: Callable[[int, int], None] | None,
) -> None:
    """Write the rows in batches of ``BATCH_SIZE`` (registering.record_many: one INSERT per
    table per batch), linking exact matches, and report progress after each batch."""
    total = len(parsed)
    for start in range(0, total, BATCH_SIZE):
        # The persons this batch creates, by exact index, for its later rows (the persons of
        # earlier batches are in the database by now, and exact_matches finds them).
        created: dict[tuple[str, str], Person] = {}
        batch = parsed[start : start + BATCH_SIZE]
        fields = [registration_values(values, values["_region"]) for values in batch]
        indexes = [
            None
            if values["_outcome"].anonymous
            else indexes_for(
                **index_values(found),
                year_of_birth=values["_outcome"].year_of_birth,
                near_years=False,
            )
            for values, found in zip(batch, fields, strict=True)
        ]
        linked = exact_matches(indexes)
        pending = []
        for values, found, ix, person, number in zip(
            batch, fields, indexes, linked, numbers[start:], strict=False
        ):
            outcome = values["_outcome"]
            if ix is not None and person is None:
                # A person an earlier row of this batch created.
                person = next((created[key] for key in _keys(ix) if key in created), None)
            new = person is None
            if person is None:
                # The same indexes as the lookup's are stored on the new person.
                person = registering.new_person(found, outcome, None if ix is None else ix.stored)
                if ix is not None:
                    for key in _keys(ix):
                        created.setdefault(key, person)
            pending.append(registering.Pending(found, outcome, number, person, new))
        for recorded in registering.record_many(pending):
            result.registrations_created += 1
            result.persons_created += int(recorded.person_created)
            result.persons_linked += int(not recorded.person_created)
            result.numbers.append(recorded.registration.number)
        if progress is not None:
            progress(min(start + BATCH_SIZE, total), total)


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

    Called outside a transaction: the new numbers are reserved and committed first (see
    ``_numbers``). ``progress(rows_done, rows_total)`` is called after each batch of
    ``BATCH_SIZE`` rows is written (the commit follows the last one).
    """
    parsed, errors = validate(headers, rows)
    if errors:
        raise ImportFailed(errors)
    result = ImportResult(
        rows=len(parsed), dry_run=dry_run, care_not_recorded=sum(map(_has_care, parsed))
    )
    numbers = _numbers(parsed, reserve=not dry_run)
    try:
        with transaction.atomic():
            _save(parsed, numbers, result, progress)
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
                    # An import opens no case (past registrations); the rows whose case may
                    # open once consent to care is recorded on them, counted.
                    "cases_opened": 0,
                    "without_consent_to_care": sum(not row.get("consent_care") for row in parsed),
                    # Rows whose care columns (facts of a case) were checked, not recorded.
                    **(
                        {"care_columns_not_recorded": result.care_not_recorded}
                        if result.care_not_recorded
                        else {}
                    ),
                },
            )
            if dry_run:
                transaction.set_rollback(True)
    except IntegrityError:
        # A concurrent writer took a number this file brings: nothing was saved.
        raise ImportFailed(
            [RowError(0, "registration_number", _("a number was taken while importing; retry"))]
        ) from None
    return result


def _has_care(values: dict[str, Any]) -> bool:
    """Whether a parsed row has a value in a care column (``interchange.CASE_COLUMNS``)."""
    return any(values.get(name) for name in CASE_COLUMNS)


def import_csv(data: str | bytes, **kwargs: Any) -> ImportResult:
    headers, rows = read_csv(data)
    return import_rows(headers, rows, **kwargs)
