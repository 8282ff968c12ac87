"""The key canary: a wrong key is found at start-up, not by searches that silently find nothing.

A blind index made under another REGISTRY_BLIND_INDEX_KEY matches nothing stored: every exact
search and duplicate check would quietly answer "no such person" and new registrations would
be filed as new people. So the database keeps one ``KeyCanary`` row: the blind index of a
fixed constant under the index key, and the constant sealed under the keyring's active key.
It is written by ``migrate`` (post_migrate) when there is none, compared by a system check
(``registry.E010``/``E011``: runserver, every management command, ``migrate`` before it
writes) and by config/wsgi.py before gunicorn serves. ``rotate_keys`` re-seals it with the
other encrypted values, so after a rotation it names the new key.

When the canary cannot be read (no table yet before the first migrate, the database not
reachable), nothing is said: there is nothing stored to protect yet, or the request path
answers 503 (config/errors.py).
"""

from __future__ import annotations

import logging
from typing import Any

from django.core.exceptions import ImproperlyConfigured
from django.db import DatabaseError, router

from registry.crypto import DecryptionError, EncryptionError, blind_index

logger = logging.getLogger(__name__)

# The index name (its own HKDF subkey) and the constant; changing either invalidates every
# stored canary, so they are never changed.
INDEX = "key canary"
CONSTANT = "registry key canary 1"

WRONG_INDEX_KEY = (
    "REGISTRY_BLIND_INDEX_KEY is not the key the stored blind indexes were made with: "
    "searches and duplicate checks would find nobody. Set REGISTRY_BLIND_INDEX_KEY back to "
    "the key in use when the data was saved (from the keyring's backup). If the index key "
    "really must change, every blind index has to be recomputed first (docs/deployment.md, "
    "'Key canary')."
)
WRONG_KEYRING = (
    "REGISTRY_ENCRYPTION_KEYS cannot open the stored data: {error}. Add that key to "
    "REGISTRY_ENCRYPTION_KEYS (from the keyring's backup) and start again."
)


def _stored() -> Any:
    from registry.models import KeyCanary

    return KeyCanary.objects.using(router.db_for_read(KeyCanary)).first()


def expected_index() -> str:
    return blind_index(INDEX, CONSTANT) or ""


def problems() -> list[tuple[str, str]]:
    """(check id, message) for what is wrong with the keys against the stored canary: nothing
    when they fit, when there is no canary yet, or when the database cannot be read."""
    try:
        canary = _stored()
    except DatabaseError:
        return []
    if canary is None:
        return []
    found = []
    try:
        if canary.blind_index != expected_index():
            found.append(("registry.E010", WRONG_INDEX_KEY))
    except ImproperlyConfigured:
        pass  # a missing or malformed key is registry.E001's to report
    try:
        if canary.sealed != CONSTANT:
            error = "the canary opened to another value"
            found.append(("registry.E011", WRONG_KEYRING.format(error=error)))
    except DecryptionError as error:
        found.append(("registry.E011", WRONG_KEYRING.format(error=error)))
    except (EncryptionError, ImproperlyConfigured):
        pass
    return found


def write_if_missing(**kwargs: Any) -> None:
    """post_migrate: store the canary under the current keys when there is none yet (and
    when the migrations applied have its table: ``migrate`` back to before it leaves none)."""
    from registry.models import KeyCanary

    state = kwargs.get("apps")
    if state is not None:
        try:
            state.get_model("registry", "KeyCanary")
        except LookupError:
            return
    try:
        if KeyCanary.objects.exists():
            return
        KeyCanary.objects.create(blind_index=expected_index(), sealed=CONSTANT)
    except ImproperlyConfigured:
        logger.warning("No key canary written: the keys are not configured.")


def refuse_wrong_keys() -> None:
    """Raise ImproperlyConfigured naming the wrong key (for config/wsgi.py)."""
    found = problems()
    if found:
        raise ImproperlyConfigured(" ".join(message for _id, message in found))
