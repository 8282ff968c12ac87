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

import datetime
import io

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone, translation
from pypdf import PdfReader

from registry.choices import AuditAction, ProcedureKind, ProcedureStatus
from registry.forms import CaseForm
from registry.models import AuditEvent, Case, Registration, ResidenceProcedure
from reports.aggregates import COMMAND_LINE
from reports.monitor import build_monitor, table
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


def test_registrations_and_persons_of_the_year_and_the_year_before(monitored):
    report = _exact()
    assert [(row.year, row.cell.exact) for row in report.headline] == [("2024", 11), ("2025", 19)]
    assert [(row.year, row.cell.exact) for row in report.persons] == [("2024", 6), ("2025", 19)]
    assert (report.headline[-1].change, round(report.headline[-1].change_percent, 1)) == (8, 72.7)


@pytest.mark.parametrize(
    ("key", "this_year", "year_before"),
    [
        ("gender", {"male": 10, "female": 9}, {"female": 11}),
        ("age_monitor", {"30-39": 10, "0-17": 9}, {"18-22": 11}),
        ("nationality_group", {"dutch": 10, "outside_eu": 9}, {"other_eu": 11}),
        ("nationality", {"NL": 10, "NG": 9}, {"RO": 11}),
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


def test_small_cells_are_published_as_the_statistics_publish_them(monitored, settings):
    settings.REGISTRY_SMALL_CELL_K = 10
    report = build_monitor(COMMAND_LINE, 2025)
    sub3 = {row.value: row.cell for row in table(report, "sub3").rows}
    # 3 is a small cell; 16 is then the one other cell that would give it away.
    assert sub3["yes"].suppressed and sub3["no"].suppressed
    assert sub3["yes"].text == "x" and sub3["yes"].percent is None
    gender = {row.value: row.cell for row in table(report, "gender").rows}
    assert gender["female"].text == "x" and gender["male"].text == "x"


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
    assert "19 registrations" in out.getvalue()
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
