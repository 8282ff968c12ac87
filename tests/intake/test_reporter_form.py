"""The reporter's form for a once-a-year reporter (issue 15, item 4): the region worked out
from the municipality where the person was found, only what a reporter can know, a check page,
a receipt without the person's values, and information added later by reference."""

from __future__ import annotations

import re

import pytest
from django.db import connection
from django.urls import reverse

from intake.forms import ReporterSubmissionForm
from registry import municipalities, reference_data
from registry.choices import AuditAction, ReporterType, Role, SubmissionStatus
from registry.models import (
    AuditEvent,
    Case,
    Municipality,
    Region,
    Registration,
    SubmissionAddition,
)
from tests.factories import OrganisationFactory, UserFactory
from tests.intake.conftest import planted

pytestmark = pytest.mark.django_db

SUBMIT = "/intake/submit/"
ADD = "/intake/submissions/add/"
EN = {"HTTP_ACCEPT_LANGUAGE": "en"}


def _counts() -> tuple[int, int, int]:
    return (
        Registration.objects.count(),
        SubmissionAddition.objects.count(),
        AuditEvent.objects.count(),
    )


# The data: every municipality in one of the 21 regions -------------------------------------------


def test_the_shipped_list_maps_every_municipality_to_one_of_the_21_regions():
    listed = municipalities.read_list()
    codes = {code for code, _ in reference_data.REGIONS}
    assert listed.complete and len(listed.entries) == 342
    assert all(entry.region in codes for entry in listed.entries), "a municipality without region"
    assert {entry.region for entry in listed.entries} == codes, "a region no municipality reaches"


def test_load_reference_data_gives_each_municipality_its_region_and_keeps_an_admins_choice():
    Municipality.objects.update(region=None)
    reference_data.load()
    assert not Municipality.objects.filter(region__isnull=True).exists()
    assert Municipality.objects.get(code="GM0363").region.code == "amsterdam"
    assert Municipality.objects.get(code="GM0794").region.code == "helmond"
    moved = Municipality.objects.get(code="GM0268")  # Nijmegen: "nearest" in the data file
    moved.region = Region.objects.get(code="apeldoorn-veluwe")
    moved.save()
    reference_data.load()
    assert Municipality.objects.get(code="GM0268").region.code == "apeldoorn-veluwe"


# The region worked out on the server -------------------------------------------------------------


@pytest.fixture
def real_regions(db):
    """The reference data's 21 regions with the shipped municipality list mapped onto them."""
    reference_data.load()
    return {r.code: r for r in Region.objects.all()}


@pytest.fixture
def shelter_reporter(db):
    organisation = OrganisationFactory(name="Opvang Oost", reporter_type=ReporterType.SHELTER)
    return UserFactory(username="opvang", role=Role.REPORTER, organisation=organisation)


def test_each_region_is_reached_from_a_municipality_in_it(
    real_regions, shelter_reporter, client_for, reporter_data
):
    """One municipality of each region, as a reporter types it: the report lands in that
    region, which the reporter never chose (a posted region is ignored)."""
    client = client_for(shelter_reporter)
    elsewhere = real_regions["flevoland"]
    for entry in municipalities.read_list().entries:
        if Registration.objects.filter(region__code=entry.region).exists():
            continue
        response = client.post(
            SUBMIT,
            reporter_data(found_in_municipality=entry.name, region=str(elsewhere.pk)),
        )
        assert response.status_code == 302, entry
        saved = Registration.objects.get(found_in_municipality=entry.code)
        assert saved.region.code == entry.region, entry
    assert set(Registration.objects.values_list("region__code", flat=True)) == set(real_regions)


