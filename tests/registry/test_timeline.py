"""The case's timeline (issue 13, item 4): dated, attributed, encrypted, append-only notes, and
the case's own history in plain words in the reader's language."""

from __future__ import annotations

import json

import pytest

from registry import casework, once
from registry.choices import AuditAction, Role
from registry.models import AuditEvent, Case, CaseNote, ReminderSent
from registry.models.notes import CaseNoteChangeRefused
from tests.factories import UserFactory
from tests.registry.conftest import PLANTED
from tests.registry.test_encryption import raw_column

pytestmark = pytest.mark.django_db

EN = {"HTTP_ACCEPT_LANGUAGE": "en"}
NL = {"HTTP_ACCEPT_LANGUAGE": "nl"}
NOTE = "Planted timeline note: met at Kastanjelaan 9 with the interpreter"


@pytest.fixture
def anna(coordinator_a):
    coordinator_a.first_name, coordinator_a.last_name = "Anna", "de Boer"
    coordinator_a.save()
    return coordinator_a


@pytest.fixture
def piet(region_a):
    return UserFactory(
        username="piet",
        first_name="Piet",
        last_name="Jansen",
        role=Role.COORDINATOR,
        regions=[region_a],
    )


def _timeline(response) -> str:
    return " ".join(entry.text + " " + entry.note for entry in response.context["timeline"])


def test_a_long_timeline_is_paged_newest_first(casework_world, client_for, anna):
    case = casework_world.case_a
    for number in range(55):
        CaseNote.write(case, anna, f"Note number {number}")
    client = client_for(anna)
    first = client.get(case.get_absolute_url(), **EN).context["timeline"]
    assert first[0].note == "Note number 54" and len(first) == 50
    last = client.get(case.get_absolute_url() + "?page=2", **EN).context["timeline"]
    # The five oldest notes and the former notes box, which comes last of all.
    assert [e.note for e in last][-2:] == ["Note number 0", PLANTED["notes"]]
    assert client.get(case.get_absolute_url() + "?page=nonsense").status_code == 200


# --- notes --------------------------------------------------------------------------------------


def test_a_note_is_added_dated_and_attributed_and_shown_on_the_timeline(
    casework_world, client_for, anna
):
    case = casework_world.case_a
    client = client_for(anna)
    response = client.post(f"/cases/{case.pk}/notes/", {"text": NOTE}, follow=True, **EN)
    assert response.redirect_chain[-1][0] == f"/cases/{case.pk}/#timeline"
    page = response.content.decode()
    assert "The note has been added to the timeline." in page
    first = response.context["timeline"][0]
    assert (first.kind, first.text, first.note) == ("note", "Anna de Boer wrote", NOTE)
    assert first.at is not None
    note = CaseNote.objects.get()
    assert (note.case, note.author) == (case, anna)


def test_the_note_is_encrypted_in_the_database_and_kept_out_of_the_audit(
    casework_world, client_for, anna
):
    case = casework_world.case_a
    client_for(anna).post(f"/cases/{case.pk}/notes/", {"text": NOTE})
    note = CaseNote.objects.get()
    raw = raw_column(CaseNote, "text", note.pk)
    assert raw.startswith("d1:") and "Kastanjelaan" not in raw  # the person's data key
    event = AuditEvent.objects.get(action=AuditAction.CREATE)
    assert event.details == {"fields": ["text"], "screen": "case_note"}
    assert event.case_id == case.pk and event.object_id == str(note.pk)
    assert "Kastanjelaan" not in json.dumps(list(AuditEvent.objects.values()), default=str)


def test_notes_are_append_only(casework_world, anna):
    note = CaseNote.write(casework_world.case_a, anna, "First version")
    note.text = "Changed afterwards"
    with pytest.raises(CaseNoteChangeRefused):
        note.save()
    with pytest.raises(CaseNoteChangeRefused):
        note.delete()
    with pytest.raises(CaseNoteChangeRefused):
        CaseNote.objects.filter(pk=note.pk).update(created_at=note.created_at)
    with pytest.raises(CaseNoteChangeRefused):
        CaseNote.objects.all().delete()
    assert CaseNote.objects.get().text == "First version"


