"""Each person's data key, the keys that wrap them, and the per-request cache of opened keys.

The key hierarchy (docs/security.md, "Data keys and erasure that reaches the backups"):

- the **keyring** (``REGISTRY_ENCRYPTION_KEYS``, in the environment) seals each
  :class:`WrappingKey` (an ordinary encrypted field, so ``rotate_keys`` rewraps them as it
  re-seals any keyring value);
- a **wrapping key** (a few rows: a new one at each rotation) wraps the data keys with
  AES-256-GCM, the person's id as associated data;
- each person's **data key** (:class:`PersonKey`, one row per person, the table of its own that
  the backups of the data leave out) seals that person's values (registry.fields,
  ``person_key=``).

Erasure (:func:`shred_person_key`) blanks the person's wrapped data key in one UPDATE; every
value sealed under it, in the database and in every backup of the data, can no longer be
opened. Reading such a value gives :data:`registry.crypto.ERASED`, never an error page.

Opened data keys live in a cache that is emptied when a request or a background task starts
and ends (and when it grows past :data:`CACHE_LIMIT`): never longer than the unit of work.
"""

from __future__ import annotations

import os
import threading
import uuid
from collections.abc import Iterable
from typing import Any

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from django.core.signals import request_finished, request_started
from django.db import connections, models, router, transaction
from django.db.models.signals import post_delete, pre_save
from django.dispatch import receiver
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from registry.crypto import (
    ERASED,
    KEY_BYTES,
    NONCE_BYTES,
    DecryptionError,
    ErasedError,
    register_cache_reset,
)
from registry.fields import EncryptedCharField

# More opened keys than this in one unit of work (a long import) and the cache starts again.
CACHE_LIMIT = 20_000


