"""The data quality page (issue 16, item 5): the share of unknown or blank fields per reporter
type and region, and the months that dropped by more than 30% against a year before, published
as the statistics page publishes (every count randomly rounded to base 5 on its own, 0 to 14 may
read x; reports.disclosure), for the help desk and administrators only, and no record on it.

A multiple of 5 stays itself under the rounding and a count of 10 reads x, so counts planted as
such give the page's exact text; other counts are checked against ``interval``, the documented
meaning of a published figure, with outcomes planted far enough from the boundaries that no
rounding can change them."""

from __future__ import annotations

import datetime
import re
from urllib.parse import urlencode

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from registry.choices import Gender, ReporterType
from reports.disclosure import interval
from reports.periods import PublishedPeriod
from reports.tables import build_statistics
from tests.factories import PersonFactory, RegionFactory, RegistrationFactory

pytestmark = pytest.mark.django_db

EN = {"HTTP_ACCEPT_LANGUAGE": "en"}
NL = {"HTTP_ACCEPT_LANGUAGE": "nl"}
SECRET = "Qwzxplorvq"
D = datetime.date
MAY_2025 = D(2025, 5, 1)
K, B = 10, 5  # the settings' defaults (reports.disclosure)


def _person(gender: str = Gender.FEMALE, nationality: str = "RO"):
    return PersonFactory(
        gender=gender,
        nationality=nationality,
        family_name=f"{SECRET}Family",
        given_names=f"{SECRET}Given",
        notes=f"note {SECRET}",
    )


def _registrations(
    n: int,
    *,
    reporter: str,
    region,
    day: datetime.date = MAY_2025,
    person=None,
    age: int | None = 30,
    forms: list[str] | None = None,
    sector: str = "window",
) -> None:
    person = person or _person()
    for _i in range(n):
        RegistrationFactory(
            person=person,
            reporter_type=reporter,
            region=region,
            registered_on=day,
            age_at_registration=age,
            forms=["sexual"] if forms is None else forms,
            sector=sector,
        )


@pytest.fixture
def blanks(db):
    """Known blanks in 2025 (k = 10, b = 5; multiples of 5 read as planted, 10 and below read x):

    - police, North, 40: gender unknown 10, age unknown 20, nationality 0, form unknown 20
      (10 without a form, 10 with only "unknown"), sector unknown 20 (10 blank, 10 "unknown");
    - labour inspectorate, South, 30: age unknown 30, nationality blank 10;
    - shelter, South, 20: nothing unknown;
    - ngo, East, 5 and self-report, West, 4: too small.
    The period's 99 registrations are rounded to 95 or 100.
    """
    north = RegionFactory(code="north", name="North")
    south = RegionFactory(code="south", name="South")
    east = RegionFactory(code="east", name="East")
    west = RegionFactory(code="west", name="West")
    police = ReporterType.POLICE
    _registrations(10, reporter=police, region=north, person=_person(Gender.UNKNOWN))
    _registrations(10, reporter=police, region=north, age=None, forms=[], sector="")
    _registrations(10, reporter=police, region=north, age=None, forms=["unknown"], sector="unknown")
    _registrations(10, reporter=police, region=north)
    labour = ReporterType.LABOUR_INSPECTORATE
    work = {"forms": ["labour"], "sector": "agriculture", "age": None}
    _registrations(10, reporter=labour, region=south, person=_person(nationality=""), **work)
    _registrations(20, reporter=labour, region=south, **work)
    _registrations(20, reporter=ReporterType.SHELTER, region=south)
    _registrations(5, reporter=ReporterType.NGO, region=east)
    _registrations(4, reporter=ReporterType.SELF_REPORT, region=west)


def _page(client, query=None, **headers):
    query = {"year": "2025"} if query is None else query
    return client.get(f"{reverse('reports:data_quality')}?{urlencode(query)}", **(headers or EN))


