"""Charts and pages people can read (issue 16, item 6): every chart named by its table, a
suppressed cell labelled as such (never drawn as 0), a chart with nothing published replaced
by a sentence, the statistics page in sections with a table of contents, and a download that
would hold nothing refused with a sentence on what to widen."""

from __future__ import annotations

import html
import re
from urllib.parse import urlencode

import pytest
from django.urls import reverse

from registry.models import Job
from reports.charts import breakdown_chart
from reports.suppression import Cell
from reports.tables import Breakdown, Row
from tests.jobs import export_via_job
from tests.reports.test_statistics import PERIOD_QUERY

pytestmark = pytest.mark.django_db

# No registration of the planted dataset falls in this period.
EMPTY_QUERY = {"year": "2010"}


@pytest.fixture
def planted(planted):
    """The planted dataset (tests/reports/conftest.py) with its 2024 group moved into 2025:
    these tests need its three counted groups in one published period (a calendar year)."""
    from registry.models import Registration

    for pk, day in Registration.objects.filter(registered_on__year=2024).values_list(
        "pk", "registered_on"
    ):
        Registration.objects.filter(pk=pk).update(registered_on=day.replace(year=2025))
    return planted


EN = {"HTTP_ACCEPT_LANGUAGE": "en"}


def _sections(page: str) -> dict[str, str]:
    """Section id -> its HTML (up to the next section)."""
    parts = re.split(r'(?=<section\b[^>]*\bid=")', page)
    found = {}
    for part in parts:
        match = re.match(r'<section\b[^>]*\bid="([^"]+)"', part)
        if match:
            found[match.group(1)] = part
    return found


def _heading(section: str) -> str:
    return html.unescape(re.search(r"<h2[^>]*>(.*?)</h2>", section, re.S).group(1).strip())


def _svg_name(svg: str) -> tuple[str, str]:
    title = re.search(r"<title>(.*?)</title>", svg, re.S).group(1)
    label = re.search(r'<svg\b[^>]*\baria-label="([^"]*)"', svg).group(1)
    return html.unescape(title), html.unescape(label)


def _page(client, query, **extra):
    return client.get(reverse("reports:statistics"), query, **extra)


@pytest.mark.parametrize("language", ["nl", "en"])
def test_every_chart_is_named_by_its_table_for_screen_readers_and_tooltips(
    planted, administrator, client_for, language, settings
):
    # Every chart drawn: the 2025 groups are below 15, which the mark covers at k = 10.
    settings.REGISTRY_SMALL_CELL_K = 1
    response = _page(client_for(administrator), PERIOD_QUERY, HTTP_ACCEPT_LANGUAGE=language)
    page = response.content.decode()
    assert "Pygal" not in page
    sections = _sections(page)
    charted = 0
    for section in sections.values():
        svgs = re.findall(r"<svg\b.*?</svg>", section, re.S)
        if not svgs:
            continue
        heading = _heading(section)
        for svg in svgs:
            title, label = _svg_name(svg)
            # The chart of a table carries the table's own heading; the year chart's name
            # says what it counts.
            assert title == label
            assert title == heading or title in (
                "Registraties per jaar",
                "Registrations per year",
            ), (title, heading)
            assert re.search(r'<svg\b[^>]*\brole="img"', svg)
            charted += 1
    assert charted >= 15  # 13 breakdowns, the years and the crossing


def test_a_chart_title_cannot_inject_markup():
    table = Breakdown(
        key="gender",
        title='<script>alert("x")</script> & co',
        rows=[Row("female", "Female", Cell(20)), Row("male", "Male", Cell(12))],
        total=Cell(32),
    )
    svg = str(breakdown_chart(table))
    assert "<script" not in svg
    assert "&lt;script&gt;" in svg


