"""``manage.py make_dev_keys``: the development keys of a local run, in var/dev-keys.env."""

from __future__ import annotations

import datetime
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from registry.crypto import generate_key


def _keyring() -> str:
    return f"dev{datetime.date.today():%Y%m%d}:{generate_key()}"


# Every variable the file holds, in order, with how a new value is made.
DEV_KEYS: dict[str, Callable[[], str]] = {
    "REGISTRY_ENCRYPTION_KEYS": _keyring,
    "REGISTRY_BLIND_INDEX_KEY": generate_key,
    "REGISTRY_AUDIT_KEY": generate_key,
}

HEADER = (
    "# Development keys for a local run only. Never use them in production.\n"
    "# Losing this file makes the local database's personal data unreadable.\n"
)


def _names_in(text: str) -> set[str]:
    """The variables a KEY=VALUE file sets, as config.env.load_env_file reads it."""
    names = set()
    for line in text.splitlines():
        line = line.strip()
        if line and not line.startswith("#") and "=" in line:
            names.add(line.split("=", 1)[0].strip())
    return names


class Command(BaseCommand):
    help = (
        "Write development keys (REGISTRY_ENCRYPTION_KEYS, REGISTRY_BLIND_INDEX_KEY, "
        "REGISTRY_AUDIT_KEY) to var/dev-keys.env, which git ignores and settings read only with "
        "DJANGO_DEBUG on. An existing file is never rewritten: losing its keyring makes every "
        "encrypted value unreadable. A key the file lacks (the audit key, in files written "
        "before it existed) is appended; the lines already there stay as they are."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        if not settings.DEBUG:
            raise CommandError(
                "make_dev_keys is for local development (DJANGO_DEBUG=1). In production, set "
                + ", ".join(DEV_KEYS)
                + " in the environment."
            )
        path: Path = settings.DEV_KEYS_FILE
        if path.exists():
            self._complete(path)
            return
        path.parent.mkdir(parents=True, exist_ok=True)
        content = HEADER + "".join(f"{name}={make()}\n" for name, make in DEV_KEYS.items())
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(content)
        key_id = content.split("REGISTRY_ENCRYPTION_KEYS=", 1)[1].split(":", 1)[0]
        self.stdout.write(
            self.style.SUCCESS(f"Wrote development keys to {path} (key id {key_id}).")
        )

    def _complete(self, path: Path) -> None:
        """Append the keys an older file lacks; never touch a line already in it."""
        text = path.read_text(encoding="utf-8")
        missing = [name for name in DEV_KEYS if name not in _names_in(text)]
        if not missing:
            self.stdout.write(f"Development keys already exist in {path}; left unchanged.")
            return
        lines = "".join(f"{name}={DEV_KEYS[name]()}\n" for name in missing)
        separator = "" if not text or text.endswith("\n") else "\n"
        with path.open("a", encoding="utf-8") as handle:
            handle.write(separator + lines)
        self.stdout.write(
            self.style.SUCCESS(
                f"Added {', '.join(missing)} to {path}; the keys already there are unchanged."
            )
        )
