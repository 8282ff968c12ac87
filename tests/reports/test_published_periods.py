"""Published figures cover a calendar year, half-year or quarter that has ended (issue 16,
item 1): the differencing attack of two periods a day apart is refused on every page and
download that publishes, and on every export command's published file; free dates remain
only in the administrator's exact view, which nothing downloads."""

from __future__ import annotations

import datetime
import io
from urllib.parse import urlencode

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone

from registry.models import Job
from reports.aggregates import Period
from reports.periods import PeriodRefused, PublishedPeriod
from tests.factories import RegionFactory, RegistrationFactory
from tests.jobs import export_via_job

pytestmark = pytest.mark.django_db

EN = {"HTTP_ACCEPT_LANGUAGE": "en"}
D = datetime.date
FREE_DATES_MESSAGE = "choose a year and a part of it"
# The attack: the first half of 2025, and the same a day longer; the difference is the
# registrations of 1 July 2025 alone (here one person).
A_DAY_APART = (
    {"start": "2025-01-01", "end": "2025-06-30"},
    {"start": "2025-01-01", "end": "2025-07-01"},
)
PUBLISHED = {"year": "2025", "part": "H1"}

# Every page and download that publishes: (url name, args, method).
PUBLISHING_URLS = [
    ("reports:statistics", [], "get"),
    ("reports:statistics_download", ["csv"], "post"),
    ("reports:statistics_download", ["xlsx"], "post"),
    ("reports:anonymised", [], "get"),
    ("reports:data_quality", [], "get"),
    ("reports:anonymised_download", ["csv"], "post"),
    ("reports:anonymised_download", ["xlsx"], "post"),
    ("reports:referrals_download", ["csv"], "post"),
    ("reports:referrals_download", ["xlsx"], "post"),
]
# Every export command's published file.
PUBLISHING_COMMANDS = [
    ("export_statistics",),
    ("export_registrations", "--anonymised"),
    ("export_registrations", "--referrals"),
]


@pytest.fixture
def lone_day():
    """Twelve registrations in the first half of 2025 and one on 1 July 2025."""
    region = RegionFactory(code="north", name="North")
    for day in range(12):
        RegistrationFactory(region=region, registered_on=D(2025, 3, 1 + day))
    return RegistrationFactory(region=region, registered_on=D(2025, 7, 1))


def _ask(client, name, args, method, query):
    url = f"{reverse(name, args=args)}?{urlencode(query)}"
    return getattr(client, method)(url, **EN)


@pytest.mark.parametrize(("name", "args", "method"), PUBLISHING_URLS)
@pytest.mark.parametrize("who", ["helpdesk", "administrator"])
def test_two_periods_a_day_apart_are_refused_with_a_message(
    lone_day, client_for, roles, who, name, args, method
):
    client = client_for(roles[who])
    jobs = Job.objects.count()
    queries = list(A_DAY_APART)
    if name != "reports:statistics":
        # exact=1 is the statistics page's alone: it opens no download or other page to dates.
        queries += [{**query, "exact": "1"} for query in A_DAY_APART]
    for query in queries:
        response = _ask(client, name, args, method, query)
        assert response.status_code == 400
        assert FREE_DATES_MESSAGE in response.content.decode()
    assert Job.objects.count() == jobs  # nothing was started, nothing written


@pytest.mark.parametrize(("name", "args", "method"), PUBLISHING_URLS)
def test_a_published_period_is_served(lone_day, client_for, helpdesk, name, args, method):
    client = client_for(helpdesk)
    if method == "get":
        response = _ask(client, name, args, method, PUBLISHED)
    else:
        response = export_via_job(client, reverse(name, args=args), PUBLISHED)
    assert response.status_code == 200


@pytest.mark.parametrize(("name", "args", "method"), PUBLISHING_URLS)
def test_a_period_still_in_progress_is_refused(client_for, helpdesk, name, args, method):
    """Its figures change every day: two downloads a day apart would isolate the day."""
    this_year = str(timezone.localdate().year)
    response = _ask(client_for(helpdesk), name, args, method, {"year": this_year})
    assert response.status_code == 400
    assert f"{this_year} has not ended yet" in response.content.decode()


@pytest.mark.parametrize("command", PUBLISHING_COMMANDS)
def test_commands_refuse_free_dates_and_publish_a_period(lone_day, tmp_path, command):
    target = str(tmp_path / "out.csv")
    for bounds in (("--from", "2025-01-01", "--to", "2025-06-30"), ("--to", "2025-07-01")):
        with pytest.raises(CommandError, match="--from/--to are not accepted"):
            call_command(*command, "--output", target, *bounds, stdout=io.StringIO())
    with pytest.raises(CommandError, match="--period is required"):
        call_command(*command, "--output", target, stdout=io.StringIO())
    this_year = str(timezone.localdate().year)
    with pytest.raises(CommandError, match="has not ended yet"):
        call_command(*command, "--output", target, "--period", this_year, stdout=io.StringIO())
    with pytest.raises(CommandError, match="2025-Q3"):
        call_command(*command, "--output", target, "--period", "2025-07", stdout=io.StringIO())
    assert not (tmp_path / "out.csv").exists()  # nothing written by a refusal
    call_command(*command, "--output", target, "--period", "2025-H1", stdout=io.StringIO())
    assert (tmp_path / "out.csv").read_text(encoding="utf-8")


