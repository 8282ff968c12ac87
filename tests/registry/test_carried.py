"""Rows written in the statement of another INSERT (registry.carried): the same rows as the
plain ORM writes, one round trip fewer on PostgreSQL, and nothing lost when the carrying
INSERT does not come."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from registry.carried import carried_by, insert_statement, rows_carried_by, run_together
from registry.models import OutgoingMail, Person, PersonSearchToken
from registry.models.search_tokens import search_tokens
from tests.factories import PersonFactory

pytestmark = pytest.mark.django_db

POSTGRES = pytest.mark.skipif(
    "connection.vendor != 'postgresql'", reason="one statement only on PostgreSQL"
)


def _tokens(person: Person) -> set[tuple[str, str]]:
    return set(PersonSearchToken.objects.filter(person=person).values_list("kind", "digest"))


def test_a_new_persons_name_search_rows_are_those_of_the_plain_orm():
    person = PersonFactory(family_name="van der Berg-Ionescu", given_names="Ana Maria")
    expected = set(search_tokens("van der Berg-Ionescu", "Ana Maria"))
    assert expected and _tokens(person) == expected
    # The plain ORM's rows for the same names: replace_for deletes and bulk-creates them.
    PersonSearchToken.objects.replace_for(person.pk, search_tokens(person.family_name, "Ana Maria"))
    assert _tokens(person) == expected


def test_a_new_person_and_their_name_search_rows_are_one_statement_on_postgresql():
    with CaptureQueriesContext(connection) as queries:
        person = PersonFactory(family_name="Popescu")
    inserts = [q["sql"] for q in queries if "registry_personsearchtoken" in q["sql"]]
    assert _tokens(person)
    if connection.vendor == "postgresql":
        (carrying,) = inserts
        assert carrying.startswith("WITH ") and 'INSERT INTO "registry_person" ' in carrying
    else:
        assert len(inserts) == 1 and inserts[0].startswith("INSERT INTO")


def test_statements_run_on_their_own_when_no_insert_carries_them():
    mail = OutgoingMail(kind="new_case", recipient="c@example.org", subject="S", body="B")
    with rows_carried_by(Person, [mail]), connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    assert OutgoingMail.objects.filter(pk=mail.pk, subject="S").exists()
    assert not mail._state.adding


def test_only_the_first_insert_into_the_table_carries_them():
    mails = [
        OutgoingMail(kind="new_case", recipient=f"c{i}@example.org", subject="S", body="B")
        for i in range(2)
    ]
    with carried_by(Person, [insert_statement([mails[0]])]):
        PersonFactory()
        PersonFactory()
    assert OutgoingMail.objects.filter(pk=mails[0].pk).count() == 1
    run_together([insert_statement([mails[1]])])
    assert OutgoingMail.objects.count() == 2


@POSTGRES
def test_run_together_is_one_statement_on_postgresql():
    mails = [
        OutgoingMail(kind="new_case", recipient=f"c{i}@example.org", subject="S", body="B")
        for i in range(3)
    ]
    with CaptureQueriesContext(connection) as queries:
        run_together([insert_statement([mail]) for mail in mails])
    assert len(queries) == 1
    assert OutgoingMail.objects.count() == 3
