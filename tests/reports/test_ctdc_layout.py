"""The anonymised dataset in CTDC's layout (``--layout ctdc``; issue 16 item 3)."""

from __future__ import annotations

import csv
import datetime
import io
from collections import Counter

import pytest
from django.core.management import call_command
from django.urls import reverse

from registry.choices import Gender
from registry.models import Job, MeansOfControl
from tests.factories import PersonFactory, RegistrationFactory
from tests.jobs import export_via_job
from tests.reports.conftest import PLANTED_SECRET

pytestmark = pytest.mark.django_db

EN = {"HTTP_ACCEPT_LANGUAGE": "en"}

# The header of CTDC's k-anonymised Global Dataset as published for download
# (https://www.ctdatacollaborative.org/global-dataset; codebook: "Counter Trafficking Data
# Collaborative, Data Codebook, Version 6 - November 2017"). The 63 columns in this order are
# those of the downloaded file as read back by public analyses of it, e.g. the May 2020
# download in github.com/nizamphoenix/human-trafficking, work.ipynb (``ctdc.head()`` and the
# per-column listing), and "The Global K-anon Dataset 15 July 2021.xlsx" (sheet
# CTDC_K_anon_ds). Written out here, not imported, so that the test compares the file with the
# published list rather than with itself.
PUBLISHED_CTDC_HEADER = [
    "yearOfRegistration",
    "Datasource",
    "gender",
    "ageBroad",
    "majorityStatus",
    "majorityStatusAtExploit",
    "majorityEntry",
    "citizenship",
    "meansOfControlDebtBondage",
    "meansOfControlTakesEarnings",
    "meansOfControlRestrictsFinancialAccess",
    "meansOfControlThreats",
    "meansOfControlPsychologicalAbuse",
    "meansOfControlPhysicalAbuse",
    "meansOfControlSexualAbuse",
    "meansOfControlFalsePromises",
    "meansOfControlPsychoactiveSubstances",
    "meansOfControlRestrictsMovement",
    "meansOfControlRestrictsMedicalCare",
    "meansOfControlExcessiveWorkingHours",
    "meansOfControlUsesChildren",
    "meansOfControlThreatOfLawEnforcement",
    "meansOfControlWithholdsNecessities",
    "meansOfControlWithholdsDocuments",
    "meansOfControlOther",
    "meansOfControlNotSpecified",
    "meansOfControlConcatenated",
    "isForcedLabour",
    "isSexualExploit",
    "isOtherExploit",
    "isSexAndLabour",
    "isForcedMarriage",
    "isForcedMilitary",
    "isOrganRemoval",
    "isSlaveryAndPractices",
    "typeOfExploitConcatenated",
    "typeOfLabourAgriculture",
    "typeOfLabourAquafarming",
    "typeOfLabourBegging",
    "typeOfLabourConstruction",
    "typeOfLabourDomesticWork",
    "typeOfLabourHospitality",
    "typeOfLabourIllicitActivities",
    "typeOfLabourManufacturing",
    "typeOfLabourMiningOrDrilling",
    "typeOfLabourPeddling",
    "typeOfLabourTransportation",
    "typeOfLabourOther",
    "typeOfLabourNotSpecified",
    "typeOfLabourConcatenated",
    "typeOfSexProstitution",
    "typeOfSexPornography",
    "typeOfSexRemoteInteractiveServices",
    "typeOfSexPrivateSexualServices",
    "typeOfSexConcatenated",
    "isAbduction",
    "RecruiterRelationship",
    "CountryOfExploitation",
    "recruiterRelationIntimatePartner",
    "recruiterRelationFriend",
    "recruiterRelationFamily",
    "recruiterRelationOther",
    "recruiterRelationUnknown",
]
# The CTDC columns that carry the quasi-identifiers (region is not in the layout).
CTDC_QUASI_IDENTIFIERS = (
    "yearOfRegistration",
    "gender",
    "ageBroad",
    "majorityStatus",
    "citizenship",
    "CountryOfExploitation",
)


def _export(tmp_path, *args):
    target = tmp_path / "ctdc.csv"
    out = io.StringIO()
    call_command(
        *("export_registrations", "--anonymised", "--layout", "ctdc", "--period", "2025"),
        *("--output", str(target), *args),
        stdout=out,
    )
    text = target.read_bytes().decode()
    return list(csv.reader(io.StringIO(text, newline=""))), text, out.getvalue()


