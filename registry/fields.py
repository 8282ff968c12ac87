"""Model fields whose values are stored encrypted (AES-256-GCM, see registry.crypto).

How it works:
- ``pre_save`` seals the plaintext on the instance with the model label, field name and the
  primary key as associated data, so the model needs a primary key known before the first
  save (a UUID default). The instance keeps its plaintext; the database gets the token.
- ``from_db_value`` returns the token wrapped as :class:`Ciphertext`; the field's descriptor
  opens it on first attribute access (lazily: a list that never shows a name never decrypts).
- ``get_db_prep_save`` accepts nothing but a :class:`Ciphertext`, so a plaintext can never
  reach the database by a path that skips ``pre_save`` (``bulk_update``, ``update()``).
- Lookups other than ``isnull`` raise, and so does ``QuerySet.update()`` of such a field
  (see :class:`EncryptedQuerySet`).

A field declared with ``person_key=`` holds a person's value: it is sealed under that person's
own data key (registry.models.keys) rather than the keyring, as
``d1:<person id>:<hex(nonce || ciphertext || tag)>``, so that erasing the person
(``shred_person_key``) makes it unreadable in every backup too. ``person_key`` names where the
person's id is found on the instance: ``"pk"`` (the Person itself), an attribute
(``"person_id"``) or a path through a foreign key (``"case.person_id"``), read when sealing
only; the token names its person, so opening needs no lookup and a row that moves to another
person keeps opening. A value whose key was shredded opens as ``ERASED`` (a date as None).
"""

from __future__ import annotations

import datetime
import os
from typing import Any
from uuid import UUID

from cryptography.exceptions import InvalidTag
from django import forms
from django.core.exceptions import FieldError
from django.db import models
from django.db.models.query_utils import DeferredAttribute
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

from registry.crypto import (
    DATA_TOKEN_OWNER_END,
    DATA_TOKEN_PREFIX,
    ERASED,
    NONCE_BYTES,
    DecryptionError,
    associated_data,
    get_keyring,
)

_keys: Any = None  # registry.models.keys, imported on first use (it imports this module)


def _data_keys() -> Any:
    global _keys
    if _keys is None:
        from registry.models import keys

        _keys = keys
    return _keys


_urandom = os.urandom
assert len(DATA_TOKEN_PREFIX) == 3 and DATA_TOKEN_OWNER_END == 35  # noqa: S101 (the slices below)


class Ciphertext(str):
    """A sealed token as read from (or about to be written to) the database.

    ``bound_pk`` is the primary key the token was sealed for, set when it is loaded.
    """

    __slots__ = ("bound_pk",)

    def __new__(cls, token: str, bound_pk: object = None) -> Ciphertext:
        obj = super().__new__(cls, token)
        obj.bound_pk = bound_pk
        return obj

    def __repr__(self) -> str:  # never show even the token in tracebacks
        return "<Ciphertext>"


_new_str = str.__new__
_date_from_iso = datetime.date.fromisoformat


class EncryptedFieldDescriptor(DeferredAttribute):
    """Opens the token on first access and keeps the plaintext on the instance."""

    def __get__(self, instance: models.Model | None, owner: type | None = None) -> Any:
        if instance is None:
            return self
        value = super().__get__(instance, owner)  # loads a deferred field
        if isinstance(value, Ciphertext):
            value = self.field.open(value, instance, value.bound_pk)
            instance.__dict__[self.field.attname] = value
        return value

    def __set__(self, instance: models.Model, value: Any) -> None:
        if isinstance(value, Ciphertext) and value.bound_pk is None:
            value = Ciphertext(value, instance.__dict__.get(instance._meta.pk.attname))
        instance.__dict__[self.field.attname] = value


