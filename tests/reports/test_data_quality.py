"""The data quality page (issue 16, item 5): the share of unknown or blank fields per reporter
type and region, and the months that dropped by more than 30% against a year before, with the
small-cell rules applied, for the help desk and administrators only, and no record on it."""

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
from tests.factories import PersonFactory, RegionFactory, RegistrationFactory

pytestmark = pytest.mark.django_db

EN = {"HTTP_ACCEPT_LANGUAGE": "en"}
NL = {"HTTP_ACCEPT_LANGUAGE": "nl"}
SECRET = "Qwzxplorvq"
D = datetime.date
MAY_2025 = D(2025, 5, 1)


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
    """Known blanks in 2025 (k = 10):

    - police, North, 40: gender unknown 10, age unknown 20, nationality 0, form unknown 20
      (10 without a form, 10 with only "unknown"), sector unknown 20 (10 blank, 10 "unknown");
    - labour inspectorate, South, 30: age unknown 30, nationality blank 10;
    - shelter, South, 20: nothing unknown;
    - ngo, East, 5 and self-report, West, 4: too small (two, so no other group is withheld).
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


def test_planted_blanks_give_the_shares_per_reporter_type(blanks, client_for, helpdesk):
    html = _page(client_for(helpdesk)).content.decode()
    # registrations, gender, age, nationality, form, sector
    assert _cells(html, "reporter_type", "police") == [
        "40",
        "25.0% (10)",
        "50.0% (20)",
        "0.0% (0)",
        "50.0% (20)",
        "50.0% (20)",
    ]
    assert _cells(html, "reporter_type", "labour_inspectorate") == [
        "30",
        "0.0% (0)",
        "100.0% (30)",
        "33.3% (10)",
        "0.0% (0)",
        "0.0% (0)",
    ]
    assert _cells(html, "reporter_type", "shelter")[1:] == ["0.0% (0)"] * 5
    assert _cells(html, "reporter_type", "all") == [
        "99",
        "10.1% (10)",
        "50.5% (50)",
        "10.1% (10)",
        "20.2% (20)",
        "20.2% (20)",
    ]


def test_planted_blanks_give_the_shares_per_region(blanks, client_for, helpdesk):
    html = _page(client_for(helpdesk)).content.decode()
    assert _cells(html, "region", _region_pk("north")) == [
        "40",
        "25.0% (10)",
        "50.0% (20)",
        "0.0% (0)",
        "50.0% (20)",
        "50.0% (20)",
    ]
    assert _cells(html, "region", _region_pk("south")) == [
        "50",
        "0.0% (0)",
        "60.0% (30)",
        "20.0% (10)",
        "0.0% (0)",
        "0.0% (0)",
    ]


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
        assert cells[1] == "Too small: fewer than 10 registrations, no shares shown."
        assert "%" not in " ".join(cells)


def test_the_only_small_group_withholds_another_so_neither_follows_from_the_total(
    db, client_for, helpdesk
):
    north = RegionFactory(code="north", name="North")
    _registrations(30, reporter=ReporterType.POLICE, region=north)
    _registrations(20, reporter=ReporterType.SHELTER, region=north)
    _registrations(4, reporter=ReporterType.NGO, region=north)
    html = _page(client_for(helpdesk)).content.decode()
    assert _status(html, "reporter_type", "ngo") == "too_small"
    assert _status(html, "reporter_type", "shelter") == "withheld"
    assert _cells(html, "reporter_type", "shelter")[0] == "x"
    assert _cells(html, "reporter_type", "police")[0] == "30"
    assert _cells(html, "reporter_type", "all")[0] == "54"


def test_a_small_numerator_is_neither_shown_nor_left_to_subtraction(db, client_for, helpdesk):
    north = RegionFactory(code="north", name="North")
    _registrations(10, reporter=ReporterType.POLICE, region=north, person=_person(Gender.UNKNOWN))
    _registrations(30, reporter=ReporterType.POLICE, region=north)
    _registrations(3, reporter=ReporterType.SHELTER, region=north, person=_person(Gender.UNKNOWN))
    _registrations(17, reporter=ReporterType.SHELTER, region=north)
    _registrations(21, reporter=ReporterType.LABOUR_INSPECTORATE, region=north)
    html = _page(client_for(helpdesk)).content.decode()
    shelter = _cells(html, "reporter_type", "shelter")
    police = _cells(html, "reporter_type", "police")
    # Shelter's 3 of 20 is suppressed; with the total of 13 published, police's 10 is too.
    assert shelter[:2] == ["20", "x"]
    assert police[:2] == ["40", "x"]
    assert _cells(html, "reporter_type", "labour_inspectorate")[1] == "0.0% (0)"
    assert _cells(html, "reporter_type", "all")[1] == "16.0% (13)"
    assert "15.0%" not in html and "(3)" not in html


@pytest.fixture
def months(db):
    """March 2025 against March 2024 (k = 10): police 20 -> 12 (-40%), labour inspectorate
    20 -> 16 (-20%), shelter 20 -> 5 (suppressed), ngo 10 -> 20 (+100%)."""
    region = RegionFactory(code="north", name="North")
    for reporter, before, now in [
        (ReporterType.POLICE, 20, 12),
        (ReporterType.LABOUR_INSPECTORATE, 20, 16),
        (ReporterType.SHELTER, 20, 5),
        (ReporterType.NGO, 10, 20),
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


def test_a_drop_of_forty_percent_is_flagged(months, client_for, helpdesk):
    html = _page(client_for(helpdesk), {"year": "2025", "part": "Q1"}).content.decode()
    cells, dropped = _month(html, "police", "2025-03")
    assert cells == ["12", "20", "-40%", "drop of more than 30%"]
    assert dropped
    assert "1 month flagged in 2025-Q1." in html


def test_a_drop_of_twenty_percent_is_not_flagged(months, client_for, helpdesk):
    html = _page(client_for(helpdesk), {"year": "2025", "part": "Q1"}).content.decode()
    cells, dropped = _month(html, "labour_inspectorate", "2025-03")
    assert cells == ["16", "20", "-20%", ""]
    assert not dropped
    assert _month(html, "ngo", "2025-03") == (["20", "10", "100%", ""], False)


def test_a_suppressed_month_is_not_flagged(months, client_for, helpdesk):
    html = _page(client_for(helpdesk), {"year": "2025", "part": "Q1"}).content.decode()
    cells, dropped = _month(html, "shelter", "2025-03")
    assert cells == ["x", "20", "", ""]
    assert not dropped


def test_the_months_of_a_whole_year_are_listed_against_the_year_before(
    months, client_for, administrator
):
    html = _page(client_for(administrator)).content.decode()
    assert _month(html, "police", "2025-03") == (
        ["12", "20", "-40%", "drop of more than 30%"],
        True,
    )
    assert _month(html, "police", "2025-12")[0] == ["0", "0", "", ""]
    assert "1 month flagged in 2025." in html


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


def test_a_small_known_count_withholds_the_unknown_share_it_would_give_away(
    db, client_for, helpdesk
):
    north = RegionFactory(code="north", name="North")
    _registrations(11, reporter=ReporterType.POLICE, region=north, person=_person(Gender.UNKNOWN))
    _registrations(1, reporter=ReporterType.POLICE, region=north)
    _registrations(30, reporter=ReporterType.SHELTER, region=north)
    html = _page(client_for(helpdesk)).content.decode()
    police = _cells(html, "reporter_type", "police")
    assert police[:2] == ["12", "x"]  # 11 of 12 would say that 1 registration is known
    assert "91.7%" not in html


def test_a_small_month_is_protected_within_its_quarter(db, client_for, helpdesk):
    """The quarter's total per reporter type is published on the statistics page: one small
    month in it would follow by subtraction, so a second month of the quarter is withheld."""
    region = RegionFactory(code="north", name="North")
    person = _person()
    for day, count in [(D(2025, 1, 5), 20), (D(2025, 2, 5), 5), (D(2025, 3, 5), 30)]:
        _registrations(count, reporter=ReporterType.POLICE, region=region, day=day, person=person)
        before = D(2024, day.month, 5)
        _registrations(40, reporter=ReporterType.POLICE, region=region, day=before, person=person)
    html = _page(client_for(helpdesk), {"year": "2025", "part": "Q1"}).content.decode()
    assert _month(html, "police", "2025-01") == (["x", "40", "", ""], False)
    assert _month(html, "police", "2025-02") == (["x", "40", "", ""], False)
    assert _month(html, "police", "2025-03") == (["30", "40", "-25%", ""], False)
