"""Logging in through the real two-step login (django-two-factor-auth's wizard) in tests.

``client_for`` (tests/conftest.py) gives most tests a ready session; these helpers are for the
tests about logging in itself: they post what the login page's form posts.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.test import Client
from django.utils import timezone
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

LOGIN_URL = "/accounts/login/"
WIZARD = "login_view-current_step"


def device_for(user: Any) -> TOTPDevice:
    """The user's authenticator (a confirmed TOTP device), made if they have none."""
    return TOTPDevice.objects.filter(user=user, confirmed=True).first() or (
        TOTPDevice.objects.create(user=user, name="default", confirmed=True)
    )


def current_code(device: TOTPDevice) -> str:
    """The code the user's authenticator app shows now."""
    device.refresh_from_db()
    value = totp(device.bin_key, device.step, device.t0, device.digits, device.drift)
    return str(value).zfill(device.digits)


def after_throttle(device: TOTPDevice) -> None:
    """Move the device's last failure a minute back, as if the user waited before retrying.

    django-otp makes a device wait 1, 2, 4... seconds after each wrong code.
    """
    TOTPDevice.objects.filter(pk=device.pk).update(
        throttling_failure_timestamp=timezone.now() - datetime.timedelta(minutes=1)
    )


def post_password(client: Client, username: str, password: str, **extra: str) -> Any:
    """Step 1 of the login: user name and password."""
    return client.post(
        LOGIN_URL + extra.pop("query", ""),
        {WIZARD: "auth", "auth-username": username, "auth-password": password, **extra},
    )


def post_code(client: Client, code: str, *, step: str = "token") -> Any:
    """Step 2 of the login: the authenticator's code (or a backup code, step="backup")."""
    return client.post(LOGIN_URL, {WIZARD: step, f"{step}-otp_token": code})


def verify_second_factor(client: Client, user: Any) -> None:
    """Give ``client``'s session a verified second factor, as the two-step login would.

    The session holds the device and a fresh "verified at" mark, exactly what login and
    enrolment write (registry.second_factor).
    """
    from registry.second_factor import mark_verified

    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device_for(user).persistent_id
    request = type("Request", (), {"session": session})()
    mark_verified(request)
    session.save()
