"""Every page of every role (tests/pages.py), in Dutch and in English, in a real Chromium:

- axe-core (package.json, installed by ``make devdeps``) finds no critical and no serious
  violation of WCAG 2.1 A/AA or its best practices;
- at 390 px wide (a phone) the page does not scroll sideways;
- the page's ``lang`` is the language asked for;
- a screenshot of each page at 1366x768 and at 390x844 lands in var/screenshots/<language>/,
  with what axe found (all impacts) in var/screenshots/axe-<language>.json, to look at.

One browser, one context per role and language (the login with the second factor once per
role); each language is one test, so a run shows every failing page at once.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from playwright.sync_api import Browser
from playwright.sync_api import Page as BrowserPage

from tests.e2e.conftest import TIMEOUT_MS, _in_ci
from tests.pages import LANGUAGES, USERS, Action, build_world, fill_in, pages_of
from tests.pages import Page as CrawlPage

AXE = Path(settings.BASE_DIR) / "node_modules" / "axe-core" / "axe.min.js"
SCREENSHOTS = Path(
    os.environ.get("SCREENSHOT_DIR", Path(settings.BASE_DIR) / "var" / "screenshots")
)
DESKTOP = {"width": 1366, "height": 768}
PHONE = {"width": 390, "height": 844}
BROWSER_LOCALES = {"nl": "nl-NL", "en": "en-GB"}
FAILING_IMPACTS = ("critical", "serious")
# WCAG 2.1 A and AA, and axe's best practices (landmarks, one main, headings, skip link).
AXE_OPTIONS = {
    "runOnly": {
        "type": "tag",
        "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"],
    },
    "resultTypes": ["violations"],
}
RUN_AXE = """async (options) => {
  const result = await axe.run(document, options);
  return result.violations.map((v) => ({
    id: v.id,
    impact: v.impact,
    help: v.help,
    nodes: v.nodes.slice(0, 5).map((n) => ({
      target: n.target.join(" "), summary: n.failureSummary,
    })),
  }));
}"""

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(scope="session")
def axe_source() -> str:
    """axe-core's script, from node_modules (``make devdeps`` runs ``npm ci``)."""
    if not AXE.exists():
        reason = f"{AXE} not found: run `make devdeps` (npm ci installs axe-core)"
        if _in_ci():
            pytest.fail(f"CI is set, so not skipping: {reason}", pytrace=False)
        pytest.skip(reason)
    return AXE.read_text(encoding="utf-8")


def act(page: BrowserPage, action: Action) -> None:
    if action.verb == "click":
        # Every click of the crawl sends a form. The drafts' script may keep the form back
        # until the draft is saved, then send it: wait for that navigation, not only "load".
        with page.expect_navigation():
            page.click(action.selector)
        page.wait_for_load_state("load")
    elif action.verb == "fill":
        page.fill(action.selector, action.value)
    elif action.verb == "select":
        page.select_option(action.selector, action.value)
    elif action.verb == "check":
        page.check(action.selector)
    else:
        raise AssertionError(f"unknown action {action.verb!r}")


def run_axe(page: BrowserPage, axe_source: str) -> list[dict[str, Any]]:
    # Evaluated through the browser's debugging protocol rather than a <script> tag, so the
    # registry's Content-Security-Policy (no inline script) stays as users get it.
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.evaluate(axe_source)
    return page.evaluate(RUN_AXE, AXE_OPTIONS)


def check_page(
    page: BrowserPage,
    spec: CrawlPage,
    base_url: str,
    ids: dict[str, str],
    language: str,
    axe_source: str,
    found: dict[str, Any],
) -> list[str]:
    """Visit one page at both widths; return what is wrong with it."""
    where = f"{language} {spec.role} {spec.name} ({spec.path})"
    problems = []
    page.set_viewport_size(DESKTOP)
    response = page.goto(base_url + spec.url(ids))
    for action in spec.actions:
        act(page, fill_in(action, ids))
    if not spec.actions and (response is None or response.status != spec.status):
        status = None if response is None else response.status
        problems.append(f"{where}: status {status}, expected {spec.status}")
    lang = page.evaluate("() => document.documentElement.lang")
    if lang != language:
        problems.append(f"{where}: <html lang={lang!r}>, expected {language!r}")

    violations = run_axe(page, axe_source)
    found[f"{spec.role}/{spec.name}"] = violations
    for violation in violations:
        if violation["impact"] in FAILING_IMPACTS:
            targets = "; ".join(node["target"] for node in violation["nodes"])
            problems.append(
                f"{where}: axe {violation['impact']} {violation['id']} "
                f"({violation['help']}): {targets}"
            )
    folder = SCREENSHOTS / language
    desktop = page.evaluate("() => document.documentElement.scrollWidth")
    if desktop > DESKTOP["width"]:
        problems.append(f"{where}: {desktop} px wide at {DESKTOP['width']} px")
    page.screenshot(path=folder / f"{spec.role}-{spec.name}-1366.png", full_page=True)

    page.set_viewport_size(PHONE)
    width = page.evaluate("() => document.documentElement.scrollWidth")
    if width > PHONE["width"]:
        wide = page.evaluate(
            """(limit) => Array.from(document.querySelectorAll('body *'))
                 .filter((e) => e.getBoundingClientRect().right > limit + 1)
                 .slice(0, 3).map((e) => e.tagName.toLowerCase() + (e.id ? '#' + e.id : '')
                   + (e.className && typeof e.className === 'string'
                      ? '.' + e.className.trim().split(/\\s+/).join('.') : ''))""",
            PHONE["width"],
        )
        problems.append(f"{where}: {width} px wide at 390 px (too wide: {', '.join(wide)})")
    page.screenshot(path=folder / f"{spec.role}-{spec.name}-390.png", full_page=True)
    return problems


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_page_passes_axe_and_fits_a_phone(
    language, live_server, browser: Browser, browser_login, password, axe_source
):
    ids = build_world(password)
    base_url = live_server.url
    (SCREENSHOTS / language).mkdir(parents=True, exist_ok=True)
    problems: list[str] = []
    found: dict[str, Any] = {}
    visited = 0
    for role, username in USERS.items():
        # The browser's own language as well (date fields, number formats), as a user's is.
        context = browser.new_context(viewport=DESKTOP, locale=BROWSER_LOCALES[language])
        context.set_default_timeout(TIMEOUT_MS)
        context.add_cookies(
            [{"name": settings.LANGUAGE_COOKIE_NAME, "value": language, "url": base_url}]
        )
        try:
            page = context.new_page()
            if username is not None:
                browser_login(page, live_server, username, password)
            for spec in pages_of(role):
                problems += check_page(page, spec, base_url, ids, language, axe_source, found)
                visited += 1
        finally:
            context.close()
    report = SCREENSHOTS / f"axe-{language}.json"
    report.write_text(json.dumps(found, indent=1, ensure_ascii=False), encoding="utf-8")
    assert visited >= 50
    assert not problems, f"{len(problems)} problems (details: {report}):\n" + "\n".join(problems)
