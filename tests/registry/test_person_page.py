"""The person page (issue 13, item 3): every field, read by whoever may see the person,
corrected by whoever holds an open case of the person, with the intake's widgets and rules,
audited with field names only."""

from __future__ import annotations

import datetime
import json
import logging

import pytest
from django.core.exceptions import ValidationError

from registry import once
from registry.choices import AuditAction, CaseStatus, Role
from registry.models import AuditEvent, Person
from registry.models.people import family_name_index
from tests.factories import CaseFactory, PersonFactory, RegistrationFactory, UserFactory
from tests.registry.conftest import PLANTED
from tests.registry.test_encryption import raw_column

pytestmark = pytest.mark.django_db

EN = {"HTTP_ACCEPT_LANGUAGE": "en"}


def _form_data(person: Person, **changes: object) -> dict[str, object]:
    """What the edit page's form sends back unchanged, with ``changes`` on top."""
    data: dict[str, object] = {
        "given_names": person.given_names or "",
        "family_name": person.family_name or "",
        "aliases": person.aliases or "",
        "date_of_birth": person.date_of_birth.isoformat() if person.date_of_birth else "",
        "estimated_age": "",
        "gender": person.gender,
        "nationality": str(person.nationality or ""),
        "country_of_birth": str(person.country_of_birth or ""),
        "languages": person.languages or "",
        "phone": person.phone or "",
        "email": person.email or "",
        "address": person.address or "",
        "id_document_country": person.id_document_country or "",
        "id_document_number": person.id_document_number or "",
        "notes": person.notes or "",
    }
    data.update(changes)
    return data


def _url(person: Person, edit: bool = False) -> str:
    return f"/people/{person.pk}/" + ("edit/" if edit else "")


# --- who sees, who corrects ---------------------------------------------------------------------


def test_coordinator_holding_the_case_sees_every_field_and_the_view_is_audited(
    casework_world, client_for, coordinator_a
):
    person = casework_world.person_a
    response = client_for(coordinator_a).get(_url(person), **EN)
    assert response.status_code == 200
    page = response.content.decode()
    for value in (
        PLANTED["family_name"],
        PLANTED["given_names"],
        PLANTED["phone"],
        PLANTED["email"],
        PLANTED["id_document_number"],
        "17 May 1990",  # the date of birth, in the English date format
        "Romania",
    ):
        assert value in page
    assert f'href="/people/{person.pk}/edit/"' in page
    event = AuditEvent.objects.get(action=AuditAction.VIEW_PERSONAL)
    assert event.object_id == str(person.pk)
    assert event.details == {"screen": "person_detail"}
    assert event.case_id == casework_world.case_a.pk


def test_case_page_links_to_the_person_page(casework_world, client_for, coordinator_a):
    case = casework_world.case_a
    response = client_for(coordinator_a).get(case.get_absolute_url(), **EN)
    assert f'href="{casework_world.person_a.get_absolute_url()}"' in response.content.decode()


@pytest.mark.parametrize("who", ["coordinator_b", "helpdesk", "reporter"])
def test_who_may_not_see_the_person_gets_404_on_both_pages(casework_world, client_for, roles, who):
    person = casework_world.person_a
    client = client_for(roles[who])
    assert client.get(_url(person)).status_code == 404
    assert client.get(_url(person, edit=True)).status_code == 404
    response = client.post(_url(person, edit=True), _form_data(person, phone="+31 20 000 0000"))
    assert response.status_code == 404
    assert Person.objects.get(pk=person.pk).phone == PLANTED["phone"]


def test_who_sees_but_does_not_hold_an_open_case_reads_but_may_not_correct(
    casework_world, client_for, administrator, region_a
):
    colleague = UserFactory(username="colleague-a", role=Role.COORDINATOR, regions=[region_a])
    person = casework_world.person_a
    for user in (administrator, colleague):
        client = client_for(user)
        page = client.get(_url(person), **EN)
        assert page.status_code == 200
        assert f'href="/people/{person.pk}/edit/"' not in page.content.decode()
        assert client.get(_url(person, edit=True)).status_code == 403
        response = client.post(_url(person, edit=True), _form_data(person, phone="+31 1"))
        assert response.status_code == 403
    assert Person.objects.get(pk=person.pk).phone == PLANTED["phone"]


