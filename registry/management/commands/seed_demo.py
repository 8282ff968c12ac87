from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction

from registry import demo, reference_data
from registry.models import Registration


class Command(BaseCommand):
    help = (
        "Prepare a demo registry: reference data, one demo user per role (admin, helpdesk, "
        "coordinator-a, coordinator-b, reporter) and synthetic registrations with Faker names, "
        "including repeat registrations of the same persons. Safe to run twice: users are "
        "created once and registrations are topped up to N, not added again. Prints the logins."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--registrations",
            type=int,
            default=200,
            metavar="N",
            help="How many registrations the registry should hold at least (default 200).",
        )
        parser.add_argument(
            "--password",
            default=None,
            metavar="P",
            help=f"Password of every demo user (default on creation: {demo.DEMO_PASSWORD}).",
        )
        parser.add_argument("--seed", type=int, default=2026, help="Random seed.")

    def handle(self, *args: Any, **options: Any) -> None:
        wanted = options["registrations"]
        if wanted < 0 or wanted > 1_000_000:
            raise CommandError("--registrations must be between 0 and 1000000")
        password = options["password"]
        if password is not None and len(password) < 8:
            raise CommandError("--password must be at least 8 characters")
        with transaction.atomic():
            reference_data.load()
            users = demo.ensure_users(password)
        missing = max(0, wanted - Registration.objects.count())
        made = demo.create_registrations(missing, seed=options["seed"]) if missing else {}
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo data: {made.get('registrations', 0)} registrations, "
                f"{made.get('persons', 0)} persons and {made.get('cases', 0)} cases created; "
                f"{Registration.objects.count()} registrations in all."
            )
        )
        shown = password or demo.DEMO_PASSWORD
        self.stdout.write("\nDemo logins (user name / password):")
        for spec, created in users:
            note = "" if created or password else "  (existing user: password unchanged)"
            self.stdout.write(f"  {spec.username:<14} {shown}   {spec.description}{note}")
        self.stdout.write("")
