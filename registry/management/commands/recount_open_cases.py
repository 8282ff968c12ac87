"""``manage.py recount_open_cases``: set each coordinator's open-case count to the plain count."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from registry.models import OpenCaseCount


class Command(BaseCommand):
    help = (
        "Count every coordinator's open cases afresh and correct the counts routing reads "
        "(registry OpenCaseCount). Case.save() keeps them; run this after restoring a backup "
        "or after a write to cases that went around Case.save(). Prints how many counts were "
        "corrected; counts only, never a case or a person. Safe to run any time, and twice."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        changed = OpenCaseCount.objects.recount()
        self.stdout.write(f"{changed} open-case count(s) corrected.")
