from __future__ import annotations

import time
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from registry.models import User


class Command(BaseCommand):
    help = (
        "Print the current login code of a demo user's authenticator, or of every user's "
        "(local runs with DJANGO_DEBUG=1 only), so the demo works without a phone. Refused in "
        "production."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "username", nargs="?", help="one user, e.g. coordinator-a (default: every user)"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if not settings.DEBUG:
            raise CommandError(
                "demo_code reads a second factor's secret, so it runs only for a local demo "
                "(DJANGO_DEBUG=1), never in production."
            )
        if options["username"] is None:
            devices = TOTPDevice.objects.filter(confirmed=True).select_related("user")
            for device in devices.order_by("user__username"):
                code, left = _current(device)
                name = device.user.get_username()
                self.stdout.write(f"  {name:<14} {code}  (valid for {left} more seconds)")
            return
        user = User.objects.filter(username=options["username"]).first()
        if user is None:
            raise CommandError(f"no user named {options['username']!r}")
        device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
        if device is None:
            raise CommandError(
                f"{user.get_username()!r} has no authenticator yet: the app asks for one at the "
                "first login (scan the QR code with any authenticator app)."
            )
        code, left = _current(device)
        self.stdout.write(f"{code}  (valid for {left} more seconds)")


def _current(device: TOTPDevice) -> tuple[str, int]:
    """The code the device shows now, and how many seconds it stays valid."""
    code = totp(device.bin_key, device.step, device.t0, device.digits, device.drift)
    left = device.step - int(time.time() - device.t0) % device.step
    return str(code).zfill(device.digits), left
