from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from registry import drafts
from registry.models.drafts import DRAFT_HOURS


class Command(BaseCommand):
    help = (
        f"Delete the drafts of forms (the staff intake, the reporter's form) not touched for "
        f"{DRAFT_HOURS} hours. Safe to run at any time and twice; run it every hour."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        deleted = drafts.prune()
        self.stdout.write(f"{deleted} draft(s) older than {DRAFT_HOURS} hours deleted.")
