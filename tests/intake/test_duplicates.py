"""Duplicate detection by blind index before saving; the user decides; the choice is audited."""

from __future__ import annotations

import datetime
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from intake.matching import find_matches, indexes_for
from registry.models import AuditEvent, Person, Registration
from tests.factories import PersonFactory, RegistrationFactory

pytestmark = pytest.mark.django_db

URL = "/intake/register/"


def existing(region, **person):
    values = {
        "given_names": "Ana Maria",
        "family_name": "Popescu",
        "date_of_birth": datetime.date(1995, 3, 14),
        "id_document_country": "RO",
        "id_document_number": "ZZ999",
        **person,
    }
    return RegistrationFactory(person=PersonFactory(**values), region=region).person


def matches_on_review(client, data):
    response = client.post(URL, {**data, "step": "review"})
    assert response.status_code == 200, response.content
    return {str(m.person.pk): m.reasons for m in response.context["matches"]}


def test_same_names_and_date_of_birth_match(client_for, coordinator_a, region_a, staff_data):
    person = existing(region_a, given_names="ANA-MARIA", family_name="popescu")
    found = matches_on_review(client_for(coordinator_a), staff_data(id_document_number=""))
    assert "name_dob" in found[str(person.pk)]


def test_same_document_matches_across_spelling(client_for, coordinator_a, region_a, staff_data):
    person = existing(region_a, family_name="Other", id_document_number="RX 12-3456")
    found = matches_on_review(client_for(coordinator_a), staff_data())
    assert found[str(person.pk)] == ["document"]


def test_family_name_with_year_within_two_years_matches(
    client_for, coordinator_a, region_a, staff_data
):
    near = existing(
        region_a, given_names="X", date_of_birth=datetime.date(1997, 1, 1), id_document_number=""
    )
    far = existing(
        region_a, given_names="Y", date_of_birth=datetime.date(1998, 1, 1), id_document_number=""
    )
    found = matches_on_review(client_for(coordinator_a), staff_data(id_document_number=""))
    assert "family_year" in found[str(near.pk)]
    assert str(far.pk) not in found


def test_phonetic_match_is_shown_as_possible(client_for, coordinator_a, region_a, staff_data):
    person = existing(
        region_a,
        given_names="Mohammed",
        family_name="Mohammed",
        date_of_birth=datetime.date(1990, 5, 5),
        id_document_number="",
    )
    data = staff_data(
        given_names="Ali",
        family_name="Muhammad",
        date_of_birth="1991-02-02",
        id_document_number="",
    )
    response = client_for(coordinator_a).post(URL, {**data, "step": "review"})
    (match,) = response.context["matches"]
    assert match.person == person
    assert match.reasons == ["phonetic"]
    assert not match.strong
    html = response.content.decode()
    assert "possible" in html or "mogelijk" in html


def test_matches_only_among_people_the_user_may_see(
    client_for, coordinator_a, region_b, staff_data
):
    existing(region_b)  # another region: coordinator A may not see it
    assert matches_on_review(client_for(coordinator_a), staff_data()) == {}


def test_match_shows_no_personal_value_of_the_existing_person(
    client_for, coordinator_a, region_a, staff_data
):
    existing(region_a, phone="+31 6 5555 0199", address="Secret street 1")
    html = client_for(coordinator_a).post(URL, {**staff_data(), "step": "review"}).content
    assert b"5555 0199" not in html
    assert b"Secret street" not in html


def test_save_requires_a_choice_when_there_are_matches(
    client_for, coordinator_a, region_a, staff_data
):
    existing(region_a)
    response = client_for(coordinator_a).post(URL, {**staff_data(), "step": "save"})
    assert response.status_code == 200
    assert response.context["choice_error"]
    assert Registration.objects.count() == 1  # only the existing one


