"""A real browser: each demo role logs in and finds where to go."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command

pytestmark = pytest.mark.django_db(transaction=True)


def test_coordinator_logs_in_and_sees_the_workspace_link(live_server, page, browser_login):
    call_command(
        "seed_demo", "--registrations", "5", "--password", "browser-pass-1", stdout=io.StringIO()
    )
    browser_login(page, live_server, "coordinator-a", "browser-pass-1")
    assert page.locator("h1").inner_text().startswith(("Welkom", "Welcome"))
    page.get_by_role("link", name="Open workspace").or_(
        page.get_by_role("link", name="Werkruimte openen")
    ).first.click()
    assert "/cases/" in page.url


def test_wrong_password_shows_an_error_and_keeps_the_user_name(live_server, page):
    call_command(
        "seed_demo", "--registrations", "0", "--password", "browser-pass-1", stdout=io.StringIO()
    )
    page.goto(live_server.url + "/accounts/login/")
    page.fill("#id_username", "helpdesk")
    page.fill("#id_password", "wrong-password")
    page.locator("main button[type=submit]").click()
    assert page.locator(".alert-danger").is_visible()
    assert page.input_value("#id_username") == "helpdesk"