@pytest.fixture
def released(planted):
    """Group B (10 Dutch men of 35, labour in agriculture) and C (9 Nigerian girls of 16) of
    2025, and 10 Romanian women of 20 in sexual exploitation behind a window, with debt bondage
    and threats recorded, exploited in the Netherlands."""
    debt, threats = (MeansOfControl.objects.get(code=code) for code in ("debt_bondage", "threats"))
    for _ in range(10):
        registration = RegistrationFactory(
            person=PersonFactory(gender=Gender.FEMALE, nationality="RO"),
            registered_on=datetime.date(2025, 5, 1),
            region=planted.north,
            age_at_registration=20,
            forms=["sexual"],
            sector="window",
            exploitation_country="NL",
        )
        registration.means_of_control.set([debt, threats])
    return planted


def test_the_ctdc_header_is_the_published_one(released, tmp_path):
    rows, _text, out = _export(tmp_path, "--k", "10")
    assert rows[0] == PUBLISHED_CTDC_HEADER
    assert all(len(row) == len(PUBLISHED_CTDC_HEADER) for row in rows)
    assert "layout ctdc" in out


def test_the_ctdc_file_is_k_anonymous_and_holds_no_personal_value(released, tmp_path):
    rows, text, _out = _export(tmp_path, "--k", "10")
    header, body = rows[0], rows[1:]
    assert body
    combos = Counter(tuple(row[header.index(q)] for q in CTDC_QUASI_IDENTIFIERS) for row in body)
    assert min(combos.values()) >= 10
    assert PLANTED_SECRET not in text
    for registration in released.registrations:
        assert registration.number not in text


def test_ctdc_encodings_are_written_from_our_codes(released, tmp_path):
    rows, _text, _out = _export(tmp_path, "--k", "1")
    header = rows[0]
    by_name = [dict(zip(header, row, strict=True)) for row in rows[1:]]
    men = [row for row in by_name if row["gender"] == "Male"]
    assert len(men) == 10
    man = men[0]
    assert man["yearOfRegistration"] == "2025"
    assert man["Datasource"] == "Case Management"
    assert (man["ageBroad"], man["majorityStatus"]) == ("30--38", "Adult")
    assert man["citizenship"] == "NL"
    assert (man["isForcedLabour"], man["isSexualExploit"], man["isSexAndLabour"]) == ("1", "0", "0")
    assert man["typeOfLabourAgriculture"] == "1" and man["typeOfLabourConstruction"] == "0"
    assert man["typeOfSexProstitution"] == "-99"  # no sexual exploitation: not applicable
    assert man["meansOfControlNotSpecified"] == "1" and man["meansOfControlThreats"] == "-99"
    assert man["majorityStatusAtExploit"] == man["isAbduction"] == "-99"  # not recorded here
    women = [row for row in by_name if row["citizenship"] == "RO"]
    assert len(women) == 10
    woman = women[0]
    assert (woman["gender"], woman["ageBroad"]) == ("Female", "18--20")
    assert woman["meansOfControlDebtBondage"] == woman["meansOfControlThreats"] == "1"
    assert woman["meansOfControlSexualAbuse"] == "0"
    assert woman["meansOfControlConcatenated"] == "Debt bondage;Threats"
    assert woman["typeOfSexProstitution"] == "1" and woman["CountryOfExploitation"] == "NL"
    girls = [row for row in by_name if row["majorityStatus"] == "Minor"]
    assert {row["ageBroad"] for row in girls} == {"9--17"}
    assert {row["isOtherExploit"] for row in girls} == {"1"}  # criminal exploitation


def test_the_page_offers_the_ctdc_layout_and_its_download_writes_it(
    released, administrator, client_for, settings
):
    settings.REGISTRY_SMALL_CELL_K = 10
    client = client_for(administrator)
    query = {"year": "2025", "layout": "ctdc"}
    page = client.get(reverse("reports:anonymised"), query, **EN)
    assert page.status_code == 200
    html = page.content.decode()
    assert 'name="layout"' in html and "CTDC Global Dataset" in html
    assert "meansOfControlDebtBondage" in html  # the columns listed are CTDC's
    response = export_via_job(client, reverse("reports:anonymised_download", args=["csv"]), query)
    header = response.content.decode().splitlines()[0].split(",")
    assert header == PUBLISHED_CTDC_HEADER


def test_a_tampered_layout_is_refused_with_a_message(released, administrator, client_for):
    client = client_for(administrator)
    page = client.get(reverse("reports:anonymised"), {"year": "2025", "layout": "../x"}, **EN)
    assert page.status_code == 400
    assert "Select a valid choice" in page.content.decode()
    jobs_before = Job.objects.count()
    url = reverse("reports:anonymised_download", args=["csv"])
    refused = client.post(f"{url}?year=2025&layout=nope", **EN)
    assert refused.status_code == 400
    assert Job.objects.count() == jobs_before
