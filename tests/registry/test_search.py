"""registry.search: what a typed term becomes in a URL, and what a URL's search finds."""

from __future__ import annotations

import uuid

import pytest
from django.http import QueryDict
from django.test import override_settings
from django.utils import translation

from registry import search
from registry.crypto import generate_key
from registry.models import Person
from registry.models.people import document_index, family_name_index
from tests.factories import PersonFactory, UserFactory

NAME = "Zwartekoppenstraat"


def _roundtrip(found: search.Search, kinds) -> search.Search | None:
    """As the redirect carries it and the list reads it back."""
    query = QueryDict(mutable=True)
    for name, value in found.params():
        query.appendlist(name, value)
    return search.from_query(QueryDict(query.urlencode()), kinds)


def test_a_registration_number_is_carried_as_it_is():
    found = search.from_term(" 2026-000123 ", [search.NUMBER, search.FAMILY_NAME])
    assert found == search.Search(search.NUMBER, ("2026-000123",))
    assert found.params() == [("number", "2026-000123")]
    assert _roundtrip(found, [search.NUMBER, search.FAMILY_NAME]) == found


def test_a_family_name_is_carried_as_its_blind_index_and_never_as_itself():
    found = search.from_term("ZWARTEKOPPENSTRAAT", [search.NUMBER, search.FAMILY_NAME])
    assert found.kind == search.FAMILY_NAME
    assert found.values == (family_name_index(NAME),)
    assert NAME.lower() not in str(found.params()).lower()
    assert _roundtrip(found, [search.NUMBER, search.FAMILY_NAME]) == found
    with translation.override("en"):
        assert found.label == "family name"


def test_a_term_with_digits_is_a_document_number_where_documents_are_searched():
    kinds = [search.FAMILY_NAME, search.DOCUMENT]
    found = search.from_term("XQ 9921-337", kinds)
    assert found.kind == search.DOCUMENT
    # One index per possible issuing country, and one for none.
    assert document_index("RO", "XQ9921337") in found.values
    assert document_index("", "XQ9921337") in found.values
    assert search.from_term("RO: XQ9921337", kinds).values == (document_index("RO", "XQ9921337"),)
    assert search.from_term(NAME, kinds).kind == search.FAMILY_NAME


@pytest.mark.django_db
def test_a_document_search_carries_only_the_indexes_the_list_holds():
    person = PersonFactory(id_document_country="RO", id_document_number="XQ9921337")
    PersonFactory(id_document_country="", id_document_number="XQ9921337")
    found = search.from_term("XQ9921337", [search.FAMILY_NAME, search.DOCUMENT])
    narrowed = found.narrowed(Person.objects.filter(pk=person.pk), "bi_document")
    assert narrowed.values == (document_index("RO", "XQ9921337"),)
    narrowed_all = found.narrowed(Person.objects.all(), "bi_document")
    assert len(narrowed_all.values) == 2
    assert _roundtrip(narrowed_all, [search.DOCUMENT]) == narrowed_all


def test_a_term_of_a_kind_the_list_does_not_search_finds_nothing_instead_of_leaking():
    found = search.from_term(NAME, [search.NUMBER])
    assert found == search.Search(search.NUMBER, ())
    assert found.params() == [("number", "")]


def test_a_blank_term_is_no_search():
    assert search.from_term("   ", [search.NUMBER, search.FAMILY_NAME]) is None


def test_text_is_only_for_lists_of_non_personal_data():
    assert search.from_term("Zeeland", [search.TEXT]).params() == [("q", "Zeeland")]
    # q is never read back as a search of a personal kind.
    assert search.from_query(QueryDict(f"q={NAME}"), [search.FAMILY_NAME]) is None


@pytest.mark.django_db
def test_audit_trail_terms_record_ids_and_account_names():
    UserFactory(username="coordinator-a")
    kinds = [search.RECORD, search.ACCOUNT]
    record = uuid.uuid4()
    assert search.from_term(str(record).upper(), kinds).values == (str(record),)
    assert search.from_term("42", kinds) == search.Search(search.RECORD, ("42",))
    assert search.from_term("COORDINATOR-A", kinds) == search.Search(
        search.ACCOUNT, ("coordinator-a",)
    )
    # Not an account, and a 9-digit number (a citizen service number is personal): nothing
    # that goes into a URL.
    assert search.from_term(NAME, kinds) == search.Search(search.ACCOUNT, ())
    assert search.from_term("123456789", kinds) == search.Search(search.ACCOUNT, ())


@pytest.mark.parametrize(
    "query",
    [
        "family_name=zz",
        "family_name=",
        "family_name=" + "A" * 64,  # upper-case hex is not how an index is written
        "family_name=" + "0" * 63,
        "family_name=%00",
        "number=Zwartekoppenstraat",
        "number=2026-000123&family_name=" + "a" * 64,  # two searches at once
        "family_name=" + "&family_name=".join(["a" * 64] * 21),  # more values than any search
    ],
)
def test_a_forged_search_in_the_url_finds_nothing(query):
    found = search.from_query(QueryDict(query), [search.NUMBER, search.FAMILY_NAME])
    assert found is not None and found.values == ()


@pytest.mark.django_db
def test_a_stale_or_forged_index_finds_nothing_and_the_right_one_finds_the_person():
    person = PersonFactory(family_name=NAME)
    lookups = {search.FAMILY_NAME: "bi_family_name"}
    kinds = [search.FAMILY_NAME]
    with override_settings(REGISTRY_BLIND_INDEX_KEY=generate_key()):
        stale = family_name_index(NAME)  # made under an index key no longer in use
    for value in (stale, "f" * 64, "zz"):
        found = search.from_query(QueryDict(f"family_name={value}"), kinds)
        assert not search.filter_queryset(Person.objects.all(), found, lookups).exists()
    right = search.from_query(QueryDict(f"family_name={family_name_index(NAME)}"), kinds)
    assert list(search.filter_queryset(Person.objects.all(), right, lookups)) == [person]