def test_the_exact_view_takes_free_dates_for_an_administrator_only(
    lone_day, client_for, administrator, helpdesk
):
    day = {"start": "2025-07-01", "end": "2025-07-01", "exact": "1"}
    page = client_for(administrator).get(reverse("reports:statistics"), day, **EN)
    assert page.status_code == 200
    assert page.context["stats"].total.exact == 1
    html = page.content.decode()
    assert "Exact counts: not for publication." in html
    # Nothing of it downloads: no download button on the exact view.
    assert reverse("reports:statistics_download", args=["csv"]) not in html
    refused = client_for(helpdesk).get(reverse("reports:statistics"), day, **EN)
    assert refused.status_code == 400
    assert FREE_DATES_MESSAGE in refused.content.decode()


def test_the_administrators_exact_view_may_show_the_period_in_progress(client_for, administrator):
    query = {"year": str(timezone.localdate().year), "exact": "1"}
    assert client_for(administrator).get(reverse("reports:statistics"), query).status_code == 200


def test_the_page_defaults_to_the_last_year_that_has_ended(lone_day, client_for, helpdesk):
    page = client_for(helpdesk).get(reverse("reports:statistics"), **EN)
    assert page.status_code == 200
    assert page.context["form"].period_label == str(timezone.localdate().year - 1)
    html = page.content.decode()
    assert 'name="start"' not in html and 'name="end"' not in html  # no free dates offered
    assert 'name="year"' in html and 'name="part"' in html


@pytest.mark.parametrize(
    ("text", "start", "end"),
    [
        ("2025", D(2025, 1, 1), D(2025, 12, 31)),
        ("2025-H1", D(2025, 1, 1), D(2025, 6, 30)),
        ("2025-h2", D(2025, 7, 1), D(2025, 12, 31)),
        ("2024-Q1", D(2024, 1, 1), D(2024, 3, 31)),
        ("2024-Q4", D(2024, 10, 1), D(2024, 12, 31)),
        ("2015-2019", D(2015, 1, 1), D(2019, 12, 31)),
    ],
)
def test_a_published_period_is_a_year_half_year_or_quarter(text, start, end):
    assert PublishedPeriod.parse(text).period == Period(start, end)


@pytest.mark.parametrize(
    "text", ["", "2025-07", "2025-Q5", "2025-01-01", "25", "1999", "x", "2019-2015", "2019-2019"]
)
def test_anything_else_is_not_a_published_period(text):
    with pytest.raises(PeriodRefused):
        PublishedPeriod.parse(text)


def test_a_period_has_ended_only_after_its_last_day():
    q3 = PublishedPeriod(2025, "Q3")
    assert not q3.has_ended(D(2025, 9, 30))
    assert q3.has_ended(D(2025, 10, 1))
    with pytest.raises(PeriodRefused, match="has not ended yet"):
        q3.ended(D(2025, 9, 30))


@pytest.mark.parametrize(("name", "args", "method"), PUBLISHING_URLS)
def test_a_run_of_whole_years_is_served(lone_day, client_for, helpdesk, name, args, method):
    """The monitor's five-year tables: 2015-2019 as year=2015&until=2019."""
    client = client_for(helpdesk)
    query = {"year": "2021", "until": "2025"}
    if method == "get":
        response = _ask(client, name, args, method, query)
    else:
        response = export_via_job(client, reverse(name, args=args), query)
    assert response.status_code == 200


@pytest.mark.parametrize(
    "query",
    [
        {"year": "2025", "part": "H1", "until": "2026"},  # a part with a run
        {"year": "2025", "until": "2025"},  # not after the first year
        {"year": "2025", "until": "2021"},
    ],
)
@pytest.mark.parametrize(("name", "args", "method"), PUBLISHING_URLS)
def test_a_run_that_is_not_whole_years_is_refused(client_for, helpdesk, name, args, method, query):
    jobs = Job.objects.count()
    response = _ask(client_for(helpdesk), name, args, method, query)
    assert response.status_code == 400
    assert "A run of years covers whole calendar years" in response.content.decode()
    assert Job.objects.count() == jobs


def test_a_run_still_in_progress_is_refused(client_for, helpdesk):
    this_year = timezone.localdate().year
    query = {"year": str(this_year - 2), "until": str(this_year)}
    response = client_for(helpdesk).get(reverse("reports:statistics"), query, **EN)
    assert response.status_code == 400
    assert "has not ended yet" in response.content.decode()
