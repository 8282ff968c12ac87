"""The home page and the navigation (config/views.py, templates/_nav.html): each role is shown
exactly the pages its predicates (registry/access.py) open, and no other."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.conf import settings

from registry import access
from registry.choices import Role
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

# The links of the navigation, in their order, each with the predicate of the page it opens.
NAVIGATION = [
    ("/", access.signed_in),
    ("/intake/submit/", access.may_submit),
    ("/intake/submissions/", access.may_submit),
    ("/intake/register/", access.may_register),
    ("/cases/", access.may_work_cases),
    ("/intake/triage/", access.may_triage),
    ("/helpdesk/", access.may_coordinate_remotely),
    ("/shelters/", access.may_oversee_shelters),
    ("/statistics/", access.may_count),
    ("/statistics/data-quality/", access.may_see_data_quality),
    ("/audit/", access.may_read_audit),
    ("/privacy/", access.may_administer),
    ("/admin/", access.may_use_admin),
]
# The home page's cards. The admin's card speaks of users, regions and organisations, so it is
# for those who administer them; coordinators reach their admin lists from the navigation.
HOME_CARDS = [
    ("/intake/submit/", access.may_submit),
    ("/intake/submissions/", access.may_submit),
    ("/intake/register/", access.may_register),
    ("/cases/", access.may_work_cases),
    ("/intake/triage/", access.may_triage),
    ("/helpdesk/", access.may_coordinate_remotely),
    ("/audit/", access.may_read_audit),
    ("/statistics/", access.may_count),
    ("/statistics/monitor/", access.may_read_monitor),
    ("/statistics/data-quality/", access.may_see_data_quality),
    ("/statistics/personal/", access.may_export_personal),
    ("/intake/import/", access.may_import),
    ("/admin/", access.may_administer),
]
ACCOUNTS = (
    "reporter",
    "reporter_without_organisation",
    "coordinator_a",
    "helpdesk",
    "administrator",
    "superuser",
)


@pytest.fixture
def accounts(roles):
    return {
        **roles,
        "reporter_without_organisation": UserFactory(username="lone", role=Role.REPORTER),
        "superuser": UserFactory(username="root", role=Role.REPORTER, is_superuser=True),
    }


class _NavLinks(HTMLParser):
    """The hrefs of the links inside the element with id ``nav-links``, in order."""

    def __init__(self) -> None:
        super().__init__()
        self.depth = 0
        self.links: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        if self.depth:
            self.depth += 1
            if tag == "a":
                self.links.append(attributes["href"] or "")
        elif attributes.get("id") == "nav-links":
            self.depth = 1

    def handle_endtag(self, tag: str) -> None:
        if self.depth:
            self.depth -= 1


def nav_links(html: str) -> list[str]:
    parser = _NavLinks()
    parser.feed(html)
    return parser.links


def test_anonymous_visitor_is_sent_to_login(client):
    response = client.get("/")
    assert response.status_code == 302
    assert response.url.startswith("/accounts/login/")


@pytest.mark.parametrize(
    ("role", "expected", "absent"),
    [
        ("reporter", [], ["/cases/", "/admin/"]),
        ("coordinator_a", ["/cases/"], []),
        ("helpdesk", ["/cases/"], ["/admin/"]),
        ("administrator", ["/cases/", "/admin/"], []),
    ],
)
def test_home_shows_each_role_where_to_go(roles, client_for, role, expected, absent):
    response = client_for(roles[role]).get("/")
    assert response.status_code == 200
    links = {d["url"] for d in response.context["destinations"]}
    for url in expected:
        assert url in links
    for url in absent:
        assert url not in links


@pytest.mark.parametrize("account", ACCOUNTS)
def test_the_navigation_shows_each_role_exactly_the_links_its_predicates_allow(
    accounts, client_for, account
):
    user = accounts[account]
    page = client_for(user).get("/")
    assert page.status_code == 200
    assert nav_links(page.text) == [url for url, may in NAVIGATION if may(user)]


@pytest.mark.parametrize("account", ACCOUNTS)
def test_the_home_page_offers_each_role_exactly_the_pages_its_predicates_allow(
    accounts, client_for, account
):
    user = accounts[account]
    page = client_for(user).get("/")
    offered = [card["url"] for card in page.context["destinations"]]
    assert offered == [url for url, may in HOME_CARDS if may(user)]
    for url in offered:
        assert f'class="btn btn-primary" href="{url}"' in page.text


def test_each_link_of_the_navigation_opens_for_whom_it_is_shown(accounts, client_for):
    """No link leads to a 403: the page's gate and the link ask the same predicate."""
    for account in ACCOUNTS:
        client = client_for(accounts[account])
        for url in nav_links(client.get("/").text):
            assert client.get(url).status_code == 200, (account, url)


def test_the_registry_app_names_no_page_of_intake_or_reports():
    """Data flows one way (DESIGN.md): the core links to the ways in and out only through the
    project's home page, navigation and templates, never from its own code."""
    named = re.compile(r"""["'](?:intake|reports):\w+["']""")
    found = [
        f"{path}: {match.group()}"
        for path in sorted((Path(settings.BASE_DIR) / "registry").rglob("*.py"))
        for match in named.finditer(path.read_text())
    ]
    assert not found, found
