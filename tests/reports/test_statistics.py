"""Statistics on the planted dataset (tests/reports/conftest.py): every figure is known."""

from __future__ import annotations

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from registry import access
from registry.crypto import Keyring
from registry.fields import EncryptedMixin
from registry.models import Person
from reports.aggregates import COMMAND_LINE, Period, counted_registrations, counts_everything
from reports.tables import build_statistics
from tests.jobs import export_via_job
from tests.reports.conftest import PLANTED_PERIOD, PLANTED_SECRET

pytestmark = pytest.mark.django_db

# The exact (non-zero) counts of every breakdown of the planted dataset in 2024-2025.
EXPECTED = {
    "gender": {"female": 20, "male": 10},
    "age_monitor": {"0-17": 9, "18-22": 11, "30-39": 10},
    "age_ctdc": {"9-17": 9, "18-20": 11, "30-38": 10},
    "nationality_group": {"dutch": 10, "other_eu": 11, "outside_eu": 9},
    "nationality": {"RO": 11, "NL": 10, "NG": 9},
    "exploitation_form": {"sexual": 20, "labour": 10, "criminal": 9},
    "sector": {"window": 11, "agriculture": 10, "unknown": 9},
    "scope": {"cross_border": 20, "domestic": 10},
    "reporter_type": {"police": 11, "labour_inspectorate": 10, "ngo": 9},
    "region": {"north": 20, "south": 10},
    "file_type": {"registration": 11, "registration_shelter": 10, "registration_advice": 9},
    "shelter": {"cosm": 11, "no_case": 10, "unknown": 9},
    "care": {"outpatient": 11, "no_case": 10, "unknown": 9},
}
LAST_YEAR = datetime.date(timezone.localdate().year - 1, 6, 1)
# Published pages and downloads take a calendar year, half-year or quarter that has ended;
# the administrator's exact view also takes the free dates of the whole planted period.
PERIOD_QUERY = {"year": "2025"}
EXACT_QUERY = {"start": "2024-01-01", "end": "2025-12-31", "exact": "1"}


def _nonzero(table) -> dict[str, int]:
    return {row.value: row.cell.exact for row in table.rows if row.cell.exact}


def _exact(user):
    return build_statistics(user, PLANTED_PERIOD, cross=("gender", "age_monitor"), k=1)


@pytest.mark.parametrize("role", ["reporter", "coordinator_a", "helpdesk", "administrator"])
def test_a_user_counts_every_registration_or_none_as_may_count_says(planted, roles, role):
    """The tally answers for every registration of a period (``counts_everything``), so what a
    user counts must be all or nothing, and the rule is asked once: registry.access.may_count."""
    user = roles[role]
    counted = counted_registrations(user, PLANTED_PERIOD)
    every = set(counted_registrations(COMMAND_LINE, PLANTED_PERIOD).values_list("pk"))
    assert len(every) == 30
    assert counts_everything(counted) is access.may_count(user)
    assert set(counted.values_list("pk")) == (every if access.may_count(user) else set())


@pytest.mark.parametrize("dimension", sorted(EXPECTED))
def test_each_breakdown_counts_the_planted_registrations(planted, administrator, dimension):
    stats = _exact(administrator)
    table = next(t for t in stats.breakdowns if t.key == dimension)
    assert _nonzero(table) == EXPECTED[dimension]


def test_totals_count_registrations_and_unique_persons_of_accepted_registrations_only(
    planted, administrator
):
    stats = _exact(administrator)
    # 30 accepted registrations in 2024-2025 (the submission awaiting triage, the rejected
    # one and the one of 2023 are not counted); 25 persons (6 in A, 10 in B, 9 in C).
    assert (stats.total.exact, stats.persons.exact) == (30, 25)


def test_period_limits_the_registrations_counted(planted, administrator):
    whole = build_statistics(administrator, Period(), k=1)
    only_2025 = build_statistics(
        administrator, Period(PLANTED_PERIOD.end.replace(month=1, day=1), None), k=1
    )
    assert whole.total.exact == 31  # with the registration of 2023
    assert only_2025.total.exact == 19


def test_percentages_are_of_all_registrations_and_multi_valued_forms_add_up_past_100(
    planted, administrator
):
    stats = _exact(administrator)
    forms = next(t for t in stats.breakdowns if t.key == "exploitation_form")
    percents = {row.value: round(row.cell.percent, 1) for row in forms.rows if row.cell.exact}
    # Of the published total (30), from the published counts: 9 criminal reads 10, so 33.3.
    assert percents == {"sexual": 66.7, "labour": 33.3, "criminal": 33.3}
    assert forms.multivalued


def test_cross_table_of_gender_and_age(planted, administrator):
    cross = _exact(administrator).cross
    grid = {
        (row, col): cell.exact
        for (row, _l), line in zip(cross.rows, cross.cells, strict=True)
        for (col, _c), cell in zip(cross.cols, line, strict=True)
        if cell.exact
    }
    assert grid == {("female", "0-17"): 9, ("female", "18-22"): 11, ("male", "30-39"): 10}
    assert [c.exact for c in cross.row_totals][:2] == [20, 10]


