"""The care columns of the anonymised dataset, withheld where a whole group shares them.

k-anonymity (reports/anonymise.py) makes every published combination of the quasi-identifiers
(year, age band, gender, nationality, region, country of exploitation) occur at least k times:
whoever knows those six facts of a person cannot tell which of k rows is theirs. It does not
stop them learning what all k rows have in common (the homogeneity attack). The care columns
(issue 14) hold what is most dangerous to give away about a victim: whether she reported to
the police (``police_report``; ``b8_permit``, which follows a report or a serious threat; a
referral to the police in ``referred_to``) and the kind of shelter she is in
(``shelter_placed``). So within each published group, a care value that every row of the
group holds is withheld: the cell is emptied (as unknown) in every row of the group, for a
code list (``referred_to``) that one code. Every other value occurs beside a different one in
the same group, so no row's care can be read off its quasi-identifiers with certainty
(docs/reports.md, "The care columns and k-anonymity").

The rows are read twice: once to count the care values of each published group, once to
write them. Both passes run the same anonymisation (the same generalisation is chosen from the
same counts), so the second sees the same groups.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field

from django.db.models import QuerySet

from reports.anonymise import Summary, anonymised_rows
from reports.columns import ANONYMISED_COLUMNS, CARE_COLUMNS, MULTI_VALUE_SEPARATOR
from reports.columns import QUASI_IDENTIFIERS as QI_COLUMNS
from reports.ctdc import CTDC_COLUMNS, ctdc_row

_QI = [ANONYMISED_COLUMNS.index(name) for name in QI_COLUMNS]
_CARE = {name: ANONYMISED_COLUMNS.index(name) for name in CARE_COLUMNS}
_MULTI = {"referred_to"}


def _group(row: list[str]) -> tuple[str, ...]:
    return tuple(row[i] for i in _QI)


def _values(name: str, cell: str) -> list[str]:
    if name in _MULTI:
        return [value for value in cell.split(MULTI_VALUE_SEPARATOR) if value]
    return [cell] if cell else []


@dataclass
class Withholding:
    """Per published group, the care values every row of it holds (to be withheld)."""

    shared: dict[tuple[str, ...], dict[str, set[str]]] = field(default_factory=dict)
    cells: int = 0  # care cells changed in the file

    @classmethod
    def of(cls, rows: Iterator[list[str]]) -> Withholding:
        sizes: Counter = Counter()
        counts: dict[tuple[tuple[str, ...], str], Counter] = defaultdict(Counter)
        for row in rows:
            group = _group(row)
            sizes[group] += 1
            for name, index in _CARE.items():
                counts[(group, name)].update(_values(name, row[index]))
        found = cls()
        for (group, name), counter in counts.items():
            shared = {value for value, n in counter.items() if n == sizes[group]}
            if shared:
                found.shared.setdefault(group, {})[name] = shared
                found.cells += sizes[group]  # every row of the group holds it: each changes
        return found

    def apply(self, row: list[str]) -> list[str]:
        shared = self.shared.get(_group(row))
        if not shared:
            return row
        for name, values in shared.items():
            index = _CARE[name]
            kept = [value for value in _values(name, row[index]) if value not in values]
            row[index] = MULTI_VALUE_SEPARATOR.join(kept)
        return row


def anonymised_header(layout: str = "registry") -> list[str]:
    """The columns of the anonymised dataset in ``layout`` (ours or CTDC's)."""
    return CTDC_COLUMNS if layout == "ctdc" else ANONYMISED_COLUMNS


def anonymised_dataset(
    qs: QuerySet, k: int, age_scheme: str = "monitor", layout: str = "registry"
) -> tuple[Summary, Withholding, Iterator[list[str]]]:
    """``anonymise.anonymised_rows`` with the shared care values withheld: its summary, the
    withholding (worked out from a first pass) and the rows of the second pass. The CTDC
    layout has no care column, so nothing is withheld and one pass does."""
    if layout == "ctdc":
        summary, rows = anonymised_rows(qs, k, age_scheme, layout)
        return summary, Withholding(), (ctdc_row(row) for row in rows)
    withholding = Withholding.of(anonymised_rows(qs, k, age_scheme)[1])
    summary, rows = anonymised_rows(qs, k, age_scheme)
    return summary, withholding, (withholding.apply(row) for row in rows)
