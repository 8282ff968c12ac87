"""Operations over every encrypted value in the database: key rotation and the keyring check.

Both walk each model that has encrypted fields in batches by primary key (keyset pagination:
``pk > last seen``, so a batch costs the same at the end of a big table as at the start) and
read the raw tokens with one plain SELECT per batch, never instances: no descriptor, no
``save()``, no per-value converters (see :func:`_read_batch`). Messages name the model,
field, key id and row pk (a UUID, not personal), never a value.
"""

from __future__ import annotations

import os
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import nullcontext
from dataclasses import dataclass, field
from typing import Any

from django.apps import apps
from django.db import IntegrityError, connections, models, router, transaction
from django.utils.translation import gettext_noop

from registry import jobs
from registry.choices import AuditAction
from registry.crypto import (
    DATA_TOKEN_OWNER_END,
    DATA_TOKEN_PREFIX,
    ERASED,
    NONCE_BYTES,
    TOKEN_VERSION,
    DecryptionError,
    Keyring,
    associated_data,
    get_keyring,
    token_key_id,
)
from registry.fields import EncryptedMixin
from registry.models import AuditEvent, Job, keys

DEFAULT_BATCH_SIZE = 1000
# How the counts name values under a person's data key, and those whose key was shredded.
DATA_KEY_ID = "data-key"
ERASED_KEY_ID = "erased"


class KeyOperationError(Exception):
    """A value could not be opened. Names model, field, row and key id, never the value."""

    def __init__(self, label: str, field_name: str, pk: object, error: Exception) -> None:
        self.label, self.field_name, self.pk = label, field_name, pk
        self.key_id = getattr(error, "key_id", "?")
        super().__init__(f"{label}.{field_name} of row {pk}: {error}")


def encrypted_models(
    keyring_only: bool = False,
) -> list[tuple[type[models.Model], list[EncryptedMixin]]]:
    """Every concrete model with encrypted columns of its own, with those fields;
    ``keyring_only``: only the fields sealed under the keyring (not a person's data key).

    Proxy models share their concrete model's table and are skipped; a child of multi-table
    inheritance lists only the fields stored in its own table.
    """
    found = []
    for model in apps.get_models():
        if model._meta.proxy or not model._meta.managed:
            continue
        fields = [
            f
            for f in model._meta.local_concrete_fields
            if getattr(f, "encrypted", False)
            and not (keyring_only and getattr(f, "person_key", None))
        ]
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
                # The persons whose data keys this batch needs: loaded in one query.
                for token in row[2:]:
                    if token is not None and token.startswith(DATA_TOKEN_PREFIX):
                        keys.expect(token[len(DATA_TOKEN_PREFIX) : DATA_TOKEN_OWNER_END])
            for row in rows:
                pk = row[1]
                for f, label, token in zip(fields, labels, row[2:], strict=True):
                    if token is None:
                        continue
                    try:
                        if token.startswith(DATA_TOKEN_PREFIX):
                            # Under a person's data key: counted as such, or as erased.
                            opened = f.open_for_pk(token, pk)
                            key_id = ERASED_KEY_ID if opened is ERASED else DATA_KEY_ID
                            if opened is None:  # a date field's erased value
                                key_id = ERASED_KEY_ID
                            report.counts[label][key_id] += 1
                            continue
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
    """Rows of every model with fields under the keyring: what a rotation reads (its progress
    total). The persons' values are under their data keys, which a rotation does not read."""
    return sum(model._base_manager.count() for model, _fields in encrypted_models(True))