def test_cross_table_with_a_multi_valued_dimension(planted, administrator):
    stats = build_statistics(
        administrator, PLANTED_PERIOD, cross=("exploitation_form", "region"), k=1
    )
    grid = {
        (row, col): cell.exact
        for (row, _l), line in zip(stats.cross.rows, stats.cross.cells, strict=True)
        for (col, _c), cell in zip(stats.cross.cols, line, strict=True)
        if cell.exact
    }
    assert grid == {("sexual", "north"): 20, ("labour", "south"): 10, ("criminal", "north"): 9}


def test_year_on_year_gives_the_change_against_the_year_before(planted, administrator):
    years = _exact(administrator).years
    assert [(y.year, y.cell.exact) for y in years] == [("2024", 11), ("2025", 19)]
    # The change is that of the published (rounded) counts, never of the exact ones.
    before, after = years[0].cell.published, years[1].cell.published
    assert before in (10, 15) and after in (15, 20)
    assert years[0].change is None and years[1].change == after - before
    assert years[1].change_percent == pytest.approx(100.0 * (after - before) / before)


@pytest.mark.parametrize(
    ("k", "published"),
    [(8, True), (9, True), (10, False)],
    ids=["k-1 (9 > k)", "k (9 == k)", "k+1 (9 < k)"],
)
def test_a_cell_of_nine_is_published_from_k_9_and_suppressed_at_k_10(
    planted, administrator, k, published
):
    stats = build_statistics(administrator, PLANTED_PERIOD, k=k)
    reporters = next(t for t in stats.breakdowns if t.key == "reporter_type")
    ngo = next(row for row in reporters.rows if row.value == "ngo")
    assert (not ngo.cell.suppressed) is published
    assert ngo.cell.text == ("10" if published else "x")  # 9 rounded to 5
    assert (ngo.cell.percent is None) is (not published)


def test_the_page_shows_x_for_small_cells_and_never_their_counts(
    planted, administrator, client_for, settings
):
    settings.REGISTRY_SMALL_CELL_K = 10
    response = client_for(administrator).get(reverse("reports:statistics"), PERIOD_QUERY)
    assert response.status_code == 200
    page = response.content.decode()
    row = re.search(r'<tr data-value="ngo">.*?</tr>', page, re.S).group(0)
    assert ">x<" in row and ">9<" not in row
    # No cell is hidden because of another any more (docs/reports.md, "Disclosure control"):
    # the total is rounded on its own, so total - others leaves the 9 between 0 and 10.
    # The 10 of the labour inspectorate reads x too: a count rounded to k itself is the mark
    # (a published 10 would say "10 to 14", next to the protected counts).
    row = re.search(r'<tr data-value="labour_inspectorate">.*?</tr>', page, re.S).group(0)
    assert ">x<" in row and ">10<" not in row
    assert response.context["stats"].total.text in ("15", "20")  # 2025 alone: 19, rounded
    assert ">19<" not in page


def test_administrator_may_see_exact_counts_marked_not_for_publication(
    planted, administrator, helpdesk, client_for
):
    query = EXACT_QUERY
    page = client_for(administrator).get(reverse("reports:statistics"), query).content.decode()
    assert "not for publication" in page.lower() or "niet voor publicatie" in page.lower()
    row = re.search(r'<tr data-value="ngo">.*?</tr>', page, re.S).group(0)
    assert ">9 <" in row
    helpdesk_page = client_for(helpdesk).get(reverse("reports:statistics"), query).content.decode()
    assert "badge text-bg-warning" not in helpdesk_page


def test_only_who_may_read_exact_counts_is_offered_them(
    planted, administrator, helpdesk, client_for
):
    for user, offered in ((administrator, True), (helpdesk, False)):
        page = client_for(user).get(reverse("reports:statistics"), PERIOD_QUERY).text
        assert ("exact=1" in page) is offered is access.may_read_exact_counts(user)


def test_charts_are_inline_svg_without_any_script(planted, administrator, client_for, settings):
    # Every chart drawn (a fully suppressed one is a sentence; the 2025 groups are below 10).
    settings.REGISTRY_SMALL_CELL_K = 1
    page = client_for(administrator).get(reverse("reports:statistics"), PERIOD_QUERY)
    html = page.content.decode()
    assert html.count("<svg") >= 15  # 13 breakdowns, the years and the crossing
    svgs = re.findall(r"<svg.*?</svg>", html, re.S)
    assert svgs and all("<script" not in svg.lower() for svg in svgs)
    assert "http://" not in "".join(re.findall(r'src="[^"]*"', html))


