"""Re-seal the audit chain under REGISTRY_AUDIT_KEY: HMAC-SHA256 in place of plain SHA-256.

Until now each event's ``hash`` was a SHA-256 over its canonical content and ``prev_hash``, so
anyone who could write to the database could delete events and recompute every later hash.
From here on it is an HMAC-SHA256 under a subkey derived (HKDF, info "registry audit chain")
from a key kept outside the database (registry/crypto.py, registry/models/audit.py).

Forwards, in id order and in batches: each event's old SHA-256 link and hash are checked first,
then the event is re-sealed under the key and linked to the re-sealed event before it; the
chain head moves to the new last hash. An old chain that is already broken stops the migration
with the first broken event named: re-sealing it would launder the break into an intact-looking
chain. Backwards does the same in reverse (checks the keyed chain, writes SHA-256 again), so
``migrate registry 0007`` gives the earlier release a chain it can verify.

The key is needed only when there are events to seal: a new installation migrates without it
(the start-up checks ask for it before anything is recorded). With events and no key, the
migration stops with a message naming the variable.

The canonical form and the key derivation are copied here, not imported, so that this
migration keeps doing what it did when a later release changes the model (which will need a
migration of its own to re-seal).

The whole migration runs in one transaction (``atomic``): a failure leaves the old chain as it
was, never half re-sealed.
"""

import base64
import binascii
import datetime
import hashlib
import hmac
import json

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import migrations

GENESIS_HASH = "0" * 64
BATCH_SIZE = 1000


class BrokenAuditChain(Exception):
    """The chain to be re-sealed does not verify under its current seal."""


def canonical_content(event, prev_hash):
    content = {
        "at": event.at.astimezone(datetime.UTC).isoformat(),
        "actor_id": event.actor_id,
        "actor": event.actor,
        "action": event.action,
        "object_type": event.object_type,
        "object_id": event.object_id,
        "case_id": str(event.case_id) if event.case_id else None,
        "details": event.details,
        "prev": prev_hash,
    }
    canonical = json.dumps(content, sort_keys=True, separators=(",", ":"), default=str)
    return canonical.encode("utf-8")


def sha256_seal(message):
    return hashlib.sha256(message).hexdigest()


def keyed_seal():
    """The HMAC-SHA256 seal under the audit key, or ImproperlyConfigured naming the variable."""
    value = (getattr(settings, "REGISTRY_AUDIT_KEY", "") or "").strip()
    if not value:
        raise ImproperlyConfigured(
            "REGISTRY_AUDIT_KEY is not set: migration registry.0008_audit_chain_keyed re-seals "
            "the existing audit events under it. Set it (production: in the environment, see "
            "docs/deployment.md; development: 'make keys' adds it to var/dev-keys.env) and run "
            "migrate again. Nothing was changed."
        )
    try:
        raw = base64.urlsafe_b64decode(value + "=" * (-len(value) % 4))
    except (binascii.Error, ValueError):
        raise ImproperlyConfigured("REGISTRY_AUDIT_KEY: a key is not URL-safe base64") from None
    if len(raw) != 32:
        raise ImproperlyConfigured(
            f"REGISTRY_AUDIT_KEY: a key must be 32 bytes of URL-safe base64, got {len(raw)} bytes"
        )
    subkey = HKDF(
        algorithm=hashes.SHA256(), length=32, salt=None, info=b"registry audit chain"
    ).derive(raw)

    def seal(message):
        return hmac.new(subkey, message, hashlib.sha256).hexdigest()

    return seal


def reseal(apps, schema_editor, *, old_seal, new_seal, old_name, new_name):
    AuditEvent = apps.get_model("registry", "AuditEvent")
    AuditChainHead = apps.get_model("registry", "AuditChainHead")
    db = schema_editor.connection.alias
    events = AuditEvent._base_manager.using(db)
    if not events.exists():
        return  # nothing to seal, so no key needed
    old, new = old_seal(), new_seal()

    def refuse(where, reason):
        raise BrokenAuditChain(
            f"The audit chain is already broken at {where}: {reason} (checked as {old_name}). "
            f"This migration re-seals every event as {new_name} and would turn the break into "
            "a chain that looks intact, so it stops here and changes nothing. Keep a copy of "
            "the database as evidence, find out what happened, and restore the audit tables "
            "(registry_auditevent, registry_auditchainhead) from a backup made before the "
            "break; then run migrate again."
        )

    previous_old = previous_new = GENESIS_HASH
    last_id = 0
    while True:
        batch = list(events.filter(id__gt=last_id).order_by("id")[:BATCH_SIZE])
        if not batch:
            break
        for event in batch:
            if event.prev_hash != previous_old:
                refuse(f"event {event.pk}", "its link to the previous event does not match")
            if old(canonical_content(event, event.prev_hash)) != event.hash:
                refuse(f"event {event.pk}", "its content does not match its hash")
            previous_old = event.hash
            event.prev_hash = previous_new
            event.hash = new(canonical_content(event, previous_new))
            previous_new = event.hash
        events.bulk_update(batch, ["prev_hash", "hash"])
        last_id = batch[-1].pk
    head = AuditChainHead._base_manager.using(db).filter(pk=1).first()
    if head is not None and head.last_hash != previous_old:
        refuse("the chain head", "the newest event is missing (the chain head points elsewhere)")
    AuditChainHead._base_manager.using(db).update_or_create(
        pk=1, defaults={"last_hash": previous_new}
    )


def to_keyed(apps, schema_editor):
    reseal(
        apps,
        schema_editor,
        old_seal=lambda: sha256_seal,
        new_seal=keyed_seal,
        old_name="SHA-256",
        new_name="HMAC-SHA256 under REGISTRY_AUDIT_KEY",
    )


def to_sha256(apps, schema_editor):
    reseal(
        apps,
        schema_editor,
        old_seal=keyed_seal,
        new_seal=lambda: sha256_seal,
        old_name="HMAC-SHA256 under REGISTRY_AUDIT_KEY",
        new_name="SHA-256",
    )


class Migration(migrations.Migration):
    atomic = True  # never a half re-sealed chain

    dependencies = [
        ("registry", "0007_audit_actions_for_trust"),
    ]

    operations = [migrations.RunPython(to_keyed, to_sha256, elidable=False)]