class EncryptedMixin:
    """Shared behaviour of the encrypted fields. Columns are text (the token)."""

    encrypted = True
    descriptor_class = EncryptedFieldDescriptor

    def __init__(self, *args: Any, person_key: str | None = None, **kwargs: Any) -> None:
        # Not part of deconstruct(): where the key comes from changes no column.
        self.person_key = person_key
        kwargs.setdefault("blank", True)
        kwargs.setdefault("null", True)
        for forbidden in ("unique", "db_index", "primary_key"):
            if kwargs.get(forbidden):
                raise FieldError(f"an encrypted field cannot have {forbidden}=True")
        super().__init__(*args, **kwargs)

    def get_internal_type(self) -> str:
        return "TextField"

    def db_type(self, connection: Any) -> str:
        return models.TextField().db_type(connection)

    def contribute_to_class(self, cls: type[models.Model], name: str, **kwargs: Any) -> None:
        super().contribute_to_class(cls, name, **kwargs)
        setattr(cls, self.attname, self.descriptor_class(self))
        # The associated data names the model that defines the field, not the class of the
        # instance at hand: a proxy model (an app's admin on Registration) reads the same rows
        # and must open them. Computed once; only the primary key changes per value.
        self.aad_prefix = associated_data(cls._meta.label_lower, self.name, "")

    # Serialisation of plaintext <-> bytes, overridden per type.
    def encode(self, value: Any) -> bytes:
        return str(value).encode("utf-8")

    def decode(self, raw: bytes) -> Any:
        return raw.decode("utf-8")

    # The plaintext is UTF-8 text as it is; otherwise an ISO date (open() decodes either without
    # a method call; a new value type needs its own branch there).
    text_value = True

    @cached_property
    def _pk_attname(self) -> str:
        return self.model._meta.pk.attname

    def aad(self, instance: models.Model, pk: object = None) -> bytes:
        # Read from __dict__ rather than through ``instance.pk`` (a property and a descriptor):
        # this runs for every value sealed or opened. A pk is never deferred.
        state = instance.__dict__
        if pk is None:
            pk = state.get(self._pk_attname)
        # str(UUID) costs as much as the cipher itself; an instance seals and opens all its
        # fields under one pk, so its text is kept on the instance, keyed by the pk object.
        cached = state.get("_encrypted_pk_text")
        if cached is None or cached[0] is not pk:
            cached = (pk, str(pk).encode())
            state["_encrypted_pk_text"] = cached
        return self.aad_prefix + cached[1]

    def aad_for_pk(self, pk: object) -> bytes:
        """``associated_data(<model label>, <field name>, pk)``, for a row known by its pk."""
        return self.aad_prefix + str(pk).encode()

    def key_owner(self, instance: models.Model) -> Any:
        """The id of the person whose data key seals this field's value on ``instance``."""
        path = self.person_key
        if path == "pk":
            return instance.__dict__.get(self._pk_attname)
        if "." not in path:
            return instance.__dict__.get(path)
        through, attribute = path.split(".", 1)
        related = getattr(instance, through)
        return getattr(related, attribute) if related is not None else None

    def seal(self, value: Any, instance: models.Model) -> Ciphertext:
        pk = instance.__dict__.get(self._pk_attname)
        if pk is None:
            raise FieldError(
                f"{instance._meta.label}.{self.name} is encrypted and needs a primary key "
                "before saving"
            )
        if self.person_key is not None:
            owner = pk if self.person_key == "pk" else self.key_owner(instance)
            if owner is None:
                raise FieldError(
                    f"{instance._meta.label}.{self.name} is sealed under a person's key and "
                    "needs that person before saving"
                )
            keys = _keys or _data_keys()
            state = instance.__dict__
            # The owner's hex is kept on the instance, as the pk's text is (see aad()).
            known = state.get("_data_key_owner")
            if known is None or known[0] is not owner:
                known = (owner, owner.hex if isinstance(owner, UUID) else keys._hex(owner))
                state["_data_key_owner"] = known
            owner_hex = known[1]
            aead = keys._cache.keys.get(owner_hex)
            if aead is None or aead is ERASED:
                aead = keys.key_for_sealing(owner_hex)
            nonce = _urandom(NONCE_BYTES)
            sealed_bytes = aead.encrypt(nonce, self.encode(value), self.aad(instance, pk))
            token = f"{DATA_TOKEN_PREFIX}{owner_hex}:{(nonce + sealed_bytes).hex()}"
            sealed = _new_str(Ciphertext, token)
            sealed.bound_pk = pk
            return sealed
        token = get_keyring().encrypt(self.encode(value), self.aad(instance, pk))
        # str.__new__ plus a slot, without the Python-level Ciphertext.__new__ call.
        sealed = _new_str(Ciphertext, token)
        sealed.bound_pk = pk
        return sealed

    def open_for_pk(self, token: str, pk: object) -> Any:
        """The value of a token read without its model instance (exports, key operations)."""
        if token.startswith(DATA_TOKEN_PREFIX):
            return self._open_data_token(token, self.aad_for_pk(pk))
        return self.decode(get_keyring().decrypt(token, self.aad_for_pk(pk)))

    def _open_data_token(self, token: str, aad: bytes) -> Any:
        """A value under a person's data key; ERASED (a date: None) once it was shredded."""
        keys = _keys or _data_keys()
        # Slices by the format's fixed widths: "d1:" (3), the person's 32 hex digits, ":".
        aead = keys._cache.keys.get(token[3:35]) or keys.key_for_opening(token[3:35])
        if aead is ERASED:
            return ERASED if self.text_value else None
        try:
            raw = bytes.fromhex(token[36:])
            plain = aead.decrypt(raw[:NONCE_BYTES], raw[NONCE_BYTES:], aad)
        except InvalidTag:
            raise DecryptionError(
                "data key", "authentication failed (altered data, or a value of another row)"
            ) from None
        except ValueError:
            raise DecryptionError("data key", "the token is malformed or too short") from None
        if self.text_value:
            return plain.decode()
        return _date_from_iso(plain.decode())

    def open(self, token: str, instance: models.Model, pk: object = None) -> Any:
        # self.aad() inlined: opening runs for every value a page or an export shows, and the
        # call cost a tenth of the whole (bench/crypto.py).
        state = instance.__dict__
        if pk is None:
            pk = state.get(self._pk_attname)
        cached = state.get("_encrypted_pk_text")
        if cached is None or cached[0] is not pk:
            cached = state["_encrypted_pk_text"] = (pk, str(pk).encode())
        if token[0] == "d":  # DATA_TOKEN_PREFIX: under a person's data key
            # _open_data_token() inlined for the same reason; its fixed slices of the token.
            keys = _keys or _data_keys()
            aead = keys._cache.keys.get(token[3:35]) or keys.key_for_opening(token[3:35])
            if aead is ERASED:
                return ERASED if self.text_value else None
            try:
                raw = bytes.fromhex(token[36:])
                raw = aead.decrypt(raw[:12], raw[12:], self.aad_prefix + cached[1])
            except (InvalidTag, ValueError):
                return self._open_data_token(token, self.aad_prefix + cached[1])  # the error
        else:
            raw = get_keyring().decrypt(token, self.aad_prefix + cached[1])
        if self.text_value:
            return raw.decode()
        return _date_from_iso(raw.decode())

    def from_db_value(self, value: Any, expression: Any, connection: Any) -> Any:
        if value is None:
            return None
        if value[0] == "d":
            # Under a person's data key: note the person, so that the first value a page opens
            # loads the keys of every row it read in one query.
            _data_keys().expect(value[len(DATA_TOKEN_PREFIX) : DATA_TOKEN_OWNER_END])
        return Ciphertext(value)

    def pre_save(self, model_instance: models.Model, add: bool) -> Any:
        value = model_instance.__dict__.get(self.attname)
        if value is None or value == "":  # ERASED too: an erased value is stored as nothing
            return None
        if isinstance(value, Ciphertext):
            if value.bound_pk == model_instance.pk:
                return value
            # The row got a new primary key (a copy): reseal under the new binding.
            value = self.open(value, model_instance, value.bound_pk)
        value = self.to_python(value)
        return self.seal(value, model_instance)

    def get_db_prep_save(self, value: Any, connection: Any) -> Any:
        if value is None:
            return None
        if not isinstance(value, Ciphertext):
            raise FieldError(
                f"refusing to write an unencrypted value to {self.model._meta.label}.{self.name}"
            )
        return str(value)

    def get_prep_value(self, value: Any) -> Any:
        return value

    def get_lookup(self, lookup_name: str) -> Any:
        if lookup_name == "isnull":
            return super().get_lookup(lookup_name)
        raise FieldError(
            f"{self.model._meta.label}.{self.name} is encrypted: it supports no lookup "
            f"but 'isnull' (asked for {lookup_name!r}); search through a blind index"
        )

    def get_transform(self, lookup_name: str) -> Any:
        raise FieldError(
            f"{self.model._meta.label}.{self.name} is encrypted: it supports no transform"
        )

    def value_to_string(self, obj: models.Model) -> str:
        # dumpdata and other serialisers would otherwise write plaintext.
        raise FieldError(
            f"{self.model._meta.label}.{self.name} is encrypted and is not serialised; "
            "use the registry's audited exports"
        )


