from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand
from django.db import transaction

from registry import municipalities, reference_data


class Command(BaseCommand):
    help = (
        "Load the default care-coordination regions and reporting organisations of "
        "VOCABULARY.md and the Dutch municipalities of registry/data/municipalities.csv. Creates "
        "only what is missing (and deactivates municipalities the file marks as merged); never "
        "overwrites an administrator's edits. Safe to run twice."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        with transaction.atomic():
            created = reference_data.load()
        self.stdout.write(
            self.style.SUCCESS(
                f"Reference data: {created['regions']} regions and "
                f"{created['organisations']} organisations created "
                f"({len(reference_data.REGIONS)} and {len(reference_data.ORGANISATIONS)} "
                "defaults); "
                f"{created['municipalities']} municipalities created, "
                f"{created['municipalities_deactivated']} deactivated."
            )
        )
        listed = municipalities.read_list()
        if not listed.complete:
            self.stdout.write(
                self.style.WARNING(
                    f"The municipality list is incomplete ({len(listed.entries)} entries): "
                    "see registry/data/municipalities.csv and docs/data-dictionary.md."
                )
            )
