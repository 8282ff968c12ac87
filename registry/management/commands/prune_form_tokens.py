from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from registry import once


class Command(BaseCommand):
    help = (
        "Delete the used one-time form tokens older than a form may stay open (a day): such a "
        "token is refused anyway. Safe to run at any time and twice; run it daily."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        deleted = once.prune()
        self.stdout.write(f"{deleted} used form token(s) deleted.")
