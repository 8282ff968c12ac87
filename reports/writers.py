"""Writing export rows safely: formula neutralisation, streamed CSV, write-only XLSX, SHA-256.

Spreadsheet programs run a cell that starts with ``=``, ``+``, ``-`` or ``@`` as a formula
(and a leading tab or carriage return can smuggle one past a check), so every such text cell
is prefixed with a single quote. Rows are written one at a time: neither writer holds the
file in memory.
"""

from __future__ import annotations

import csv
import hashlib
from collections.abc import Callable, Iterable, Iterator
from typing import IO, Any

from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
CSV_BATCH_ROWS = 500


def counted(
    rows: Iterable[list[Any]], progress: Callable[[int, int], None], total: int
) -> Iterator[list[Any]]:
    """The rows as they are, calling ``progress(rows_passed, total)`` after each."""
    for done, row in enumerate(rows, start=1):
        yield row
        progress(min(done, total), total)


def neutralise(value: Any) -> Any:
    """Prefix a text cell that a spreadsheet could read as a formula with a single quote."""
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


class _Lines:
    """A file-like target for csv.writer that keeps what was written until taken."""

    def __init__(self) -> None:
        self.parts: list[str] = []

    def write(self, text: str) -> int:
        self.parts.append(text)
        return len(text)

    def take(self) -> str:
        text = "".join(self.parts)
        self.parts = []
        return text


class ExportResult:
    """Filled in while the rows pass: the number of data rows and the SHA-256 of the bytes."""

    def __init__(self) -> None:
        self.rows = 0
        self.completed = False
        self._hash = hashlib.sha256()

    def update(self, data: bytes) -> None:
        self._hash.update(data)

    @property
    def sha256(self) -> str:
        return self._hash.hexdigest()


def csv_chunks(
    header: list[str], rows: Iterable[list[Any]], result: ExportResult
) -> Iterator[bytes]:
    """UTF-8 CSV in chunks of a few hundred rows, neutralised, hashing as it goes."""
    buffer = _Lines()
    writer = csv.writer(buffer)
    writer.writerow(header)
    pending = 0
    for row in rows:
        writer.writerow([neutralise(value) for value in row])
        result.rows += 1
        pending += 1
        if pending >= CSV_BATCH_ROWS:
            data = buffer.take().encode("utf-8")
            result.update(data)
            yield data
            pending = 0
    data = buffer.take().encode("utf-8")
    result.update(data)
    result.completed = True
    yield data


def write_csv(target: IO[bytes], header: list[str], rows: Iterable[list[Any]]) -> ExportResult:
    result = ExportResult()
    for data in csv_chunks(header, rows, result):
        target.write(data)
    return result


def _xlsx_cell(value: Any) -> Any:
    value = neutralise(value)
    if isinstance(value, str):
        return ILLEGAL_CHARACTERS_RE.sub("", value)
    return value


def write_xlsx(
    target: str | IO[bytes], header: list[str], rows: Iterable[list[Any]], title: str = "export"
) -> ExportResult:
    """A write-only workbook (openpyxl streams rows to disk), then the file's SHA-256.

    ``target`` is a path or a seekable binary file, left positioned at its start.
    """
    result = ExportResult()
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title[:31])
    sheet.append(header)
    for row in rows:
        sheet.append([_xlsx_cell(value) for value in row])
        result.rows += 1
    workbook.save(target)
    if isinstance(target, str):
        with open(target, "rb") as saved:
            _hash_file(saved, result)
    else:
        target.seek(0)
        _hash_file(target, result)
        target.seek(0)
    result.completed = True
    return result


def _hash_file(handle: IO[bytes], result: ExportResult) -> None:
    for block in iter(lambda: handle.read(1 << 20), b""):
        result.update(block)


def write_xlsx_sheets(
    target: str | IO[bytes], sheets: list[tuple[str, list[str], Iterable[list[Any]]]]
) -> None:
    """Several small sheets (statistics tables) in one write-only workbook."""
    workbook = Workbook(write_only=True)
    for title, header, rows in sheets:
        sheet = workbook.create_sheet(title[:31])
        sheet.append(header)
        for row in rows:
            sheet.append([_xlsx_cell(value) for value in row])
    workbook.save(target)
