"""An ORM query compiled once per shape and run again with other values.

Building and compiling a queryset with the access rules' subqueries (``Person.objects.for_user``)
costs the duplicate check about 2 ms of Python on every review and every save, while the
database answers the compiled statement in well under 0.1 ms (docs/PERFORMANCE.md, "Issue 11:
the intake POST after issue 12"). :class:`CompiledQueries` keeps the SQL of a query built by
the ORM, with a marker in place of each changing value, and fills in the values on later runs.
The ORM stays the one source of the statement: nothing here writes SQL.

How: the caller names its changing values (``values``, each a ``str`` or ``int`` that the
database receives as it is: blind-index digests, years). The first time a ``key`` is seen the
query is built twice with markers in place of the values (strings no one types, or numbers),
compiled, and each parameter that was a value's marker both times remembered as a slot;
every other parameter (constants of the access rules, the user's region ids) is kept as
compiled. The key must therefore hold everything else the query is built from: the shape of
the values (which are present, how many) and, for the access rules,
``access.scope_key(user)``. A marker that does not come back as a parameter of its own (the
ORM folded or transformed it) makes the template refused and the query compiled every time,
so a template can never run with a value missing.

Tested against the plain ORM answer in tests/intake/test_duplicates.py
(``test_the_compiled_duplicate_check_finds_what_the_orm_finds``).
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable, Mapping
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import EmptyResultSet
from django.db.models import QuerySet


@dataclass(frozen=True)
class _Template:
    sql: str
    # Per parameter: the name of a value, or None to keep ``constant``.
    slots: tuple[str | None, ...]
    constants: tuple[Any, ...]


# A key whose query has no rows whatever the values (the access rules gave ``.none()``).
_NO_ROWS = object()


def _as_sql(queryset: QuerySet) -> tuple[str, tuple[Any, ...]]:
    return queryset.query.get_compiler(queryset.db).as_sql()


def _marker(name: str, value: object, serial: int) -> str | int:
    if isinstance(value, bool) or not isinstance(value, str | int):
        raise TypeError(f"value {name!r} must be a str or an int")
    if isinstance(value, str):
        return f"\x00marker:{serial}:{name}\x00"
    # Within any integer column's range: Django drops a comparison with a value beyond it.
    return 30_000 + serial


class CompiledQueries:
    """A bounded cache of compiled queries (least recently used out first), per process."""

    def __init__(self, size: int = 512) -> None:
        self._size = size
        self._templates: OrderedDict[Hashable, _Template | object | None] = OrderedDict()
        self._lock = threading.Lock()

    def sql(
        self,
        key: Hashable,
        build: Callable[[Mapping[str, Any]], QuerySet],
        values: Mapping[str, str | int],
    ) -> tuple[str, list[Any]] | None:
        """The SQL and parameters of ``build(values)``, compiled once per ``key``; None when
        the query can have no rows (Django compiles ``.none()`` to no statement)."""
        with self._lock:
            template = self._templates.get(key, False)
            if template is not False:
                self._templates.move_to_end(key)
        if template is False:
            template = self._compile(build, values)
            with self._lock:
                self._templates[key] = template
                while len(self._templates) > self._size:
                    self._templates.popitem(last=False)
        if template is _NO_ROWS:
            return None
        if template is None:
            try:
                sql, params = _as_sql(build(values))
            except EmptyResultSet:
                return None
            return sql, list(params)
        params = [
            values[name] if name is not None else constant
            for name, constant in zip(template.slots, template.constants, strict=True)
        ]
        return template.sql, params

    @staticmethod
    def _compile(
        build: Callable[[Mapping[str, Any]], QuerySet], values: Mapping[str, str | int]
    ) -> _Template | object | None:
        # Compiled twice, with other markers: a parameter is a value's slot only where it is
        # that value's marker both times, so a constant that happens to equal a marker (an id,
        # a number) is never taken for one. The database driver may wrap a parameter (psycopg's
        # Int2 for a small integer column), so parameters are compared by value.
        # A parameter that differs between the two runs without being a marker both times was
        # worked out from a value (a year plus one, a name in lower case): it cannot be filled
        # in later, so the template is refused. The second run's markers have another stride,
        # so a value plus a small number cannot meet another value's marker in both runs.
        runs = []
        for first, stride in ((0, 1), (1_000, 7)):
            markers = {
                name: _marker(name, value, first + stride * n)
                for n, (name, value) in enumerate(values.items())
            }
            try:
                runs.append((markers, *_as_sql(build(markers))))
            except EmptyResultSet:
                return _NO_ROWS
        (markers_a, sql, params_a), (markers_b, sql_b, params_b) = runs
        if sql != sql_b or len(params_a) != len(params_b):
            return None  # a value shaped the SQL itself: compile each time

        def slot(a: object, b: object) -> str | None:
            for name in values:
                if a == markers_a[name] and b == markers_b[name]:
                    return name
            return None

        slots = tuple(slot(a, b) for a, b in zip(params_a, params_b, strict=True))
        if {name for name in slots if name is not None} != set(values):
            return None  # a marker was folded into the SQL or transformed: compile each time
        derived = any(
            name is None and a != b for name, a, b in zip(slots, params_a, params_b, strict=True)
        )
        if derived:
            return None  # a parameter worked out from a value: compile each time
        constants = tuple(None if s else p for s, p in zip(slots, params_a, strict=True))
        return _Template(sql, slots, constants)

    def clear(self) -> None:
        with self._lock:
            self._templates.clear()
