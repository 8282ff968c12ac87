"""The accessibility crawl's page list (tests/pages.py) holds every page a user can open:
a new page without an entry fails here, so it never escapes axe-core and the phone check."""

from __future__ import annotations

from django.urls import Resolver404, resolve

from tests.pages import PAGES, USERS
from tests.url_patterns import walk

# URL names that are no page to check, each with why.
NOT_PAGES = {
    "logout": "POST only",
    "set_language": "POST only (the language buttons are on every page)",
    "two_factor:qr": "an image, shown inside the enrolment page",
    "registry:case_take": "POST only",
    "registry:case_note_add": "POST only (the form is on the case page)",
    "registry:handover_decide": "POST only (the form is on the handover page)",
    "registry:handover_withdraw": "POST only",
    "registry:placement_end": "POST only",
    "registry:placement_withdraw": "POST only",
    "registry:shelter_place_next": "POST only",
    "registry:job_download": "a file",
    "reports:statistics_download": "a file",
    "reports:anonymised_download": "a file",
    "reports:referrals_download": "a file",
    "reports:monitor_pdf": "a file (the monitor's PDF)",
    "intake:register_draft": "the intake's draft, kept and read by script (JSON)",
    "intake:submit_draft": "the report's draft, kept and read by script (JSON)",
    "stay_signed_in": "POST only (the timeout warning's button)",
    "registry:erasure_decide": "POST only (the buttons are on the privacy page)",
}
SAMPLE = {
    "case": "00000000-0000-0000-0000-000000000001",
    "person": "00000000-0000-0000-0000-000000000001",
    "registration": "00000000-0000-0000-0000-000000000001",
    "handover": "00000000-0000-0000-0000-000000000001",
    "referral": "00000000-0000-0000-0000-000000000001",
    "submission": "00000000-0000-0000-0000-000000000001",
    "job": "00000000-0000-0000-0000-000000000001",
    "unknown": "00000000-0000-0000-0000-000000000001",
    "region": "1",
    "password": "",
}


def crawled_names() -> set[str]:
    names = set()
    for page in PAGES:
        try:
            names.add(resolve(page.url(SAMPLE).split("?")[0]).view_name)
        except Resolver404:
            assert page.status == 404, f"{page.path} resolves to no page"
    return names


def test_every_page_of_the_workspace_is_in_the_crawl():
    crawled = crawled_names()
    # The Django admin's own pages are checked through the ones the registry adds to it.
    pages = {
        key for key, route, _view in walk() if not route.startswith("admin/")
    } - NOT_PAGES.keys()
    missing = sorted(pages - crawled)
    assert not missing, f"add these pages to tests/pages.py: {missing}"


def test_every_role_and_page_name_is_known_and_unique():
    assert {page.role for page in PAGES} == set(USERS)
    keys = [(page.role, page.name) for page in PAGES]
    assert len(keys) == len(set(keys)), "two pages of one role share a screenshot name"
