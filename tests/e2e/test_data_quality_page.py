"""The data quality page with a full year of figures (many regions, reporter types and months,
a flagged drop, too-small groups) in a real Chromium, in Dutch and in English: axe finds no
critical or serious violation and the page does not scroll sideways at 390 px; the crawl
(tests/e2e/test_accessibility.py) sees it only with the demo's few registrations. Screenshots
land in var/screenshots/<language>/helpdesk-data-quality-full-*.png."""

from __future__ import annotations

import datetime

import pytest
from playwright.sync_api import Browser

from registry.choices import Gender, ReporterType
from tests.e2e.conftest import TIMEOUT_MS
from tests.e2e.test_accessibility import (
    BROWSER_LOCALES,
    DESKTOP,
    SCREENSHOTS,
    axe_source,  # noqa: F401 (a fixture)
    check_page,
)
from tests.pages import LANGUAGES
from tests.pages import Page as CrawlPage

pytestmark = pytest.mark.django_db(transaction=True)

PAGE = CrawlPage("data-quality-full", "helpdesk", "/statistics/data-quality/?year=2025")
REPORTERS = [
    ReporterType.POLICE,
    ReporterType.LABOUR_INSPECTORATE,
    ReporterType.CARE_COORDINATION,
    ReporterType.OUTPATIENT_CARE,
    ReporterType.NGO,
]


def _year_of_figures() -> None:
    from tests.factories import PersonFactory, RegionFactory, RegistrationFactory

    people = [
        PersonFactory(gender=Gender.FEMALE, nationality="RO"),
        PersonFactory(gender=Gender.UNKNOWN, nationality=""),
    ]
    regions = [
        RegionFactory(code=code, name=name)
        for code, name in [
            ("noordoost-gelderland-achterhoek", "Noordoost-Gelderland en Achterhoek"),
            ("den-haag-hollands-midden", "Den Haag en Hollands Midden"),
            ("zeeland-west-brabant", "Zeeland en West-Brabant"),
            ("tilburg", "Tilburg"),
        ]
    ]
    for r, reporter in enumerate(REPORTERS):
        for month in range(1, 13):
            # The police drop by half from June, 30 to 15 (multiples of 5 read as they are):
            # flagged. The others (18 to 12) read 15 or 20, or x, each year: never a drop of
            # more than 30% on the published counts.
            police = reporter == ReporterType.POLICE
            before = 30 if police else 20 - 2 * r
            this_year = 15 if police and month >= 6 else before
            for year, count in ((2024, before), (2025, this_year)):
                for i in range(count):
                    RegistrationFactory(
                        person=people[i % 5 == 0],
                        reporter_type=reporter,
                        region=regions[(i + r) % (len(regions) if r < 4 else 1)],
                        registered_on=datetime.date(year, month, 1 + i % 28),
                        age_at_registration=None if i % 4 == 0 else 25,
                        forms=["sexual"] if i % 3 else [],
                        sector="window" if i % 2 else "",
                    )
    # Too small: three registrations of the self-reported.
    for i in range(3):
        RegistrationFactory(
            person=people[0],
            reporter_type=ReporterType.SELF_REPORT,
            region=regions[0],
            registered_on=datetime.date(2025, 4, 1 + i),
        )


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_full_data_quality_page_passes_axe_and_fits_a_phone(
    language,
    live_server,
    browser: Browser,
    browser_login,
    password,
    axe_source,  # noqa: F811
):
    from registry import demo, reference_data

    reference_data.load()
    demo.ensure_users(password)
    _year_of_figures()
    (SCREENSHOTS / language).mkdir(parents=True, exist_ok=True)
    context = browser.new_context(viewport=DESKTOP, locale=BROWSER_LOCALES[language])
    context.set_default_timeout(TIMEOUT_MS)
    from django.conf import settings

    context.add_cookies(
        [{"name": settings.LANGUAGE_COOKIE_NAME, "value": language, "url": live_server.url}]
    )
    try:
        page = context.new_page()
        browser_login(page, live_server, "helpdesk", password)
        problems = check_page(page, PAGE, live_server.url, {}, language, axe_source, {})
        assert page.locator("tr[data-dropped]").count() == 7  # June to December
        assert page.locator('tr[data-status="too_small"]').count() == 1
    finally:
        context.close()
    assert not problems, "\n".join(problems)
