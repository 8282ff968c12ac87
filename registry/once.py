"""Decided once and saved once: what keeps a decision or a save from happening twice.

Decided once: a decision on a record (a triage decision on a reporter's submission, a handover
decision or request) first takes the row lock of the record it decides on
(:func:`lock_for_decision`, ``SELECT ... FOR UPDATE`` in the request's transaction). A second
decision at the same moment waits for the first to commit and then reads the record as the
first left it, so it is told that it was already decided instead of being confirmed too.
SQLite has no row locks; it lets one writer in at a time, which serialises the same way.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Model


def lock_for_decision(model: type[Model], pk: Any) -> bool:
    """Take the row lock of ``model``'s row ``pk`` for the rest of the transaction; False when
    there is no such row. Read the row again afterwards: what was read before may be stale."""
    return (
        model._default_manager.select_for_update()
        .filter(pk=pk)
        .values_list("pk", flat=True)
        .first()
        is not None
    )
