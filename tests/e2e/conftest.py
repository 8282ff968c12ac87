"""Fixtures for the browser tests: Playwright's sync API driving Debian's Chromium.

Playwright cannot download its own browser here, so the tests use /usr/bin/chromium
(``make devdeps`` installs it through scripts/ensure-chromium.sh). Without it the tests skip
with a reason, except when ``CI`` is set: then they fail, so CI can never skip them silently.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Browser, Page, sync_playwright

# Playwright's sync API runs an asyncio event loop in the test thread, which trips Django's
# async-unsafe check for the ORM calls that tests and live_server make in the same thread.
# Django reads this at each call, so setting it here (before any test runs) is enough.
# Note: it applies to the whole pytest session once this conftest is loaded.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]
LOGIN_PATH = "/accounts/login/"
TIMEOUT_MS = 10_000

_HERE = Path(__file__).resolve().parent


def _in_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() not in ("", "0", "false", "no")


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Mark every test under tests/e2e/ as ``e2e``, so ``-m "not e2e"`` leaves them out."""
    for item in items:
        if _HERE in item.path.resolve().parents:
            item.add_marker(pytest.mark.e2e)


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    """One headless Chromium for the whole session."""
    if not CHROMIUM.exists():
        reason = (
            f"{CHROMIUM} not found: the browser tests need Debian's Chromium "
            "(run `make devdeps` as root, or `apt-get install -y chromium`)"
        )
        if _in_ci():
            pytest.fail(f"CI is set, so not skipping: {reason}", pytrace=False)
        pytest.skip(reason)

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    """A page in a fresh browser context: no cookies or storage carried between tests."""
    context = browser.new_context()
    context.set_default_timeout(TIMEOUT_MS)
    try:
        yield context.new_page()
    finally:
        context.close()


@pytest.fixture
def browser_login() -> Callable[[Page, Any, str, str], None]:
    """Return ``login(page, live_server, username, password)``, which logs in through the form.

    Step 1 is the user name and password; staff then get step 2, where this types the code
    their authenticator would show (their TOTP device, made if they have none, as if they had
    enrolled). Fails the test with the page's messages if the login page is still shown.
    """

    def login(page: Page, live_server: Any, username: str, password: str) -> None:
        from registry.access import needs_second_factor
        from registry.models import User
        from tests.logins import current_code, device_for

        user = User.objects.get(username=username)
        device = device_for(user) if needs_second_factor(user) else None
        base_url = getattr(live_server, "url", str(live_server)).rstrip("/")
        page.goto(base_url + LOGIN_PATH)
        page.fill("#id_auth-username", username)
        page.fill("#id_auth-password", password)
        with page.expect_navigation():
            page.locator("main form button[type=submit]").first.click()
        if device is not None and page.locator("#id_token-otp_token").count():
            page.fill("#id_token-otp_token", current_code(device))
            with page.expect_navigation():
                page.locator("main form button[type=submit]").first.click()
        if urlsplit(page.url).path == LOGIN_PATH:
            errors = page.locator(".errorlist, .alert, .invalid-feedback").all_inner_texts()
            pytest.fail(f"login as {username!r} failed: {errors}", pytrace=False)

    return login