def test_a_suppressed_cell_is_labelled_suppressed_and_not_drawn_as_zero(
    planted, administrator, client_for, settings
):
    # At k = 5 the 2025 genders (female 9, male 10, none other or unknown) are published
    # rounded or read x, as their random rounding falls: the chart follows the table.
    settings.REGISTRY_SMALL_CELL_K = 5
    response = _page(client_for(administrator), PERIOD_QUERY, **EN)
    page = response.content.decode()
    section = _sections(page)["section-gender"]
    table = next(t for t in response.context["stats"].breakdowns if t.key == "gender")
    shown = [row for row in table.rows if row.cell.published is not None]
    marked = [row for row in table.rows if row.cell.published is None]
    assert shown and marked  # other and unknown (none) read x like small counts
    svg = re.search(r"<svg\b.*?</svg>", section, re.S).group(0)
    axis = re.search(r'<g class="axis y">.*?</g></g>(?=<g class="axis x)', svg, re.S).group(0)
    labels = [html.unescape(x) for x in re.findall(r"<text[^>]*>(.*?)</text>", axis)]
    # Each value keeps its place on the axis; one read x is labelled as suppressed.
    assert sorted(labels) == sorted(
        [row.label for row in shown] + [f"{row.label} (x, not shown)" for row in marked]
    )
    values = re.findall(r'<desc class="value">(.*?)</desc>', svg)
    # One bar per published (rounded) count, in the table's order; no bar of 0, 9, 10 or 11.
    assert sorted(values) == sorted(str(row.cell.published) for row in shown)
    printed = re.findall(r'<text[^>]*class="value"[^>]*>(.*?)</text>', svg)
    assert sorted(printed) == sorted(values)
    assert not {"0", "9", "11"} & set(printed)


def test_a_fully_suppressed_crossing_shows_a_sentence_not_an_empty_axis(
    planted, administrator, client_for, settings
):
    # At k = 12 every cell of reporter type x nationality group (11, 10 and 9 on the
    # diagonal) is suppressed.
    settings.REGISTRY_SMALL_CELL_K = 12
    query = {**PERIOD_QUERY, "rows": "reporter_type", "cols": "nationality_group"}
    page = _page(client_for(administrator), query, **EN).content.decode()
    cross = _sections(page)["section-cross"]
    assert "<svg" not in cross
    assert "every figure reads x or 0, so there is no chart to draw" in cross
    # So is a breakdown whose every cell reads x (reporter type: 11, 10 and 9).
    reporters = _sections(page)["section-reporter_type"]
    assert "<svg" not in reporters
    assert "no chart to draw" in reporters
    # Gender (20 female, 10 male) keeps its headline: the 20 is no longer hidden to protect
    # the 10, so its chart is drawn.
    assert "<svg" in _sections(page)["section-gender"]
    # The sentence is translated.
    dutch = _page(client_for(administrator), query).content.decode()
    assert "geen grafiek" in _sections(dutch)["section-cross"]


def test_the_statistics_page_has_a_table_of_contents_linking_to_every_section(
    planted, administrator, client_for
):
    page = _page(client_for(administrator), PERIOD_QUERY).content.decode()
    nav = re.search(r'<nav\b[^>]*id="contents".*?</nav>', page, re.S).group(0)
    targets = re.findall(r'href="#([^"]+)"', nav)
    sections = _sections(page)
    assert targets == list(sections)  # each section once, in the page's order
    assert len(targets) >= 16  # the years, the crossing, the referrals and 13 breakdowns
    for target in targets:
        # The link reads as the section's heading.
        link = re.search(rf'href="#{target}">(.*?)</a>', nav, re.S).group(1)
        assert html.unescape(link).strip() == _heading(sections[target])
    # Each section leads back to the contents.
    assert all('href="#contents"' in section for section in sections.values())


def test_an_empty_statistics_download_is_refused_with_what_to_widen(
    planted, administrator, client_for
):
    client = client_for(administrator)
    page = _page(client, EMPTY_QUERY, **EN).content.decode()
    assert "There is nothing to download" in page
    assert "Widen the period" in page
    assert reverse("reports:statistics_download", args=["csv"]) not in page
    jobs_before = Job.objects.count()
    url = reverse("reports:statistics_download", args=["csv"])
    response = client.post(f"{url}?{urlencode(EMPTY_QUERY)}", **EN)
    assert response.status_code == 400
    assert "There is nothing to download" in response.content.decode()
    assert Job.objects.count() == jobs_before
    # A period with registrations still downloads.
    assert (
        reverse("reports:statistics_download", args=["csv"])
        in _page(client, PERIOD_QUERY).content.decode()
    )