class WrappingKey(models.Model):
    """A key that wraps data keys, itself sealed by the keyring (``key``: 64 hex digits)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    key = EncryptedCharField(_("key"), max_length=64)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("wrapping key")
        verbose_name_plural = _("wrapping keys")

    def __str__(self) -> str:
        return str(self.pk)


class PersonKey(models.Model):
    """One person's data key, wrapped; ``wrapped`` is empty once the person is erased.

    ``person_id`` is a plain UUID rather than a foreign key: the key is written by the first
    value's ``pre_save``, before the person's own row, and a person deleted outright has
    their key blanked by a signal (:func:`_shred_on_delete`) rather than cascaded away.
    """

    person_id = models.UUIDField(primary_key=True, editable=False)
    wrapping_key = models.ForeignKey(
        WrappingKey, on_delete=models.PROTECT, null=True, related_name="+", editable=False
    )
    # hex(nonce || AES-GCM(wrapping key, data key, aad=person id)): 120 characters.
    wrapped = models.CharField(max_length=120, null=True, editable=False)
    erased_at = models.DateTimeField(_("erased"), null=True, editable=False)

    class Meta:
        verbose_name = _("person's data key")
        verbose_name_plural = _("persons' data keys")

    def __str__(self) -> str:
        return str(self.person_id)


def _wrap_aad(person_id: object) -> bytes:
    return b"registry.personkey|" + _hex(person_id).encode()


def _hex(person_id: object) -> str:
    """The cache's (and the tokens') form of a person id: 32 lower-case hex digits."""
    if isinstance(person_id, uuid.UUID):
        return person_id.hex
    text = str(person_id)
    if len(text) == 32:
        return text
    return uuid.UUID(text).hex


class _Cache(threading.local):
    def __init__(self) -> None:
        self.reset()

    def reset(self) -> None:
        # person id (hex) -> AESGCM of the data key, or ERASED
        self.keys: dict[Any, Any] = {}
        # person ids seen on loaded rows whose keys are not loaded yet (loaded together)
        self.pending: set[Any] = set()


_cache = _Cache()
# Opened wrapping keys by id, for the life of the keyring (they are keyring-level keys).
_wrapping: dict[Any, AESGCM] = {}
# The wrapping key this process last found current: (id, AESGCM). Kept across requests, so a
# new person's key costs no read of the wrapping keys; the INSERT that writes data keys checks
# in the same statement that it is still the current one (another process may have rotated),
# and a stale hint is read again (:func:`create_data_keys`).
_current: list[tuple[Any, AESGCM] | None] = [None]


def reset_cache() -> None:
    """Forget every opened data key (a request or task starts or ends; a key was shredded)."""
    _cache.reset()


def _reset_all() -> None:
    _cache.reset()
    _wrapping.clear()
    _current[0] = None


register_cache_reset(_reset_all)


@receiver(request_started)
@receiver(request_finished)
def _reset_on_request(**kwargs: object) -> None:
    _cache.reset()


try:  # the worker's tasks: the same limit as a request
    from django_tasks.signals import task_finished, task_started

    task_started.connect(_reset_on_request, dispatch_uid="registry_keys_task_started")
    task_finished.connect(_reset_on_request, dispatch_uid="registry_keys_task_finished")
except ImportError:  # pragma: no cover
    pass


def expect(person_id: object) -> None:
    """Note that a value of ``person_id`` may be opened soon (a row was loaded): the first
    miss loads every noted key in one query, so a list of 50 people costs one query."""
    if person_id not in _cache.keys:
        _cache.pending.add(person_id)


def _db() -> str:
    return router.db_for_write(PersonKey)


def _wrapping_aead(wrapping_id: Any) -> AESGCM:
    aead = _wrapping.get(wrapping_id)
    if aead is None:
        row = WrappingKey._base_manager.using(_db()).get(pk=wrapping_id)
        aead = _wrapping[wrapping_id] = AESGCM(bytes.fromhex(row.key))
    return aead


def _current_wrapping(*, read: bool = False) -> tuple[Any, AESGCM]:
    """The wrapping key for new data keys: this process's hint, or (``read``, or no hint yet)
    the newest row, made when there is none."""
    current = _current[0]
    if current is None or read:
        row = WrappingKey._base_manager.using(_db()).order_by("-created_at", "pk").first()
        if row is None:
            row = new_wrapping_key()
        current = _current[0] = (row.pk, _wrapping_aead(row.pk))
    return current


def new_wrapping_key() -> WrappingKey:
    """A fresh wrapping key sealed under the keyring's active key (for new data keys from now
    on: a rotation starts one, so a key that leaked before it opens no person added after)."""
    row = WrappingKey(key=os.urandom(KEY_BYTES).hex())
    row.save(using=_db())
    _current[0] = None
    return row


def _unwrap(person_id: Any, wrapping_id: Any, wrapped: str | None) -> Any:
    if wrapped is None:
        return ERASED
    raw = bytes.fromhex(wrapped)
    try:
        key = _wrapping_aead(wrapping_id).decrypt(
            raw[:NONCE_BYTES], raw[NONCE_BYTES:], _wrap_aad(person_id)
        )
    except InvalidTag:
        raise DecryptionError("data key", "a person's data key does not unwrap") from None
    return AESGCM(key)


def _load(ids: Iterable[str]) -> None:
    ids = [i for i in ids if i not in _cache.keys]
    if len(_cache.keys) + len(ids) > CACHE_LIMIT:
        _cache.keys.clear()
    for start in range(0, len(ids), 500):
        chunk = ids[start : start + 500]
        rows = PersonKey._base_manager.using(_db()).filter(person_id__in=chunk)
        for person_id, wrapping_id, wrapped in rows.values_list(
            "person_id", "wrapping_key_id", "wrapped"
        ):
            _cache.keys[person_id.hex] = _unwrap(person_id, wrapping_id, wrapped)


def key_for_opening(person_id: str) -> Any:
    """The AESGCM of the data key of ``person_id`` (32 hex digits, as a token names it), or
    ERASED when it was shredded (or is gone)."""
    found = _cache.keys.get(person_id)
    if found is None:
        pending = _cache.pending
        pending.add(person_id)
        _cache.pending = set()
        _load(pending)
        found = _cache.keys.get(person_id)
        if found is None:
            # A value under a data key whose row is gone: as good as erased.
            found = _cache.keys[person_id] = ERASED
    return found


def key_for_sealing(person_id: Any) -> AESGCM:
    """The AESGCM of ``person_id``'s data key, made (and written) when the person has none;
    :class:`ErasedError` when the person was erased (nothing may be stored for them)."""
    person_id = _hex(person_id)
    found = _cache.keys.get(person_id)
    if found is None:
        _load([person_id])
        found = _cache.keys.get(person_id)
    if found is None:
        found = create_data_keys([person_id])[person_id]
    if found is ERASED:
        raise ErasedError(person_id)
    return found


def create_data_keys(person_ids: Iterable[Any]) -> dict[Any, AESGCM]:
    """Make a data key for each of ``person_ids`` (new persons) and write them in one
    statement, in the caller's transaction; the bulk paths call it before ``bulk_create``
    (registering.record_many), one person's first save does through :func:`key_for_sealing`.
    An id that has a key already keeps it (``ON CONFLICT DO NOTHING``; then it is read).

    The keys are wrapped under this process's current wrapping key without reading it first;
    the INSERT writes a row only while that key is still the newest. When rows are missing and
    the newest key is another (a rotation in another process), they are wrapped again under it."""
    ids = list(dict.fromkeys(map(_hex, person_ids)))
    if not ids:
        return {}
    wrapping_id, wrapping = _current_wrapping()
    made, written = _write_data_keys(ids, wrapping_id, wrapping)
    if written != len(ids):
        fresh_id, fresh = _current_wrapping(read=True)
        if fresh_id != wrapping_id:
            made, written = _write_data_keys(ids, fresh_id, fresh)
    if written != len(ids):
        # Some had a key already (written by another process meanwhile): use theirs.
        for person_id in made:
            _cache.keys.pop(person_id, None)
        _load(made)
        made = {pid: _cache.keys[pid] for pid in made}
    else:
        if len(_cache.keys) + len(made) > CACHE_LIMIT:
            _cache.keys.clear()
        _cache.keys.update(made)
    return made


def _write_data_keys(ids: list[str], wrapping_id: Any, wrapping: AESGCM) -> tuple[dict, int]:
    """Wrap a fresh key for each id under ``wrapping`` and insert the rows whose person has
    none, only if ``wrapping_id`` is the newest wrapping key: (the keys, rows written)."""
    made: dict[Any, AESGCM] = {}
    rows = []
    urandom = os.urandom
    for person_id in ids:
        key, nonce = urandom(KEY_BYTES), urandom(NONCE_BYTES)
        wrapped = (nonce + wrapping.encrypt(nonce, key, _wrap_aad(person_id))).hex()
        made[person_id] = AESGCM(key)
        rows.append((person_id, wrapped))
    db = _db()
    connection = connections[db]
    quote = connection.ops.quote_name
    pk_field = PersonKey._meta.pk
    fk_field = PersonKey._meta.get_field("wrapping_key")
    keys_table = quote(WrappingKey._meta.db_table)
    created = quote(WrappingKey._meta.get_field("created_at").column)
    key_pk = quote(WrappingKey._meta.pk.column)
    # The newest wrapping key, in the order _current_wrapping reads it.
    newest = (
        f"SELECT {key_pk} FROM {keys_table} "  # noqa: S608 (names from model metadata)
        f"ORDER BY {created} DESC, {key_pk} ASC LIMIT 1"
    )
    sql = (
        f"INSERT INTO {quote(PersonKey._meta.db_table)} "  # noqa: S608 (names from model metadata)
        f"({quote(pk_field.column)}, {quote(fk_field.column)}, {quote('wrapped')}, "
        f"{quote('erased_at')}) SELECT %s, %s, %s, NULL WHERE %s = ({newest}) "
        f"ON CONFLICT ({quote(pk_field.column)}) DO NOTHING"
    )
    wid = fk_field.get_db_prep_value(wrapping_id, connection)
    params = [
        (pk_field.get_db_prep_value(uuid.UUID(pid), connection), wid, wrapped, wid)
        for pid, wrapped in rows
    ]
    with transaction.atomic(using=db, savepoint=False), connection.cursor() as cursor:
        cursor.executemany(sql, params)
        written = cursor.rowcount
    return made, written


def shred_person_key(person: Any) -> bool:
    """Erase ``person`` (a Person or its id) cryptographically: blank their wrapped data key,
    in one UPDATE (or write the blank row when they had none), in the caller's transaction.

    From then on every value sealed under it (the person's fields, the triage notes of their
    registrations, the notes and care location of their cases), in the database and in any
    backup of the data, opens as ``ERASED``. Safe to run twice; returns True when a key was
    destroyed by this call. Blind indexes and search rows are not touched (the erasure
    deletes them). The key's old value may linger in the database's free pages until they
    are reused or vacuumed, and in the backups of the key table until they expire
    (docs/security.md).
    """
    person_id = uuid.UUID(_hex(getattr(person, "pk", person)))
    now = timezone.now()
    db = _db()
    with transaction.atomic(using=db, savepoint=False):
        destroyed = (
            PersonKey._base_manager.using(db)
            .filter(person_id=person_id, wrapped__isnull=False)
            .update(wrapped=None, wrapping_key=None, erased_at=now)
        )
        if not destroyed:
            PersonKey._base_manager.using(db).get_or_create(
                person_id=person_id, defaults={"erased_at": now}
            )
    _cache.keys[person_id.hex] = ERASED
    _cache.pending.discard(person_id.hex)
    if hasattr(person, "__dict__"):
        person.__dict__.pop("_encrypted_pk_text", None)
    return bool(destroyed)


def is_erased(person: Any) -> bool:
    """Whether ``person`` (a Person or its id) has been crypto-shredded."""
    person_id = uuid.UUID(_hex(getattr(person, "pk", person)))
    return (
        PersonKey._base_manager.using(_db())
        .filter(person_id=person_id, wrapped__isnull=True)
        .exists()
    )


# Both receivers name their sender: a receiver of every model's delete would stop Django from
# deleting any row with one DELETE (it must load the rows to send the signal), so a draft's
# removal after each intake save cost a SELECT first.
@receiver(post_delete, sender="registry.Person", dispatch_uid="registry_keys_shred_on_delete")
def _shred_on_delete(sender: type[models.Model], instance: models.Model, **kwargs: Any) -> None:
    shred_person_key(instance.pk)


@receiver(pre_save, sender="registry.Person", dispatch_uid="registry_keys_new_person")
def _fresh_key_for_new_person(sender: type[models.Model], instance: Any, **kwargs: Any) -> None:
    """A person saved for the first time gets a fresh data key in that save's transaction,
    written before their values are sealed (one INSERT; a retry after a rolled-back save makes
    another one, never reuses a key that was not stored)."""
    if instance._state.adding and not kwargs.get("raw"):
        _cache.keys.pop(_hex(instance.pk), None)
        create_data_keys([instance.pk])
