"""Every way in makes the name search's rows of a new person (issue 13, item 2): the staff
intake, a reporter's submission and the import (whose persons are inserted in bulk, without
Person.save), so a person is found by a part of their name whichever way they came in."""

from __future__ import annotations

import pytest
from django.urls import reverse

from intake import importing
from registry.models import Person, PersonSearchToken, Registration
from registry.models.search_tokens import search_tokens
from tests.intake.test_ways_in import SHARED, URL, csv_row, csv_text

pytestmark = pytest.mark.django_db


def _rows(person: Person) -> set:
    return set(PersonSearchToken.objects.filter(person=person).values_list("kind", "digest"))


def _found(client, term: str) -> list:
    response = client.post("/cases/", {"q": term, "status": "all"})
    return list(client.get(response["Location"]).context["page"].object_list)


def test_a_staff_save_makes_the_search_rows_and_the_case_is_found_by_a_given_name(
    client_for, coordinator_a, staff_data
):
    client = client_for(coordinator_a)
    response = client.post(
        URL,
        staff_data(
            step="save", person_choice="new", family_name="Okonkwo-Eze", given_names="Ada Chinwe"
        ),
    )
    assert response.status_code == 302
    registration = Registration.objects.select_related("person").get()
    person = registration.person
    assert _rows(person) == set(search_tokens("Okonkwo-Eze", "Ada Chinwe"))
    assert [case.person_id for case in _found(client, "Chinwe")] == [person.pk]
    assert [case.person_id for case in _found(client, "Okonkwo")] == [person.pk]


def test_a_reporters_submission_makes_the_search_rows(reporter, client_for, reporter_data):
    response = client_for(reporter).post(
        reverse("intake:submit"), reporter_data(family_name="van der Berg", given_names="Ivana")
    )
    assert response.status_code == 302
    person = Registration.objects.get().person
    assert _rows(person) == set(search_tokens("van der Berg", "Ivana"))


def test_an_import_makes_the_search_rows_of_each_new_person(region_a):
    rows = [
        csv_row(
            {**SHARED, "family_name": name, "given_names": given, "id_document_number": doc},
            region_a.code,
        )
        for name, given, doc in (
            ("Okonkwo-Eze", "Ada Chinwe", "RX100001"),
            ("de Vries", "Folake", "RX100002"),
        )
    ]
    importing.import_csv(csv_text(rows), actor_name="test")
    people = {(p.family_name, p.given_names): p for p in Person.objects.all()}
    assert set(people) == {("Okonkwo-Eze", "Ada Chinwe"), ("de Vries", "Folake")}
    for (family, given), person in people.items():
        assert _rows(person) == set(search_tokens(family, given))
        assert _rows(person)  # not empty
