"""The referrals in HTCDS terms (issue 14, item 4): a file for statistics staff, one row per
referral made in the period, with HTCDS's terms beside the registry's codes and nothing of the
case, the registration or the person."""

from __future__ import annotations

import csv
import datetime
import io

import pytest
from django.core.management import call_command
from django.urls import reverse

from registry.choices import AuditAction
from registry.models import AuditEvent, Case, Referral
from reports.referrals import REFERRAL_COLUMNS
from tests.factories import PersonFactory, RegionFactory, RegistrationFactory
from tests.jobs import export_via_job

pytestmark = pytest.mark.django_db

D = datetime.date
EN = {"HTTP_ACCEPT_LANGUAGE": "en"}
PLANTED = {
    "given_names": "Qwyzelda",
    "family_name": "Xandrovic",
    "id_document_number": "ZZ9081726",
    "phone": "+31 6 9988 7766",
}


@pytest.fixture
def referred():
    """A case of a person with planted values, referred to Nidos (pending), a lawyer
    (accepted) and another organisation (refused, to move), and once before the period."""
    region = RegionFactory(code="amsterdam", name="Amsterdam")
    person = PersonFactory(**PLANTED, date_of_birth=D(2010, 4, 5))
    registration = RegistrationFactory(person=person, region=region, registered_on=D(2026, 1, 5))
    case = Case.objects.create(
        person=person, registration=registration, region=region, opened_on=D(2026, 1, 5)
    )

    def refer(referral_type, reason, on, outcome="pending", outcome_on=None):
        return Referral.objects.create(
            case=case,
            referral_type=referral_type,
            reason=reason,
            referred_on=on,
            outcome=outcome,
            outcome_on=outcome_on,
        )

    refer("nidos", "guardianship", D(2026, 1, 6))
    refer("lawyer", "legal_aid", D(2026, 1, 20), "accepted", D(2026, 1, 25))
    refer("other", "relocation", D(2026, 2, 3), "refused", D(2026, 2, 10))
    refer("police", "crime_report", D(2025, 12, 1))  # before the period
    return case


EXPECTED = [
    {
        "cas_OutgoingReferralDate": "2026-01-06",
        "cas_ReferredOrganisation_org_Type": "NGO",
        "cas_ReasonForOutgoingReferral": "AdditionalServicesRequired",
        "referral_type": "nidos",
        "reason": "guardianship",
        "outcome": "pending",
        "outcome_on": "",
    },
    {
        "cas_OutgoingReferralDate": "2026-01-20",
        "cas_ReferredOrganisation_org_Type": "LegalService",
        "cas_ReasonForOutgoingReferral": "AdditionalServicesRequired",
        "referral_type": "lawyer",
        "reason": "legal_aid",
        "outcome": "accepted",
        "outcome_on": "2026-01-25",
    },
    {
        "cas_OutgoingReferralDate": "2026-02-03",
        "cas_ReferredOrganisation_org_Type": "",  # HTCDS has no type for "other"
        "cas_ReasonForOutgoingReferral": "MigrationOrChangeOfLocation",
        "referral_type": "other",
        "reason": "relocation",
        "outcome": "refused",
        "outcome_on": "2026-02-10",
    },
]


def _identifying_values(case) -> list[str]:
    registration = case.registration
    return [
        *PLANTED.values(),
        "2010-04-05",
        str(case.pk),
        str(case.pk).split("-")[0],
        str(registration.pk),
        registration.number,
        str(case.person_id),
        "amsterdam",
    ]


def test_the_help_desk_downloads_the_referrals_of_the_period_in_htcds_terms(
    referred, client_for, helpdesk
):
    client = client_for(helpdesk)
    page = client.get(reverse("reports:anonymised"), {"year": "2026", "part": "Q1"}, **EN)
    assert "Referrals in HTCDS terms" in page.content.decode()
    response = export_via_job(
        client, reverse("reports:referrals_download", args=["csv"]), {"year": "2026", "part": "Q1"}
    )
    assert response.status_code == 200
    text = response.content.decode("utf-8")
    rows = list(csv.DictReader(io.StringIO(text, newline="")))
    assert list(rows[0]) == REFERRAL_COLUMNS
    assert rows == EXPECTED
    for value in _identifying_values(referred):
        assert value not in text
    done = AuditEvent.objects.filter(action=AuditAction.EXPORT).order_by("-id").first()
    assert (done.details["export"], done.details["stage"], done.details["rows"]) == (
        "referrals",
        "finished",
        3,
    )


def test_the_command_writes_the_same_file_and_xlsx_too(referred, tmp_path):
    target = tmp_path / "referrals.csv"
    call_command(
        "export_registrations",
        "--referrals",
        "--period",
        "2026-Q1",
        "--output",
        str(target),
        stdout=io.StringIO(),
    )
    text = target.read_text(encoding="utf-8")
    assert list(csv.DictReader(io.StringIO(text, newline=""))) == EXPECTED
    xlsx = tmp_path / "referrals.xlsx"
    call_command(
        "export_registrations",
        "--referrals",
        "--format",
        "xlsx",
        "--period",
        "2026-Q1",
        "--output",
        str(xlsx),
        stdout=io.StringIO(),
    )
    from openpyxl import load_workbook

    sheet = load_workbook(xlsx, read_only=True).active
    values = [list(row) for row in sheet.iter_rows(values_only=True)]
    assert values[0] == REFERRAL_COLUMNS
    assert len(values) == 4  # the header and the referrals of the quarter
    flat = " ".join(str(cell) for row in values for cell in row)
    for value in _identifying_values(referred):
        assert value not in flat


@pytest.mark.parametrize("who", ["reporter", "coordinator_a"])
def test_who_may_not_count_gets_no_referrals_file(referred, client_for, roles, who):
    response = client_for(roles[who]).post(reverse("reports:referrals_download", args=["csv"]))
    assert response.status_code == 403
    assert not AuditEvent.objects.filter(action=AuditAction.EXPORT).exists()


def test_a_bad_format_or_period_is_refused(referred, client_for, helpdesk):
    client = client_for(helpdesk)
    assert client.post(reverse("reports:referrals_download", args=["pdf"])).status_code == 404
    bad = client.post(reverse("reports:referrals_download", args=["csv"]) + "?start=2026-13-01")
    assert bad.status_code == 400
