"""``manage.py refresh_search_tokens``: work the name search's blind indexes out again."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from registry.keyops import DEFAULT_BATCH_SIZE, KeyOperationError, refresh_search_tokens
from registry.management.commands.rotate_keys import positive_int
from registry.terminal import progress_bar


class Command(BaseCommand):
    help = (
        "Work out again, from the stored (encrypted) names, the blind indexes the name search "
        "looks up (each word of the family and given names, registry.models.search_tokens) "
        "and replace them, in batches, one transaction per batch. Run it after changing "
        "REGISTRY_BLIND_INDEX_KEY, or to repair; safe to run twice. Prints counts only."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--batch-size",
            type=positive_int,
            default=DEFAULT_BATCH_SIZE,
            help=f"persons per batch and transaction (default {DEFAULT_BATCH_SIZE})",
        )

    def handle(self, *args: Any, batch_size: int, **options: Any) -> None:
        try:
            with progress_bar("refresh_search_tokens") as progress:
                read = refresh_search_tokens(batch_size=batch_size, progress=progress)
        except KeyOperationError as exc:
            raise CommandError(
                f"stopped: {exc}. Batches before this one are committed; run it again once "
                "the keyring opens every name."
            ) from None
        self.stdout.write(f"Search indexes worked out again for {read} person(s).")
