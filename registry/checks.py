"""Start-up checks: no server or ``manage.py check`` without valid keys in production
(the keyring, the blind-index key and the audit key), nor with keys other than those the
stored data was made with (the key canary, registry/canary.py)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core import checks
from django.core.exceptions import ImproperlyConfigured

from registry.crypto import validate_configuration


@checks.register(checks.Tags.security, deploy=False)
def check_encryption_keys(app_configs: Any = None, **kwargs: Any) -> list[checks.CheckMessage]:
    try:
        validate_configuration()
    except ImproperlyConfigured as exc:
        level = checks.Warning if settings.DEBUG else checks.Error
        return [
            level(
                str(exc),
                hint=(
                    "Set REGISTRY_ENCRYPTION_KEYS ('id:key,...', 32-byte URL-safe base64 keys), "
                    "REGISTRY_BLIND_INDEX_KEY and REGISTRY_AUDIT_KEY (each a key of its own); "
                    "'make keys' writes development keys."
                ),
                id="registry.W001" if settings.DEBUG else "registry.E001",
            )
        ]
    if not settings.DEBUG and not settings.SECRET_KEY:
        return [checks.Error("DJANGO_SECRET_KEY is not set", id="registry.E002")]
    return []


@checks.register(checks.Tags.security, deploy=False)
def check_key_canary(app_configs: Any = None, **kwargs: Any) -> list[checks.CheckMessage]:
    """The keys against the canary stored with the data (registry/canary.py)."""
    from registry import canary

    return [checks.Error(message, id=check_id) for check_id, message in canary.problems()]
