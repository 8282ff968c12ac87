"""Encryption of personal values and blind indexes for exact search.

Values are sealed with AES-256-GCM under the active key of a keyring read from the environment
(``REGISTRY_ENCRYPTION_KEYS``), with a random 96-bit nonce per value and associated data that
binds the value to its model, field and primary key. A sealed value is a versioned token that
names its key: ``v1:<key id>:<hex(nonce || ciphertext || tag)>``.

Blind indexes are HMAC-SHA256 over normalised values, with one subkey per index derived by
HKDF from ``REGISTRY_BLIND_INDEX_KEY``, a key separate from the keyring.

The audit chain is HMAC-SHA256 under a subkey derived by HKDF from ``REGISTRY_AUDIT_KEY``, a
third key, so that nobody who can only write to the database can recompute it.

Why not a field-encryption package: see docs/security.md.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import os
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.signals import setting_changed
from django.dispatch import receiver

TOKEN_VERSION = "v1"  # noqa: S105 (a format tag, not a secret)
NONCE_BYTES = 12
KEY_BYTES = 32
_KEY_ID_RE = re.compile(r"^[A-Za-z0-9_-]{1,32}$")


class EncryptionError(Exception):
    """Base class of the errors of this module. Messages never carry a value."""


class DecryptionError(EncryptionError):
    """A token could not be opened: wrong key, tampered data, or a value moved between rows."""

    def __init__(self, key_id: str, reason: str) -> None:
        self.key_id = key_id
        super().__init__(f"cannot decrypt a value sealed with key {key_id!r}: {reason}")


class ErasedError(EncryptionError):
    """A value was to be sealed for a person whose data key was shredded (erased)."""

    def __init__(self, person_id: object) -> None:
        super().__init__(f"person {person_id} was erased: no value can be stored for them")


class Erased(str):
    """What an erased value reads as: an empty text that says so (``value is ERASED``).

    A person's values sealed under a data key that was shredded (registry.models.keys) open
    as :data:`ERASED` (a date field as None): empty wherever a page or an export shows it,
    never an error; ``is ERASED`` tells it from a value that was never filled in.
    """

    __slots__ = ()

    def __repr__(self) -> str:
        return "<erased>"


ERASED = Erased("")
# Values sealed under a person's data key: ``d1:<person id, 32 hex>:<hex(nonce || ct || tag)>``.
DATA_TOKEN_PREFIX = "d1:"  # noqa: S105 (a format tag, not a secret)
DATA_TOKEN_OWNER_END = len(DATA_TOKEN_PREFIX) + 32


class MissingKeyError(DecryptionError):
    """The token names a key that the keyring does not hold."""

    def __init__(self, key_id: str) -> None:
        super().__init__(key_id, "that key id is not in REGISTRY_ENCRYPTION_KEYS")


def _decode_key(variable: str, encoded: str) -> bytes:
    try:
        raw = base64.urlsafe_b64decode(encoded.strip() + "=" * (-len(encoded.strip()) % 4))
    except (binascii.Error, ValueError):
        raise ImproperlyConfigured(f"{variable}: a key is not URL-safe base64") from None
    if len(raw) != KEY_BYTES:
        raise ImproperlyConfigured(
            f"{variable}: a key must be {KEY_BYTES} bytes of URL-safe base64, got {len(raw)} bytes"
        )
    return raw


def generate_key() -> str:
    """A fresh 32-byte key in URL-safe base64, as the keyring and index key expect."""
    return base64.urlsafe_b64encode(os.urandom(KEY_BYTES)).decode("ascii")


@dataclass(frozen=True)
class Keyring:
    """Several AES-256 keys by id; the first is active (encrypts), all decrypt."""

    active_id: str
    keys: dict[str, bytes]

    @classmethod
    def parse(cls, spec: str, variable: str = "REGISTRY_ENCRYPTION_KEYS") -> Keyring:
        if not spec or not spec.strip():
            raise ImproperlyConfigured(
                f"{variable} is not set; the registry cannot start without keys"
            )
        keys: dict[str, bytes] = {}
        order: list[str] = []
        for entry in spec.split(","):
            entry = entry.strip()
            if not entry:
                continue
            key_id, sep, encoded = entry.partition(":")
            if not sep or not _KEY_ID_RE.match(key_id):
                raise ImproperlyConfigured(
                    f"{variable}: each entry must be 'id:key' with an id of letters, digits, "
                    "'-' or '_'"
                )
            if key_id in keys:
                raise ImproperlyConfigured(f"{variable}: key id {key_id!r} appears twice")
            keys[key_id] = _decode_key(variable, encoded)
            order.append(key_id)
        if not order:
            raise ImproperlyConfigured(f"{variable} holds no keys")
        return cls(active_id=order[0], keys=keys)

    def __post_init__(self) -> None:
        # One AESGCM object per key, built once: constructing it costs more than sealing a name.
        aead = {kid: AESGCM(key) for kid, key in self.keys.items()}
        object.__setattr__(self, "_aead", aead)
        object.__setattr__(self, "_active_aead", aead[self.active_id])
        object.__setattr__(self, "_active_prefix", f"{TOKEN_VERSION}:{self.active_id}:")
        object.__setattr__(self, "_active_prefix_len", len(self._active_prefix))  # type: ignore[attr-defined]

    def encrypt(self, plaintext: bytes, aad: bytes) -> str:
        nonce = os.urandom(NONCE_BYTES)
        sealed = self._active_aead.encrypt(nonce, plaintext, aad)  # type: ignore[attr-defined]
        # Hex, not base64: decoding base64 cost more than the cipher itself for a note of a few
        # hundred characters (bench/crypto.py), while bytes.fromhex is a fraction of it. The
        # price is a third more storage for the encrypted columns.
        return self._active_prefix + (nonce + sealed).hex()  # type: ignore[attr-defined]

    def decrypt(self, token: str, aad: bytes) -> bytes:
        if token.startswith(self._active_prefix):  # type: ignore[attr-defined]
            # Nearly every token is under the active key: no split, no lookup.
            aead = self._active_aead  # type: ignore[attr-defined]
            data = token[self._active_prefix_len :]  # type: ignore[attr-defined]
        else:
            try:
                version, key_id, data = token.split(":", 2)
            except ValueError:
                raise DecryptionError("?", "the stored value is not a registry token") from None
            # Key ids were validated when the keyring was parsed, so a hit needs no regex;
            # only a miss is checked, to tell a foreign key id from a value that is no token.
            aead = self._aead.get(key_id)  # type: ignore[attr-defined]
            if aead is None or version != TOKEN_VERSION:
                raise MissingKeyError(token_key_id(token))
        try:
            raw = bytes.fromhex(data)
            return aead.decrypt(raw[:NONCE_BYTES], raw[NONCE_BYTES:], aad)
        except InvalidTag:
            raise DecryptionError(
                token_key_id(token),
                "authentication failed (wrong key, altered data, or a value of another row)",
            ) from None
        except ValueError:
            # Not hexadecimal, or shorter than a 96-bit nonce.
            raise DecryptionError(
                token_key_id(token), "the token is malformed or too short"
            ) from None


def token_key_id(token: str) -> str:
    """The key id a token names; raises DecryptionError for anything that is not a token."""
    parts = token.split(":", 2)
    if len(parts) != 3 or parts[0] != TOKEN_VERSION or not _KEY_ID_RE.match(parts[1]):
        raise DecryptionError("?", "the stored value is not a registry token")
    return parts[1]


def associated_data(label: str, field: str, pk: object) -> bytes:
    """Binds a value to its model, field and primary key."""
    return f"{label}|{field}|{pk}".encode()


@lru_cache(maxsize=1)
def get_keyring() -> Keyring:
    return Keyring.parse(settings.REGISTRY_ENCRYPTION_KEYS)


# Blind indexes ---------------------------------------------------------------------------------

_PUNCTUATION_RE = re.compile(r"[^\w\s]|_", re.UNICODE)
_SPACE_RE = re.compile(r"\s+")


def normalise(value: object) -> str:
    """Unicode NFKC, case-folded, accents and punctuation stripped, spaces collapsed.

    ``'José  Dos-Santos'``, ``'jose dos santos'`` and ``'JOSE DOS SANTOS'`` all give
    ``'jose dos santos'``.
    """
    text = unicodedata.normalize("NFKC", str(value)).casefold()
    decomposed = unicodedata.normalize("NFKD", text)
    text = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    text = _PUNCTUATION_RE.sub(" ", text)
    return _SPACE_RE.sub(" ", text).strip()


def phonetic_key(family_name: str) -> str:
    """A phonetic key of the transliterated family name (Mohammed ~ Muhammad)."""
    import jellyfish
    from anyascii import anyascii

    words = normalise(anyascii(family_name)).split()
    return " ".join(jellyfish.metaphone(word) for word in words if word)


class BlindIndexer:
    """HMAC-SHA256 with one HKDF-derived subkey per index name."""

    def __init__(self, root_key: bytes) -> None:
        self._root = root_key
        self._subkeys: dict[str, bytes] = {}

    def _subkey(self, index: str) -> bytes:
        key = self._subkeys.get(index)
        if key is None:
            key = HKDF(
                algorithm=hashes.SHA256(),
                length=32,
                salt=None,
                info=f"registry blind index {index}".encode(),
            ).derive(self._root)
            self._subkeys[index] = key
        return key

    def compute(self, index: str, *parts: object) -> str | None:
        """The index value over normalised parts, or None when any part is empty."""
        # An erased value (ERASED, an empty text) gives no index, as an empty one.
        normalised = [normalise(part) if part is not None else "" for part in parts]
        if not all(normalised):
            return None
        message = "\x1f".join(normalised).encode()
        return hmac.new(self._subkey(index), message, hashlib.sha256).hexdigest()


def _required_key(variable: str, without_it: str = "") -> bytes:
    """The key in the setting ``variable``, decoded; ImproperlyConfigured naming the variable
    (and ``without_it``, what cannot be done) when it is not set."""
    value = getattr(settings, variable)
    if not value:
        raise ImproperlyConfigured(f"{variable} is not set{without_it}")
    return _decode_key(variable, value)


def _index_key() -> bytes:
    return _required_key("REGISTRY_BLIND_INDEX_KEY")


def _audit_key() -> bytes:
    return _required_key(
        "REGISTRY_AUDIT_KEY", "; the audit trail cannot be sealed or verified without it"
    )


@lru_cache(maxsize=1)
def get_blind_indexer() -> BlindIndexer:
    return BlindIndexer(_index_key())


def blind_index(index: str, *parts: object) -> str | None:
    return get_blind_indexer().compute(index, *parts)


# The audit chain -------------------------------------------------------------------------------

AUDIT_CHAIN_INFO = b"registry audit chain"


class AuditSealer:
    """HMAC-SHA256 of the audit chain, under a subkey HKDF derives from the audit key.

    The subkey (rather than the key itself) keeps the audit key usable for other purposes later
    without two uses ever sharing a MAC key, as the blind indexes do with their own key.
    """

    def __init__(self, root_key: bytes) -> None:
        subkey = HKDF(
            algorithm=hashes.SHA256(), length=32, salt=None, info=AUDIT_CHAIN_INFO
        ).derive(root_key)
        # Keyed once; each seal copies the keyed state instead of hashing the key again.
        self._mac = hmac.new(subkey, digestmod=hashlib.sha256)

    def seal(self, message: bytes) -> str:
        """The hex HMAC of ``message``: 64 characters, like the SHA-256 it replaced."""
        mac = self._mac.copy()
        mac.update(message)
        return mac.hexdigest()


@lru_cache(maxsize=1)
def get_audit_sealer() -> AuditSealer:
    return AuditSealer(_audit_key())


def audit_seal(message: bytes) -> str:
    """The audit chain's keyed hash of ``message`` (see registry/models/audit.py)."""
    return get_audit_sealer().seal(message)


