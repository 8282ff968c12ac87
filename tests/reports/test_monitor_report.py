"""The victim monitor's yearly report (issue 16 item 4) on the planted dataset
(tests/reports/conftest.py), whose every figure is known:

- 2024 (the year before): group A, 11 registrations of 6 persons (5 registered twice),
  female, RO, age 20, sexual / window, cross-border, police, each with a case.
- 2025: group B, 10 registrations of 10 persons, male, NL, age 35, labour / agriculture,
  domestic, labour inspectorate, no case; one of them (b_people[0]) registered in 2023 too.
  Group C, 9 registrations of 9 persons, female, NG, age 16, sexual and criminal, sector
  blank, cross-border, NGO, each with a case.

Planted here on top: C's registrations are minors; 3 of C's cases are sub 3 cases; on C's
cases 4 police reports made and 2 not made; on A's cases (2024) 2 made.
"""

from __future__ import annotations

import csv
import datetime
import io

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone, translation
from pypdf import PdfReader

from registry.choices import AuditAction, ProcedureKind, ProcedureStatus
from registry.forms import CaseForm
from registry.models import (
    AuditEvent,
    Case,
    FormOfExploitation,
    Registration,
    ResidenceProcedure,
)
from reports.aggregates import COMMAND_LINE
from reports.disclosure import interval, protect, rounding_base, small_cell_k
from reports.monitor import STANDARD, build_monitor, table
from reports.periods import PublishedPeriod
from reports.tables import build_statistics, scope_of
from tests.jobs import export_via_job
from tests.reports.conftest import PLANTED_SECRET

pytestmark = pytest.mark.django_db

MONITOR = reverse("reports:monitor")
MONITOR_PDF = reverse("reports:monitor_pdf")
THIS_YEAR = timezone.localdate().year


@pytest.fixture
def monitored(planted):
    """The planted dataset with minors, sub 3 cases and police reports (see the docstring)."""
    group_c = Registration.objects.filter(registered_on__year=2025, person__nationality="NG")
    group_c.update(is_minor=True)
    c_cases = list(Case.objects.filter(registration__in=group_c).order_by("registration__number"))
    a_cases = list(Case.objects.filter(registration__registered_on__year=2024).order_by("pk"))
    assert (len(c_cases), len(a_cases)) == (9, 11)
    # A personal value on the cases too: the monitor reads none of it.
    for case in c_cases:
        case.care_location = f"Shelter {PLANTED_SECRET}"
        case.save()
    Case.objects.filter(pk__in=[case.pk for case in c_cases[:3]]).update(sub3=True)
    made_on = datetime.date(2025, 6, 1)
    for case in c_cases[:4] + a_cases[:2]:
        ResidenceProcedure.objects.create(
            case=case,
            kind=ProcedureKind.POLICE_REPORT,
            status=ProcedureStatus.MADE,
            decided_on=made_on,
        )
    for case in c_cases[4:6]:
        ResidenceProcedure.objects.create(
            case=case,
            kind=ProcedureKind.POLICE_REPORT,
            status=ProcedureStatus.NOT_MADE,
            decided_on=made_on,
        )
    return planted


def _exact() -> object:
    return build_monitor(COMMAND_LINE, 2025, k=1)


def _figures(report, key: str, column: str = "cell") -> dict[str, int]:
    return {
        row.value: getattr(row, column).exact
        for row in table(report, key).rows
        if getattr(row, column).exact
    }


def _published(count: int, key: str, k: int | None = None) -> str:
    """What reports.disclosure publishes of ``count`` under ``key`` (what the figure counts)."""
    return protect(count, small_cell_k() if k is None else k, key=key).text


def _within_rounding(text: str, count: int, k: int | None = None) -> bool:
    """A published figure says what the documentation says of it (``interval``)."""
    lo, hi = interval(text, small_cell_k() if k is None else k, rounding_base())
    return lo <= count <= hi


def _scope(year: int) -> str:
    return scope_of(PublishedPeriod(year).period)