def test_a_closed_case_no_longer_lets_its_coordinator_correct_the_person(
    casework_world, client_for, coordinator_a
):
    case = casework_world.case_a
    case.status, case.closed_reason = CaseStatus.CLOSED, "other"
    case.save()
    client = client_for(coordinator_a)
    assert client.get(_url(casework_world.person_a)).status_code == 200
    assert client.get(_url(casework_world.person_a, edit=True)).status_code == 403


def test_help_desk_corrects_the_person_of_a_case_it_coordinates(
    casework_world, client_for, helpdesk
):
    person = casework_world.case_c.person
    response = client_for(helpdesk).post(
        _url(person, edit=True), _form_data(person, phone="+31 30 123 4567")
    )
    assert response.status_code == 302
    assert Person.objects.get(pk=person.pk).phone == "+31 30 123 4567"


# --- correcting ---------------------------------------------------------------------------------


def test_correcting_the_phone_saves_it_and_audits_the_field_name_only(
    casework_world, client_for, coordinator_a, caplog
):
    person = casework_world.person_a
    client = client_for(coordinator_a)
    form = client.get(_url(person, edit=True), **EN)
    assert form.status_code == 200
    new_phone = "+31 6 1122 3344 planted"
    with caplog.at_level(logging.DEBUG):
        response = client.post(
            _url(person, edit=True), _form_data(person, phone=new_phone), follow=True, **EN
        )
    assert response.redirect_chain[-1][0] == _url(person)
    assert "The person&#x27;s details have been saved." in response.content.decode()
    assert new_phone in response.content.decode()
    person = Person.objects.get(pk=person.pk)
    assert person.phone == new_phone
    assert new_phone not in (raw_column(Person, "phone", person.pk) or "")
    change = AuditEvent.objects.get(action=AuditAction.CHANGE)
    assert change.details == {"fields": ["phone"], "screen": "person_edit"}
    assert change.case_id == casework_world.case_a.pk
    # No value of the person in any audit row, nor in any log line.
    audit = json.dumps(list(AuditEvent.objects.values()), default=str)
    logs = "\n".join(record.getMessage() for record in caplog.records)
    for value in (new_phone, PLANTED["phone"], PLANTED["family_name"], PLANTED["given_names"]):
        assert value not in audit
        assert value not in logs


def test_a_corrected_family_name_is_found_through_its_new_blind_index(
    casework_world, client_for, coordinator_a
):
    person = casework_world.person_a
    response = client_for(coordinator_a).post(
        _url(person, edit=True), _form_data(person, family_name="Okonkwo-Eze")
    )
    assert response.status_code == 302
    assert Person.objects.with_family_name("okonkwo-eze").get() == person
    assert not Person.objects.with_family_name(PLANTED["family_name"]).exists()
    assert Person.objects.get(pk=person.pk).bi_family_name == family_name_index("Okonkwo-Eze")


def test_estimated_age_sets_an_estimated_year_of_birth(casework_world, client_for, coordinator_a):
    person = casework_world.person_a
    response = client_for(coordinator_a).post(
        _url(person, edit=True), _form_data(person, date_of_birth="", estimated_age="30")
    )
    assert response.status_code == 302
    person = Person.objects.get(pk=person.pk)
    assert person.date_of_birth is None
    assert person.year_of_birth == datetime.date.today().year - 30
    assert person.year_of_birth_estimated


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"date_of_birth": "2999-01-01"}, "date_of_birth", "cannot be in the future"),
        ({"date_of_birth": "", "estimated_age": "130"}, "estimated_age", "between 0 and 120"),
        ({"date_of_birth": "1850-01-01"}, "date_of_birth", "between 0 and 120"),
        ({"date_of_birth": "17-17-2000"}, "date_of_birth", "Enter a valid date"),
        ({"nationality": "XX"}, "nationality", "Select a valid choice"),
        ({"id_document_country": "Romania"}, "id_document_country", "Select a valid choice"),
        ({"email": "not an address"}, "email", "valid email"),
        ({"gender": "unicorn"}, "gender", "Select a valid choice"),
    ],
)
def test_refused_values_keep_everything_typed_and_save_nothing(
    casework_world, client_for, coordinator_a, changes, field, message
):
    person = casework_world.person_a
    typed = _form_data(person, phone="+31 6 5555 0000", address="Typed street 1", **changes)
    response = client_for(coordinator_a).post(_url(person, edit=True), typed, **EN)
    assert response.status_code == 200
    form = response.context["form"]
    assert field in form.errors
    assert message in " ".join(form.errors[field])
    assert form["phone"].value() == "+31 6 5555 0000"
    assert form["address"].value() == "Typed street 1"
    assert form[field].value() == changes[field]
    stored = Person.objects.get(pk=person.pk)
    assert stored.phone == PLANTED["phone"]
    assert not AuditEvent.objects.filter(action=AuditAction.CHANGE).exists()