def test_a_name_is_found_whatever_its_case_accents_or_other_name(
    real_regions, shelter_reporter, client_for, reporter_data
):
    client = client_for(shelter_reporter)
    for typed, code in [
        ("  den haag ", "GM0518"),
        ("'S-HERTOGENBOSCH", "GM0796"),
        ("Sudwest-Fryslan", "GM1900"),
        ("gm0935", "GM0935"),
    ]:
        response = client.post(SUBMIT, reporter_data(found_in_municipality=typed, step="check"))
        assert response.status_code == 200
        form = response.context["form"]
        assert form.is_valid(), (typed, form.errors)
        assert form.cleaned_data["found_in_municipality"].code == code
    assert not Registration.objects.exists()


@pytest.mark.parametrize(
    "typed", ["Atlantis", "Bergen", "Hoofddorp", "GM9999", "Amsterdam, Damrak 1", "Weesp"]
)
def test_an_unknown_municipality_is_refused_with_a_clear_message_and_nothing_lost(
    real_regions, shelter_reporter, client_for, reporter_data, typed
):
    """Not a municipality (a village, an ambiguous name, an address, a merged one): refused,
    never guessed; what was typed stays in the form; nothing is saved."""
    data = reporter_data(found_in_municipality=typed)
    client = client_for(shelter_reporter)
    before = _counts()
    response = client.post(SUBMIT, data, **EN)
    html = response.content.decode()
    assert response.status_code == 200
    assert "This is not a Dutch municipality in the list." in html
    assert "choose the municipality it belongs to" in html
    assert data["family_name"] in html and f'value="{typed}"' in html
    assert _counts() == before


def test_errors_are_listed_at_the_top_each_linked_to_its_field_with_fout_in_the_title(
    real_regions, shelter_reporter, client_for, reporter_data
):
    """The reporter's form has the intake's error summary (GOV.UK / NL Design System): at
    the top, focused, each error a link to its field, "Fout:" first in the title."""
    data = reporter_data(found_in_municipality="Nergenshuizen")
    response = client_for(shelter_reporter).post(SUBMIT, data)
    html = response.content.decode()
    assert re.search(r"<title>\s*Fout:", html)
    summary = html[html.index('id="error-summary"') : html.index("<h1")]
    assert 'href="#id_found_in_municipality"' in summary
    assert "autofocus" in html[html.index('id="error-summary"') - 80 : html.index("<h1")]
    assert "fields marked in red" not in html


def test_a_municipality_whose_region_is_inactive_or_missing_is_not_offered(
    real_regions, shelter_reporter, client_for, reporter_data
):
    real_regions["twente"].is_active = False
    real_regions["twente"].save()
    Municipality.objects.filter(code="GM0363").update(region=None)
    client = client_for(shelter_reporter)
    form_page = client.get(SUBMIT).content.decode()
    assert '<option value="Enschede">' not in form_page
    assert '<option value="Amsterdam">' not in form_page
    assert '<option value="Zwolle">' in form_page
    for typed in ("Enschede", "Amsterdam"):
        response = client.post(SUBMIT, reporter_data(found_in_municipality=typed), **EN)
        assert "This is not a Dutch municipality in the list." in response.content.decode()
    assert not Registration.objects.exists()


def test_a_municipality_in_a_region_without_coordinator_goes_to_the_help_desk(
    client_for, reporter, helpdesk, coordinator_a, reporter_data, found_in
):
    """Utrecht lies in region C, which has no coordinator: after triage the help desk holds
    the case, as for any region without one."""
    client_for(reporter).post(SUBMIT, reporter_data(found_in_municipality="Utrecht"))
    registration = Registration.objects.get()
    assert registration.region == found_in["Utrecht"]
    client_for(helpdesk).post(
        reverse("intake:triage_detail", args=[registration.pk]), {"action": "accept"}
    )
    case = Case.objects.get()
    assert case.region == found_in["Utrecht"] and case.coordinator is None


# Only what a reporter can know -------------------------------------------------------------------