def test_registrations_and_persons_of_the_year_and_the_year_before(monitored):
    # k = 1: every figure is published (rounded), so the change can be computed.
    report = _exact()
    assert [(row.year, row.cell.exact) for row in report.headline] == [("2024", 11), ("2025", 19)]
    assert [(row.year, row.cell.exact) for row in report.persons] == [("2024", 6), ("2025", 19)]
    for rows, figure in ((report.headline, "registrations"), (report.persons, "persons")):
        for row in rows:
            # Keyed as the year's own total on the statistics page of that year.
            expected = _published(row.cell.exact, f"{_scope(int(row.year))}|{figure}", k=1)
            assert row.cell.text == expected != str(row.cell.exact)
            assert _within_rounding(row.cell.text, row.cell.exact, k=1)
    # The change is of the published figures, not of the exact 11 and 19 (8, 72.7%).
    before, this = (row.cell.published for row in report.headline)
    assert report.headline[0].change is None
    assert report.headline[-1].change == this - before
    assert report.headline[-1].change_percent == pytest.approx(100 * (this - before) / before)
    assert (report.headline[-1].change, round(report.headline[-1].change_percent, 1)) != (8, 72.7)


def test_the_headline_reads_as_the_statistics_of_each_year_with_k(monitored, settings):
    settings.REGISTRY_SMALL_CELL_K = 10
    report = build_monitor(COMMAND_LINE, 2025)
    for year, headline, persons in zip(
        ("2024", "2025"), report.headline, report.persons, strict=True
    ):
        stats = build_statistics(COMMAND_LINE, PublishedPeriod(int(year)).period)
        assert (headline.cell.text, persons.cell.text) == (stats.total.text, stats.persons.text)
        assert _within_rounding(headline.cell.text, headline.cell.exact)
    # The year before's 6 persons: a small count, the mark.
    assert report.persons[0].cell.text == "x"
    # A change needs both years published: with one of them an x there is none.
    before, this = report.headline
    if before.cell.suppressed or this.cell.suppressed:
        assert this.change is None and this.change_percent is None
    else:
        assert this.change == this.cell.published - before.cell.published


def _download(client, year: int) -> dict[tuple[str, str], tuple[str, str]]:
    response = export_via_job(
        client, reverse("reports:statistics_download", args=["csv"]), {"year": str(year)}
    )
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0] == ["dimension", "value", "count", "percent"]
    return {(dim, value): (count, percent) for dim, value, count, percent in rows[1:]}


def test_every_figure_reads_as_the_statistics_download_of_its_year(
    monitored, helpdesk, client_for, settings
):
    """The point of keying: the monitor's 2025 and its 2024 column publish each figure as the
    statistics download of that year does, so setting the two side by side tells nothing."""
    settings.REGISTRY_SMALL_CELL_K = 10
    report = build_monitor(COMMAND_LINE, 2025)
    client = client_for(helpdesk)
    this, before = _download(client, 2025), _download(client, 2024)
    assert report.headline[-1].cell.text == this[("total", "registrations")][0]
    assert report.headline[0].cell.text == before[("total", "registrations")][0]
    assert report.persons[-1].cell.text == this[("total", "persons")][0]
    compared = 0
    for key in STANDARD:
        monitor_table = table(report, key)
        for row in monitor_table.rows:
            if row.value == "_other":
                continue  # the year before is grouped by the year's top nationalities
            for cell_, published in ((row.cell, this), (row.previous, before)):
                if (key, row.value) in published:
                    assert cell_.text == published[(key, row.value)][0], (key, row.value)
                    compared += 1
                assert _within_rounding(cell_.text, cell_.exact), (key, row.value)
            if (key, row.value) in this:
                assert row.cell.percent_text == this[(key, row.value)][1]
    assert compared >= 2 * len(STANDARD)
    # The crossing's form totals are the form's figures of the statistics.
    for form in report.form_sectors:
        assert form.total.text == this[("exploitation_form", form.value)][0]


