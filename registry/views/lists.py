"""What the workspace's lists share (issue 13): the rows people recognise, the page, the audit.

A row shows the person's name (given and family), age, gender, nationality, forms of
exploitation, the case's flags and its owner, to a user who may see the person
(``access.shows_person``); to anyone else only the columns that identify nobody. Only the rows
of the page are read and decrypted (50), in a bounded number of queries whatever the size of
the registry (bench/workspace.py), and opening a page writes one audit event for the page.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

from django.core.paginator import Page, Paginator
from django.db.models import Aggregate, CharField, OuterRef, QuerySet, Subquery

from registry import access
from registry.choices import AuditAction
from registry.models import AuditEvent, Case, FormOfExploitation, Registration, User
from registry.models.cases import Flag

PAGE_SIZE = 50

# What a row shows of its case besides the person: read in the same query as the page.
ROW_RELATED = ("person", "region", "coordinator", "registration")


class CodesJoined(Aggregate):
    """The codes of a group joined by commas (SQLite GROUP_CONCAT, PostgreSQL STRING_AGG)."""

    function = "GROUP_CONCAT"
    output_field = CharField()

    def as_postgresql(self, compiler: Any, connection: Any, **extra: Any) -> Any:
        return self.as_sql(
            compiler,
            connection,
            function="STRING_AGG",
            template="%(function)s(%(expressions)s, ',')",
            **extra,
        )


def _exploitation_codes() -> Subquery:
    """The codes of the opening registration's forms of exploitation, in the page's own
    query (a prefetch would be one more query per page)."""
    through = Registration.exploitation_forms.through
    return Subquery(
        through.objects.filter(registration_id=OuterRef("registration_id"))
        .values("registration_id")
        .annotate(codes=CodesJoined("formofexploitation_id"))
        .values("codes")[:1]
    )


@dataclass
class Row:
    """One case on a list: the case, and the person's columns when the user may see them."""

    case: Case
    shows_person: bool
    name: str = ""
    age: int | None = None
    forms: list[str] = field(default_factory=list)

    @property
    def flags(self) -> list[Flag]:
        return self.case.shown_flags


def read_page(cases: QuerySet, number: Any, per_page: int = PAGE_SIZE) -> Page:
    """Page ``number`` of ``cases`` (ordered), its rows read with everything a row shows.

    The page is chosen among the bare cases (the order's columns only, an index of cases),
    then only its rows are read with their person, registration, coordinator and forms: a
    join made for every case of a region before sorting grew with the registry.
    """
    page = Paginator(cases, per_page).get_page(number)
    chosen = page.object_list.values("pk")
    page.object_list = list(
        cases.filter(pk__in=chosen)
        .select_related(*ROW_RELATED)
        .annotate(exploitation_codes=_exploitation_codes())
    )
    return page


def rows_for(
    cases: Iterable[Case], shown: set[Any] | None, today: datetime.date, user: User
) -> list[Row]:
    """The rows of ``cases``; the person's columns for the people in ``shown`` (ids, from
    ``access.people_shown``; None: every row, as on the lists of cases the user may see, whose
    people they may see through those cases); the name only where ``user`` still sees the
    person's personal fields (``access.may_see_personal``: not after consent was withdrawn)."""
    rows = []
    for case in cases:
        shows = shown is None or case.person_id in shown
        row = Row(case=case, shows_person=shows)
        if shows:
            person = case.person
            if access.may_see_personal(user, person):
                row.name = " ".join(n for n in (person.given_names, person.family_name) if n)
            row.age = person.age_on(today)
            row.forms = _forms_of(case)
        rows.append(row)
    return rows


def _forms_of(case: Case) -> list[str]:
    """The labels of the forms of exploitation of the case's opening registration."""
    codes = getattr(case, "exploitation_codes", None)
    if codes is not None:
        return [str(FormOfExploitation.Code(code).label) for code in sorted(codes.split(","))]
    if hasattr(case, "exploitation_codes") or case.registration is None:
        return []
    return [str(form) for form in case.registration.exploitation_forms.all()]


def record_list_view(user: User, screen: str, rows: list[Row]) -> None:
    """One audit event for a page that showed people (``view_personal``): the screen, how
    many rows and people it showed and the cases' ids, never a value. A page that showed
    nobody's data records nothing."""
    shown = [str(row.case.pk) for row in rows if row.shows_person]
    if not shown:
        return
    AuditEvent.record(
        AuditAction.VIEW_PERSONAL,
        user=user,
        details={
            "screen": screen,
            "rows": len(rows),
            "people": len({row.case.person_id for row in rows if row.shows_person}),
            "cases": shown,
        },
    )


# The columns whose header sorts the list: the sort of the first click, and of the second
# (None: one direction only). Sort keys are forms.SORTS'. The name is not among them: it is
# encrypted, and the database cannot sort what it cannot read.
SORTABLE_COLUMNS = {
    "flags": ("urgent", None),
    "age": ("age", "-age"),
    "gender": ("gender", None),
    "nationality": ("nationality", None),
    "owner": ("owner", None),
    "region": ("region", None),
    "status": ("status", None),
    "opened": ("-opened", "opened"),
    "reflection": ("reflection", "-reflection"),
}


def sort_links(params: list[tuple[str, str]], current: str) -> dict[str, dict[str, Any]]:
    """For each sortable column: the query string that sorts by it (the other filters and
    the search kept) and whether (and which way) the list is sorted by it now."""
    kept = [(name, value) for name, value in params if name not in {"sort", "page"}]
    links = {}
    for column, (first, second) in SORTABLE_COLUMNS.items():
        active = current in {first, second}
        target = second if current == first and second else first
        links[column] = {
            "query": urlencode([*kept, ("sort", target)]),
            "active": active,
            "descending": active and current.startswith("-"),
        }
    return links