def test_the_admin_shows_notes_read_only(casework_world, client_for, administrator, anna):
    CaseNote.write(casework_world.case_a, anna, NOTE)
    page = client_for(administrator).get(
        f"/admin/registry/case/{casework_world.case_a.pk}/change/", **EN
    )
    assert page.status_code == 200
    html = page.content.decode()
    assert NOTE in html
    assert 'name="case_notes-0-text"' not in html  # shown, not an input


@pytest.mark.parametrize("who", ["coordinator_b", "helpdesk"])
def test_a_note_on_another_regions_case_is_404(casework_world, client_for, roles, who):
    response = client_for(roles[who]).post(
        f"/cases/{casework_world.case_a.pk}/notes/", {"text": NOTE}
    )
    assert response.status_code == 404
    assert not CaseNote.objects.exists()


def test_a_reporter_may_not_add_notes(casework_world, client_for, reporter):
    response = client_for(reporter).post(
        f"/cases/{casework_world.case_a.pk}/notes/", {"text": NOTE}
    )
    assert response.status_code == 403
    assert not CaseNote.objects.exists()


def test_a_tampered_case_field_is_ignored(casework_world, client_for, anna):
    case = casework_world.case_a
    response = client_for(anna).post(
        f"/cases/{case.pk}/notes/",
        {"text": NOTE, "case": str(casework_world.case_b.pk), "author": "1"},
    )
    assert response.status_code == 302
    note = CaseNote.objects.get()
    assert (note.case_id, note.author_id) == (case.pk, anna.pk)


@pytest.mark.parametrize(("text", "message"), [("   ", "required"), ("x" * 5001, "at most 5000")])
def test_a_refused_note_keeps_what_was_typed(casework_world, client_for, anna, text, message):
    case = casework_world.case_a
    response = client_for(anna).post(f"/cases/{case.pk}/notes/", {"text": text}, **EN)
    assert response.status_code == 400
    form = response.context["note_form"]
    assert message in " ".join(form.errors["text"])
    assert form["text"].value() == text
    assert not CaseNote.objects.exists()


def test_a_note_without_a_valid_token_is_not_added_and_the_text_stays(
    casework_world, client_for, anna
):
    case = casework_world.case_a
    response = client_for(anna).post(
        f"/cases/{case.pk}/notes/", {"text": NOTE, once.FIELD: "forged"}, **EN
    )
    assert response.status_code == 400
    assert response.context["note_form"]["text"].value() == NOTE
    assert not CaseNote.objects.exists()


def test_the_former_notes_box_is_kept_as_the_first_entry_and_no_longer_editable(
    casework_world, client_for, anna
):
    case = casework_world.case_a
    CaseNote.write(case, anna, "A new note")
    response = client_for(anna).get(case.get_absolute_url(), **EN)
    entries = list(response.context["timeline"])
    assert entries[-1].kind == "earlier_notes" and entries[-1].note == PLANTED["notes"]
    assert entries[0].note == "A new note"
    edit = client_for(anna).get(f"/cases/{case.pk}/edit/")
    assert "notes" not in edit.context["form"].fields


# --- history in words ---------------------------------------------------------------------------


def _history(casework_world, anna, piet, region_b) -> Case:
    """Anna takes the case, assigns it to Piet, Piet moves it into care, a reminder goes out,
    Piet asks region B to take it over."""
    case = Case.objects.get(pk=casework_world.case_a.pk)
    case.coordinator = None
    case.save()
    case = Case.objects.get(pk=case.pk)
    case.coordinator = anna
    casework.save_case_change(case, ["coordinator"], anna, "case_take")
    case = Case.objects.get(pk=case.pk)
    case.coordinator = piet
    casework.save_case_change(case, ["coordinator"], anna, "case_edit")
    case = Case.objects.get(pk=case.pk)
    case.status = "in_care"
    case.reflection_start = case.opened_on
    casework.save_case_change(case, ["status", "reflection_start"], piet, "case_edit")
    ReminderSent.objects.create(
        kind=ReminderSent.Kind.REFLECTION_ENDING,
        case=case,
        recipient=piet,
        due=case.reflection_start,
    )
    casework.request_handover(case, region_b, "moved to a relative", piet)
    return case


