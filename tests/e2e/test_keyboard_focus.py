"""A keyboard user: the skip link comes first and leads past the navigation, and every control
that Tab reaches shows a focus ring that can be seen (on the dark navigation bar as on the page).
"""

from __future__ import annotations

import pytest
from django.conf import settings
from playwright.sync_api import expect

from tests.pages import USERS, build_world

pytestmark = pytest.mark.django_db(transaction=True)

# What the focused element shows: its outline, and the contrast of the outline's colour against
# the background it is drawn on (the nearest ancestor with a background; the ring stands 2 px
# outside the element). WCAG 2.4.7 asks for a visible focus; 3:1 is the contrast WCAG asks of
# the parts of a control (1.4.11).
FOCUS_RING = """() => {
  const el = document.activeElement;
  const parse = (c) => {
    const p = c.match(/rgba?\\(([^)]+)\\)/)[1].split(/[ ,\\/]+/).filter(Boolean).map(parseFloat);
    return {r: p[0], g: p[1], b: p[2], a: p.length > 3 ? p[3] : 1};
  };
  const channel = (v) => {
    v /= 255;
    return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4;
  };
  const lum = (c) => 0.2126 * channel(c.r) + 0.7152 * channel(c.g) + 0.0722 * channel(c.b);
  let bg = {r: 255, g: 255, b: 255, a: 1};
  for (let node = el.parentElement; node; node = node.parentElement) {
    const c = parse(getComputedStyle(node).backgroundColor);
    if (c.a > 0.5) { bg = c; break; }
  }
  const style = getComputedStyle(el);
  const ring = parse(style.outlineColor);
  const [hi, lo] = [lum(ring), lum(bg)].sort((a, b) => b - a);
  const label = el.getAttribute('aria-label') || el.innerText || el.value || el.name || '';
  return {
    element: el.tagName.toLowerCase() + ' ' + label.trim().slice(0, 40),
    inNav: Boolean(el.closest('nav.navbar')),
    style: style.outlineStyle,
    width: parseFloat(style.outlineWidth),
    contrast: (hi + 0.05) / (lo + 0.05),
  };
}"""


def test_the_skip_link_is_the_first_tab_stop_and_leads_to_the_content(
    live_server, page, browser_login, password
):
    build_world(password)
    browser_login(page, live_server, USERS["coordinator"], password)
    page.context.add_cookies(
        [{"name": settings.LANGUAGE_COOKIE_NAME, "value": "nl", "url": live_server.url}]
    )
    page.goto(live_server.url + "/cases/")
    page.keyboard.press("Tab")
    skip = page.locator(".skip-link")
    expect(skip).to_be_focused()
    expect(skip).to_be_visible()
    expect(skip).to_have_text("Naar de inhoud")
    assert skip.bounding_box()["width"] > 50  # shown, not a 1-pixel clip
    page.keyboard.press("Enter")
    expect(page.locator("main#main")).to_be_focused()
    # The next Tab goes into the page's content, not back through the navigation.
    page.keyboard.press("Tab")
    assert page.evaluate("() => document.querySelector('main').contains(document.activeElement)")


@pytest.mark.parametrize(
    ("role", "path"), [("coordinator", "/intake/register/"), ("administrator", "/cases/")]
)
def test_every_control_tab_reaches_shows_a_visible_focus_ring(
    role, path, live_server, page, browser_login, password
):
    build_world(password)
    browser_login(page, live_server, USERS[role], password)
    page.goto(live_server.url + path)
    seen, faint = [], []
    for _ in range(40):
        page.keyboard.press("Tab")
        ring = page.evaluate(FOCUS_RING)
        if ring["element"].startswith("body"):
            break
        seen.append(ring)
        if ring["style"] == "none" or ring["width"] < 2 or ring["contrast"] < 3:
            faint.append(ring)
    assert sum(ring["inNav"] for ring in seen) >= 3, "Tab should pass the navigation bar's links"
    assert sum(not ring["inNav"] for ring in seen) >= 5, "Tab should reach the page's controls"
    assert not faint, "focus hard to see on:\n" + "\n".join(map(str, faint))
