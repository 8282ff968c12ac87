"""Drafts of the staff intake and the reporter's form (issue 15, item 1): kept encrypted, the
owner's alone, gone after the save and after a day. The browser side: tests/e2e/test_drafts.py."""

from __future__ import annotations

import datetime
import io
import json
import logging
import threading

import pytest
from django.core.management import call_command
from django.db import connection
from django.utils import timezone

from registry import drafts
from registry.models import AuditEvent, FormDraft, Registration, RegistrationNumberSequence
from tests.intake.conftest import planted

pytestmark = pytest.mark.django_db

STAFF_DRAFT = "/intake/register/draft/"
REPORTER_DRAFT = "/intake/submit/draft/"


def keep(client, url, data):
    return client.post(url, data, HTTP_ACCEPT_LANGUAGE="en")


def read(client, url):
    response = client.get(url, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    return response.json()


def raw_rows() -> str:
    """Every column of every draft row as the database holds it."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT * FROM registry_formdraft")
        return repr(cursor.fetchall())


def test_a_typed_draft_comes_back_to_its_owner(client_for, coordinator_a, staff_data):
    client = client_for(coordinator_a)
    name = planted("Family")
    response = keep(client, STAFF_DRAFT, staff_data(family_name=name, means_of_control=["threats"]))
    assert response.status_code == 200
    assert response.json()["saved"] is True
    assert "Draft kept at" in response.json()["status"]
    answer = read(client, STAFF_DRAFT)
    assert answer["values"]["family_name"] == [name]
    assert answer["values"]["means_of_control"] == ["threats"]
    assert "is back in the form" in answer["restored"]
    # Only the form's own fields: no step, no tokens.
    assert set(answer["values"]) <= set(answer["fields"])
    assert "csrfmiddlewaretoken" not in answer["values"]
    assert "once_token" not in answer["values"]


def test_the_draft_row_holds_no_plain_personal_value(client_for, coordinator_a, staff_data):
    given, family, phone = planted("Given"), planted("Family"), planted("+31")
    data = staff_data(given_names=given, family_name=family, phone=phone, address=planted("Str"))
    assert keep(client_for(coordinator_a), STAFF_DRAFT, data).status_code == 200
    assert FormDraft.objects.count() == 1
    rows = raw_rows()
    for value in (given, family, phone, data["address"], "1995-03-14", "RX123456"):
        assert value not in rows
    # ...and it is the encrypted field that holds them.
    assert family in FormDraft.objects.get().payload


def test_keeping_a_draft_logs_and_audits_no_value(client_for, coordinator_a, staff_data, caplog):
    family = planted("Family")
    client = client_for(coordinator_a)
    with caplog.at_level(logging.DEBUG):
        keep(client, STAFF_DRAFT, staff_data(family_name=family))
        read(client, STAFF_DRAFT)
    assert family not in caplog.text
    assert not any(family in json.dumps(e.details) for e in AuditEvent.objects.all())


def test_another_user_never_reads_a_draft(client_for, coordinator_a, helpdesk, staff_data):
    family = planted("Family")
    keep(client_for(coordinator_a), STAFF_DRAFT, staff_data(family_name=family))
    answer = read(client_for(helpdesk), STAFF_DRAFT)
    assert answer["values"] == {}
    assert family not in json.dumps(answer)


def test_another_user_cannot_overwrite_a_draft_with_foreign_ids(
    client_for, coordinator_a, helpdesk, staff_data
):
    family = planted("Family")
    keep(client_for(coordinator_a), STAFF_DRAFT, staff_data(family_name=family))
    theirs = FormDraft.objects.get(owner=coordinator_a)
    # The endpoint takes no id; tampered ones in the body change nothing of another's draft.
    intruder = client_for(helpdesk)
    for tampered in (
        {"id": str(theirs.pk), "owner": str(coordinator_a.pk), "family_name": "Overwritten"},
        {"pk": str(theirs.pk), "owner_id": str(coordinator_a.pk), "family_name": "Overwritten"},
        {"draft_action": "discard", "id": str(theirs.pk), "owner": str(coordinator_a.pk)},
    ):
        assert keep(intruder, STAFF_DRAFT, tampered).status_code == 200
    theirs.refresh_from_db()
    assert json.loads(theirs.payload)["family_name"] == [family]
    assert read(client_for(coordinator_a), STAFF_DRAFT)["values"]["family_name"] == [family]
    assert not FormDraft.objects.filter(owner=helpdesk).exists()  # its last post discarded


@pytest.mark.parametrize(
    ("who", "url", "status"),
    [
        ("anonymous", STAFF_DRAFT, 302),
        ("anonymous", REPORTER_DRAFT, 302),
        ("reporter", STAFF_DRAFT, 403),
        ("coordinator_a", REPORTER_DRAFT, 403),
        ("helpdesk", REPORTER_DRAFT, 403),
    ],
)
def test_only_those_who_may_fill_in_the_form_keep_its_draft(roles, client_for, who, url, status):
    client = client_for(roles[who])
    assert client.get(url).status_code == status
    assert client.post(url, {"family_name": planted("Family")}).status_code == status
    assert FormDraft.objects.count() == 0


def test_a_form_of_one_kind_never_reads_the_draft_of_the_other(
    client_for, administrator, staff_data
):
    keep(client_for(administrator), STAFF_DRAFT, staff_data())
    assert FormDraft.objects.get().form == FormDraft.Form.STAFF_INTAKE
    with pytest.raises(FormDraft.DoesNotExist):
        FormDraft.objects.of(administrator, FormDraft.Form.REPORTER).get()


def test_an_oversized_draft_is_refused_and_the_last_one_kept(client_for, coordinator_a, staff_data):
    client = client_for(coordinator_a)
    family = planted("Family")
    keep(client, STAFF_DRAFT, staff_data(family_name=family))
    response = keep(client, STAFF_DRAFT, staff_data(family_name="x" * 6000))
    assert response.status_code == 400
    assert "larger than the form allows" in response.json()["error"]
    assert read(client, STAFF_DRAFT)["values"]["family_name"] == [family]
    many = keep(client, STAFF_DRAFT, {"means_of_control": [str(i) for i in range(500)]})
    assert many.status_code == 400


def test_an_empty_form_deletes_the_draft_and_discard_deletes_it(
    client_for, coordinator_a, staff_data
):
    client = client_for(coordinator_a)
    keep(client, STAFF_DRAFT, staff_data())
    assert keep(client, STAFF_DRAFT, {"family_name": ""}).json() == {"saved": False}
    assert not FormDraft.objects.exists()
    keep(client, STAFF_DRAFT, staff_data())
    assert keep(client, STAFF_DRAFT, {"draft_action": "discard"}).json() == {"saved": False}
    assert not FormDraft.objects.exists()


def test_the_draft_is_gone_after_a_successful_save(client_for, coordinator_a, staff_data):
    client = client_for(coordinator_a)
    data = staff_data(family_name=planted("Family"))
    keep(client, STAFF_DRAFT, data)
    # A check page or a form with errors keeps it...
    client.post("/intake/register/", {**data, "step": "review"})
    client.post("/intake/register/", {**data, "date_of_birth": "bad", "step": "save"})
    assert FormDraft.objects.filter(owner=coordinator_a).exists()
    # ...the save deletes it.
    response = client.post("/intake/register/", {**data, "step": "save", "person_choice": "new"})
    assert response.status_code == 302
    assert Registration.objects.count() == 1
    assert not FormDraft.objects.exists()
    assert read(client, STAFF_DRAFT)["values"] == {}


def test_the_reporters_draft_is_gone_after_sending(client_for, reporter, reporter_data):
    client = client_for(reporter)
    data = reporter_data()
    assert keep(client, REPORTER_DRAFT, data).status_code == 200
    kept = read(client, REPORTER_DRAFT)["values"]
    assert kept["family_name"] == [data["family_name"]]
    assert "reporter_type" not in kept
    assert data["family_name"] not in raw_rows()
    response = client.post("/intake/submit/", data)
    assert response.status_code == 302
    assert not FormDraft.objects.exists()


def test_the_reporter_draft_keeps_no_staff_only_field(client_for, reporter, reporter_data):
    client = client_for(reporter)
    keep(client, REPORTER_DRAFT, reporter_data(address=planted("Str"), aliases=planted("Al")))
    assert set(read(client, REPORTER_DRAFT)["values"]).isdisjoint({"address", "aliases"})


def _age(draft: FormDraft, hours: float) -> None:
    FormDraft.objects.filter(pk=draft.pk).update(
        saved_at=timezone.now() - datetime.timedelta(hours=hours)
    )


def test_the_cleanup_deletes_drafts_older_than_a_day_and_keeps_younger(
    coordinator_a, helpdesk, reporter
):
    old = drafts.save(coordinator_a, FormDraft.Form.STAFF_INTAKE, {"family_name": ["A"]})
    young = drafts.save(helpdesk, FormDraft.Form.STAFF_INTAKE, {"family_name": ["B"]})
    fresh = drafts.save(reporter, FormDraft.Form.REPORTER, {"family_name": ["C"]})
    _age(old, 24.1)
    _age(young, 23.9)
    out = io.StringIO()
    call_command("prune_drafts", stdout=out)
    assert "1 draft(s) older than 24 hours deleted." in out.getvalue()
    assert set(FormDraft.objects.values_list("pk", flat=True)) == {young.pk, fresh.pk}
    call_command("prune_drafts", stdout=out)  # safe to run twice
    assert FormDraft.objects.count() == 2


def test_a_draft_past_its_day_is_not_given_back_before_the_cleanup(client_for, coordinator_a):
    draft = drafts.save(coordinator_a, FormDraft.Form.STAFF_INTAKE, {"family_name": ["A"]})
    _age(draft, 25)
    assert read(client_for(coordinator_a), STAFF_DRAFT)["values"] == {}


def test_the_home_page_offers_an_unfinished_registration_without_its_values(
    client_for, coordinator_a, helpdesk, staff_data
):
    family = planted("Family")
    keep(client_for(coordinator_a), STAFF_DRAFT, staff_data(family_name=family))
    page = client_for(coordinator_a).get("/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "You have an unfinished registration" in page
    assert 'href="/intake/register/">Continue the registration' in page
    assert family not in page
    other = client_for(helpdesk).get("/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "unfinished registration" not in other


def test_the_home_page_offers_the_reporter_their_unfinished_report(
    client_for, reporter, reporter_data
):
    client = client_for(reporter)
    keep(client, REPORTER_DRAFT, reporter_data())
    page = client.get("/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "You have an unfinished report" in page
    assert 'href="/intake/submit/"' in page


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_tabs_keeping_the_first_draft_at_once_leave_one_draft(
    client_for, coordinator_a, staff_data
):
    """Two tabs (or a beacon beside a save) of one user write the first draft together: one
    row, both answered, the last value kept."""
    clients = [client_for(coordinator_a), client_for(coordinator_a)]
    names = [planted("First"), planted("Second")]
    start = threading.Barrier(2)
    statuses: list[int] = []
    failures: list[BaseException] = []

    def write(client, name) -> None:
        try:
            start.wait()
            statuses.append(keep(client, STAFF_DRAFT, staff_data(family_name=name)).status_code)
        except BaseException as error:  # noqa: BLE001 - reported by the main thread
            failures.append(error)
        finally:
            connection.close()

    threads = [
        threading.Thread(target=write, args=pair) for pair in zip(clients, names, strict=True)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert failures == [] and statuses == [200, 200]
    assert FormDraft.objects.count() == 1
    assert json.loads(FormDraft.objects.get().payload)["family_name"][0] in names


def test_both_forms_switch_drafts_on_and_a_posted_form_is_not_overwritten(
    client_for, coordinator_a, reporter, staff_data
):
    staff = client_for(coordinator_a)
    empty = staff.get("/intake/register/").content.decode()
    assert f'data-draft="{STAFF_DRAFT}"' in empty
    assert "data-draft-bound" not in empty
    # A form shown with what was posted (an error, "Change" on the check page) keeps it.
    posted = staff.post("/intake/register/", {**staff_data(), "step": "edit"}).content.decode()
    assert f'data-draft="{STAFF_DRAFT}"' in posted
    assert "data-draft-bound" in posted
    report = client_for(reporter).get("/intake/submit/").content.decode()
    assert f'data-draft="{REPORTER_DRAFT}"' in report
    assert "data-draft-bound" not in report


def test_a_save_that_fails_keeps_the_draft(client_for, coordinator_a, staff_data):
    """A year without registration numbers left refuses the save (503): the draft stays, so
    the form can be filled again once an administrator has fixed it."""
    client = client_for(coordinator_a)
    client.raise_request_exception = False
    data = staff_data(family_name=planted("Family"))
    keep(client, STAFF_DRAFT, data)
    RegistrationNumberSequence.objects.create(
        year=int(data["registered_on"][:4]), last=RegistrationNumberSequence.MAX
    )
    response = client.post("/intake/register/", {**data, "step": "save", "person_choice": "new"})
    assert response.status_code == 503
    assert Registration.objects.count() == 0
    assert read(client, STAFF_DRAFT)["values"]["family_name"] == [data["family_name"]]


def test_a_save_refused_for_its_one_time_token_keeps_the_draft(
    client_for, coordinator_a, staff_data
):
    """The draft goes with the token's claim (registry/once.py, ``with_claim``): a token that is
    refused claims nothing, so the form is shown again and its draft stays."""
    client = client_for(coordinator_a)
    data = staff_data(family_name=planted("Family"))
    keep(client, STAFF_DRAFT, data)
    response = client.post(
        "/intake/register/",
        {**data, "step": "save", "person_choice": "new", "once_token": "tampered"},
    )
    assert response.status_code == 200
    assert Registration.objects.count() == 0
    assert read(client, STAFF_DRAFT)["values"]["family_name"] == [data["family_name"]]