def test_linking_to_a_match_adds_a_registration_and_audits_the_choice(
    client_for, coordinator_a, region_a, staff_data
):
    person = existing(region_a)
    client = client_for(coordinator_a)
    response = client.post(URL, {**staff_data(), "step": "save", "person_choice": str(person.pk)})
    assert response.status_code == 302
    assert Person.objects.count() == 1
    assert person.registrations.count() == 2
    event = AuditEvent.objects.filter(action="link_person").get()
    assert event.details["person_choice"] == "linked"
    assert event.details["possible_matches_shown"] == 1


def test_confirming_a_new_person_is_audited_with_the_matches_shown(
    client_for, coordinator_a, region_a, staff_data
):
    existing(region_a)
    client = client_for(coordinator_a)
    client.post(URL, {**staff_data(), "step": "save", "person_choice": "new"})
    assert Person.objects.count() == 2
    event = AuditEvent.objects.filter(action="create").get()
    assert event.details["person_choice"] == "new"
    assert event.details["possible_matches_shown"] == 1


def test_cannot_link_to_a_person_that_was_not_offered(
    client_for, coordinator_a, region_b, staff_data
):
    hidden = existing(region_b)
    response = client_for(coordinator_a).post(
        URL, {**staff_data(), "step": "save", "person_choice": str(hidden.pk)}
    )
    assert hidden.registrations.count() == 1
    # No match is visible, so the save goes ahead as a new person, never onto the hidden one.
    assert response.status_code == 302
    assert Person.objects.count() == 2


def _statements(captured: CaptureQueriesContext) -> list[str]:
    """Each statement's SQL with its parameters (quoted strings, numbers) blanked out."""
    return [re.sub(r"'(?:[^']|'')*'|\b\d+\b", "?", query["sql"]) for query in captured]


def test_duplicate_check_does_the_same_work_whether_or_not_the_name_exists_elsewhere(
    coordinator_a, region_a, region_b
):
    """How long the check takes must not tell coordinator A that region B knows a name."""
    existing(region_a, family_name="Nearby", id_document_number="AA111")
    elsewhere = existing(region_b, family_name="Elsewhereson", id_document_number="ZZ999")
    typed = {
        "given_names": "Ana Maria",
        "date_of_birth": datetime.date(1995, 3, 14),
        "id_document_country": "RO",
    }
    # Once before measuring: the user's regions are read on first use and then kept.
    find_matches(coordinator_a, indexes_for(family_name="Warmup", **typed))
    runs = {}
    for case, family, document in [
        ("nowhere", "Nowhereson", "QQ123"),
        ("elsewhere", "Elsewhereson", "ZZ999"),  # names, birth date and document all match
    ]:
        ix = indexes_for(family_name=family, id_document_number=document, **typed)
        with CaptureQueriesContext(connection) as captured:
            found = find_matches(coordinator_a, ix)
        runs[case] = (found, _statements(captured))
    assert runs["nowhere"][0] == runs["elsewhere"][0] == []
    assert runs["nowhere"][1] == runs["elsewhere"][1]
    assert len(runs["nowhere"][1]) == 1
    # The same check finds the person once region A has registered them too.
    RegistrationFactory(person=elsewhere, region=region_a)
    ix = indexes_for(family_name="Elsewhereson", id_document_number="ZZ999", **typed)
    assert [m.reasons for m in find_matches(coordinator_a, ix)] == [
        ["name_dob", "document", "family_year", "phonetic"]
    ]