def validate_configuration() -> None:
    """Raise ImproperlyConfigured naming the variable when a key is missing or malformed."""
    keyring = Keyring.parse(settings.REGISTRY_ENCRYPTION_KEYS)
    index_key = _index_key()
    if index_key in keyring.keys.values():
        raise ImproperlyConfigured(
            "REGISTRY_BLIND_INDEX_KEY must differ from every key in REGISTRY_ENCRYPTION_KEYS"
        )
    audit_key = _audit_key()
    if audit_key in keyring.keys.values() or audit_key == index_key:
        raise ImproperlyConfigured(
            "REGISTRY_AUDIT_KEY must differ from every key in REGISTRY_ENCRYPTION_KEYS and "
            "from REGISTRY_BLIND_INDEX_KEY"
        )


_cache_resets: list = []


def register_cache_reset(reset: object) -> None:
    """Have ``reset()`` called with :func:`reset_caches` (the opened data keys)."""
    _cache_resets.append(reset)


def shred_person_key(person: object) -> bool:
    """Crypto-shred one person (a Person or its id): see registry.models.keys.shred_person_key.

    Every value sealed under the person's data key becomes unreadable, in the database and in
    every backup of the data; safe to run twice; True when this call destroyed the key."""
    from registry.models.keys import shred_person_key as shred

    return shred(person)


def reset_caches() -> None:
    for reset in _cache_resets:
        reset()  # type: ignore[operator]
    get_keyring.cache_clear()
    get_blind_indexer.cache_clear()
    get_audit_sealer.cache_clear()


@receiver(setting_changed)
def _reset_on_setting_change(*, setting: str, **kwargs: object) -> None:
    if setting in {"REGISTRY_ENCRYPTION_KEYS", "REGISTRY_BLIND_INDEX_KEY", "REGISTRY_AUDIT_KEY"}:
        reset_caches()