@pytest.mark.parametrize(
    ("key", "this_year", "year_before"),
    [
        ("gender", {"male": 10, "female": 9}, {"female": 11}),
        ("age_monitor", {"30-39": 10, "0-17": 9}, {"18-22": 11}),
        ("nationality_group", {"dutch": 10, "outside_eu": 9}, {"other_eu": 11}),
        # RO, counted only the year before, reads x this year (x covers zero): a country whose
        # figure reads x is not listed on its own (reports.tables._top), so its 11 are "other".
        ("nationality", {"NL": 10, "NG": 9}, {"_other": 11}),
        ("exploitation_form", {"labour": 10, "sexual": 9, "criminal": 9}, {"sexual": 11}),
        ("scope", {"domestic": 10, "cross_border": 9}, {"cross_border": 11}),
        ("reporter_type", {"labour_inspectorate": 10, "ngo": 9}, {"police": 11}),
        ("minor", {"yes": 9, "no": 10}, {"no": 11}),
    ],
)
def test_each_table_counts_the_year_with_the_year_before_beside_it(
    monitored, key, this_year, year_before
):
    report = _exact()
    assert _figures(report, key) == this_year
    assert _figures(report, key, "previous") == year_before


def test_sectors_are_counted_within_each_form_of_exploitation(monitored):
    report = _exact()
    forms = {form.value: form for form in report.form_sectors}
    assert set(forms) == {"sexual", "labour", "criminal"}

    def nonzero(form, column="cell"):
        return {r.value: getattr(r, column).exact for r in form.rows if getattr(r, column).exact}

    assert nonzero(forms["labour"]) == {"agriculture": 10}
    # C's registrations have no sector: unknown under both of their forms.
    assert nonzero(forms["sexual"]) == {"unknown": 9}
    assert nonzero(forms["criminal"]) == {"unknown": 9}
    # The year before: A's 11 in window prostitution, under sexual exploitation.
    assert nonzero(forms["sexual"], "previous") == {"window": 11}
    # A form's own sectors are listed even at zero; another form's are not.
    sexual_rows = [row.value for row in forms["sexual"].rows]
    assert "club" in sexual_rows and "agriculture" not in sexual_rows


def test_which_forms_and_sectors_are_listed_follows_the_published_figures(monitored, settings):
    """The mark covers 0 to 14 without saying whether anyone was counted: a block or a row
    listed only where someone was would say it. One of C's registrations in agriculture and
    organ removal: 1 of each, 0 the year before, all read x, so nothing new is listed."""
    settings.REGISTRY_SMALL_CELL_K = 10
    registration = Registration.objects.filter(
        registered_on__year=2025, person__nationality="NG"
    ).first()
    Registration.objects.filter(pk=registration.pk).update(sector="agriculture")
    registration.exploitation_forms.add(FormOfExploitation.objects.get(code="organ_removal"))
    report = build_monitor(COMMAND_LINE, 2025)
    forms = {form.value: form for form in report.form_sectors}
    crossing = report.crossing
    organ = [v for v, _label in crossing.rows].index("organ_removal")
    assert crossing.row_totals[organ].exact == 1 and crossing.row_totals[organ].text == "x"
    assert "organ_removal" not in forms
    sexual = {row.value: row for row in forms["sexual"].rows}
    assert "agriculture" not in sexual
    # The statistics of the year read the same marks for both.
    stats = build_statistics(COMMAND_LINE, PublishedPeriod(2025).period)
    by_form = {
        row.value: row.cell.text
        for found in stats.breakdowns
        if found.key == "exploitation_form"
        for row in found.rows
    }
    assert by_form["organ_removal"] == "x"
    # A form with sectors of its own keeps its block with every one of them, marks and all.
    assert set(forms) >= {"sexual", "labour", "criminal"}
    assert [row.value for row in forms["criminal"].rows if row.value in ("drugs", "theft")] == [
        "drugs",
        "theft",
    ]


def test_sub3_cases_and_police_reports_come_from_the_registrations_cases(monitored):
    report = _exact()
    assert _figures(report, "sub3") == {"yes": 3, "no": 16}
    assert _figures(report, "sub3", "previous") == {"no": 11}
    # B's 10 registrations have no case, 3 of C's cases no report: 13 without one.
    assert _figures(report, "police_report") == {"made": 4, "not_made": 2, "none": 13}
    assert _figures(report, "police_report", "previous") == {"made": 2, "none": 9}


def test_repeat_victims_are_persons_registered_again_in_the_year_or_before_it(monitored):
    report = _exact()
    # 2025: b_people[0] was registered in 2023 too; the 18 others once.
    assert _figures(report, "repeat") == {"registered_before": 1, "once": 18}
    # 2024: 5 of A's 6 persons were registered twice within the year, none before.
    assert _figures(report, "repeat", "previous") == {"again_within_year": 5, "once": 1}
    assert table(report, "repeat").total.exact == 19