class EncryptedCharField(EncryptedMixin, models.CharField):
    description = _("Encrypted text (single line)")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("max_length", 255)
        super().__init__(*args, **kwargs)

    def cast_db_type(self, connection: Any) -> str:
        return models.TextField().cast_db_type(connection)


class EncryptedTextField(EncryptedMixin, models.TextField):
    description = _("Encrypted text")


class EncryptedDateField(EncryptedMixin, models.DateField):
    description = _("Encrypted date")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.pop("auto_now", None)
        kwargs.pop("auto_now_add", None)
        super().__init__(*args, **kwargs)

    def encode(self, value: Any) -> bytes:
        return value.isoformat().encode("ascii")

    text_value = False

    def decode(self, raw: bytes) -> datetime.date:
        return datetime.date.fromisoformat(raw.decode("ascii"))

    def formfield(self, **kwargs: Any) -> forms.Field:
        kwargs.setdefault("widget", forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
        return super().formfield(**kwargs)


def encrypted_fields(model: type[models.Model]) -> list[EncryptedMixin]:
    return [f for f in model._meta.concrete_fields if getattr(f, "encrypted", False)]


class EncryptedQuerySet(models.QuerySet):
    """Refuses ``update()`` and ``bulk_update()`` of encrypted fields (they would skip sealing)."""

    def _refuse_encrypted(self, names: Any) -> None:
        encrypted = {f.name for f in encrypted_fields(self.model)} | {
            f.attname for f in encrypted_fields(self.model)
        }
        bad = sorted(set(names) & encrypted)
        if bad:
            raise FieldError(
                f"{self.model._meta.label}: QuerySet.update() of encrypted field(s) "
                f"{', '.join(bad)} is refused; change them on instances and save()"
            )

    def update(self, **kwargs: Any) -> int:
        self._refuse_encrypted(kwargs)
        return super().update(**kwargs)

    def bulk_update(self, objs: Any, fields: Any, batch_size: int | None = None) -> int:
        self._refuse_encrypted(fields)
        return super().bulk_update(objs, fields, batch_size=batch_size)
