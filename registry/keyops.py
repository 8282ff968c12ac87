"""Operations over every encrypted value in the database: key rotation and the keyring check.

Both walk each model that has encrypted fields in batches by primary key (keyset pagination:
``pk > last seen``, so a batch costs the same at the end of a big table as at the start) and
read the raw tokens with one plain SELECT per batch, never instances: no descriptor, no
``save()``, no per-value converters (see :func:`_read_batch`). Messages name the model,
field, key id and row pk (a UUID, not personal), never a value.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import nullcontext
from dataclasses import dataclass, field
from typing import Any

from django.apps import apps
from django.db import connections, models, router, transaction

from registry.crypto import TOKEN_VERSION, DecryptionError, Keyring, get_keyring, token_key_id
from registry.fields import EncryptedMixin

DEFAULT_BATCH_SIZE = 1000


class KeyOperationError(Exception):
    """A value could not be opened. Names model, field, row and key id, never the value."""

    def __init__(self, label: str, field_name: str, pk: object, error: Exception) -> None:
        self.label, self.field_name, self.pk = label, field_name, pk
        self.key_id = getattr(error, "key_id", "?")
        super().__init__(f"{label}.{field_name} of row {pk}: {error}")


def encrypted_models() -> list[tuple[type[models.Model], list[EncryptedMixin]]]:
    """Every concrete model with encrypted columns of its own, with those fields.

    Proxy models share their concrete model's table and are skipped; a child of multi-table
    inheritance lists only the fields stored in its own table.
    """
    found = []
    for model in apps.get_models():
        if model._meta.proxy or not model._meta.managed:
            continue
        fields = [f for f in model._meta.local_concrete_fields if getattr(f, "encrypted", False)]
        if fields:
            found.append((model, fields))
    return sorted(found, key=lambda item: item[0]._meta.label_lower)


def _batches(
    model: type[models.Model], fields: list[EncryptedMixin], batch_size: int
) -> Iterator[list[tuple[Any, ...]]]:
    """Rows of (pk as stored, pk, token, token, ...) in pk order, ``batch_size`` at a time."""
    db = router.db_for_read(model)
    last = None
    while rows := _read_batch(model, fields, db, last, batch_size):
        yield rows
        last = rows[-1][0]


def _read_batch(
    model: type[models.Model], fields: list[EncryptedMixin], db: str, last: Any, size: int
) -> list[tuple[Any, ...]]:
    """One batch of rows after ``last`` (a pk as stored), as (pk as stored, pk, tokens...).

    A plain SELECT rather than ``values_list``: the ORM would run a converter on every value
    (wrapping each token as a Ciphertext, turning each pk into a UUID) at a cost comparable to
    the decryption itself, and the UPDATE wants the pk in its stored form anyway. The pk as
    Python sees it (``to_python``: a UUID) is what the associated data names.
    """
    connection = connections[db]
    quote = connection.ops.quote_name
    pk_field = model._meta.pk
    pk_column = quote(pk_field.column)
    columns = ", ".join(quote(f.column) for f in fields)
    where = f"WHERE {pk_column} > %s " if last is not None else ""
    sql = (
        f"SELECT {pk_column}, {columns} FROM {quote(model._meta.db_table)} "  # noqa: S608 (names from model metadata; values are parameters)
        f"{where}ORDER BY {pk_column} LIMIT %s"
    )
    params = [last, size] if last is not None else [size]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    to_python = pk_field.to_python
    return [(row[0], to_python(row[0]), *row[1:]) for row in rows]


def format_counts(counts: Counter[str]) -> str:
    """``k2026a=120 k2025=3``, or ``none`` when there are no values."""
    return " ".join(f"{key_id}={n}" for key_id, n in sorted(counts.items()) if n) or "none"


def _label(model: type[models.Model], field: EncryptedMixin) -> str:
    return f"{model._meta.label_lower}.{field.name}"


# The keyring check -----------------------------------------------------------------------------


@dataclass
class CheckReport:
    """Counts of readable values per ``model.field`` and key id, and what failed."""

    counts: dict[str, Counter[str]] = field(default_factory=dict)
    failures: list[KeyOperationError] = field(default_factory=list)
    failure_count: int = 0

    def totals(self) -> Counter[str]:
        total: Counter[str] = Counter()
        for counter in self.counts.values():
            total.update(counter)
        return total


def check_encryption(batch_size: int = DEFAULT_BATCH_SIZE, keep_failures: int = 20) -> CheckReport:
    """Open every encrypted value with the current keyring, as the application would.

    The plaintext is decoded to its type (a date must parse) and then dropped.
    """
    keyring = get_keyring()
    report = CheckReport()
    for model, fields in encrypted_models():
        labels = [_label(model, f) for f in fields]
        for label in labels:
            report.counts[label] = Counter()
        for rows in _batches(model, fields, batch_size):
            for row in rows:
                pk = row[1]
                for f, label, token in zip(fields, labels, row[2:], strict=True):
                    if token is None:
                        continue
                    try:
                        key_id = token_key_id(token)
                        raw = keyring.decrypt(token, f.aad_for_pk(pk))
                        try:
                            f.decode(raw)
                        except ValueError:
                            # Opened, but not a value of the field's type. The ValueError's
                            # own message may quote the value, so it is not passed on.
                            raise DecryptionError(
                                key_id, "the decrypted value is not of the field's type"
                            ) from None
                    except DecryptionError as exc:
                        failure = KeyOperationError(model._meta.label_lower, f.name, pk, exc)
                        report.failure_count += 1
                        if len(report.failures) < keep_failures:
                            report.failures.append(failure)
                    else:
                        report.counts[label][key_id] += 1
    return report


# Rotation --------------------------------------------------------------------------------------


@dataclass
class RotationReport:
    """What a rotation (or its dry run) found and did: value counts per field and key id."""

    active_key: str
    dry_run: bool = False
    before: dict[str, Counter[str]] = field(default_factory=dict)
    after: dict[str, Counter[str]] = field(default_factory=dict)
    rewritten: int = 0
    changed_during_run: int = 0
    batches: int = 0
    stopped_early: bool = False

    def total(self, which: str) -> Counter[str]:
        total: Counter[str] = Counter()
        for counter in getattr(self, which).values():
            total.update(counter)
        return +total

    @property
    def remaining(self) -> int:
        """Values still under another key (all that a dry run would re-encrypt)."""
        return sum(n for key_id, n in self.total("after").items() if key_id != self.active_key)


def count_rows() -> int:
    """Rows of every model with encrypted fields: what a rotation reads (its progress total)."""
    return sum(model._base_manager.count() for model, _fields in encrypted_models())


def rotate_keys(
    batch_size: int = DEFAULT_BATCH_SIZE,
    dry_run: bool = False,
    max_batches: int | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> RotationReport:
    """Re-encrypt under the active key every value sealed under another key.

    Each batch is read, re-sealed and written in one transaction, so an interrupted run
    leaves whole batches done; the next run reads everything again and rewrites only what is
    still not under the active key. After ``max_batches`` batches that had something to
    rewrite, the rest is only counted (to spread a large rotation over maintenance windows).
    A value that cannot be opened stops the run with :class:`KeyOperationError`; the batches
    before it stay committed and the failing batch is rolled back.

    ``progress(rows_read, rows_total)`` is called after each batch (counts, never a value).
    """
    keyring = get_keyring()
    report = RotationReport(active_key=keyring.active_id, dry_run=dry_run)
    total = count_rows() if progress is not None else 0
    read = 0
    for model, fields in encrypted_models():
        for f in fields:
            report.before[_label(model, f)] = Counter()
            report.after[_label(model, f)] = Counter()
        db = router.db_for_write(model)
        last: Any = None
        while True:
            writing = not dry_run and (max_batches is None or report.batches < max_batches)
            with transaction.atomic(using=db) if writing else nullcontext():
                rows = _read_batch(model, fields, db, last, batch_size)
                if not rows:
                    break
                last = rows[-1][0]
                updates = _reseal_batch(model, fields, rows, keyring, report, writing)
                if updates:
                    _write_batch(model, updates, db, report)
                    report.batches += 1
            if progress is not None:
                read += len(rows)
                # Rows saved since the count can take the total past it.
                total = max(total, read)
                progress(read, total)
    report.stopped_early = not dry_run and report.remaining > 0
    return report


# {(fields to rewrite, in model order): [(new tokens..., pk as stored, old tokens...), ...]}
Updates = dict[tuple[EncryptedMixin, ...], list[tuple[Any, ...]]]


def _reseal_batch(
    model: type[models.Model],
    fields: list[EncryptedMixin],
    rows: list[tuple[Any, ...]],
    keyring: Keyring,
    report: RotationReport,
    writing: bool,
) -> Updates:
    """Count the batch's values per key id and, when writing, re-seal the stale ones.

    Rows are grouped by which of their fields are stale, so that each group is written by
    one statement (in a rotation nearly every row has the same stale fields).
    """
    active = keyring.active_id
    active_prefix = f"{TOKEN_VERSION}:{active}:"
    columns = [(f, f.aad_prefix) for f in fields]
    # Plain dicts in the loop, merged into the report's Counters once per batch.
    current = dict.fromkeys(fields, 0)  # values already under the active key, per field
    found: dict[tuple[EncryptedMixin, str], int] = {}  # other values, per field and key id
    updates: Updates = {}
    for row in rows:
        stored_pk, pk = row[0], row[1]
        pk_text = None
        stale: list[EncryptedMixin] = []
        new_tokens: list[str] = []
        old_tokens: list[str] = []
        for (f, aad_prefix), token in zip(columns, row[2:], strict=True):
            if token is None:
                continue
            if token.startswith(active_prefix):
                current[f] += 1
                continue
            try:
                key_id = token_key_id(token)
                found[f, key_id] = found.get((f, key_id), 0) + 1
                if not writing:
                    continue
                if pk_text is None:
                    pk_text = str(pk).encode()  # the pk part of the associated data, once a row
                aad = aad_prefix + pk_text
                new_tokens.append(keyring.encrypt(keyring.decrypt(token, aad), aad))
            except DecryptionError as exc:
                raise KeyOperationError(model._meta.label_lower, f.name, pk, exc) from None
            stale.append(f)
            old_tokens.append(token)
        if stale:
            params = (*new_tokens, stored_pk, *old_tokens)
            updates.setdefault(tuple(stale), []).append(params)
    for f, n in current.items():
        if n:
            report.before[_label(model, f)][active] += n
            report.after[_label(model, f)][active] += n
    for (f, key_id), n in found.items():
        report.before[_label(model, f)][key_id] += n
        if not writing:
            report.after[_label(model, f)][key_id] += n
    return updates


def _write_batch(
    model: type[models.Model], updates: Updates, db: str, report: RotationReport
) -> None:
    """The one place tokens are written around the field layer.

    ``QuerySet.update()`` and ``bulk_update()`` of encrypted fields are refused by design:
    they would let a plaintext skip ``pre_save``. Here every value is a token sealed a moment
    ago for exactly this row and column, so it goes straight to the table: one UPDATE per row
    of all its stale columns, sent with ``executemany`` per group of rows. ``AND <column> =
    <old token>`` for each of them skips a row that the application saved since the read
    (that save sealed its values afresh; overwriting them would lose the change). Its
    untouched values, if any are still stale, are picked up by the next run.
    """
    connection = connections[db]
    quote = connection.ops.quote_name
    table, pk_column = quote(model._meta.db_table), quote(model._meta.pk.column)
    with connection.cursor() as cursor:
        for stale, params in updates.items():
            columns = [quote(f.column) for f in stale]
            assignments = ", ".join(f"{column} = %s" for column in columns)
            guards = " AND ".join(f"{column} = %s" for column in columns)
            sql = f"UPDATE {table} SET {assignments} WHERE {pk_column} = %s AND {guards}"  # noqa: S608 (names from model metadata; values are parameters)
            cursor.executemany(sql, params)
            # sqlite3 and psycopg both sum the rows of an executemany.
            rows_written = cursor.rowcount
            for f in stale:
                if rows_written:
                    report.after[_label(model, f)][report.active_key] += rows_written
            report.rewritten += rows_written * len(stale)
            report.changed_during_run += (len(params) - rows_written) * len(stale)


# The name search's rows -------------------------------------------------------------------------


def refresh_search_tokens(
    batch_size: int = DEFAULT_BATCH_SIZE,
    token_model: type[models.Model] | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> int:
    """Work out again, from the stored names, the name search's rows of every person
    (registry.models.search_tokens) and replace them; returns the persons read.

    Batched by primary key like the rotation, one transaction per batch; the names are opened
    as the application opens them and dropped. For the migration that made the table (which
    passes its own ``token_model``), after a change of ``REGISTRY_BLIND_INDEX_KEY``, or as a
    repair; safe to run twice.
    """
    from registry.models import Person, PersonSearchToken
    from registry.models.search_tokens import search_tokens

    token_model = token_model or PersonSearchToken
    fields = [Person._meta.get_field("family_name"), Person._meta.get_field("given_names")]
    total = Person._base_manager.count() if progress is not None else 0
    db = router.db_for_write(Person)
    read = 0
    for rows in _batches(Person, fields, batch_size):  # type: ignore[arg-type]
        found = []
        for _stored_pk, pk, *tokens in rows:
            try:
                family, given = (
                    f.open_for_pk(token, pk) if token is not None else ""  # type: ignore[attr-defined]
                    for f, token in zip(fields, tokens, strict=True)
                )
            except DecryptionError as exc:
                raise KeyOperationError("registry.person", "family_name", pk, exc) from None
            found += [
                token_model(person_id=pk, kind=kind, digest=digest)
                for kind, digest in search_tokens(family, given)
            ]
        with transaction.atomic(using=db):
            token_model._base_manager.using(db).filter(
                person_id__in=[row[1] for row in rows]
            ).delete()
            token_model._base_manager.using(db).bulk_create(found)
        read += len(rows)
        if progress is not None:
            progress(read, max(total, read))
    return read
