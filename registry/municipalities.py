"""The list of Dutch municipalities (CBS codes), shipped as data, and its rules.

The list lives in ``registry/data/municipalities.csv`` (code, name, active, and the
care-coordination region each municipality belongs to), read by
``manage.py load_reference_data`` and by the migration that turned the free-text municipality
of exploitation into a code. Lines starting with ``#`` are comments; ``# status: complete``
(or ``incomplete``) says whether the file holds every municipality.

Nothing here imports models: the migration calls these functions with its historical models
and a plain database cursor.
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.utils.translation import gettext_lazy as _

DATA_FILE = Path(__file__).resolve().parent / "data" / "municipalities.csv"
CODE_RE = re.compile(r"^GM\d{4}$")
NETHERLANDS = "NL"

# The rule of registrations, stated once (Registration.clean and the intake forms use it).
NOT_IN_THE_NETHERLANDS = _(
    "A municipality of exploitation only applies to exploitation in the Netherlands. Choose "
    "the Netherlands as the country (or leave the country empty when it is unknown), or leave "
    "the municipality empty."
)
UNKNOWN_MUNICIPALITY = _("Choose a municipality from the list; this code is not in it.")


@dataclass(frozen=True)
class Entry:
    code: str
    name: str
    active: bool
    # The code of the care-coordination region (registry.reference_data.REGIONS); "" when
    # the list does not say.
    region: str = ""


@dataclass(frozen=True)
class MunicipalityList:
    entries: tuple[Entry, ...]
    complete: bool


class MunicipalityListError(ValueError):
    """The data file is malformed; the message names the line."""


def read_list(path: Path = DATA_FILE) -> MunicipalityList:
    """Parse the data file. Raises MunicipalityListError on a bad line or a duplicate code."""
    text = path.read_text(encoding="utf-8")
    complete = False
    body: list[str] = []
    for line in text.splitlines():
        if line.startswith("#"):
            key, sep, value = line[1:].partition(":")
            if sep and key.strip().lower() == "status":
                complete = value.strip().lower() == "complete"
            continue
        body.append(line)
    entries: list[Entry] = []
    seen: set[str] = set()
    for number, row in enumerate(csv.DictReader(io.StringIO("\n".join(body))), start=2):
        code = (row.get("code") or "").strip()
        name = (row.get("name") or "").strip()
        active = (row.get("active") or "").strip().lower()
        if not CODE_RE.match(code) or not name or active not in ("yes", "no"):
            raise MunicipalityListError(
                f"{path.name}: data row {number - 1} needs a code GM0000, a name and yes/no"
            )
        if code in seen:
            raise MunicipalityListError(f"{path.name}: code {code} appears twice")
        seen.add(code)
        region = (row.get("region") or "").strip()
        entries.append(Entry(code, name, active == "yes", region))
    return MunicipalityList(tuple(entries), complete)


# Column names in Statistics Netherlands' published lists ("Gemeenten alfabetisch <year>",
# CSV) and in this project's own data file.
_CODE_COLUMNS = ("gemeentecodegm", "code")
_NUMBER_COLUMNS = ("gemeentecode",)
_NAME_COLUMNS = ("gemeentenaam", "name")


def read_cbs_file(path: Path) -> tuple[Entry, ...]:
    """The municipalities of a list as CBS publishes it (or as this project's data file).

    CBS's CSV has a semicolon (or comma) between columns and, among others, ``GemeentecodeGM``
    (``GM0363``) or ``Gemeentecode`` (``0363``) and ``Gemeentenaam``. Every municipality in it
    is current, so active. Raises MunicipalityListError naming the line of a bad row.
    """
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as error:
        raise MunicipalityListError(
            f"{path.name}: cannot be read as UTF-8 text ({error})"
        ) from None
    lines = [line for line in text.splitlines() if line.strip() and not line.startswith("#")]
    if not lines:
        raise MunicipalityListError(f"{path.name}: holds no municipalities")
    delimiter = ";" if lines[0].count(";") > lines[0].count(",") else ","
    reader = csv.DictReader(io.StringIO("\n".join(lines)), delimiter=delimiter)
    columns = {name.strip().lower(): name for name in reader.fieldnames or []}
    code_column = next((columns[c] for c in _CODE_COLUMNS if c in columns), None)
    number_column = next((columns[c] for c in _NUMBER_COLUMNS if c in columns), None)
    name_column = next((columns[c] for c in _NAME_COLUMNS if c in columns), None)
    if name_column is None or (code_column is None and number_column is None):
        raise MunicipalityListError(
            f"{path.name}: needs the columns GemeentecodeGM (or Gemeentecode) and Gemeentenaam"
        )
    entries: list[Entry] = []
    seen: set[str] = set()
    for line, row in enumerate(reader, start=2):
        if code_column is not None:
            code = (row.get(code_column) or "").strip().upper()
        else:
            number = (row.get(number_column) or "").strip()
            code = f"GM{number.zfill(4)}" if number.isdigit() else number
        name = (row.get(name_column) or "").strip()
        if not CODE_RE.match(code) or not name:
            raise MunicipalityListError(
                f"{path.name}: line {line} needs a code like GM0363 and a name"
            )
        if code in seen:
            raise MunicipalityListError(f"{path.name}: code {code} appears twice (line {line})")
        seen.add(code)
        entries.append(Entry(code, name, True))
    return tuple(entries)


def load_current(
    model: Any, entries: tuple[Entry, ...], *, deactivate_others: bool
) -> dict[str, int]:
    """Take ``entries`` (a current CBS list) as the municipalities now: create what is
    missing, reactivate listed ones, and with ``deactivate_others`` mark every municipality
    not listed as merged (kept for old registrations). Names are CBS's."""
    existing = dict(model.objects.values_list("code", "name"))
    new = [
        model(code=e.code, name=e.name, is_active=True) for e in entries if e.code not in existing
    ]
    model.objects.bulk_create(new)
    renamed = 0
    for entry in entries:
        if entry.code in existing and existing[entry.code] != entry.name:
            model.objects.filter(code=entry.code).update(name=entry.name)
            renamed += 1
    codes = [e.code for e in entries]
    reactivated = model.objects.filter(code__in=codes, is_active=False).update(is_active=True)
    deactivated = (
        model.objects.exclude(code__in=codes).filter(is_active=True).update(is_active=False)
        if deactivate_others
        else 0
    )
    return {
        "listed": len(entries),
        "created": len(new),
        "renamed": renamed,
        "reactivated": reactivated,
        "deactivated": deactivated,
    }


def load(model: Any, path: Path = DATA_FILE) -> dict[str, int]:
    """Create the municipalities of the file that ``model`` lacks; deactivate those the file
    marks inactive (merged or abolished). Names an administrator corrected stay as they are.

    ``model`` is the Municipality model (or a migration's historical one). Returns counts.
    """
    listed = read_list(path)
    existing = dict(model.objects.values_list("code", "is_active"))
    new = [
        model(code=e.code, name=e.name, is_active=e.active)
        for e in listed.entries
        if e.code not in existing
    ]
    model.objects.bulk_create(new)
    ended = [e.code for e in listed.entries if not e.active and existing.get(e.code)]
    if ended:
        model.objects.filter(code__in=ended).update(is_active=False)
    return {"created": len(new), "deactivated": len(ended), "listed": len(listed.entries)}


def load_regions(model: Any, region_model: Any, path: Path = DATA_FILE) -> int:
    """Give every municipality without a region the region the data file names, where that
    region exists (regions are reference data too: ``load_reference_data`` creates them).
    A region an administrator set is kept. Returns how many municipalities were given one.

    ``model`` and ``region_model`` are the Municipality and Region models (or a migration's
    historical ones).
    """
    regions = dict(region_model.objects.values_list("code", "pk"))
    by_region: dict[int, list[str]] = {}
    for entry in read_list(path).entries:
        if entry.region in regions:
            by_region.setdefault(regions[entry.region], []).append(entry.code)
    given = 0
    for region_pk, codes in by_region.items():
        given += model.objects.filter(code__in=codes, region__isnull=True).update(
            region_id=region_pk
        )
    return given


def match_key(name: str) -> str:
    """A name as compared when free text is mapped to a code: case and accents ignored,
    spaces collapsed (``'  ROTTERDAM'``, ``'rotterdam'`` and ``'Rottérdam'`` agree)."""
    text = unicodedata.normalize("NFKD", name.casefold())
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    return " ".join(text.split())


# Names people use for a municipality that CBS writes otherwise (CBS writes the official name).
OTHER_NAMES = {
    "Den Haag": "GM0518",
    "The Hague": "GM0518",
    "Den Bosch": "GM0796",
}


def suggestions(queryset: Any) -> list[str]:
    """The names a reporter is offered while typing: each municipality of ``queryset`` as CBS
    writes it, and the other names of :data:`OTHER_NAMES` whose municipality is among them."""
    names = dict(queryset.values_list("code", "name"))
    others = [other for other, code in OTHER_NAMES.items() if code in names]
    return sorted([*names.values(), *others], key=match_key)


def find(queryset: Any, text: str) -> Any:
    """The municipality of ``queryset`` that ``text`` names: its CBS name or code, or one of
    :data:`OTHER_NAMES` (case, accents and spacing ignored); None when none does."""
    key = match_key(text)
    code = OTHER_NAMES.get(next((o for o in OTHER_NAMES if match_key(o) == key), ""), "")
    if not code and CODE_RE.match(text.strip().upper()):
        code = text.strip().upper()
    if code:
        return queryset.filter(code=code).first()
    for municipality in queryset:
        if match_key(municipality.name) == key:
            return municipality
    return None


def codes_by_name(entries: tuple[Entry, ...] | list[Entry]) -> dict[str, str]:
    return {match_key(e.name): e.code for e in entries}


def map_free_text(
    cursor: Any,
    quote: Any,
    table: str,
    id_column: str,
    text_column: str,
    country_column: str,
    codes: dict[str, str],
) -> dict[str, int]:
    """Replace the free-text municipality of every row of ``table`` by its code, or clear it.

    A name matches a municipality of ``codes`` (see :func:`match_key`) only where the country
    is the Netherlands or unknown; anything else is cleared (set to NULL), since free text in
    this column may be personal data. Plain SQL, so the migration can call it between two
    states of the column. Returns counts only: {"mapped": n, "cleared": n}.
    """
    t, pk, col, country = quote(table), quote(id_column), quote(text_column), quote(country_column)
    # Names from model metadata, values as parameters.
    cursor.execute(f"SELECT {pk}, {col}, {country} FROM {t} WHERE {col} IS NOT NULL")  # noqa: S608
    rows = cursor.fetchall()
    known = set(codes.values())
    mapped = cleared = 0
    for row_id, text, country_code in rows:
        code = None
        if (country_code or "") in ("", NETHERLANDS):
            code = text if text in known else codes.get(match_key(text or ""))
        if code == text:
            continue  # already a code (a second run)
        if code is None and text == "":
            cursor.execute(f"UPDATE {t} SET {col} = NULL WHERE {pk} = %s", [row_id])  # noqa: S608
            continue
        cursor.execute(f"UPDATE {t} SET {col} = %s WHERE {pk} = %s", [code, row_id])  # noqa: S608
        if code is None:
            cleared += 1
        else:
            mapped += 1
    return {"mapped": mapped, "cleared": cleared}


def country_error(country: str, municipality: Any) -> Any:
    """The message when a municipality is given for exploitation outside the Netherlands."""
    if municipality and str(country or "") not in ("", NETHERLANDS):
        return NOT_IN_THE_NETHERLANDS
    return None
