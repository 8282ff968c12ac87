"""Keeping, reading and deleting a user's draft of a form (registry/models/drafts.py).

The ways in (intake's staff form and reporter form) say which fields a draft of theirs may
hold; this module keeps the values of those fields and nothing else, encrypted, and only for
their owner. Nothing here logs, audits or puts a value anywhere but the encrypted payload.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping

from django.db import connection, transaction
from django.db.models import Q
from django.db.models.sql import DeleteQuery
from django.utils import timezone

from registry.carried import Statement
from registry.models import FormDraft, User
from registry.models.drafts import DRAFT_HOURS

# Bounds on what one draft may hold: a long intake is a few kilobytes.
MAX_VALUE_LENGTH = 5000
MAX_VALUES_PER_FIELD = 100
MAX_PAYLOAD_BYTES = 64 * 1024

Values = dict[str, list[str]]


class DraftRefused(ValueError):
    """The posted draft is not one the form could have produced (too large, too many values)."""


def typed_values(posted: Mapping[str, list[str]], fields: Iterable[str]) -> Values:
    """The values of ``fields`` in ``posted`` (a QueryDict's lists); other names are dropped.

    Empty fields are left out, so a draft of an untouched form is empty.
    """
    values: Values = {}
    for name in fields:
        got = [v for v in posted.get(name, []) if v != ""]
        if not got:
            continue
        if len(got) > MAX_VALUES_PER_FIELD or any(len(v) > MAX_VALUE_LENGTH for v in got):
            raise DraftRefused(name)
        values[name] = got
    return values


def save(user: User, form: str, values: Values) -> FormDraft | None:
    """Keep ``values`` as ``user``'s draft of ``form``; an empty draft deletes the old one."""
    if not values:
        discard(user, form)
        return None
    payload = json.dumps(values, ensure_ascii=False, sort_keys=True)
    if len(payload.encode()) > MAX_PAYLOAD_BYTES:
        raise DraftRefused("payload")
    with transaction.atomic():
        draft, created = FormDraft.objects.select_for_update().get_or_create(
            owner=user, form=form, defaults={"payload": payload}
        )
        if not created:
            draft.payload = payload
            draft.saved_at = timezone.now()
            draft.save(update_fields=["payload", "saved_at"])
    return draft


def load(user: User, form: str) -> tuple[Values, FormDraft] | None:
    """``user``'s draft of ``form`` and its values, or None (none, or older than a day)."""
    draft = FormDraft.objects.of(user, form).current().first()
    if draft is None:
        return None
    values = json.loads(draft.payload)
    return values, draft


def discard(user: User, form: str) -> None:
    """Delete ``user``'s draft of ``form`` (after the form was saved, or on request)."""
    FormDraft.objects.of(user, form).delete()


def discard_statement(user: User, form: str) -> Statement:
    """:func:`discard` as one statement, for a save that runs it with another (the one-time
    token's claim, registry/once.py): the ORM's own DELETE of the draft."""
    query = DeleteQuery(FormDraft)
    query.add_q(Q(owner=user, form=form))
    return query.get_compiler(connection=connection).as_sql()


def prune(hours: int = DRAFT_HOURS) -> int:
    """Delete every draft older than ``hours``; how many went."""
    deleted, _by_model = FormDraft.objects.older_than(hours).delete()
    return deleted