def _all_cells(report) -> list[tuple[str, object]]:
    found = [("headline", row.cell) for row in report.headline + report.persons]
    for monitor_table in report.tables:
        found += [
            (monitor_table.key, c) for c in (monitor_table.total, monitor_table.previous_total)
        ]
        found += [(monitor_table.key, row.cell) for row in monitor_table.rows]
        found += [(monitor_table.key, row.previous) for row in monitor_table.rows]
    for form in report.form_sectors:
        found += [(form.value, c) for c in (form.total, form.previous_total)]
        found += [(form.value, c) for row in form.rows for c in (row.cell, row.previous)]
    return found


def test_small_cells_are_published_as_the_statistics_publish_them(monitored, settings):
    settings.REGISTRY_SMALL_CELL_K = 10
    report = build_monitor(COMMAND_LINE, 2025)
    sub3 = {row.value: row.cell for row in table(report, "sub3").rows}
    # 3 is a small cell: the mark, without a percentage.
    assert sub3["yes"].text == "x" and sub3["yes"].percent is None
    # No secondary suppression: the 16 beside it is published, rounded as its key says.
    assert not sub3["no"].suppressed and not sub3["no"].secondary
    assert sub3["no"].text == _published(16, f"{_scope(2025)}|sub3=no")
    assert _within_rounding(sub3["no"].text, 16)
    total = table(report, "sub3").total
    assert total.text == _published(19, f"{_scope(2025)}|registrations")
    # Its percentage is of the published figures, not of 16 in 19 (84.2).
    assert sub3["no"].percent == pytest.approx(100 * sub3["no"].published / total.published)
    gender = {row.value: row.cell for row in table(report, "gender").rows}
    # 9 is below k; 10 is k itself, which rounds to 10 and so reads the mark too.
    assert (gender["female"].exact, gender["male"].exact) == (9, 10)
    assert gender["female"].text == "x" and gender["male"].text == "x"
    # Every figure of the report: the one mark for 0..14 only, a number within the rounding.
    cells = _all_cells(report)
    assert len(cells) > 100
    for where, c in cells:
        assert not c.secondary, where
        if c.exact < small_cell_k():
            assert c.text == "x", (where, c)
        if c.exact >= small_cell_k() + rounding_base():
            assert c.text != "x", (where, c)
        assert _within_rounding(c.text, c.exact), (where, c)
        if c.text != "x":
            assert int(c.text) % rounding_base() == 0, (where, c)