def test_the_reporter_is_not_asked_what_only_the_help_desk_knows(
    client_for, reporter, helpdesk, reporter_data
):
    form = ReporterSubmissionForm(reporter_type=ReporterType.SHELTER)
    for name in ("region", "file_type", "residence_status", "reflection_started_on", "scope"):
        assert name not in form.fields
    html = client_for(reporter).get(SUBMIT, **EN).content.decode()
    assert "Type of file" not in html and "Residence status" not in html
    assert 'name="region"' not in html
    # Posted anyway (a tampered form): ignored, the defaults are recorded.
    client_for(reporter).post(
        SUBMIT,
        reporter_data(file_type="registration_shelter", residence_status="b8_victim"),
    )
    registration = Registration.objects.get()
    assert (registration.file_type, registration.residence_status, registration.scope) == (
        "registration",
        "unknown",
        "unknown",
    )
    triage = client_for(helpdesk).get(reverse("intake:triage_detail", args=[registration.pk]), **EN)
    assert triage.status_code == 200
    assert "Not asked of the reporter" in triage.content.decode()
    assert "Amsterdam" in triage.content.decode()  # where the person was found


# The check step ----------------------------------------------------------------------------------


def test_check_shows_every_answer_and_sends_nothing(client_for, reporter, reporter_data, found_in):
    data = reporter_data(step="check", immediate_danger="on")
    client = client_for(reporter)
    before = _counts()
    response = client.post(SUBMIT, data, **EN)
    html = response.content.decode()
    assert response.status_code == 200
    assert [t.name for t in response.templates][0] == "intake/submit_check.html"
    assert _counts() == before
    # Every answer, the region worked out, and a button to change each answer.
    for value in (data["given_names"], data["family_name"], data["phone"], "Amsterdam"):
        assert value in html
    assert "Region A" in html and "worked out from the municipality" in html
    form = response.context["form"]
    for name in form.fields:
        assert f'name="change" value="{name}"' in html, name
    assert 'name="step" value="send"' in html
    assert "call 112" in html  # immediate danger stays in view


def test_change_returns_to_the_form_with_every_answer(client_for, reporter, reporter_data):
    data = reporter_data(step="check")
    check = client_for(reporter).post(SUBMIT, data)
    hidden = {name: check.context["form"][name].value() for name in check.context["form"].fields}
    response = client_for(reporter).post(SUBMIT, {**data, "change": "family_name"})
    html = response.content.decode()
    assert [t.name for t in response.templates][0] == "intake/submit.html"
    assert data["family_name"] in html and 'value="Amsterdam"' in html
    assert "is-invalid" not in html
    assert hidden["family_name"] == data["family_name"]
    assert not Registration.objects.exists()


def test_send_from_the_check_pages_hidden_copy_saves_the_answers_once(
    client_for, reporter, reporter_data
):
    """The check page's hidden fields, posted as they are with "Send", save what was
    shown; a second click of the same page saves nothing more."""
    client = client_for(reporter)
    data = reporter_data(step="check")
    check = client.post(SUBMIT, data)
    html = check.content.decode()
    posted: dict[str, list[str]] = {}
    for name, value in re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', html):
        posted.setdefault(name, []).append(value.replace("&#x27;", "'").replace("&amp;", "&"))
    posted["step"] = ["send"]
    first = client.post(SUBMIT, posted)
    second = client.post(SUBMIT, posted)
    assert first.status_code == second.status_code == 302
    assert first["Location"] == second["Location"]
    registration = Registration.objects.get()
    assert registration.found_in_municipality_id == "GM0363"
    assert registration.person.family_name == data["family_name"]
    assert registration.person.phone == data["phone"]


@pytest.mark.parametrize(
    "tampered",
    [
        {"found_in_municipality": "Atlantis"},
        {"found_in_municipality": ""},
        {"exploitation_forms": ["no-such-form"]},
        {"gender": "robot"},
        {"consent_care": "<script>"},
    ],
)
def test_a_tampered_hidden_field_on_send_is_refused_whole(
    client_for, reporter, reporter_data, tampered
):
    client = client_for(reporter)
    before = _counts()
    response = client.post(SUBMIT, reporter_data(**tampered), **EN)
    if tampered.get("consent_care"):
        # A checkbox takes any non-empty value as ticked, as a browser sends "on".
        assert response.status_code == 302
        return
    assert response.status_code == 200
    assert response.context["form"].errors
    assert _counts() == before


