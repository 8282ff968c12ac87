"""A real browser: each demo role logs in and finds where to go."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from django.test import override_settings

pytestmark = pytest.mark.django_db(transaction=True)


def _seed_demo(registrations: str) -> None:
    with override_settings(DEBUG=True):  # seed_demo refuses to run in production
        call_command(
            "seed_demo",
            "--registrations",
            registrations,
            "--password",
            "browser-pass-1",
            stdout=io.StringIO(),
        )


def test_coordinator_logs_in_and_sees_the_workspace_link(live_server, page, browser_login):
    _seed_demo("5")
    browser_login(page, live_server, "coordinator-a", "browser-pass-1")
    assert page.locator("h1").inner_text().startswith(("Welkom", "Welcome"))
    page.get_by_role("link", name="Open workspace").or_(
        page.get_by_role("link", name="Werkruimte openen")
    ).first.click()
    assert "/cases/" in page.url


def test_wrong_password_shows_an_error_and_keeps_the_user_name(live_server, page):
    _seed_demo("0")
    page.goto(live_server.url + "/accounts/login/")
    page.fill("#id_auth-username", "helpdesk")
    page.fill("#id_auth-password", "wrong-password")
    page.locator("main button[type=submit]").click()
    assert page.locator(".alert-danger").is_visible()
    assert page.input_value("#id_auth-username") == "helpdesk"


def test_staff_log_in_with_the_code_from_demo_code(live_server, page):
    """The newcomer's path: seed_demo, then the code that `manage.py demo_code` prints."""
    _seed_demo("0")
    page.goto(live_server.url + "/accounts/login/")
    page.fill("#id_auth-username", "coordinator-a")
    page.fill("#id_auth-password", "browser-pass-1")
    page.locator("main button[type=submit]").click()
    page.wait_for_selector("#id_token-otp_token")
    out = io.StringIO()
    with override_settings(DEBUG=True):
        call_command("demo_code", "coordinator-a", stdout=out)
    page.fill("#id_token-otp_token", out.getvalue().split()[0])
    with page.expect_navigation():
        page.locator("main button[type=submit]").first.click()
    assert page.locator("h1").inner_text().startswith(("Welkom", "Welcome"))


def test_first_login_sets_up_an_authenticator_from_the_qr_page(live_server, page, password):
    """A staff user without a device enrols: the key shown is what the app would scan."""
    import base64

    from django_otp.oath import totp

    from tests.factories import RegionFactory, UserFactory

    UserFactory(username="new-coord", regions=[RegionFactory(code="e2e-region")])
    page.goto(live_server.url + "/accounts/login/")
    page.fill("#id_auth-username", "new-coord")
    page.fill("#id_auth-password", password)
    with page.expect_navigation():
        page.locator("main button[type=submit]").click()
    page.goto(live_server.url + "/cases/")
    assert "/accounts/two-factor/setup/" in page.url
    page.locator("main button[type=submit]").click()
    secret = page.locator("code.user-select-all").inner_text()
    # The QR code is an image the browser could load and draw.
    page.wait_for_function("() => document.querySelector('main img').naturalWidth > 0")
    code = str(totp(base64.b32decode(secret), 30, 0, 6, 0)).zfill(6)
    page.fill("#id_generator-token", code)
    with page.expect_navigation():
        page.locator("main button[type=submit]").click()
    assert "/accounts/two-factor/setup/complete/" in page.url
    page.goto(live_server.url + "/cases/")
    assert "/cases/" in page.url
