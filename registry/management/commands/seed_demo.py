from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction

from registry import demo, reference_data
from registry.models import Registration


class Command(BaseCommand):
    help = (
        "Prepare a demo registry for a local run (DJANGO_DEBUG=1 only): reference data, one "
        "demo user per role (admin, helpdesk, coordinator-a, coordinator-b, reporter), each "
        "staff user with an authenticator whose code `manage.py demo_code USER` prints, and "
        "synthetic registrations with Faker names, including repeat registrations of the same "
        "persons. Safe to run twice: existing accounts are never changed and registrations are "
        "topped up to N, not added again. Prints the logins."
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
            help=f"Password of the demo users it creates (default {demo.DEMO_PASSWORD}).",
        )
        parser.add_argument("--seed", type=int, default=2026, help="Random seed.")

    def handle(self, *args: Any, **options: Any) -> None:
        if not settings.DEBUG:
            raise CommandError(
                "seed_demo creates accounts with a published password, so it runs only for a "
                "local demo (DJANGO_DEBUG=1), never in production."
            )
        wanted = options["registrations"]
        if wanted < 0 or wanted > 1_000_000:
            raise CommandError("--registrations must be between 0 and 1000000")
        password = options["password"]
        if password is not None:
            try:
                validate_password(password)
            except ValidationError as error:
                raise CommandError("--password: " + " ".join(error.messages)) from None
        with transaction.atomic():
            reference_data.load()
            users = demo.ensure_users(password)
        missing = max(0, wanted - Registration.objects.count())
        made = demo.create_registrations(missing, seed=options["seed"]) if missing else {}
        demo.ensure_shelters()
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
            secret = shown if created else "(unchanged)"
            self.stdout.write(f"  {spec.username:<14} {secret:<20} {spec.description}")
        self.stdout.write(
            "\nStaff log in with a second factor: after the password, the login asks for a code."
            "\nThe demo users' current codes, in a second terminal:\n"
            "  make demo-code                  (every demo user)\n"
            "  make demo-code DEMO_USER=admin  (one user; or: DJANGO_DEBUG=1 "
            ".venv/bin/python manage.py demo_code admin)\n"
        )