def test_the_page_shows_every_table_with_its_chart_and_no_count_behind_an_x(
    monitored, helpdesk, client_for, settings
):
    settings.REGISTRY_SMALL_CELL_K = 10
    response = client_for(helpdesk).get(MONITOR, {"year": "2025"}, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    page = response.text
    for key in [
        "headline",
        "gender",
        "age_monitor",
        "nationality_group",
        "nationality",
        "exploitation_form",
        "form_sector-sexual",
        "scope",
        "reporter_type",
        "minor",
        "sub3",
        "police_report",
        "repeat",
    ]:
        assert f'id="table-{key}"' in page
    assert "Sub 3 cases (Art. 273f(1)(3) Sr)" in page
    # The statistics page's own sentence on the method, with this report's k and base.
    assert (
        "every count is randomly rounded on its own to a multiple of 5, so a figure may differ "
        "from the exact count by up to 4"
        in page
        and "Counts below 10, zero included, are shown as x, and so are some up to 14." in page
    )
    assert "counts from 1 to" not in page and "one more cell" not in page
    # Each chart is named by its table; no script runs.
    assert (
        'aria-label="Police report"' in page
        and "<script" not in page.split("<main")[1].split("</main>")[0]
    )
    # The year's 9 minors are suppressed in the table and on the chart.
    minors = page.split('id="table-minor"')[1].split("</table>")[0]
    assert (
        '<tr data-value="yes"><th scope="row" class="fw-normal">yes</th><td class="text-end">x'
        in minors
    )


def test_the_page_and_the_pdf_follow_the_language(monitored, administrator, client_for):
    client = client_for(administrator)
    dutch = client.get(MONITOR, {"year": "2025"}, HTTP_ACCEPT_LANGUAGE="nl").text
    english = client.get(MONITOR, {"year": "2025"}, HTTP_ACCEPT_LANGUAGE="en").text
    assert "Slachtoffermonitor 2025" in dutch and "Leeftijd" in dutch
    assert "Victim monitor 2025" in english and "Gender" in english
    assert "Aangifte bij de politie" in dutch and "Police report" in english
    assert "willekeurig afgerond op een veelvoud van 5" in dutch
    assert "berekend uit de gepubliceerde cijfers" in dutch
    pdf = client.get(MONITOR_PDF, {"year": "2025"}, HTTP_ACCEPT_LANGUAGE="nl")
    assert pdf["Content-Type"] == "application/pdf"
    text = _pdf_text(pdf.content)
    assert "Slachtoffermonitor 2025" in text and "Herhaald slachtofferschap" in text


def _pdf_text(data: bytes) -> str:
    assert data.startswith(b"%PDF")
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


def test_the_pdf_holds_every_heading_and_its_generation_is_audited(monitored, helpdesk, client_for):
    response = client_for(helpdesk).get(MONITOR_PDF, {"year": "2025"}, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    text = _pdf_text(response.content)
    for heading in [
        "Victim monitor 2025",
        "Registered possible victims",
        "Gender",
        "Age (Dutch monitor bands)",
        "Nationality (top countries)",
        "Sectors within sexual exploitation",
        "Domestic or cross-border",
        "Reporter type",
        "Minors",
        "Sub 3 cases",
        "Police report",
        "Repeat victims (persons)",
    ]:
        assert heading in text, heading
    event = AuditEvent.objects.filter(action=AuditAction.EXPORT).latest("at")
    assert event.actor_id == helpdesk.pk
    assert event.details["export"] == "monitor" and event.details["format"] == "pdf"
    assert event.details["filters"] == {"year": "2025", "language": "en"}
    assert len(event.details["sha256"]) == 64


def test_no_personal_value_reaches_the_monitor(monitored, administrator, client_for, tmp_path):
    client = client_for(administrator)
    html = client.get(MONITOR, {"year": "2025"}).content
    pdf = client.get(MONITOR_PDF, {"year": "2025"}).content
    call_command(
        "monitor_report",
        "--year",
        "2025",
        "--output",
        str(tmp_path / "m.html"),
        "--format",
        "html",
        stdout=io.StringIO(),
    )
    written = (tmp_path / "m.html").read_bytes()
    for content in (html, written, _pdf_text(pdf).encode()):
        assert PLANTED_SECRET.encode() not in content
    details = [str(event.details) for event in AuditEvent.objects.filter(action="export")]
    assert details and not any(PLANTED_SECRET in text for text in details)


@pytest.mark.parametrize(
    "year", [str(THIS_YEAR), str(THIS_YEAR + 1), "1999", "20x5", "2025-Q1", ""]
)
def test_a_year_in_progress_or_bad_input_is_refused_with_a_message(
    monitored, administrator, client_for, year
):
    client = client_for(administrator)
    for url in (MONITOR, MONITOR_PDF):
        response = client.get(url, {"year": year}, HTTP_ACCEPT_LANGUAGE="en")
        assert response.status_code == 400
        assert 'id="monitor-error"' in response.text
    assert not AuditEvent.objects.filter(action=AuditAction.EXPORT).exists()


@pytest.mark.parametrize(
    "query",
    [
        {"start": "2025-01-01", "end": "2025-06-30"},
        {"start": "2025-01-01", "end": "2025-07-01"},
        {"year": "2025", "end": "2025-07-01"},
        {"year": "2025", "part": "H1"},
    ],
)
def test_free_dates_or_part_of_a_year_are_refused(monitored, helpdesk, client_for, query):
    """Two periods a day apart would isolate the day's registrations by subtraction."""
    client = client_for(helpdesk)
    for url in (MONITOR, MONITOR_PDF):
        response = client.get(url, query, HTTP_ACCEPT_LANGUAGE="en")
        assert response.status_code == 400
        assert "choose a year" in response.text
    assert not AuditEvent.objects.filter(action=AuditAction.EXPORT).exists()


def test_a_year_in_progress_is_refused_saying_it_has_not_ended(administrator, client_for):
    response = client_for(administrator).get(
        MONITOR, {"year": str(THIS_YEAR)}, HTTP_ACCEPT_LANGUAGE="en"
    )
    assert f"{THIS_YEAR} has not ended yet" in response.text


@pytest.mark.parametrize("role", ["reporter", "coordinator_a", "coordinator_b"])
def test_reporters_and_coordinators_are_refused_the_monitor(roles, client_for, role):
    client = client_for(roles[role])
    for url in (MONITOR, MONITOR_PDF):
        assert client.get(url, {"year": "2025"}).status_code == 403


def test_the_command_writes_the_pdf_and_audits_it(monitored, tmp_path):
    target = tmp_path / "monitor.pdf"
    out = io.StringIO()
    call_command(
        "monitor_report", "--year", "2025", "--output", str(target), "--language", "en", stdout=out
    )
    # The published count of the year's 19 registrations, as the statistics publish it.
    published = _published(19, f"{_scope(2025)}|registrations")
    assert _within_rounding(published, 19)
    assert f" of {published} registrations written to" in out.getvalue()
    assert " of 19 registrations" not in out.getvalue()
    assert "Victim monitor 2025" in _pdf_text(target.read_bytes())
    event = AuditEvent.objects.filter(action=AuditAction.EXPORT).latest("at")
    assert event.actor == "manage.py monitor_report" and event.details["export"] == "monitor"


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (["--year", str(THIS_YEAR)], "has not ended"),
        (["--year", "2025-H1"], "calendar year"),
        (["--year", "abcd"], "calendar year"),
        (["--year", "2025", "--format", "docx"], "--format"),
        (["--year", "2025", "--language", "de"], "--language"),
    ],
)
def test_the_command_refuses_bad_arguments_and_writes_nothing(
    monitored, tmp_path, arguments, message
):
    target = tmp_path / "monitor.out"
    with pytest.raises(CommandError, match=message):
        call_command("monitor_report", *arguments, "--output", str(target))
    assert list(tmp_path.iterdir()) == []
    assert not AuditEvent.objects.filter(action=AuditAction.EXPORT).exists()


