"""Issue 15, item 5: what the catalogue crawl checks everywhere, shown on one page each.

Dates in one format per language ("3 december 2026" / "3 December 2026", docs/i18n.md), the
empty choice of a select ("Kies…" / "Choose…"), the audit trail's details as labels of the
reader's language, organisation names in the reader's language.
"""

from __future__ import annotations

import datetime
import re

import pytest
from django.conf import settings
from django.urls import reverse

from registry import reference_data
from registry.choices import AuditAction
from registry.models import AuditEvent, ReportingOrganisation
from tests.factories import CaseFactory

pytestmark = pytest.mark.django_db

ISO_DATE = re.compile(r"\b\d{4}-\d\d-\d\d\b")


def _client(client_for, user, language):
    client = client_for(user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    return client


@pytest.fixture
def dated_case(coordinator_a, region_a):
    case = CaseFactory(
        region=region_a,
        coordinator=coordinator_a,
        opened_on=datetime.date(2026, 3, 5),
        reflection_start=datetime.date(2026, 3, 5),
    )
    return case


@pytest.mark.parametrize(
    ("language", "opened", "reflection_end"),
    [("nl", "5 maart 2026", "5 juni 2026"), ("en", "5 March 2026", "5 June 2026")],
)
def test_a_date_reads_the_same_way_on_every_page_of_a_language(
    client_for, coordinator_a, dated_case, language, opened, reflection_end
):
    client = _client(client_for, coordinator_a, language)
    case_page = client.get(reverse("registry:case_detail", args=[dated_case.pk])).text
    case_list = client.get(reverse("registry:case_list")).text

    for page in (case_page, case_list):
        assert opened in page
        assert reflection_end in page
        visible = re.sub(r'(datetime|value|min|max)="[^"]*"', "", page)
        assert ISO_DATE.search(visible) is None


def test_no_template_asks_for_a_date_format_of_its_own():
    """One setting (config/formats) decides: a template uses |date or |date:"DATETIME_FORMAT"
    (and "c" for a machine-readable datetime attribute)."""
    allowed = {'"DATETIME_FORMAT"', "'c'", '"c"'}
    found = []
    for path in (settings.BASE_DIR / "templates").rglob("*.html"):
        for fmt in re.findall(r"\|date:(\"[^\"]*\"|'[^']*')", path.read_text()):
            if fmt not in allowed:
                found.append(f"{path.name}: {fmt}")
    assert found == []


@pytest.mark.parametrize(("language", "label"), [("nl", "Kies…"), ("en", "Choose…")])
def test_empty_selects_say_choose(client_for, coordinator_a, administrator, language, label):
    intake = _client(client_for, coordinator_a, language).get(reverse("intake:register")).text
    assert f'<option value="" selected>{label}</option>' in intake
    assert "---------" not in intake

    # The admin's selects too (a user's organisation, the list's actions).
    admin = _client(client_for, administrator, language)
    user_page = admin.get(reverse("admin:registry_user_change", args=[coordinator_a.pk])).text
    changelist = admin.get(reverse("admin:registry_user_changelist")).text
    for page in (user_page, changelist):
        assert f'<option value="" selected>{label}</option>' in page
        assert "---------" not in page


@pytest.fixture
def audited_case(coordinator_a, dated_case, region_b):
    AuditEvent.record(
        AuditAction.CHANGE,
        user=coordinator_a,
        obj=dated_case,
        case=dated_case,
        details={
            "fields": ["coordinator", "reflection_start", "status"],
            "screen": "case_edit",
            "case": "help_desk",
            "anonymous": False,
        },
    )
    AuditEvent.record(
        AuditAction.HANDOVER,
        user=coordinator_a,
        case=dated_case,
        details={"step": "requested", "from_region": "region-a", "to_region": "region-b"},
    )
    return dated_case


@pytest.mark.parametrize(
    ("language", "expected", "absent"),
    [
        (
            "nl",
            [
                "anoniem: nee; casus: gecoördineerd door de helpdesk; "
                "velden: coördinator, begin bedenktijd, status; scherm: casusformulier",
                "van regio: Region A; stap: aangevraagd; naar regio: Region B",
                "<td>casus <span",
            ],
            ["case_edit", "help_desk", "reflection_start", "from_region", "requested", "False"],
        ),
        (
            "en",
            [
                "anonymous: no; case: coordinated by the help desk; "
                "fields: coordinator, reflection period start, status; screen: case form",
                "from region: Region A; step: requested; to region: Region B",
                "<td>case <span",
            ],
            ["case_edit", "help_desk", "reflection_start", "from_region", "False"],
        ),
    ],
)
def test_audit_details_are_shown_as_labels_of_the_language(
    client_for, administrator, audited_case, language, expected, absent
):
    page = _client(client_for, administrator, language).get(reverse("registry:audit_trail"))
    assert page.status_code == 200
    table = page.text[page.text.index('id="audit-events"') :]
    for text in expected:
        assert text in table
    for code in absent:
        assert code not in table


def test_the_admin_shows_audit_details_in_words(client_for, administrator, audited_case):
    event = AuditEvent.objects.get(action=AuditAction.HANDOVER)
    page = _client(client_for, administrator, "nl").get(
        reverse("admin:registry_auditevent_change", args=[event.pk])
    )
    assert "van regio: Region A; stap: aangevraagd; naar regio: Region B" in page.text
    assert "from_region" not in page.text


def test_an_unknown_detail_is_shown_as_recorded_and_marked_as_a_code(
    client_for, administrator, coordinator_a
):
    AuditEvent.record(AuditAction.LOGIN, user=coordinator_a, details={"mystery": "odd_code"})
    page = _client(client_for, administrator, "nl").get(reverse("registry:audit_trail")).text
    assert "mystery: <code>odd_code</code>" in page


@pytest.mark.parametrize(
    ("language", "shown", "hidden"),
    [
        ("nl", ["Nationale Politie", "Koninklijke Marechaussee"], ["National Police"]),
        ("en", ["National Police", "Royal Netherlands Marechaussee"], ["Nationale Politie"]),
    ],
)
def test_organisation_names_follow_the_language(client_for, coordinator_a, language, shown, hidden):
    reference_data.load()
    page = _client(client_for, coordinator_a, language).get(reverse("intake:register")).text
    for name in shown:
        assert f">{name}</option>" in page
    for name in hidden:
        assert name not in page


def test_an_organisation_without_an_english_name_shows_its_dutch_one(client_for, coordinator_a):
    ReportingOrganisation.objects.create(name="Stichting Zonder Vertaling", reporter_type="ngo")
    page = _client(client_for, coordinator_a, "en").get(reverse("intake:register")).text
    assert ">Stichting Zonder Vertaling</option>" in page


def test_loading_reference_data_fills_english_names_but_keeps_an_administrators(db):
    ReportingOrganisation.objects.create(
        name="Nationale Politie", name_en="Dutch National Police", reporter_type="police"
    )
    ReportingOrganisation.objects.create(name="Jeugdzorg", reporter_type="youth_care")

    reference_data.load()

    names = dict(ReportingOrganisation.objects.values_list("name", "name_en"))
    assert names["Nationale Politie"] == "Dutch National Police"
    assert names["Jeugdzorg"] == "Youth care"
    assert names["Nederlandse Arbeidsinspectie"] == "Netherlands Labour Authority"


@pytest.mark.parametrize("language", ["nl", "en"])
def test_choice_labels_are_in_sentence_case(client_for, coordinator_a, language):
    """The controlled lists keep lower-case labels for use inside sentences; a list of
    choices shows each in sentence case ("Seksuele uitbuiting", not "seksuele uitbuiting"
    beside "Nationale Politie")."""
    reference_data.load()
    page = _client(client_for, coordinator_a, language).get(reverse("intake:register")).text
    labels = re.findall(r"<option[^>]*>([^<]+)</option>", page)
    labels += re.findall(r'<label class="form-check-label"[^>]*>\s*([^<]+?)\s*</label>', page)
    assert len(labels) > 100
    lower = sorted({label for label in labels if label[0].islower()})
    assert lower == []