def rotate_keys(
    batch_size: int = DEFAULT_BATCH_SIZE,
    dry_run: bool = False,
    max_batches: int | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> RotationReport:
    """Re-encrypt under the active key every value sealed under another key.

    A person's values are under their own data key, wrapped by a wrapping key that the keyring
    seals (registry.models.keys): the rotation re-seals the wrapping keys (a few rows) and
    the few values sealed under the keyring directly (job files, export reasons, the canary),
    never the persons' values, whatever their number. When it is complete and the newest
    wrapping key was made under an older key, it starts a new one, for the data keys of
    persons added from then on (a key that leaked before the rotation opens none of theirs).

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
    # Read before the wrapping keys are re-sealed: was the newest one made under another key?
    newest = _newest_wrapping_key_id()
    total = count_rows() if progress is not None else 0
    read = 0
    for model, fields in encrypted_models(keyring_only=True):
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
    if not dry_run and not report.stopped_early and newest not in (None, keyring.active_id):
        keys.new_wrapping_key()
    return report


def _newest_wrapping_key_id() -> str | None:
    """The keyring key id the newest wrapping key is sealed under (None: there is none)."""
    newest = (
        keys.WrappingKey._base_manager.order_by("-created_at", "pk")
        .values_list("key", flat=True)
        .first()
    )
    return token_key_id(newest) if newest else None


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


# Rotation as a background job ------------------------------------------------------------------
#
# ``manage.py rotate_keys`` queues a job of kind ``rotate_keys`` (no owner: an operator started it
# on the server) and follows it on the terminal; a worker runs it and every administrator can
# follow it on its page. There is no button for it: the new key must be in the environment of
# every process first (docs/deployment.md, "Rotating the encryption key").

ROTATION_RUNNING = "A key rotation is already queued or running."
VALUE_DOES_NOT_OPEN = gettext_noop(
    "Rotation stopped at a value that does not open (%(error)s). The batches before it are "
    "committed; fix the keyring (or the row) and run manage.py rotate_keys again."
)


WORKER_ON_ANOTHER_KEY = gettext_noop(
    "The worker's keyring has another active key than the command's (%(error)s); nothing was "
    "changed. Restart every worker and app server with the new keyring, then run "
    "manage.py rotate_keys again."
)


class RotationRunning(Exception):
    """Another rotation is queued or running: its job is ``job``."""

    def __init__(self, job: Job | None) -> None:
        self.job = job
        super().__init__(ROTATION_RUNNING)


def start_rotation(
    batch_size: int = DEFAULT_BATCH_SIZE, dry_run: bool = False, max_batches: int | None = None
) -> Job:
    """Queue a rotation; :class:`RotationRunning` when one is queued or running already (the
    database's ``job_one_key_rotation_at_a_time`` decides between two at the same moment)."""
    params = {
        "batch_size": batch_size,
        "dry_run": dry_run,
        "max_batches": max_batches,
        # The key's id (a name, never the key): the worker must rotate to the same one.
        "active_key": get_keyring().active_id,
    }
    try:
        with transaction.atomic():
            return jobs.start(Job.Kind.ROTATE_KEYS, None, params=params)
    except IntegrityError:
        running = Job.objects.filter(kind=Job.Kind.ROTATE_KEYS).unfinished().first()
        raise RotationRunning(running) from None


def rotation_summary(report: RotationReport) -> dict[str, Any]:
    """What the job keeps of a rotation: key ids and counts (per field for the command)."""
    return {
        "active_key": report.active_key,
        "values_before": format_counts(report.total("before")),
        "values_after": format_counts(report.total("after")),
        "rewritten": report.rewritten,
        "batches": report.batches,
        "changed_during_run": report.changed_during_run,
        "remaining": report.remaining,
        "fields": {
            label: [format_counts(report.before[label]), format_counts(report.after[label])]
            for label in report.before
        },
    }


@jobs.register(Job.Kind.ROTATE_KEYS)
def run_rotation(job: Job, progress: jobs.Progress) -> dict[str, Any]:
    """The rotation, as the worker runs it, audited as the command's was."""
    params = job.params
    worker_key = get_keyring().active_id
    if params.get("active_key") and params["active_key"] != worker_key:
        # A worker not yet restarted with the new keyring would "rotate" to the old key.
        where = f"worker '{worker_key}', command '{params['active_key']}'"
        raise jobs.JobFailed(WORKER_ON_ANOTHER_KEY, error=where)
    try:
        report = rotate_keys(
            batch_size=int(params.get("batch_size") or DEFAULT_BATCH_SIZE),
            dry_run=bool(params.get("dry_run")),
            max_batches=params.get("max_batches"),
            progress=progress,
        )
    except KeyOperationError as exc:
        where = f"{exc.label}.{exc.field_name}, row {exc.pk}, key '{exc.key_id}'"
        raise jobs.JobFailed(VALUE_DOES_NOT_OPEN, error=where) from None
    if not report.dry_run:
        AuditEvent.record(
            AuditAction.ROTATE_KEYS,
            actor_name="rotate_keys",
            details={
                "active_key": report.active_key,
                "before": dict(report.total("before")),
                "after": dict(report.total("after")),
                "rewritten": report.rewritten,
                "changed_during_run": report.changed_during_run,
                "batches": report.batches,
                "complete": not report.stopped_early,
                "job": str(job.pk),
            },
        )
    return rotation_summary(report)


# Moving the persons' values under their data keys (the migration) ------------------------------


@dataclass(frozen=True)
class PersonValues:
    """Where a person's values are stored, for :func:`reseal_under_data_keys`: the model's
    label (of the associated data), its table, ``(field name, column)`` of each value, and the
    person's id as an SQL expression over the table ``t`` (joined to ``join`` if need be)."""

    label: str
    table: str
    fields: tuple[tuple[str, str], ...]
    owner: str
    join: str = ""


def reseal_under_data_keys(
    specs: list[PersonValues], batch_size: int = DEFAULT_BATCH_SIZE, backwards: bool = False
) -> int:
    """Re-seal every keyring value of ``specs`` under its person's data key (making the data
    keys the persons lack, a batch's in one statement); returns the values re-sealed.

    For the migration that brought data keys (registry 0028): batched by primary key, one
    transaction per batch, a row changed since the read is left for a second run (guarded
    like the rotation). Only ``v1:`` tokens are touched, so a second run changes nothing.
    Messages name the table, column and row, never a value. ``backwards``: the reverse (the
    migration unapplied): ``d1:`` tokens back under the keyring; an erased value becomes NULL.
    """
    import uuid

    keyring = get_keyring()
    db = router.db_for_write(keys.PersonKey)
    connection = connections[db]
    quote = connection.ops.quote_name
    done = 0
    urandom = os.urandom
    for spec in specs:
        columns = ", ".join(f"t.{quote(column)}" for _name, column in spec.fields)
        last: Any = None
        while True:
            where = "WHERE t.id > %s " if last is not None else ""
            sql = (
                f"SELECT t.id, {spec.owner}, {columns} FROM {quote(spec.table)} t "  # noqa: S608 (names from the migration)
                f"{spec.join} {where}ORDER BY t.id LIMIT %s"
            )
            with transaction.atomic(using=db), connection.cursor() as cursor:
                cursor.execute(sql, [last, batch_size] if last is not None else [batch_size])
                rows = cursor.fetchall()
                if not rows:
                    break
                last = rows[-1][0]
                owners = {keys._hex(row[1]) for row in rows if row[1] is not None}
                for owner in owners:
                    keys.expect(owner)
                missing = []
                for owner in owners:
                    try:
                        keys.key_for_opening(owner)
                    except DecryptionError as exc:
                        raise KeyOperationError(spec.label, "data key", owner, exc) from None
                    if keys._cache.keys.get(owner) is ERASED:
                        missing.append(owner)
                if missing and not backwards:
                    # key_for_opening took an absent key for a shredded one: these persons
                    # have no row yet (erased ones have their blank row and stay erased).
                    present = set(
                        keys.PersonKey._base_manager.using(db)
                        .filter(person_id__in=missing)
                        .values_list("person_id", flat=True)
                    )
                    new = [o for o in missing if uuid.UUID(o) not in present]
                    for owner in new:
                        keys._cache.keys.pop(owner, None)
                    keys.create_data_keys(new)
                updates: dict[tuple[str, ...], list[tuple[Any, ...]]] = {}
                for row in rows:
                    stored_pk, owner_raw = row[0], row[1]
                    if owner_raw is None:
                        continue
                    owner = keys._hex(owner_raw)
                    aead = keys._cache.keys.get(owner)
                    pk_text = str(uuid.UUID(str(stored_pk)))
                    stale, params, guards = [], [], []
                    for (name, column), token in zip(spec.fields, row[2:], strict=True):
                        if backwards and token is not None and token.startswith("d1:"):
                            aad = associated_data(spec.label, name, pk_text)
                            key = keys.key_for_opening(token[3:35])
                            if key is ERASED:
                                params.append(None)
                            else:
                                raw = bytes.fromhex(token[36:])
                                plain = key.decrypt(raw[:NONCE_BYTES], raw[NONCE_BYTES:], aad)
                                params.append(keyring.encrypt(plain, aad))
                            stale.append(column)
                            guards.append(token)
                            continue
                        if backwards or token is None or not token.startswith(f"{TOKEN_VERSION}:"):
                            continue
                        aad = associated_data(spec.label, name, pk_text)
                        try:
                            plain = keyring.decrypt(token, aad)
                        except DecryptionError as exc:
                            raise KeyOperationError(spec.label, name, pk_text, exc) from None
                        if aead is ERASED or aead is None:
                            params.append(None)  # the person was erased: nothing to keep
                        else:
                            nonce = urandom(NONCE_BYTES)
                            sealed = (nonce + aead.encrypt(nonce, plain, aad)).hex()
                            params.append(f"{DATA_TOKEN_PREFIX}{owner}:{sealed}")
                        stale.append(column)
                        guards.append(token)
                    if stale:
                        updates.setdefault(tuple(stale), []).append((*params, stored_pk, *guards))
                for stale, params in updates.items():
                    assignments = ", ".join(f"{quote(c)} = %s" for c in stale)
                    checks = " AND ".join(f"{quote(c)} = %s" for c in stale)
                    cursor.executemany(
                        f"UPDATE {quote(spec.table)} SET {assignments} "  # noqa: S608 (names from the migration)
                        f"WHERE id = %s AND {checks}",
                        params,
                    )
                    done += cursor.rowcount * len(stale)
            keys.reset_cache()
    return done