def test_the_command_refuses_an_output_in_a_missing_folder(monitored, tmp_path):
    with pytest.raises(CommandError, match="does not exist"):
        call_command("monitor_report", "--year", "2025", "--output", str(tmp_path / "no" / "m.pdf"))


def test_the_sub3_flag_is_edited_on_the_case_form_and_kept_to_sexual_exploitation(monitored):
    c_case = Case.objects.filter(registration__person__nationality="NG", sub3=False).first()
    form = CaseForm(instance=c_case, data={**_case_data(c_case), "sub3": "on"})
    assert form.is_valid(), form.errors
    assert form.save().sub3 is True
    # B's registrations name labour exploitation only: not a sub 3 case.
    b_registration = Registration.objects.filter(
        person__nationality="NL", registered_on__year=2025
    ).first()
    b_case = Case.objects.create(
        person=b_registration.person, registration=b_registration, region=b_registration.region
    )
    with translation.override("en"):
        form = CaseForm(instance=b_case, data={**_case_data(b_case), "sub3": "on"})
        assert not form.is_valid()
        assert "sexual exploitation" in str(form.errors["sub3"])


def _case_data(case: Case) -> dict[str, str]:
    return {
        "status": case.status,
        "victim_status": case.victim_status,
        "residence_status": case.residence_status,
    }


def test_a_registration_with_two_cases_is_counted_once(monitored):
    """The one-pass count assumes a case per registration; a second case of one (here a sub 3
    case beside its first, closed one) sends the count to the exact queries."""
    registration = Registration.objects.filter(
        person__nationality="NG", cases__sub3=False, cases__procedures__isnull=True
    ).first()
    Case.objects.create(
        person=registration.person,
        registration=registration,
        region=registration.region,
        sub3=True,
    )
    report = _exact()
    assert _figures(report, "sub3") == {"yes": 4, "no": 15}
    assert _figures(report, "minor") == {"yes": 9, "no": 10}
    assert sum(_figures(report, "police_report").values()) == 19


def test_the_statistics_page_leads_to_the_monitor(planted, helpdesk, client_for):
    page = client_for(helpdesk).get(reverse("reports:statistics"), {"year": "2025"}).text
    assert f'href="{MONITOR}" id="link-monitor"' in page