def _cells(html: str, table: str, group: str) -> list[str]:
    """The texts of one row's cells (after its header), tags stripped."""
    body = html.split(f'id="table-shares-{table}"', 1)[1].split("</table>", 1)[0]
    row = re.search(rf'<tr data-group="{re.escape(group)}"[^>]*>(.*?)</tr>', body, re.S)
    assert row, f"no row {group} in {table}"
    cells = re.findall(r"<td[^>]*>(.*?)</td>", row.group(1), re.S)
    return [re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", c)).strip() for c in cells]


def _status(html: str, table: str, group: str) -> str:
    body = html.split(f'id="table-shares-{table}"', 1)[1].split("</table>", 1)[0]
    return re.search(rf'<tr data-group="{re.escape(group)}" data-status="(\w+)"', body)[1]


def _region_pk(code: str) -> str:
    from registry.models import Region

    return str(Region.objects.get(code=code).pk)


def _within_rounding(share_text: str, count: int, total: int, published_total: str) -> None:
    """A share read on the page, of its published total: within the documented rounding of the
    true share (100 x 2(b-1) / T points, T the published total, plus 0.05 for the decimal)."""
    percent, _rest = share_text.split("%", 1)
    bound = 100.0 * 2 * (B - 1) / int(published_total) + 0.05
    assert abs(float(percent) - 100.0 * count / total) <= bound, (share_text, count, total)


def test_planted_blanks_give_the_shares_per_reporter_type(blanks, client_for, helpdesk):
    html = _page(client_for(helpdesk)).content.decode()
    # registrations, gender, age, nationality, form, sector; an unknown count of 0 or 10 reads
    # x and has no percentage.
    assert _cells(html, "reporter_type", "police") == [
        "40",
        "x",
        "50.0% (20)",
        "x",
        "50.0% (20)",
        "50.0% (20)",
    ]
    assert _cells(html, "reporter_type", "labour_inspectorate") == [
        "30",
        "x",
        "100.0% (30)",
        "x",
        "x",
        "x",
    ]
    assert _cells(html, "reporter_type", "shelter") == ["20", "x", "x", "x", "x", "x"]
    overall = _cells(html, "reporter_type", "all")
    assert overall[0] in ("95", "100")
    assert overall[1] == "x" and overall[3] == "x"
    # 50 of 99 with an unknown age, 20 with an unknown form and 20 an unknown sector: the
    # published counts of the published total (95 or 100).
    assert overall[2] == f"{100 * 50 / int(overall[0]):.1f}% (50)"
    assert overall[4] == overall[5] == f"{100 * 20 / int(overall[0]):.1f}% (20)"
    for text, count in [(overall[2], 50), (overall[4], 20), (overall[5], 20)]:
        _within_rounding(text, count, 99, overall[0])


def test_planted_blanks_give_the_shares_per_region(blanks, client_for, helpdesk):
    html = _page(client_for(helpdesk)).content.decode()
    assert _cells(html, "region", _region_pk("north")) == [
        "40",
        "x",
        "50.0% (20)",
        "x",
        "50.0% (20)",
        "50.0% (20)",
    ]
    assert _cells(html, "region", _region_pk("south")) == [
        "50",
        "x",
        "60.0% (30)",
        "x",
        "x",
        "x",
    ]


def test_shares_are_of_the_published_counts_within_the_documented_rounding(
    db, client_for, helpdesk
):
    """Counts that are no multiple of 5: every figure within its documented interval, and each
    share the published unknown count of the published registrations, within the documented
    rounding of the true share."""
    north = RegionFactory(code="north", name="North")
    planted = {
        ReporterType.POLICE: (43, 17),
        ReporterType.SHELTER: (37, 22),
        ReporterType.LABOUR_INSPECTORATE: (61, 29),
    }
    for reporter, (total, unknown) in planted.items():
        _registrations(unknown, reporter=reporter, region=north, person=_person(Gender.UNKNOWN))
        _registrations(total - unknown, reporter=reporter, region=north)
    html = _page(client_for(helpdesk)).content.decode()
    for reporter, (total, unknown) in planted.items():
        cells = _cells(html, "reporter_type", reporter)
        lo, hi = interval(cells[0], K, B)
        assert lo <= total <= hi
        published_count = cells[1].split("(")[1].rstrip(")")
        lo, hi = interval(published_count, K, B)
        assert lo <= unknown <= hi
        share = min(100.0, 100 * int(published_count) / int(cells[0]))
        assert cells[1] == f"{share:.1f}% ({published_count})"
        _within_rounding(cells[1], unknown, total, cells[0])


def test_the_registrations_per_group_are_the_statistics_pages_figures(blanks, client_for, helpdesk):
    """The same figure reads the same on both pages: each reporter type's and region's
    registrations and the period's total, as the statistics page breaks them down."""
    html = _page(client_for(helpdesk)).content.decode()
    stats = build_statistics(helpdesk, PublishedPeriod(2025, "").period)
    reporters = next(t for t in stats.breakdowns if t.key == "reporter_type")
    shown = {row.value: row.cell.text for row in reporters.rows}
    for reporter in ["police", "labour_inspectorate", "shelter", "ngo", "self_report"]:
        assert _cells(html, "reporter_type", reporter)[0] == shown[reporter]
    regions = next(t for t in stats.breakdowns if t.key == "region")
    shown = {row.value: row.cell.text for row in regions.rows}
    for code in ["north", "south", "east", "west"]:
        assert _cells(html, "region", _region_pk(code))[0] == shown[code]
    assert _cells(html, "reporter_type", "all")[0] == stats.total.text
    assert _cells(html, "region", "all")[0] == stats.total.text


def test_a_small_group_shows_no_share(blanks, client_for, helpdesk):
    html = _page(client_for(helpdesk)).content.decode()
    for table, group in [
        ("reporter_type", "ngo"),
        ("reporter_type", "self_report"),
        ("region", _region_pk("east")),
        ("region", _region_pk("west")),
    ]:
        assert _status(html, table, group) == "too_small"
        cells = _cells(html, table, group)
        assert cells[0] == "x"
        assert cells[1] == "Too small: the registrations read x, no shares shown."
        assert "%" not in " ".join(cells)


def test_a_group_is_too_small_when_its_registrations_read_x(db, client_for, helpdesk):
    """Whether a group shows shares follows its published count, not its exact one: 12 reads
    x (no shares) or 15 (shares); 4 always reads x."""
    north = RegionFactory(code="north", name="North")
    _registrations(12, reporter=ReporterType.POLICE, region=north)
    _registrations(4, reporter=ReporterType.NGO, region=north)
    _registrations(30, reporter=ReporterType.SHELTER, region=north)
    html = _page(client_for(helpdesk)).content.decode()
    police = _cells(html, "reporter_type", "police")
    assert police[0] in ("x", "15")
    if police[0] == "x":
        assert _status(html, "reporter_type", "police") == "too_small"
        assert "%" not in " ".join(police)
    else:
        assert _status(html, "reporter_type", "police") == "shown"
        assert len(police) == 6
    assert _status(html, "reporter_type", "ngo") == "too_small"


def test_no_group_is_withheld_because_of_another(db, client_for, helpdesk):
    """No secondary suppression: beside the one small group, the others and the total keep
    their figures and shares."""
    north = RegionFactory(code="north", name="North")
    _registrations(30, reporter=ReporterType.POLICE, region=north)
    _registrations(20, reporter=ReporterType.SHELTER, region=north)
    _registrations(4, reporter=ReporterType.NGO, region=north)
    html = _page(client_for(helpdesk)).content.decode()
    assert _status(html, "reporter_type", "ngo") == "too_small"
    assert _status(html, "reporter_type", "shelter") == "shown"
    assert _cells(html, "reporter_type", "shelter")[0] == "20"
    assert _cells(html, "reporter_type", "police")[0] == "30"
    assert _cells(html, "reporter_type", "all")[0] in ("50", "55")
    assert 'data-status="withheld"' not in html and "Withheld" not in html


def test_a_small_unknown_count_reads_x_without_a_share(db, client_for, helpdesk):
    north = RegionFactory(code="north", name="North")
    _registrations(10, reporter=ReporterType.POLICE, region=north, person=_person(Gender.UNKNOWN))
    _registrations(30, reporter=ReporterType.POLICE, region=north)
    _registrations(3, reporter=ReporterType.SHELTER, region=north, person=_person(Gender.UNKNOWN))
    _registrations(17, reporter=ReporterType.SHELTER, region=north)
    _registrations(20, reporter=ReporterType.LABOUR_INSPECTORATE, region=north)
    html = _page(client_for(helpdesk)).content.decode()
    assert _cells(html, "reporter_type", "shelter")[:2] == ["20", "x"]
    assert _cells(html, "reporter_type", "police")[:2] == ["40", "x"]
    assert _cells(html, "reporter_type", "labour_inspectorate")[:2] == ["20", "x"]  # none
    # 13 of 80: x, or 15 of 80 published.
    assert _cells(html, "reporter_type", "all")[:2] in (["80", "x"], ["80", "18.8% (15)"])
    assert "15.0%" not in html and "(3)" not in html and "(13)" not in html


def test_every_count_on_the_page_is_x_or_a_multiple_of_five_from_15(blanks, client_for, helpdesk):
    html = _page(client_for(helpdesk)).content.decode()
    main = html.split('id="main"', 1)[1]
    counts = re.findall(r'<td class="text-end[^"]*">(\w+)</td>', main)
    counts += re.findall(r"\((\w+)\)</span>", main)
    assert len(counts) > 20
    for text in counts:
        assert text == "x" or (int(text) % B == 0 and int(text) >= K + B), text


@pytest.fixture
def months(db):
    """March 2025 against March 2024 (k = 10, b = 5):

    - police 100 -> 50 (-50%) and labour inspectorate 100 -> 90 (-10%), read as planted;
    - ngo 41 -> 23 (-44%): 40 or 45 against 20 or 25, a drop of 37.5% to 55.6%, always flagged;
    - coa 42 -> 36 (-14%): 40 or 45 against 35 or 40, a drop of 0% to 22%, never flagged;
    - shelter 20 -> 5: 5 reads x.
    """
    region = RegionFactory(code="north", name="North")
    for reporter, before, now in [
        (ReporterType.POLICE, 100, 50),
        (ReporterType.LABOUR_INSPECTORATE, 100, 90),
        (ReporterType.NGO, 41, 23),
        (ReporterType.COA, 42, 36),
        (ReporterType.SHELTER, 20, 5),
    ]:
        person = _person()
        _registrations(before, reporter=reporter, region=region, day=D(2024, 3, 5), person=person)
        _registrations(now, reporter=reporter, region=region, day=D(2025, 3, 5), person=person)


def _month(html: str, reporter: str, month: str) -> tuple[list[str], bool]:
    body = html.split(f'<tbody data-reporter-type="{reporter}">', 1)[1].split("</tbody>", 1)[0]
    row = re.search(rf'<tr data-month="{month}"([^>]*)>(.*?)</tr>', body, re.S)
    cells = re.findall(r"<td[^>]*>(.*?)</td>", row.group(2), re.S)
    texts = [re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", c)).strip() for c in cells]
    return texts, "data-dropped" in row.group(1)


def _published_change(cells: list[str], now: int, before: int) -> int:
    """The change read on the page: both figures within their intervals, and the change that
    of the published figures."""
    for text, count in [(cells[0], now), (cells[1], before)]:
        lo, hi = interval(text, K, B)
        assert lo <= count <= hi
    change = 100 * (int(cells[0]) - int(cells[1])) / int(cells[1])
    assert cells[2].endswith("%") and abs(int(cells[2][:-1]) - change) <= 0.5  # to a whole %
    return change


def test_a_drop_from_100_to_50_is_flagged(months, client_for, helpdesk):
    html = _page(client_for(helpdesk), {"year": "2025", "part": "Q1"}).content.decode()
    cells, dropped = _month(html, "police", "2025-03")
    assert cells == ["50", "100", "-50%", "drop of more than 30%"]
    assert dropped
    cells, dropped = _month(html, "ngo", "2025-03")
    assert _published_change(cells, 23, 41) < -30
    assert dropped and cells[3] == "drop of more than 30%"
    assert "2 months flagged in 2025-Q1." in html


def test_a_drop_from_100_to_90_is_not_flagged(months, client_for, helpdesk):
    html = _page(client_for(helpdesk), {"year": "2025", "part": "Q1"}).content.decode()
    assert _month(html, "labour_inspectorate", "2025-03") == (["90", "100", "-10%", ""], False)
    cells, dropped = _month(html, "coa", "2025-03")
    assert _published_change(cells, 36, 42) >= -30
    assert not dropped and cells[3] == ""


def test_a_month_that_reads_x_is_not_flagged(months, client_for, helpdesk):
    html = _page(client_for(helpdesk), {"year": "2025", "part": "Q1"}).content.decode()
    cells, dropped = _month(html, "shelter", "2025-03")
    assert cells == ["x", "20", "", ""]
    assert not dropped


def test_the_months_of_a_whole_year_are_listed_against_the_year_before(
    months, client_for, administrator
):
    html = _page(client_for(administrator)).content.decode()
    assert _month(html, "police", "2025-03") == (
        ["50", "100", "-50%", "drop of more than 30%"],
        True,
    )
    assert _month(html, "police", "2025-12")[0] == ["x", "x", "", ""]
    assert "2 months flagged in 2025." in html


@pytest.mark.parametrize("who", ["reporter", "coordinator_a", "coordinator_b"])
def test_reporters_and_coordinators_are_refused(blanks, client_for, roles, who):
    response = _page(client_for(roles[who]))
    assert response.status_code == 403
    assert SECRET not in response.content.decode()


def test_anonymous_visitors_go_to_the_login_page(blanks, client):
    response = _page(client)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


@pytest.mark.parametrize("who", ["helpdesk", "administrator"])
def test_the_help_desk_and_administrators_see_it_in_the_navigation(client_for, roles, who):
    client = client_for(roles[who])
    html = client.get(reverse("home"), **EN).content.decode()
    assert reverse("reports:data_quality") in html


def test_coordinators_are_not_offered_the_page(client_for, roles):
    html = client_for(roles["coordinator_a"]).get(reverse("home"), **EN).content.decode()
    assert reverse("reports:data_quality") not in html


def test_the_statistics_page_links_to_the_data_quality_of_its_period(client_for, helpdesk):
    html = (
        client_for(helpdesk)
        .get(reverse("reports:statistics") + "?year=2025&part=Q2", **EN)
        .content.decode()
    )
    assert f"{reverse('reports:data_quality')}?year=2025&amp;part=Q2" in html


def test_free_dates_are_refused_with_a_message(blanks, client_for, helpdesk):
    response = _page(client_for(helpdesk), {"start": "2025-01-01", "end": "2025-07-01"})
    assert response.status_code == 400
    assert "choose a year and a part of it" in response.content.decode()
    assert 'id="table-shares' not in response.content.decode()


def test_a_period_in_progress_is_refused_with_a_message(blanks, client_for, administrator):
    this_year = str(timezone.localdate().year)
    response = _page(client_for(administrator), {"year": this_year})
    assert response.status_code == 400
    assert "has not ended yet" in response.content.decode()


def test_a_year_that_is_no_choice_is_refused(client_for, helpdesk):
    response = _page(client_for(helpdesk), {"year": "1999", "part": "Q7"})
    assert response.status_code == 400


def _world(regions: int, reporters: list[str]) -> None:
    person = _person()
    for i in range(regions):
        region = RegionFactory(code=f"r{i}", name=f"Region {i}")
        for reporter in reporters:
            _registrations(1, reporter=reporter, region=region, person=person)
            _registrations(1, reporter=reporter, region=region, day=D(2024, 5, 1), person=person)


def test_the_number_of_queries_does_not_grow_with_regions_or_reporter_types(
    db, client_for, helpdesk, django_assert_max_num_queries
):
    client = client_for(helpdesk)
    _page(client)  # the session and its user, once
    _world(1, [ReporterType.POLICE])
    with CaptureQueriesContext(connection) as small:
        assert _page(client).status_code == 200
    _world(6, [ReporterType.POLICE, ReporterType.NGO, ReporterType.SHELTER, ReporterType.COA])
    with django_assert_max_num_queries(len(small)):
        html = _page(client).content.decode()
    assert html.count('<tbody data-reporter-type="') == 4


def test_no_personal_value_and_no_link_to_a_record_on_the_page(blanks, client_for, administrator):
    from registry.models import Registration

    html = _page(client_for(administrator)).content.decode()
    assert SECRET not in html
    main = html.split('id="main"', 1)[1]
    for registration in Registration.objects.all():
        assert registration.number not in main
        assert str(registration.pk) not in main
    for href in re.findall(r'href="([^"]*)"', main):
        assert href.startswith(("#", "/statistics/")), href


def test_the_page_speaks_dutch_and_english(months, client_for, helpdesk):
    client = client_for(helpdesk)
    query = {"year": "2025", "part": "Q1"}
    dutch = _page(client, query, **NL).content.decode()
    english = _page(client, query, **EN).content.decode()
    assert "<h1" in dutch and "Datakwaliteit" in dutch
    assert "daling van meer dan 30%" in dutch
    assert "maart" in dutch
    assert "Data quality" in english and "drop of more than 30%" in english
    assert "March" in english


def test_each_month_is_protected_on_its_own(db, client_for, helpdesk):
    """No month is withheld because of another in its quarter: a small February reads x, and
    January and March keep their figures, change and flag."""
    region = RegionFactory(code="north", name="North")
    person = _person()
    for day, count in [(D(2025, 1, 5), 20), (D(2025, 2, 5), 5), (D(2025, 3, 5), 30)]:
        _registrations(count, reporter=ReporterType.POLICE, region=region, day=day, person=person)
        before = D(2024, day.month, 5)
        _registrations(40, reporter=ReporterType.POLICE, region=region, day=before, person=person)
    html = _page(client_for(helpdesk), {"year": "2025", "part": "Q1"}).content.decode()
    assert _month(html, "police", "2025-01") == (
        ["20", "40", "-50%", "drop of more than 30%"],
        True,
    )
    assert _month(html, "police", "2025-02") == (["x", "40", "", ""], False)
    assert _month(html, "police", "2025-03") == (["30", "40", "-25%", ""], False)