def test_an_anonymised_download_of_no_rows_is_refused_with_what_to_widen(
    planted, administrator, client_for, settings
):
    # 30 registrations in the period: at k = 31 no generalisation, not even every
    # quasi-identifier withheld, makes a group of 31, so every row would be left out.
    settings.REGISTRY_SMALL_CELL_K = 31
    client = client_for(administrator)
    response = client.get(reverse("reports:anonymised"), PERIOD_QUERY, **EN)
    assert response.context["summary"].total == 30
    assert response.context["summary"].published == 0
    page = response.content.decode()
    assert "There is nothing to download" in page and "Widen the period" in page
    assert reverse("reports:anonymised_download", args=["csv"]) not in page
    jobs_before = Job.objects.count()
    for file_format in ("csv", "xlsx"):
        url = reverse("reports:anonymised_download", args=[file_format])
        refused = client.post(f"{url}?{urlencode(PERIOD_QUERY)}", **EN)
        assert refused.status_code == 400
        assert "There is nothing to download" in refused.content.decode()
    assert Job.objects.count() == jobs_before
    # A period without any registration says so.
    empty = client.get(reverse("reports:anonymised"), EMPTY_QUERY, **EN).content.decode()
    assert "there are no registrations in this period. Widen the period" in empty
    assert reverse("reports:anonymised_download", args=["csv"]) not in empty
    # The Dutch page says it in Dutch.
    dutch = client.get(reverse("reports:anonymised"), PERIOD_QUERY).content.decode()
    assert "Er is niets te downloaden" in dutch


def test_an_anonymised_download_with_rows_still_starts(
    planted, administrator, client_for, settings
):
    settings.REGISTRY_SMALL_CELL_K = 10
    client = client_for(administrator)
    page = client.get(reverse("reports:anonymised"), PERIOD_QUERY).content.decode()
    assert "niets te downloaden" not in page
    response = export_via_job(
        client, reverse("reports:anonymised_download", args=["csv"]), PERIOD_QUERY
    )
    # Groups A (11), B (10) and C (9): C joins A once age and nationality are withheld.
    assert len(response.content.splitlines()) == 1 + 30


def test_suppressed_cells_of_a_crossing_are_drawn_as_one_grey_part_named_x(
    planted, administrator, client_for, settings
):
    # Gender x age (monitor) of the planted 2024-2025 data at k = 5: female 0-17 (9),
    # female 18-22 (11), male 30-39 (10); a cell that reads x leaves a grey part.
    settings.REGISTRY_SMALL_CELL_K = 5
    query = {"year": "2024", "until": "2025", "rows": "gender", "cols": "age_monitor"}
    response = _page(client_for(administrator), query, **EN)
    cross = response.context["stats"].cross
    page = response.content.decode()
    svg = re.search(r"<svg\b.*?</svg>", _sections(page)["section-cross"], re.S).group(0)
    values = sorted(int(v) for v in re.findall(r'<desc class="value">(\d+)</desc>', svg))
    drawn = [j for j, total in enumerate(cross.col_totals) if total.published is not None]
    published = [line[j].published for line in cross.cells for j in drawn if line[j].published]
    grey = []
    for total, line in zip(cross.row_totals, cross.cells, strict=True):
        shown = sum(line[j].published or 0 for j in drawn)
        undrawn = any(c.suppressed or j not in drawn for j, c in enumerate(line))
        if total.published and undrawn and total.published > shown:
            grey.append(total.published - shown)
    # The bars are the published cells and, per row, the published total less them: what the
    # table already gives; no exact count, and no cell drawn as 0.
    assert values == sorted(published + grey)
    assert 0 not in values
    legend = [
        html.unescape(x) for x in re.findall(r'<g [^>]*class="legend [^"]*">.*?</g>', svg, re.S)
    ]
    assert bool(grey) is any(">x, not shown<" in item for item in legend), legend