def test_the_edit_form_uses_the_intake_widgets(casework_world, client_for, coordinator_a):
    page = client_for(coordinator_a).get(_url(casework_world.person_a, edit=True), **EN)
    html = page.content.decode()
    assert 'type="date"' in html and 'name="date_of_birth"' in html
    assert 'value="1990-05-17"' in html
    # Country selects, the document's country selected from the list (not a free ISO box).
    assert '<select name="id_document_country"' in html
    assert '<option value="RO" selected>Romania</option>' in html
    assert '<select name="nationality"' in html


def test_tampered_fields_are_ignored(casework_world, client_for, coordinator_a):
    person = casework_world.person_a
    other = casework_world.person_b
    data = _form_data(
        person,
        phone="+31 6 0000 1111",
        id=str(other.pk),
        is_anonymous="on",
        year_of_birth="1700",
        bi_family_name="f" * 64,
        created_at="2000-01-01",
    )
    response = client_for(coordinator_a).post(_url(person, edit=True), data)
    assert response.status_code == 302
    person = Person.objects.get(pk=person.pk)
    assert person.phone == "+31 6 0000 1111"
    assert not person.is_anonymous
    assert person.year_of_birth == 1990
    assert person.bi_family_name == family_name_index(PLANTED["family_name"])
    assert Person.objects.get(pk=other.pk).phone != "+31 6 0000 1111"


def test_a_foreign_person_id_in_the_url_is_404(casework_world, client_for, coordinator_a):
    other = casework_world.person_b  # region B
    response = client_for(coordinator_a).post(
        _url(other, edit=True), _form_data(other, phone="+31 6 9999 9999")
    )
    assert response.status_code == 404
    assert Person.objects.get(pk=other.pk).phone != "+31 6 9999 9999"


@pytest.mark.parametrize("token", ["", "forged", "another-user"])
def test_a_missing_or_forged_token_saves_nothing_and_keeps_the_typed(
    casework_world, client_for, coordinator_a, coordinator_b, token
):
    person = casework_world.person_a
    if token == "another-user":
        token = once.new_token(coordinator_b)
    data = _form_data(person, phone="+31 6 7777 0000", once_token=token)
    response = client_for(coordinator_a).post(_url(person, edit=True), data, **EN)
    assert response.status_code == 200
    assert "could not be confirmed as sent once" in response.content.decode()
    assert response.context["form"]["phone"].value() == "+31 6 7777 0000"
    assert Person.objects.get(pk=person.pk).phone == PLANTED["phone"]


def test_the_same_form_sent_twice_saves_once(casework_world, client_for, coordinator_a):
    person = casework_world.person_a
    data = _form_data(person, phone="+31 6 4444 0000", once_token=once.new_token(coordinator_a))
    client = client_for(coordinator_a)
    first = client.post(_url(person, edit=True), data)
    second = client.post(_url(person, edit=True), data)
    assert first.status_code == second.status_code == 302
    assert AuditEvent.objects.filter(action=AuditAction.CHANGE).count() == 1


def test_an_anonymous_person_is_offered_only_the_statistical_fields(
    client_for, coordinator_a, region_a
):
    person = PersonFactory(is_anonymous=True, nationality="NG")
    CaseFactory(
        person=person,
        region=region_a,
        coordinator=coordinator_a,
        registration=RegistrationFactory(person=person, region=region_a),
    )
    client = client_for(coordinator_a)
    page = client.get(_url(person, edit=True), **EN)
    assert "phone" not in page.context["form"].fields
    response = client.post(
        _url(person, edit=True),
        {"gender": "male", "nationality": "GH", "country_of_birth": "", "phone": "+31 6 1"},
    )
    assert response.status_code == 302
    person = Person.objects.get(pk=person.pk)
    assert (person.gender, str(person.nationality), person.phone) == ("male", "GH", None)


def test_person_clean_holds_the_registration_rules_for_the_admin_too():
    person = Person(date_of_birth=datetime.date(2999, 1, 1))
    with pytest.raises(ValidationError) as refused:
        person.clean()
    assert "date_of_birth" in refused.value.message_dict