def test_computing_the_statistics_decrypts_nothing(planted, administrator, client_for, monkeypatch):
    calls = []
    real_decrypt = Keyring.decrypt

    def counting_decrypt(self, token, aad):
        # The export's own file (a job's, encrypted at rest) is not a value of the records, nor
        # is a wrapping key of the persons' data keys; a person's value is counted below.
        if not aad.startswith((b"registry.jobfile|", b"registry.wrappingkey|")):
            calls.append(aad)
        return real_decrypt(self, token, aad)

    real_open = EncryptedMixin.open

    def counting_open(self, token, instance, pk=None):
        # A value under a person's data key does not go through the keyring (issue 17).
        if token.startswith("d1:"):
            calls.append(self.aad_prefix)
        return real_open(self, token, instance, pk)

    monkeypatch.setattr(Keyring, "decrypt", counting_decrypt)
    monkeypatch.setattr(EncryptedMixin, "open", counting_open)
    client = client_for(administrator)
    assert client.get(reverse("reports:statistics"), EXACT_QUERY).status_code == 200
    assert client.get(reverse("reports:anonymised"), PERIOD_QUERY).status_code == 200
    for fmt in ("csv", "xlsx"):
        response = export_via_job(
            client, reverse("reports:statistics_download", args=[fmt]), PERIOD_QUERY
        )
        assert response.status_code == 200
        response = export_via_job(
            client, reverse("reports:anonymised_download", args=[fmt]), PERIOD_QUERY
        )
        assert response.status_code == 200
    assert calls == []
    # The wrapper does count: reading a stored name decrypts once.
    Person.objects.get(pk=planted.registrations[0].person_id).family_name  # noqa: B018
    assert len(calls) == 1


def test_no_personal_value_reaches_the_statistics(planted, administrator, client_for):
    client = client_for(administrator)
    pages = [
        client.get(reverse("reports:statistics"), EXACT_QUERY).content,
        export_via_job(
            client, reverse("reports:statistics_download", args=["csv"]), PERIOD_QUERY
        ).content,
        export_via_job(
            client, reverse("reports:anonymised_download", args=["csv"]), PERIOD_QUERY
        ).content,
    ]
    for content in pages:
        assert PLANTED_SECRET.encode() not in content


@pytest.mark.parametrize("role", ["reporter", "coordinator_a", "coordinator_b"])
def test_reporters_and_coordinators_are_refused_the_statistics(roles, client_for, role):
    client = client_for(roles[role])
    for name, args in [
        ("reports:statistics", []),
        ("reports:statistics_download", ["csv"]),
        ("reports:anonymised", []),
        ("reports:anonymised_download", ["csv"]),
    ]:
        method = client.post if name.endswith("_download") else client.get
        assert method(reverse(name, args=args)).status_code == 403


def test_anonymous_visitors_are_sent_to_the_login_page(client):
    response = client.get(reverse("reports:statistics"))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_help_desk_may_see_the_statistics(planted, helpdesk, client_for):
    assert client_for(helpdesk).get(reverse("reports:statistics")).status_code == 200


def test_a_period_that_ends_before_it_starts_is_refused_with_a_message(administrator, client_for):
    response = client_for(administrator).get(
        reverse("reports:statistics"), {"start": "2025-02-01", "end": "2025-01-01"}
    )
    assert response.status_code == 400
    assert "alert-danger" in response.content.decode()


def test_a_date_that_is_not_a_date_is_refused_not_a_crash(administrator, client_for):
    response = client_for(administrator).get(reverse("reports:statistics"), {"start": "'; --"})
    assert response.status_code == 400
    response = client_for(administrator).get(reverse("reports:statistics"), {"rows": "nope"})
    assert response.status_code == 400


def test_statistics_csv_download_is_suppressed(planted, administrator, client_for, settings):
    settings.REGISTRY_SMALL_CELL_K = 10
    response = export_via_job(
        client_for(administrator),
        reverse("reports:statistics_download", args=["csv"]),
        PERIOD_QUERY,
    )
    lines = response.content.decode().splitlines()
    assert lines[0] == "dimension,value,count,percent"
    assert {"total,registrations,15,", "total,registrations,20,"} & set(lines)  # 19 rounded
    assert "reporter_type,ngo,x," in lines
    assert "reporter_type,labour_inspectorate,x," in lines  # 10: rounded to k, the mark
    assert "genderxage_monitor,female|0-17,x," in lines


def test_help_desk_counts_the_national_figures_like_an_administrator(
    client_for, helpdesk, administrator, region_a, coordinator_a
):
    """The help desk coordinates only some cases, but produces the national figures."""
    from tests.factories import RegistrationFactory

    for _ in range(12):
        # region A has its own coordinator; the page shows the last year that has ended
        RegistrationFactory(region=region_a, registered_on=LAST_YEAR)
    figures = {}
    for user in (helpdesk, administrator):
        response = client_for(user).get("/statistics/")
        assert response.status_code == 200
        figures[user.username] = response.context["stats"].total.exact
    assert figures["helpdesk"] == figures["admin"] == 12
