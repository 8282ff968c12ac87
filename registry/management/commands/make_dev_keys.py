from __future__ import annotations

import datetime
import os
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from registry.crypto import generate_key


class Command(BaseCommand):
    help = (
        "Write a development keyring (REGISTRY_ENCRYPTION_KEYS and REGISTRY_BLIND_INDEX_KEY) to "
        "var/dev-keys.env, which git ignores and settings read only with DJANGO_DEBUG on. Never "
        "overwrites an existing file: losing it makes every encrypted value unreadable."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        if not settings.DEBUG:
            raise CommandError(
                "make_dev_keys is for local development (DJANGO_DEBUG=1). In production, set "
                "REGISTRY_ENCRYPTION_KEYS and REGISTRY_BLIND_INDEX_KEY in the environment."
            )
        path = settings.DEV_KEYS_FILE
        if path.exists():
            self.stdout.write(f"Development keys already exist in {path}; left unchanged.")
            return
        path.parent.mkdir(parents=True, exist_ok=True)
        key_id = f"dev{datetime.date.today():%Y%m%d}"
        content = (
            "# Development keys for a local run only. Never use them in production.\n"
            "# Losing this file makes the local database's personal data unreadable.\n"
            f"REGISTRY_ENCRYPTION_KEYS={key_id}:{generate_key()}\n"
            f"REGISTRY_BLIND_INDEX_KEY={generate_key()}\n"
        )
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(content)
        self.stdout.write(
            self.style.SUCCESS(f"Wrote development keys to {path} (key id {key_id}).")
        )