def test_send_with_another_users_or_an_altered_token_saves_nothing(
    client_for, reporter, helpdesk, reporter_data
):
    from registry import once

    for token in ("", "forged", once.new_token(helpdesk)):
        response = client_for(reporter).post(SUBMIT, {**reporter_data(), once.FIELD: token}, **EN)
        assert response.status_code == 200
        assert "Nothing was saved" in response.content.decode()
    assert not Registration.objects.exists()


# The receipt -------------------------------------------------------------------------------------


def test_the_receipt_has_the_reference_and_says_given_never_the_value(
    client_for, reporter, reporter_data
):
    data = reporter_data(email="", languages="")
    response = client_for(reporter).post(SUBMIT, data)
    registration = Registration.objects.get()
    receipt = client_for(reporter).get(response["Location"], **EN)
    html = receipt.content.decode()
    assert registration.number in html
    for value in (data["given_names"], data["family_name"], data["phone"], "1990-01-02"):
        assert value not in html, "a personal value on the receipt"
    assert "1990" not in html  # not even the year of birth
    copy = {str(row["label"]): str(row["value"]) for row in receipt.context["copy"]["person"]}
    assert copy["Given names"] == copy["Family name"] == copy["Phone"] == "given"
    assert copy["Date of birth or age"] == "given"
    assert copy["E-mail"] == copy["Languages"] == "not given"
    facts = {str(row["label"]): str(row["value"]) for row in receipt.context["copy"]["facts"]}
    assert facts["Municipality where the person was found"] == "Amsterdam"
    assert facts["Care-coordination region"] == "Region A"
    assert "window.print()" in html and "d-print-none" in html


def test_the_receipt_in_dutch_says_gegeven(client_for, reporter, reporter_data):
    response = client_for(reporter).post(SUBMIT, reporter_data())
    html = client_for(reporter).get(response["Location"]).content.decode()
    assert "gegeven" in html and "Referentienummer" in html


def test_an_anonymous_receipt_says_nothing_personal_was_stored(client_for, reporter, reporter_data):
    data = reporter_data(consent_registration="", consent_signed_by="")
    response = client_for(reporter).post(SUBMIT, data)
    html = client_for(reporter).get(response["Location"], **EN).content.decode()
    assert "no personal field was stored" in html
    assert data["family_name"] not in html


def test_the_receipt_reads_no_personal_value(client_for, reporter, reporter_data, monkeypatch):
    """The receipt asks the database whether each field is empty: nothing is decrypted."""
    from registry import fields

    response = client_for(reporter).post(SUBMIT, reporter_data())
    opened = []
    real_open = fields.EncryptedMixin.open

    def watch(self, *args, **kwargs):
        opened.append(self.name)
        return real_open(self, *args, **kwargs)

    monkeypatch.setattr(fields.EncryptedMixin, "open", watch)
    assert client_for(reporter).get(response["Location"]).status_code == 200
    assert opened == []


# Adding information later ------------------------------------------------------------------------


@pytest.fixture
def sent(client_for, reporter, reporter_data):
    client_for(reporter).post(SUBMIT, reporter_data())
    return Registration.objects.get()


def test_the_reporter_adds_information_by_reference_and_the_help_desk_reads_it_at_triage(
    client_for, reporter, helpdesk, sent
):
    text = planted("She called back from a new number ")
    response = client_for(reporter).post(ADD, {"number": f" {sent.number} ", "text": text})
    assert response.status_code == 302
    assert response["Location"] == reverse("intake:submitted", args=[sent.pk])
    addition = SubmissionAddition.objects.get()
    assert addition.registration == sent and addition.author == reporter
    # Stored encrypted, audited without the text.
    with connection.cursor() as cursor:
        cursor.execute("SELECT text FROM registry_submissionaddition")
        assert text not in str(cursor.fetchone()[0])
    event = AuditEvent.objects.get(action=AuditAction.CREATE, object_id=str(addition.pk))
    assert event.actor == reporter.username
    assert event.details["registration"] == sent.number
    assert text not in str(event.details)
    # The reporter cannot read it back; the help desk reads it at triage.
    receipt = client_for(reporter).get(response["Location"], **EN).content.decode()
    assert text not in receipt and "Information added later" in receipt
    triage = client_for(helpdesk).get(reverse("intake:triage_detail", args=[sent.pk]), **EN)
    assert text in triage.content.decode()