def test_the_compiled_duplicate_check_finds_what_the_orm_finds(
    roles, coordinator_a, coordinator_b, helpdesk, administrator, reporter, region_a, region_b
):
    """find_matches runs its query from a template compiled once per user and shape
    (registry/compiled.py). For every role, and for typed values that meet people by each
    index, in scope and out of it, it finds exactly the people the plain ORM query finds,
    on the first run (compiling) and on the second (from the template)."""
    from intake.matching import MATCH_QUERIES, _candidates, _values
    from registry.choices import SubmissionStatus
    from tests.factories import CaseFactory

    MATCH_QUERIES.clear()
    born = datetime.date(1990, 6, 1)

    def ionescu():
        return PersonFactory(family_name="Ionescu", date_of_birth=born)

    people = {
        "case_a": CaseFactory(region=region_a, person=ionescu()).person,
        "case_b": CaseFactory(region=region_b, person=ionescu()).person,
        "waiting_a": existing(region_a, family_name="Ionescu", date_of_birth=born),
        "submitted": RegistrationFactory(
            person=PersonFactory(family_name="Ionesco", date_of_birth=born),
            region=region_b,
            status=SubmissionStatus.SUBMITTED,
        ).person,
        "document_b": existing(region_b, family_name="Other", id_document_number="DOC-1"),
    }
    typed_values = [
        {"family_name": "Ionescu", "given_names": "Ana Maria", "date_of_birth": born},
        {"family_name": "Ionesco", "date_of_birth": datetime.date(1991, 1, 1)},
        {"family_name": "Other", "id_document_country": "RO", "id_document_number": "DOC-1"},
        {"family_name": "Nobody", "date_of_birth": born},
        {"id_document_country": "RO", "id_document_number": "ZZ999"},
    ]
    seen_by_someone = set()
    for user in (coordinator_a, coordinator_b, helpdesk, administrator, reporter):
        for typed in typed_values:
            ix = indexes_for(**typed)
            expected = {p.pk for p in _candidates(user, _values(ix), limit=20)}
            for _run in ("compiling", "from the template"):
                assert {m.person.pk for m in find_matches(user, ix)} == expected, (user, typed)
            seen_by_someone |= expected
    # The comparison meant something: each person was found by someone, not by everyone.
    assert seen_by_someone == {p.pk for p in people.values()}
    assert {m.person.pk for m in find_matches(reporter, indexes_for(**typed_values[0]))} == set()
    assert MATCH_QUERIES._templates and all(MATCH_QUERIES._templates.values())

    # A coordinator given another region is another scope: the old template is not reused.
    coordinator_a.regions.set([region_b])
    moved = type(coordinator_a).objects.get(pk=coordinator_a.pk)
    ix = indexes_for(**typed_values[0])
    assert {m.person.pk for m in find_matches(moved, ix)} == {people["case_b"].pk}


def test_a_query_whose_value_is_no_parameter_is_compiled_every_time(region_a):
    """A value Django writes into the SQL itself (a slice's LIMIT) cannot be filled in
    later: the template is refused and the query built afresh, with the right answer each
    time."""
    from registry.compiled import CompiledQueries

    for n in range(3):
        existing(region_a, family_name=f"Limit{n}", id_document_number=f"L{n}")
    queries = CompiledQueries()

    def build(values):
        return Person.objects.values("pk")[: values["limit"]]

    for limit in (1, 3, 2):
        sql, params = queries.sql(("limited",), build, {"limit": limit})
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            assert len(cursor.fetchall()) == limit
    assert queries._templates[("limited",)] is None


def test_a_parameter_worked_out_from_a_value_makes_the_query_compiled_every_time(region_a):
    """A query that uses a value and a number worked out from it (the year and the year
    after) cannot be filled in from a template: it is built afresh, right each time."""
    from registry.compiled import CompiledQueries

    born_1990 = existing(region_a, date_of_birth=datetime.date(1990, 1, 1))
    queries = CompiledQueries()

    def build(values):
        year = values["year"]
        return Person.objects.filter(year_of_birth__gte=year, year_of_birth__lt=year + 1)

    for year, found in ((1990, {born_1990.pk}), (1989, set()), (1990, {born_1990.pk})):
        sql, params = queries.sql(("a year",), build, {"year": year})
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            assert {Person._meta.pk.to_python(row[0]) for row in cursor.fetchall()} == found
    assert queries._templates[("a year",)] is None