def test_history_reads_in_plain_english(casework_world, client_for, anna, piet, region_b):
    case = _history(casework_world, anna, piet, region_b)
    text = _timeline(client_for(piet).get(case.get_absolute_url(), **EN))
    assert "Anna de Boer took on the case" in text
    assert "Anna de Boer assigned the case to Piet Jansen" in text
    assert "Piet Jansen changed the status from new to in care" in text
    assert "Piet Jansen changed the reflection period start" in text
    assert "Reminder sent to Piet Jansen: the reflection period ends on" in text
    assert "Piet Jansen asked Region B to take over the case from Region A" in text
    assert "screen" not in text and "case_take" not in text and "['" not in text


def test_history_reads_in_dutch(casework_world, client_for, anna, piet, region_b):
    case = _history(casework_world, anna, piet, region_b)
    text = _timeline(client_for(piet).get(case.get_absolute_url(), **NL))
    assert "Anna de Boer heeft de casus op zich genomen" in text
    assert "Anna de Boer heeft de casus toegewezen aan Piet Jansen" in text
    assert "Piet Jansen heeft de status gewijzigd van nieuw naar in zorg" in text
    assert "Herinnering gestuurd aan Piet Jansen" in text
    assert "Piet Jansen heeft Region B gevraagd de casus over te nemen van Region A" in text


def test_a_closed_case_names_the_reason(casework_world, client_for, anna):
    case = Case.objects.get(pk=casework_world.case_a.pk)
    case.status, case.closed_reason = "closed", "no_contact"
    casework.save_case_change(case, ["status", "closed_reason"], anna, "case_edit")
    text = _timeline(client_for(anna).get(case.get_absolute_url(), **EN))
    assert "Anna de Boer changed the status from new to closed (no contact)" in text


def test_a_correction_of_the_person_names_the_fields_not_the_values(
    casework_world, client_for, anna
):
    person = casework_world.person_a
    client = client_for(anna)
    edit = client.get(f"/people/{person.pk}/edit/")
    data = {name: edit.context["form"][name].value() or "" for name in edit.context["form"].fields}
    data["phone"] = "+31 6 2468 1357"
    assert client.post(f"/people/{person.pk}/edit/", data).status_code == 302
    text = _timeline(client.get(casework_world.case_a.get_absolute_url(), **EN))
    assert "Anna de Boer corrected the person's details: phone" in text
    assert "2468" not in text


def test_old_events_without_recorded_moves_still_read(casework_world, client_for, anna):
    case = casework_world.case_a
    AuditEvent.record(
        AuditAction.CHANGE,
        user=anna,
        obj=case,
        case=case,
        details={"fields": ["coordinator", "status"], "screen": "case_edit"},
    )
    text = _timeline(client_for(anna).get(case.get_absolute_url(), **EN))
    assert "Anna de Boer changed the coordinator" in text
    assert "Anna de Boer changed the status" in text


def test_views_of_the_case_are_not_history(casework_world, client_for, anna):
    client = client_for(anna)
    client.get(casework_world.case_a.get_absolute_url())
    response = client.get(casework_world.case_a.get_absolute_url(), **EN)
    assert all(entry.kind != "event" for entry in response.context["timeline"])


def test_the_case_change_audit_holds_workflow_codes_never_personal_values(
    casework_world, anna, piet
):
    case = Case.objects.get(pk=casework_world.case_a.pk)
    case.coordinator = piet
    case.status = "in_care"
    casework.save_case_change(case, ["coordinator", "status"], anna, "case_edit")
    event = AuditEvent.objects.get(action=AuditAction.CHANGE)
    assert event.details["moves"] == {
        "status": ["new", "in_care"],
        "coordinator": [anna.pk, piet.pk],
    }
    audit = json.dumps(list(AuditEvent.objects.values()), default=str)
    for value in PLANTED.values():
        assert value not in audit