def test_another_reporters_reference_is_refused_like_one_that_does_not_exist(
    client_for, sent, reporter_data, found_in
):
    other = UserFactory(
        username="other-reporter", role=Role.REPORTER, organisation=OrganisationFactory()
    )
    client = client_for(other)
    before = _counts()
    messages = []
    for number in (sent.number, "2099-999999", "", "1' OR '1'='1", str(sent.pk)):
        response = client.post(ADD, {"number": number, "text": planted("extra ")}, **EN)
        assert response.status_code == 200
        messages.append(response.context["form"].errors.get("number"))
    assert _counts() == before
    refused = "None of your reports has this reference number."
    assert refused in str(messages[0]) and messages[0] == messages[1]
    # The refusal does not say whether the number exists.
    assert sent.number not in str(messages[0])


def test_adding_information_refuses_empty_text_and_a_forged_token_and_keeps_what_was_typed(
    client_for, reporter, helpdesk, sent
):
    from registry import once

    client = client_for(reporter)
    before = _counts()
    response = client.post(ADD, {"number": sent.number, "text": "   "}, **EN)
    assert "Write the information to add." in response.content.decode()
    text = planted("typed ")
    for token in ("", "forged", once.new_token(helpdesk)):
        response = client.post(ADD, {"number": sent.number, "text": text, once.FIELD: token}, **EN)
        assert response.status_code == 200
        assert text in response.content.decode()  # nothing typed is lost
    assert _counts() == before


def test_the_add_page_is_prefilled_from_the_receipt(client_for, reporter, sent):
    html = client_for(reporter).get(f"{ADD}?number={sent.number}").content.decode()
    assert f'value="{sent.number}"' in html


def test_only_reporters_add_information(client_for, helpdesk, coordinator_a, sent):
    for user in (helpdesk, coordinator_a):
        response = client_for(user).post(ADD, {"number": sent.number, "text": "x"})
        assert response.status_code == 403
    assert not SubmissionAddition.objects.exists()


def test_after_triage_the_coordinator_reads_the_addition_on_the_cases_timeline(
    client_for, reporter, helpdesk, coordinator_a, coordinator_b, sent
):
    """Information added after the help desk accepted the report goes with it to the case:
    the region's coordinator reads it on the timeline; another region's does not."""
    client_for(helpdesk).post(reverse("intake:triage_detail", args=[sent.pk]), {"action": "accept"})
    case = Case.objects.get()
    assert case.coordinator == coordinator_a
    text = planted("Later: works in a greenhouse ")
    client_for(reporter).post(ADD, {"number": sent.number, "text": text})
    page = client_for(coordinator_a).get(case.get_absolute_url(), **EN)
    timeline = " ".join(e.text + " " + e.note for e in page.context["timeline"])
    assert text in timeline and f"added to registration {sent.number}" in timeline
    assert client_for(coordinator_b).get(case.get_absolute_url()).status_code == 404
    assert not SubmissionAddition.objects.for_user(coordinator_b).exists()


def test_a_decided_report_still_takes_information(client_for, reporter, helpdesk, sent):
    client_for(helpdesk).post(reverse("intake:triage_detail", args=[sent.pk]), {"action": "accept"})
    sent.refresh_from_db()
    assert sent.status == SubmissionStatus.ACCEPTED
    response = client_for(reporter).post(ADD, {"number": sent.number, "text": "later facts"})
    assert response.status_code == 302
    assert SubmissionAddition.objects.filter(registration=sent).count() == 1
